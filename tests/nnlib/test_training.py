"""nnlib.training: batches, accuracy, fit, EarlyStopping, evaluate, predict, the progress bar.

The model and loss used here are written in this file (a linear layer and a
softmax cross-entropy, array-API code), so these tests depend only on
``nnlib.nn.module`` and ``nnlib.optim``.
"""

import subprocess
import sys

import numpy as np
import pytest

from nnlib import backend, optim
from nnlib.nn.module import Module, Parameter
from nnlib.optim.lr_scheduler import StepLR
from nnlib.seeding import manual_seed
from nnlib.training import EarlyStopping, History, accuracy, batches, evaluate, fit, predict


class TinyLinear(Module):
    """y = x W^T + b, with the backward pass written out."""

    def __init__(self, n_in, n_out, seed=0, device="cpu", dtype="float64"):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.weight = Parameter(backend.to(0.1 * rng.standard_normal((n_out, n_in)), device, dtype))
        self.bias = Parameter(backend.to(np.zeros(n_out), device, dtype))

    def forward(self, x):
        self.x = x
        return x @ self.weight.data.T + self.bias.data

    def backward(self, grad_output):
        xp = backend.namespace(grad_output)
        self.weight.accumulate_grad(grad_output.T @ self.x)
        self.bias.accumulate_grad(xp.sum(grad_output, axis=0))
        return grad_output @ self.weight.data


class SoftmaxCrossEntropy:
    """Mean softmax cross-entropy of logits (N, C) against class indices (N,)."""

    def __call__(self, logits, target):
        xp = backend.namespace(logits)
        z = logits - xp.max(logits, axis=1, keepdims=True)
        log_probs = z - xp.log(xp.sum(xp.exp(z), axis=1, keepdims=True))
        one_hot = xp.astype(target[:, None] == xp.arange(logits.shape[1], device=logits.device), logits.dtype)
        self.cache = (xp.exp(log_probs), one_hot)
        return -xp.sum(one_hot * log_probs) / logits.shape[0]

    def backward(self):
        probs, one_hot = self.cache
        return (probs - one_hot) / probs.shape[0]


