"""Module 07's reference code, figures and batch-size explorer, checked against hand-written torch loops."""

import math
import os

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from nn4nlp.plots.pytorch_gpu import log_softmax_underflow, time_per_epoch_plot, underflow_curves  # noqa: E402
from nn4nlp.widgets import pytorch_gpu as reference  # noqa: E402
from nnlib import nn as nnlib_nn  # noqa: E402


def _close(figure):
    import matplotlib.pyplot as plt

    plt.close(figure)


def _toy(seed=0, dropout=0.0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Dropout(dropout), nn.Linear(8, 3))
    X = torch.randn(32, 4)
    y = torch.randint(0, 3, (32,))
    return model, X, y


def _copy(model):
    twin = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Dropout(0.0), nn.Linear(8, 3))
    twin.load_state_dict(model.state_dict())
    return twin


# -- the loss of the gold class far behind: naive log(softmax) against cross-entropy from logits


def test_underflow_curves_stable_side_matches_the_closed_form():
    gaps = np.array([0.0, 1.0, 10.0, 50.0, 120.0, 150.0])
    curves = underflow_curves(gaps, dtype="float64")
    exact_loss = gaps + np.log1p(np.exp(-gaps))
    exact_grad = -1.0 / (1.0 + np.exp(-gaps))
    np.testing.assert_allclose(curves["stable_loss"], exact_loss, rtol=1e-12)
    np.testing.assert_allclose(curves["stable_grad"], exact_grad, rtol=1e-12)


def test_naive_log_softmax_breaks_in_float32_where_cross_entropy_does_not():
    gaps = np.array([5.0, 80.0, 110.0, 150.0])
    curves = underflow_curves(gaps, dtype="float32")
    # float32's smallest number is about exp(-103.3): beyond that, softmax(z)[gold] is exactly 0
    assert np.all(np.isfinite(curves["naive_loss"][:2])), curves["naive_loss"]
    assert not np.any(np.isfinite(curves["naive_loss"][2:])), curves["naive_loss"]
    assert np.all(np.isfinite(curves["stable_loss"])) and np.all(np.isfinite(curves["stable_grad"]))
    np.testing.assert_allclose(curves["stable_loss"], gaps + np.log1p(np.exp(-gaps)), rtol=1e-6)
    np.testing.assert_allclose(curves["naive_loss"][:2], curves["stable_loss"][:2], rtol=1e-4)


def test_log_softmax_underflow_shades_the_region_where_the_naive_loss_breaks():
    fig = log_softmax_underflow()
    try:
        loss_ax, grad_ax = fig.axes
        shaded = [patch for patch in loss_ax.patches if patch.get_width() > 0]
        assert len(shaded) == 1, f"expected one shaded region, got {len(shaded)}"
        start = shaded[0].get_x()
        assert 100.0 < start < 106.0, f"the naive loss should break near a margin of 104, shaded from {start}"
        assert "float32" in loss_ax.get_title()
        assert grad_ax.get_ylim() == pytest.approx((-1.1, -0.4))
    finally:
        _close(fig)


def test_time_per_epoch_plot_divides_by_the_number_of_update_steps():
    seconds = {"torch, cpu": [0.8, 0.2, 0.1]}
    fig = time_per_epoch_plot([8, 32, 100], seconds, n_examples=100)
    try:
        epoch_line = fig.axes[0].get_lines()[0]
        step_line = fig.axes[1].get_lines()[0]
        np.testing.assert_allclose(epoch_line.get_ydata(), [0.8, 0.2, 0.1])
        steps = [math.ceil(100 / b) for b in (8, 32, 100)]  # 13, 4, 1
        np.testing.assert_allclose(
            step_line.get_ydata(), [1000 * s / k for s, k in zip([0.8, 0.2, 0.1], steps, strict=True)]
        )
    finally:
        _close(fig)


@pytest.mark.parametrize(
    ("seconds", "message"),
    [({}, "no timings"), ({"torch, cpu": [0.1, 0.2]}, "2 timings for 3 batch sizes")],
)
def test_time_per_epoch_plot_names_what_is_wrong(seconds, message):
    with pytest.raises(ValueError, match=message):
        time_per_epoch_plot([8, 16, 32], seconds, n_examples=64)


# -- the reference code the notebook falls back on


def test_there_is_one_device_picker_and_it_is_nnlibs():
    assert not hasattr(reference, "pick_device"), "the course's torch code picks devices with nnlib.backend"


