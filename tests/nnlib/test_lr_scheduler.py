"""nnlib.optim.lr_scheduler against torch.optim.lr_scheduler: the same learning rates, step by step.

Each scheduler drives an optimiser with two parameter groups (lr 0.1 and
0.03) for 60 steps next to torch's; ``get_last_lr()`` and every group's
``lr`` must agree to 1e-10 at every step (closed forms here, recursive
updates in torch: the differences are rounding).
"""

import warnings

import numpy as np
import pytest
import torch

from nnlib import optim
from nnlib.nn.module import Parameter
from nnlib.optim import lr_scheduler

STEPS = 60
LRS = (0.1, 0.03)


def _optimizers():
    mine = optim.SGD([{"params": [Parameter(np.zeros(2))], "lr": lr} for lr in LRS], lr=1.0)
    ref_groups = [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in LRS]
    theirs = torch.optim.SGD(ref_groups, lr=1.0)
    return mine, theirs


def _assert_same_lrs(step, mine, theirs, opt):
    expected = theirs.get_last_lr()
    received = mine.get_last_lr()
    assert len(received) == len(expected)
    for r, e, group in zip(received, expected, opt.param_groups, strict=True):
        assert abs(r - e) <= 1e-10, f"step {step}: lr {received}, torch {expected}"
        assert group["lr"] == r, f"step {step}: group lr {group['lr']} but get_last_lr() says {r}"


SCHEDULES = [
    ("StepLR", dict(step_size=7)),
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("ExponentialLR", dict(gamma=0.95)),
    ("CosineAnnealingLR", dict(T_max=20)),
    ("CosineAnnealingLR", dict(T_max=25, eta_min=1e-3)),
    ("CosineAnnealingLR", dict(T_max=1)),
    ("LinearLR", dict()),
    ("LinearLR", dict(start_factor=0.1, total_iters=20)),
    ("LinearLR", dict(start_factor=1.0, end_factor=0.2, total_iters=30)),
]


@pytest.mark.parametrize(("name", "kwargs"), SCHEDULES, ids=[f"{n}-{k}" for n, k in SCHEDULES])
def test_schedule_matches_torch(name, kwargs):
    opt, ref_opt = _optimizers()
    mine = getattr(lr_scheduler, name)(opt, **kwargs)
    theirs = getattr(torch.optim.lr_scheduler, name)(ref_opt, **kwargs)
    assert [g["initial_lr"] for g in opt.param_groups] == list(LRS)
    assert mine.base_lrs == list(LRS) and mine.last_epoch == 0
    _assert_same_lrs(0, mine, theirs, opt)
    for step in range(1, STEPS + 1):
        opt.step()
        ref_opt.step()
        mine.step()
        theirs.step()
        assert mine.last_epoch == theirs.last_epoch == step
        _assert_same_lrs(step, mine, theirs, opt)


def test_warmup_values():
    """LinearLR's defaults: lr/3 rising linearly to lr in 5 steps, then flat."""
    opt, _ = _optimizers()
    sched = lr_scheduler.LinearLR(opt)
    seen = [sched.get_last_lr()[0]]
    for _ in range(7):
        sched.step()
        seen.append(sched.get_last_lr()[0])
    expected = [0.1 * (1 / 3 + (2 / 3) * min(t, 5) / 5) for t in range(8)]
    np.testing.assert_allclose(seen, expected, rtol=1e-14)


# (mode, threshold_mode, kwargs, metrics)
PLATEAU = [
    ("min", "rel", dict(patience=3), [5, 4, 3, 3, 3, 3, 3, 2.9999, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1]),
    ("min", "abs", dict(patience=2, threshold=0.1, factor=0.5), [1.0, 0.95, 0.91, 0.85, 0.8, 0.79] * 4),
    ("max", "rel", dict(patience=1, cooldown=2, factor=0.5), [0.1, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.3] * 3),
    ("max", "abs", dict(patience=0, threshold=0.01, min_lr=[0.02, 0.01]), list(np.linspace(0, 1, 12)) * 2),
    ("min", "rel", dict(patience=0, factor=0.5, min_lr=0.0299), [1.0] * 24),
    ("min", "rel", dict(patience=1, eps=0.02), [2.0] * 24),
]


