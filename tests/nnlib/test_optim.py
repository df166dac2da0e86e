"""nnlib.optim against torch.optim: same trajectories, same state, same errors.

Every optimiser runs 100 steps from identical float64 parameters with
identical gradients (a noisy quadratic bowl, gradients computed from the
torch copy and handed to both), on NumPy arrays and on torch tensors. One
parameter only gets a gradient on even steps, to check that ``grad is None``
is skipped the same way. Parameters and every state entry must agree to
1e-12 relative to their size (the differences seen are ~1e-16, rounding).
"""

import numpy as np
import pytest
import torch

from nnlib import backend, optim
from nnlib.nn.module import Parameter

STEPS = 100
TOL = 1e-12
SHAPES = [(3, 4), (5,), (2, 3)]

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-2)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-2)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=1e-2, weight_decay=1e-2, initial_accumulator_value=0.1)),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=1e-2, momentum=0.9, weight_decay=1e-2)),
    ("RMSprop", dict(lr=1e-2, centered=True)),
    ("RMSprop", dict(lr=1e-2, alpha=0.9, centered=True, momentum=0.5, eps=1e-6)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=1e-2)),
    ("Adam", dict(lr=1e-2)),
    ("Adam", dict(lr=1e-2, weight_decay=1e-2, amsgrad=True)),
    ("Adam", dict(lr=1e-2, betas=(0.8, 0.99), eps=1e-6, amsgrad=True)),
    ("Adam", dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True)),
    ("AdamW", dict()),
    ("AdamW", dict(lr=1e-2, weight_decay=0.05, amsgrad=True)),
    ("NAdam", dict()),
    ("NAdam", dict(lr=1e-2, weight_decay=1e-2)),
    ("NAdam", dict(lr=1e-2, weight_decay=1e-2, decoupled_weight_decay=True)),
    ("NAdam", dict(lr=1e-2, betas=(0.8, 0.99), momentum_decay=1e-2)),
]