def blobs(n=120, seed=0):
    """Three well separated Gaussian blobs in 2-D."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    return centres[y] + rng.standard_normal((n, 2)), y


# -- batches -----------------------------------------------------------------


def _collect(X, y, **kwargs):
    xs, ys = zip(*batches(X, y, **kwargs), strict=True)
    return [backend.to_numpy(b) for b in xs], [backend.to_numpy(b) for b in ys]


@pytest.mark.parametrize("drop_last", [False, True])
def test_batches_cover_every_example_once(devices, drop_last):
    X = backend.to(np.arange(103.0)[:, None] * np.ones((1, 2)), devices)
    y = backend.to(np.arange(103), devices)
    xs, ys = _collect(X, y, batch_size=10, seed=0, drop_last=drop_last)
    sizes = [len(b) for b in ys]
    assert sizes == [10] * 10 + ([] if drop_last else [3]), f"batch sizes {sizes}"
    seen = np.concatenate(ys)
    assert len(np.unique(seen)) == len(seen), "an example appears twice in one pass"
    if not drop_last:
        np.testing.assert_array_equal(np.sort(seen), np.arange(103))
    assert not np.array_equal(seen, np.sort(seen)), "shuffle=True left the order unchanged"
    for xb, yb in zip(xs, ys, strict=True):
        np.testing.assert_array_equal(xb[:, 0], yb)  # inputs and targets stay paired
    first = next(batches(X, y, batch_size=10, seed=0))
    assert backend.device_of(first[0]) == devices and backend.device_of(first[1]) == devices


def test_batches_in_order_and_without_targets():
    X = np.arange(7)
    assert [b.tolist() for b in batches(X, batch_size=3, shuffle=False)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [b.tolist() for b in batches(X, batch_size=3, shuffle=False, drop_last=True)] == [
        [0, 1, 2],
        [3, 4, 5],
    ]
    assert [len(b) for b in batches(X, batch_size=100)] == [7]


def test_batches_of_a_list_of_texts():
    texts = [f"text {i}" for i in range(5)]
    got = [t for b in batches(texts, list(range(5)), batch_size=2, seed=1) for t in zip(*b, strict=True)]
    assert sorted(got) == [(f"text {i}", i) for i in range(5)]


def test_batches_seeds():
    X = np.arange(50)
    same = [np.concatenate(list(batches(X, batch_size=8, seed=3))) for _ in range(2)]
    np.testing.assert_array_equal(same[0], same[1])
    rng = np.random.default_rng(3)
    first, second = (np.concatenate(list(batches(X, batch_size=8, seed=rng))) for _ in range(2))
    assert not np.array_equal(first, second), "a Generator seed must give a new order at every call"
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(np.concatenate(list(batches(X, batch_size=8, seed=rng))), first)
    manual_seed(11)
    a = np.concatenate(list(batches(X, batch_size=8)))
    b = np.concatenate(list(batches(X, batch_size=8)))
    manual_seed(11)
    np.testing.assert_array_equal(np.concatenate(list(batches(X, batch_size=8))), a)
    assert not np.array_equal(a, b)


def test_batches_errors():
    with pytest.raises(ValueError, match="batches: X has 5 examples but y has 4"):
        batches(np.zeros((5, 2)), np.zeros(4))
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="batch_size must be a positive integer"):
            batches(np.zeros(5), batch_size=bad)
    with pytest.raises(TypeError, match="batches: X must be an array"):
        batches(3.0)


# -- accuracy ----------------------------------------------------------------


def test_accuracy_cases(devices):
    logits = backend.to(
        np.array([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [0.0, 0.0, 1.0], [5.0, 0.0, 0.0]]), devices
    )
    labels = np.array([0, 1, 1, 2])
    assert accuracy(logits, backend.to(labels, devices)) == 0.5
    assert accuracy(logits, labels) == 0.5  # targets given as NumPy are fine
    assert accuracy(logits, np.eye(3)[labels]) == 0.5  # one-hot targets
    probs = backend.to(np.array([0.9, 0.4, 0.6, 0.2, 0.5]), devices)
    targets = np.array([1, 0, 0, 0, 1])
    assert accuracy(probs, targets) == 0.6
    assert accuracy(probs[:, None], targets[:, None].astype(float)) == 0.6
    assert accuracy(probs[:, None] - 0.5, targets, threshold=0.0) == 0.6
    with pytest.raises(ValueError, match=r"accuracy: output of shape \(4, 3\).*target has shape \(3,\)"):
        accuracy(logits, labels[:3])


# -- fit ---------------------------------------------------------------------


def test_fit_learns_and_records_history():
    X, y = blobs()
    model = TinyLinear(2, 3)
    history = fit(
        model,
        SoftmaxCrossEntropy(),
        optim.SGD(model.parameters(), lr=0.5),
        (X[:90], y[:90]),
        val=(X[90:], y[90:]),
        epochs=15,
        batch_size=16,
        seed=0,
    )
    assert isinstance(history, History) and isinstance(history, dict)
    assert history.epochs == list(range(1, 16))
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert all(len(v) == 15 and all(isinstance(x, float) for x in v) for v in history.values())
    assert history["loss"][-1] < 0.5 * history["loss"][0], f"loss did not decrease: {history['loss']}"
    assert history["val_accuracy"][-1] >= 0.9, f"val accuracy {history['val_accuracy']}"
    assert history["lr"] == [0.5] * 15
    assert not model.training, "fit leaves the model in eval mode"
    best = history.best_epoch("val_loss")
    assert history["val_loss"][best - 1] == min(history["val_loss"])
    assert history["val_accuracy"][history.best_epoch("val_accuracy") - 1] == max(history["val_accuracy"])


def test_fit_is_the_documented_loop():
    """Two epochs of fit equal a hand-written loop over the same shuffled batches."""
    X, y = blobs(50)
    model = TinyLinear(2, 3)
    fit(
        model,
        SoftmaxCrossEntropy(),
        optim.Adam(model.parameters(), lr=0.05),
        (X, y),
        epochs=2,
        batch_size=8,
        seed=np.random.default_rng(4),
    )

    manual = TinyLinear(2, 3)
    loss_fn, opt, rng = (
        SoftmaxCrossEntropy(),
        optim.Adam(manual.parameters(), lr=0.05),
        np.random.default_rng(4),
    )
    for _ in range(2):
        for xb, yb in batches(X, y, batch_size=8, seed=rng):
            opt.zero_grad()
            loss_fn(manual(xb), yb)
            manual.backward(loss_fn.backward())
            opt.step()
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, manual.state_dict()[name], err_msg=name)


def test_fit_loss_is_the_mean_over_examples():
    """With lr = 0 nothing changes, so the epoch's loss and accuracy equal evaluate's."""
    X, y = blobs(45)
    model = TinyLinear(2, 3)
    history = fit(
        model,
        SoftmaxCrossEntropy(),
        optim.SGD(model.parameters(), lr=0.0),
        (X, y),
        epochs=1,
        batch_size=7,
        seed=0,
    )
    loss, acc = evaluate(model, X, y, SoftmaxCrossEntropy(), batch_size=45)
    assert abs(history["loss"][0] - loss) <= 1e-12, f"fit loss {history['loss'][0]}, full-batch loss {loss}"
    assert abs(history["accuracy"][0] - acc) <= 1e-12


def test_fit_on_torch_with_numpy_data(devices):
    X, y = blobs(60)
    model = TinyLinear(2, 3, device=devices, dtype="float32")
    history = fit(
        model,
        SoftmaxCrossEntropy(),
        optim.SGD(model.parameters(), lr=0.5),
        (X, y),
        val=(X, y),
        epochs=5,
        batch_size=16,
        seed=0,
    )
    assert history["loss"][-1] < history["loss"][0]
    assert backend.device_of(model.weight.data) == devices
    assert str(model.weight.data.dtype).endswith("float32")
    out = predict(model, X, batch_size=7)
    assert backend.device_of(out) == devices and tuple(out.shape) == (60, 3)


def test_fit_with_scheduler_callback_and_custom_metric():
    X, y = blobs(40)
    model = TinyLinear(2, 3)
    opt = optim.SGD(model.parameters(), lr=0.4)
    sched = StepLR(opt, step_size=2, gamma=0.5)

    def top_logit(output, target):
        return float(backend.to_numpy(output).max(axis=1).mean())

    history = fit(
        model,
        SoftmaxCrossEntropy(),
        opt,
        (X, y),
        epochs=5,
        seed=0,
        metrics=(top_logit,),
        callbacks=[lambda epoch, logs, model: sched.step()],
    )
    assert history["lr"] == [0.4, 0.4, 0.2, 0.2, 0.1]
    assert set(history) == {"loss", "top_logit", "lr"}


def test_fit_errors():
    X, y = blobs(10)
    model = TinyLinear(2, 3)
    args = (model, SoftmaxCrossEntropy(), optim.SGD(model.parameters(), lr=0.1))
    with pytest.raises(TypeError, match=r"fit: train must be a pair \(X, y\)"):
        fit(*args, X)
    with pytest.raises(ValueError, match="fit: the training X has 10 examples but y has 9"):
        fit(*args, (X, y[:9]))
    with pytest.raises(ValueError, match="fit: the training set is empty"):
        fit(*args, (X[:0], y[:0]))
    with pytest.raises(ValueError, match="fit: batch_size"):
        fit(*args, (X, y), batch_size=0)
    with pytest.raises(ValueError, match="fit: epochs"):
        fit(*args, (X, y), epochs=-1)
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        fit(*args, (X, y), metrics=("f1",))
    with pytest.raises(KeyError, match=r"'val_loss' is not among.*pass val="):
        fit(*args, (X, y), callbacks=[EarlyStopping()])


# -- early stopping ----------------------------------------------------------

SCRIPT = [1.0, 0.8, 0.7, 0.72, 0.69, 0.71, 0.75, 0.74, 0.9, 0.6, 0.5]


class ScriptedValidation:
    """Replaces this epoch's val_loss by a scripted curve and records the weights."""

    def __init__(self, curve):
        self.curve = curve
        self.weights = {}

    def on_epoch_end(self, epoch, logs, model):
        logs["val_loss"] = self.curve[epoch - 1]
        self.weights[epoch] = model.state_dict()