@pytest.mark.parametrize(("mode", "threshold_mode", "kwargs", "metrics"), PLATEAU)
def test_reduce_on_plateau_matches_torch(mode, threshold_mode, kwargs, metrics):
    opt, ref_opt = _optimizers()
    mine = lr_scheduler.ReduceLROnPlateau(opt, mode=mode, threshold_mode=threshold_mode, **kwargs)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(
        ref_opt, mode=mode, threshold_mode=threshold_mode, **kwargs
    )
    changes = 0
    for step, metric in enumerate(metrics, start=1):
        before = list(mine.get_last_lr())
        mine.step(metric)
        theirs.step(metric)
        changes += mine.get_last_lr() != before
        _assert_same_lrs(step, mine, theirs, opt)
        for attr in ("best", "num_bad_epochs", "cooldown_counter", "last_epoch"):
            got, want = getattr(mine, attr), getattr(theirs, attr)
            assert got == want, f"step {step} (metric {metric}): {attr} = {got}, torch has {want}"
    assert changes > 0, "the scripted metrics never lowered the rate: the test would not test anything"


def test_reduce_on_plateau_accepts_arrays():
    opt, _ = _optimizers()
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    sched.step(np.float64(1.0))
    sched.step(np.array(2.0))
    sched.step(torch.tensor(3.0))
    assert sched.get_last_lr() == pytest.approx([1e-3, 3e-4])


def test_bad_arguments():
    opt, _ = _optimizers()
    with pytest.raises(ValueError, match="StepLR: step_size must be a positive integer, got 0"):
        lr_scheduler.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="CosineAnnealingLR: T_max"):
        lr_scheduler.CosineAnnealingLR(opt, T_max=0)
    with pytest.raises(ValueError, match="LinearLR: start_factor"):
        lr_scheduler.LinearLR(opt, start_factor=0.0)
    with pytest.raises(ValueError, match="LinearLR: end_factor"):
        lr_scheduler.LinearLR(opt, end_factor=1.5)
    with pytest.raises(ValueError, match="mode must be 'min' or 'max'"):
        lr_scheduler.ReduceLROnPlateau(opt, mode="avg")
    with pytest.raises(ValueError, match="threshold_mode"):
        lr_scheduler.ReduceLROnPlateau(opt, threshold_mode="pct")
    with pytest.raises(ValueError, match="factor must be < 1"):
        lr_scheduler.ReduceLROnPlateau(opt, factor=2.0)
    with pytest.raises(ValueError, match="expected 2 min_lrs, got 3"):
        lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0, 0, 0])
    with pytest.raises(TypeError, match="expected an optimizer"):
        lr_scheduler.ExponentialLR([0.1], gamma=0.9)
    with pytest.raises(KeyError, match="initial_lr"):
        lr_scheduler.ExponentialLR(opt, gamma=0.9, last_epoch=3)


def test_resume_from_state_dict():
    """A scheduler rebuilt from state_dict continues the same sequence."""
    opt, _ = _optimizers()
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    for _ in range(4):
        sched.step()
    saved = sched.state_dict()
    assert "optimizer" not in saved and saved["last_epoch"] == 4
    expected = []
    for _ in range(3):
        sched.step()
        expected.append(sched.get_last_lr())

    opt2, _ = _optimizers()
    for g in opt2.param_groups:
        g["initial_lr"] = g["lr"]
    resumed = lr_scheduler.CosineAnnealingLR(opt2, T_max=10, last_epoch=3)
    resumed.load_state_dict(saved)
    got = []
    for _ in range(3):
        resumed.step()
        got.append(resumed.get_last_lr())
    np.testing.assert_allclose(got, expected, rtol=1e-15)


def test_works_with_every_optimizer():
    """Schedulers only touch group['lr']; each optimiser reads it at every step."""
    p = Parameter(np.zeros(1))
    opt = optim.Adam([p], lr=0.1)
    sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            sched.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.0125)
    p.grad = np.ones(1)
    opt.step()
    # Adam's first step moves each coordinate by about lr.
    np.testing.assert_allclose(p.data, [-0.0125], rtol=1e-6)