@pytest.fixture(autouse=True)
def torch_float64():
    """torch keeps NAdam's mu_product and the step counters in the default dtype: make it float64."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def _initial_values():
    rng = np.random.default_rng(1234)
    return [rng.standard_normal(shape) for shape in SHAPES]


def _noise():
    rng = np.random.default_rng(99)
    return [[rng.standard_normal(shape) for shape in SHAPES] for _ in range(STEPS)]


def _numpy(x):
    return backend.to_numpy(x) if hasattr(x, "shape") else np.asarray(float(x))


def _max_diff(mine, ref):
    """max |mine - ref|, divided by max(1, max |ref|)."""
    mine, ref = _numpy(mine), _numpy(ref)
    assert mine.shape == ref.shape, f"shape {mine.shape}, expected {ref.shape}"
    scale = max(1.0, float(np.max(np.abs(ref), initial=0.0)))
    return float(np.max(np.abs(mine - ref), initial=0.0)) / scale


def _run_both(name, kwargs, device, groups=None):
    """Run nnlib's and torch's optimiser side by side; return both parameter lists and optimisers."""
    values = _initial_values()
    params = [Parameter(backend.to(v, device)) for v in values]
    ref = [torch.tensor(v, requires_grad=True) for v in values]
    if groups is None:
        mine = getattr(optim, name)(params, **kwargs)
        theirs = getattr(torch.optim, name)(ref, foreach=False, **kwargs)
    else:
        my_groups = [{**g, "params": [params[i] for i in g["params"]]} for g in groups]
        mine = getattr(optim, name)(my_groups, **kwargs)
        theirs = getattr(torch.optim, name)(
            [{**g, "params": [ref[i] for i in g["params"]]} for g in groups], foreach=False, **kwargs
        )
    for step, noise in enumerate(_noise()):
        mine.zero_grad()
        theirs.zero_grad()
        for i, (p, r) in enumerate(zip(params, ref, strict=True)):
            if i == 2 and step % 2 == 1:
                continue  # this parameter gets no gradient on odd steps
            grad = 0.5 * (r.detach().numpy() - 1.0) + noise[i]
            p.grad = backend.to(grad, device)
            r.grad = torch.tensor(grad)
        mine.step()
        theirs.step()
    return params, ref, mine, theirs


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_optimizer_matches_torch(name, kwargs, devices):
    params, ref, mine, theirs = _run_both(name, kwargs, devices)
    for i, (p, r) in enumerate(zip(params, ref, strict=True)):
        assert backend.device_of(p.data) == devices
        diff = _max_diff(p.data, r.detach())
        assert diff <= TOL, f"{name}({kwargs}) param {i}: max |nnlib - torch| / max(1, |torch|) = {diff:.3g}"
        their_state = theirs.state[r]
        my_state = mine.state[p]
        assert set(my_state) == set(their_state), (
            f"{name}({kwargs}) state keys {sorted(my_state)}, expected {sorted(their_state)}"
        )
        for key, expected in their_state.items():
            diff = _max_diff(my_state[key], expected)
            assert diff <= TOL, f"{name}({kwargs}) state[{key!r}] of param {i}: max diff {diff:.3g} > {TOL}"
    steps = mine.state[params[2]].get("step")
    if steps is not None:
        assert steps == STEPS // 2, f"param 2 got a gradient {STEPS // 2} times, state step = {steps}"


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_param_groups_match_torch(name):
    kwargs = dict(lr=1e-2, momentum=0.9) if name != "Adam" else dict(lr=1e-2)
    groups = [dict(params=[0, 2]), dict(params=[1], lr=0.1, weight_decay=0.01)]
    params, ref, mine, _ = _run_both(name, kwargs, "cpu", groups=groups)
    assert mine.param_groups[1]["lr"] == 0.1 and mine.param_groups[0]["lr"] == 1e-2
    for i, (p, r) in enumerate(zip(params, ref, strict=True)):
        diff = _max_diff(p.data, r.detach())
        assert diff <= TOL, f"{name} with groups, param {i}: max diff {diff:.3g}"


def test_defaults_match_torch():
    import inspect

    for name in ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam"]:
        mine = inspect.signature(getattr(optim, name)).parameters
        theirs = inspect.signature(getattr(torch.optim, name)).parameters
        for arg, p in mine.items():
            assert arg in theirs, f"{name}: torch has no argument {arg!r}"
            assert p.default == theirs[arg].default, (
                f"{name}({arg}=...): default {p.default!r}, torch's is {theirs[arg].default!r}"
            )


def test_updates_in_place_and_keep_dtype(devices):
    data = backend.to(np.ones((2, 3), dtype=np.float32), devices)
    p = Parameter(data)
    opt = optim.Adam([p], lr=0.1)
    p.grad = backend.to(np.full((2, 3), 0.5, dtype=np.float32), devices)
    opt.step()
    assert p.data is data, "Adam.step must update param.data in place"
    assert backend.to_numpy(p.data).dtype == np.float32, f"dtype became {p.data.dtype}"
    np.testing.assert_allclose(backend.to_numpy(p.data), 0.9, rtol=1e-6)


def test_zero_grad_and_skipping_params_without_grad():
    a, b = Parameter(np.ones(3)), Parameter(np.ones(2))
    opt = optim.SGD([a, b], lr=0.5, momentum=0.9)
    a.grad = np.full(3, 2.0)
    opt.step()
    np.testing.assert_array_equal(a.data, np.zeros(3))
    np.testing.assert_array_equal(b.data, np.ones(2))
    assert b not in opt.state or not opt.state[b], f"no gradient, yet state {opt.state.get(b)}"
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(a.grad, np.zeros(3))
    assert b.grad is None
    opt.zero_grad()
    assert a.grad is None and b.grad is None


def test_state_dict_round_trip():
    """Training 10 + 10 steps through a saved and reloaded state equals 20 steps straight."""
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal(4) for _ in range(20)]

    def run(opt, p, steps):
        for g in steps:
            p.grad = g.copy()
            opt.step()

    straight = Parameter(np.zeros(4))
    opt = optim.NAdam([straight], lr=0.1)
    run(opt, straight, grads)

    first = Parameter(np.zeros(4))
    opt1 = optim.NAdam([first], lr=0.1)
    run(opt1, first, grads[:10])
    saved = opt1.state_dict()
    assert saved["param_groups"][0]["params"] == [0] and saved["state"][0]["step"] == 10
    second = Parameter(first.data.copy())
    opt2 = optim.NAdam([second], lr=0.5)
    opt2.load_state_dict(saved)
    assert opt2.param_groups[0]["lr"] == 0.1
    run(opt2, second, grads[10:])
    np.testing.assert_allclose(second.data, straight.data, rtol=0, atol=1e-15)


BAD = [
    ("SGD", dict(lr=-1.0), "invalid lr"),
    ("SGD", dict(momentum=-0.5), "invalid momentum"),
    ("SGD", dict(weight_decay=-1.0), "invalid weight_decay"),
    ("SGD", dict(nesterov=True), "Nesterov"),
    ("SGD", dict(nesterov=True, momentum=0.9, dampening=0.1), "Nesterov"),
    ("Adagrad", dict(lr_decay=-1.0), "invalid lr_decay"),
    ("Adagrad", dict(initial_accumulator_value=-1.0), "invalid initial_accumulator_value"),
    ("RMSprop", dict(alpha=-0.1), "invalid alpha"),
    ("RMSprop", dict(eps=-1e-8), "invalid eps"),
    ("Adadelta", dict(rho=1.5), "invalid rho"),
    ("Adam", dict(betas=(1.0, 0.999)), r"invalid betas\[0\]"),
    ("Adam", dict(betas=(0.9, -0.1)), r"invalid betas\[1\]"),
    ("Adam", dict(betas=0.9), "invalid betas"),
    ("AdamW", dict(lr=-1e-3), "invalid lr"),
    ("NAdam", dict(momentum_decay=-1.0), "invalid momentum_decay"),
    ("NAdam", dict(betas=(0.9, 1.0)), r"invalid betas\[1\]"),
]


@pytest.mark.parametrize(("name", "kwargs", "match"), BAD, ids=[f"{n}-{k}" for n, k, _ in BAD])
def test_bad_hyperparameters(name, kwargs, match):
    with pytest.raises(ValueError, match=match) as info:
        getattr(optim, name)([Parameter(np.zeros(2))], **kwargs)
    assert name in str(info.value), f"the message should name {name}: {info.value}"


def test_bad_params():
    p = Parameter(np.zeros(2))
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="single Parameter"):
        optim.SGD(p, lr=0.1)
    with pytest.raises(TypeError, match="got ndarray"):
        optim.SGD([np.zeros(2)], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)
    with pytest.raises(ValueError, match="invalid lr = .0.1.; expected a number"):
        optim.Adam([p], lr="0.1")
    with pytest.raises(ValueError, match="invalid lr"):
        optim.SGD([{"params": [p], "lr": -0.1}], lr=0.1)
    p.grad = np.zeros(1)
    with pytest.raises(ValueError, match=r"SGD.step: .* shape \(2,\) has a gradient of shape \(1,\)"):
        optim.SGD([p], lr=0.1).step()


# -- gradient clipping ---------------------------------------------------------


def _clip_pair(device, scale=1.0):
    rng = np.random.default_rng(5)
    grads = [scale * rng.standard_normal(s) for s in [(4, 3), (7,), (2, 2)]]
    params = [Parameter(backend.to(np.zeros(g.shape), device)) for g in grads]
    ref = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, r, g in zip(params[:3], ref, grads, strict=True):
        p.grad = backend.to(g, device)
        r.grad = torch.tensor(g)
    params.append(Parameter(np.zeros(2)))  # no gradient: ignored
    return params, ref


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_matches_torch(norm_type, max_norm, devices):
    params, ref = _clip_pair(devices)
    total = optim.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(ref, max_norm, norm_type=norm_type)
    assert isinstance(total, float)
    expected = float(expected)
    assert abs(total - expected) <= 1e-12 * expected, f"total norm {total}, torch {expected}"
    assert params[-1].grad is None
    for p, r in zip(params[:3], ref, strict=True):
        diff = _max_diff(p.grad, r.grad)
        assert diff <= 1e-14, f"clipped gradient differs from torch's by {diff:.3g}"


def test_clip_grad_norm_edge_cases():
    p = Parameter(np.zeros(3))
    assert optim.clip_grad_norm_([p], 1.0) == 0.0
    p.grad = np.array([3.0, 4.0, 0.0])
    assert optim.clip_grad_norm_(p, 1.0) == 5.0
    np.testing.assert_allclose(np.linalg.norm(p.grad), 1.0, rtol=1e-6)
    p.grad = np.array([np.inf, 1.0, 0.0])
    with pytest.raises(RuntimeError, match="nonfinite|inf"):
        optim.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    with pytest.raises(ValueError, match="max_norm"):
        optim.clip_grad_norm_([p], -1.0)


@pytest.mark.parametrize("clip_value", [0.3, 10.0])
def test_clip_grad_value_matches_torch(clip_value, devices):
    params, ref = _clip_pair(devices, scale=2.0)
    grads = [p.grad for p in params[:3]]
    optim.clip_grad_value_(params, clip_value)
    torch.nn.utils.clip_grad_value_(ref, clip_value)
    for p, r, g in zip(params[:3], ref, grads, strict=True):
        assert p.grad is g, "clip_grad_value_ must work in place"
        assert _max_diff(p.grad, r.grad) == 0.0
    with pytest.raises(ValueError, match="clip_value"):
        optim.clip_grad_value_(params, -1.0)