@pytest.mark.parametrize(
    ("patience", "min_delta", "best", "stopped"),
    [(3, 0.0, 5, 8), (1, 0.0, 3, 4), (3, 0.02, 3, 6), (0, 0.0, 3, 4), (20, 0.0, 11, None)],
)
def test_early_stopping_on_a_scripted_curve(patience, min_delta, best, stopped):
    X, y = blobs(40)
    model = TinyLinear(2, 3)
    script = ScriptedValidation(SCRIPT)
    stopper = EarlyStopping(patience=patience, min_delta=min_delta)
    history = fit(
        model,
        SoftmaxCrossEntropy(),
        optim.SGD(model.parameters(), lr=0.3),
        (X, y),
        val=(X, y),
        epochs=len(SCRIPT),
        batch_size=8,
        seed=0,
        callbacks=[script, stopper],
    )
    assert stopper.best_epoch == best, f"best epoch {stopper.best_epoch}, expected {best}"
    assert stopper.best_value == SCRIPT[best - 1]
    assert stopper.stopped_epoch == stopped, f"stopped at {stopper.stopped_epoch}, expected {stopped}"
    assert history.epochs[-1] == (stopped or len(SCRIPT))
    assert history["val_loss"] == SCRIPT[: len(history.epochs)]
    assert history.best_epoch("val_loss") == (best if min_delta == 0 else 5)
    last = max(script.weights)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, script.weights[best][name], err_msg=f"restored {name}")
        if best != last:
            assert not np.array_equal(value, script.weights[last][name]), "weights were not restored"