def test_toy_problem_is_reproducible_and_leaves_the_global_generator_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    model, optimizer, loss_fn, X, y = reference.make_toy_problem(seed=4, lr=0.3, momentum=0.5, dropout=0.2)
    assert torch.rand(1) == before, "make_toy_problem moved torch's global generator"
    again = reference.make_toy_problem(seed=4)
    torch.testing.assert_close(X, again[3])
    torch.testing.assert_close(y, again[4])
    for mine, theirs in zip(model.parameters(), again[0].parameters(), strict=True):
        torch.testing.assert_close(mine, theirs)
    assert [X.shape, y.shape] == [(32, 4), (32,)]
    assert optimizer.param_groups[0]["lr"] == 0.3 and optimizer.param_groups[0]["momentum"] == 0.5
    assert model[2].p == 0.2 and isinstance(loss_fn, nn.CrossEntropyLoss)


def test_loss_gradient_is_autograds_and_none_for_a_loss_cut_from_the_graph():
    logits = torch.tensor([[1000.0, 0.0], [1.8, 3.1]])
    targets = torch.tensor([1, 0])
    expected = (torch.softmax(logits, dim=1) - F.one_hot(targets, 2)) / 2
    torch.testing.assert_close(reference.loss_gradient(F.cross_entropy, logits, targets), expected)

    def numpy_loss(z, t):
        value = float(F.cross_entropy(z.detach(), t))
        return torch.tensor(value, requires_grad=True)  # looks like a loss, knows nothing of z

    assert reference.loss_gradient(numpy_loss, logits, targets) is None
    assert reference.loss_gradient(lambda z, t: 0.0, logits, targets) is None


@pytest.mark.parametrize("device", ["cpu", "torch:cpu"])
def test_the_cpu_needs_no_synchronisation(device):
    assert reference.synchronizer(device) is None


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_synchronizer_is_torchs():
    assert reference.synchronizer("cuda") is torch.cuda.synchronize


def test_seeded_loader_reshuffles_every_pass_and_repeats_with_its_seed():
    X = torch.arange(12, dtype=torch.float32)[:, None]
    y = torch.arange(12)

    def passes(seed):
        loader = reference.seeded_loader(X, y, 5, seed=seed)
        return [[int(v) for _, yb in loader for v in yb] for _ in range(3)]

    first = passes(0)
    assert all(sorted(order) == list(range(12)) for order in first), first
    assert first[0] != first[1] or first[1] != first[2], f"three passes in the same order: {first}"
    assert passes(0) == first
    assert passes(1) != first
    sizes = [len(yb) for _, yb in reference.seeded_loader(X, y, 5, seed=0)]
    assert sizes == [5, 5, 2], sizes


def test_train_step_matches_a_hand_written_sgd_loop():
    model, X, y = _toy(seed=1)
    twin = _copy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    twin_optimizer = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9)
    for k in range(3):
        xb, yb = X[k * 8 : (k + 1) * 8], y[k * 8 : (k + 1) * 8]
        twin_optimizer.zero_grad()
        expected = F.cross_entropy(twin(xb), yb)
        expected.backward()
        twin_optimizer.step()
        got = reference.train_step(model, nn.CrossEntropyLoss(), optimizer, xb, yb)
        assert isinstance(got, float), f"train_step returned {type(got).__name__}, expected a float"
        assert got == pytest.approx(expected.item(), rel=1e-6)
    for mine, theirs in zip(model.parameters(), twin.parameters(), strict=True):
        torch.testing.assert_close(mine, theirs)


def test_evaluate_uses_eval_mode_and_restores_the_training_mode():
    model, X, y = _toy(seed=2, dropout=0.5)
    model.train()
    loss, accuracy = reference.evaluate(model, nn.CrossEntropyLoss(), X, y)
    assert model.training, "evaluate should put the model back into training mode"
    twin = _copy(model).eval()
    with torch.no_grad():
        logits = twin(X)
    assert loss == pytest.approx(F.cross_entropy(logits, y).item(), rel=1e-6)
    assert accuracy == pytest.approx((logits.argmax(dim=1) == y).float().mean().item())


def test_fit_records_the_mean_batch_loss_and_the_dev_set_after_each_epoch():
    model, X, y = _toy(seed=3)
    twin = _copy(model)
    batches = [(X[i : i + 8], y[i : i + 8]) for i in range(0, 32, 8)]
    X_dev, y_dev = torch.randn(10, 4), torch.randint(0, 3, (10,))
    history = reference.fit(
        model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.2), batches, X_dev, y_dev, 2
    )
    twin_optimizer = torch.optim.SGD(twin.parameters(), lr=0.2)
    for epoch in range(2):
        losses = []
        for xb, yb in batches:
            twin_optimizer.zero_grad()
            loss = F.cross_entropy(twin(xb), yb)
            loss.backward()
            twin_optimizer.step()
            losses.append(loss.item())
        assert history["train_loss"][epoch] == pytest.approx(np.mean(losses), rel=1e-6)
        with torch.no_grad():
            assert history["val_loss"][epoch] == pytest.approx(
                F.cross_entropy(twin(X_dev), y_dev).item(), rel=1e-6
            )
    assert len(history["seconds"]) == 2 and all(s >= 0 for s in history["seconds"])


def test_time_per_epoch_warms_up_once_then_keeps_the_fastest_run(monkeypatch):
    calls, synced = [], []
    durations = iter([None, 3.0, 1.0, 2.0, None, 5.0, 4.0, 6.0])  # None: the warm-up
    clock = [0.0]

    def fake_epoch(batch_size):
        calls.append(batch_size)
        step = next(durations)
        clock[0] += step or 100.0

    monkeypatch.setattr(reference.time, "perf_counter", lambda: clock[0])
    got = reference.time_per_epoch(fake_epoch, [8, 32], repeats=3, sync=lambda: synced.append(1))
    assert calls == [8] * 4 + [32] * 4, calls
    assert got == [1.0, 4.0], got
    assert len(synced) == 8, "sync() should run after the warm-up and after every timed run"


def test_count_parameters_counts_torch_and_nnlib_models_alike():
    torch_model = nn.Sequential(nn.Linear(10, 20), nn.Tanh(), nn.Linear(20, 5))
    nnlib_model = nnlib_nn.Sequential(nnlib_nn.Linear(10, 20), nnlib_nn.Tanh(), nnlib_nn.Linear(20, 5))
    expected = 10 * 20 + 20 + 20 * 5 + 5
    assert reference.count_parameters(torch_model) == expected
    assert reference.count_parameters(nnlib_model) == expected


def test_usable_cpus_follows_omp_num_threads(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert reference.usable_cpus() == 3
    monkeypatch.delenv("OMP_NUM_THREADS")
    all_cores = reference.usable_cpus(idle_only=False)
    assert 1 <= reference.usable_cpus() <= all_cores <= (os.cpu_count() or 1)


def test_threads_restores_the_previous_number():
    before = torch.get_num_threads()
    with reference.threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


# -- the explorer


def test_training_run_is_reproducible_and_counts_its_steps():
    run = reference.training_run(64, 0.0316, "Adam", epochs=3)
    assert run["steps_per_epoch"] == math.ceil(360 / 64)
    assert len(run["val_loss"]) == 3 and list(run["seconds"]) == sorted(run["seconds"])
    reference.training_run.cache_clear()
    again = reference.training_run(64, 0.0316, "Adam", epochs=3)
    assert again["val_loss"] == run["val_loss"], "the same settings should give the same run"
    assert again["val_loss"][-1] < math.log(3), "Adam should beat chance (log 3) after three epochs"


def test_training_run_refuses_an_unknown_optimizer():
    with pytest.raises(ValueError, match="optimizer must be one of"):
        reference.training_run(32, 0.01, "RMSprop", epochs=1)


def test_spread_keeps_the_order_and_moves_labels_apart():
    heights = [0.50, 0.51, 0.30, 0.52]
    placed = reference._spread(heights, gap=0.05)
    assert np.argsort(placed, kind="stable").tolist() == np.argsort(heights, kind="stable").tolist()
    ordered = sorted(placed)
    assert all(b - a >= 0.05 - 1e-12 for a, b in zip(ordered, ordered[1:], strict=False)), placed
    assert placed[2] == 0.30 and placed[0] == 0.50, "the lowest label of a cluster should not move"


def test_batch_size_explorer_refuses_a_batch_size_off_the_slider():
    with pytest.raises(ValueError, match="batch_size must be one of"):
        reference.batch_size_explorer(batch_size=50)


def test_batch_size_explorer_redraws_and_keeps_tried_runs_in_grey(monkeypatch):
    monkeypatch.setattr(reference, "EPOCHS", 3)
    monkeypatch.setattr(reference, "_TRIED", set())
    reference.training_run.cache_clear()
    original = reference.training_run.__wrapped__
    monkeypatch.setattr(
        reference,
        "training_run",
        lambda b, lr, opt, epochs=3, seed=0: original(b, lr, opt, epochs=3, seed=seed),
    )
    explorer = reference.batch_size_explorer(batch_size=32, compare=(128,))
    assert all(control.description for control in explorer.controls.values())
    before = explorer.figure_png()
    explorer.controls["batch_size"].value = 64  # a user moving the slider
    assert explorer.message.value == "", explorer.message.value
    assert explorer.figure_png() != before
    grey = [line for line in explorer.figure.axes[0].get_lines() if line.get_color() == "0.65"]
    # the compared 128 and the first choice 32, each one grey line (the legend's stand-in has no data)
    assert sum(len(line.get_xdata()) > 0 for line in grey) == 2
    assert "batch size 64 (6 steps per epoch)" in [
        line.get_label() for line in explorer.figure.axes[0].get_lines()
    ]
    assert explorer.fallback_png().startswith(b"\x89PNG")