def test_early_stopping_without_restore_and_in_max_mode():
    model = TinyLinear(2, 3)
    stopper = EarlyStopping(patience=2, monitor="val_accuracy", mode="max", restore_best=False)
    decisions = []
    for epoch, value in enumerate([0.5, 0.7, 0.7, 0.6], start=1):
        model.bias.data = np.full(3, float(epoch))
        decisions.append(stopper.on_epoch_end(epoch, {"val_accuracy": value}, model))
    assert decisions == [False, False, False, True], f"stop decisions {decisions}"
    assert (stopper.best_epoch, stopper.best_value, stopper.stopped_epoch) == (2, 0.7, 4)
    stopper.on_train_end(model)
    np.testing.assert_array_equal(model.bias.data, np.full(3, 4.0))  # the last weights stay


def test_early_stopping_arguments():
    with pytest.raises(ValueError, match="EarlyStopping: mode must be 'min' or 'max'"):
        EarlyStopping(mode="auto")
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match="min_delta"):
        EarlyStopping(min_delta=-0.1)


def test_history_best_epoch_errors():
    history = History()
    history.append(1, {"loss": 1.0})
    with pytest.raises(KeyError, match="no 'val_loss' recorded"):
        history.best_epoch("val_loss")


# -- evaluate and predict ----------------------------------------------------


def test_evaluate_and_predict(devices):
    X, y = blobs(37)
    model = TinyLinear(2, 3, seed=1, device=devices)
    Xd, yd = backend.to(X, devices), backend.to(y, devices)
    model.train()
    full = model(Xd)
    expected_loss = float(SoftmaxCrossEntropy()(full, yd))
    expected_acc = float(np.mean(backend.to_numpy(full).argmax(axis=1) == y))
    loss, acc = evaluate(model, Xd, yd, SoftmaxCrossEntropy(), batch_size=10)
    assert abs(loss - expected_loss) <= 1e-12 and acc == expected_acc, (
        f"{(loss, acc)} vs {(expected_loss, expected_acc)}"
    )
    assert model.training, "evaluate must restore the train/eval mode"
    out = predict(model, Xd, batch_size=10)
    np.testing.assert_allclose(backend.to_numpy(out), backend.to_numpy(full), rtol=1e-12)
    assert evaluate(model, X, y)[0] is None


def test_bce_with_logits_accuracy_threshold():
    """Accuracy on logits (BCEWithLogitsLoss) thresholds at 0, not 0.5."""
    from nnlib.nn import BCEWithLogitsLoss

    model = TinyLinear(1, 1)
    model.weight.data[...] = 1.0
    X = np.array([[-2.0], [0.2], [0.4], [3.0]])
    y = np.array([[0.0], [1.0], [1.0], [1.0]])
    _, acc = evaluate(model, X, y, BCEWithLogitsLoss())
    assert acc == 1.0, f"accuracy {acc}: logits 0.2 and 0.4 are positive predictions"


# -- progress bar and import cost --------------------------------------------


def test_progress_bar_silent_unless_asked(capsys):
    X, y = blobs(20)
    model = TinyLinear(2, 3)
    fit(model, SoftmaxCrossEntropy(), optim.SGD(model.parameters(), lr=0.1), (X, y), epochs=2, seed=0)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "", f"printed {captured}"
    fit(
        model,
        SoftmaxCrossEntropy(),
        optim.SGD(model.parameters(), lr=0.1),
        (X, y),
        epochs=2,
        seed=0,
        progress=True,
    )
    assert "epoch 2/2" in capsys.readouterr().err


def test_import_is_lazy():
    code = (
        "import sys, nnlib.training, nnlib.optim, nnlib.optim.lr_scheduler;"
        "heavy = [m for m in ('torch', 'tqdm', 'matplotlib', 'IPython') if m in sys.modules];"
        "assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
