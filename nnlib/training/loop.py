"""The training loop: ``fit``, and ``evaluate`` / ``predict`` for finished models.

One training step is exactly what you would write by hand::

    optimizer.zero_grad()
    out = model(xb)
    loss = loss_fn(out, yb)
    model.backward(loss_fn.backward())
    optimizer.step()

Batches go to the model's device, and floating-point batches are cast to the
dtype of the model's parameters, so NumPy data can train a model on a GPU.
Integer data (class labels, token ids) keep their dtype.
"""

import numbers

from nnlib import backend
from nnlib.seeding import generator
from nnlib.training.batches import batches, check_batch_size, num_examples
from nnlib.training.callbacks import Callback
from nnlib.training.history import History
from nnlib.training.metrics import accuracy
from nnlib.training.progress import progress_bar

METRICS = {"accuracy": accuracy}


def _first_parameter(model):
    return next(iter(model.parameters()), None) if hasattr(model, "parameters") else None


def _like_model(x, param):
    """``x`` on ``param``'s device; floating-point ``x`` also in ``param``'s dtype."""
    if param is None or not hasattr(x, "dtype"):
        return x
    floating = backend.namespace(x).isdtype(x.dtype, "real floating")
    dtype = param.dtype if floating else None
    if backend.device_of(x) == param.device and (dtype is None or x.dtype == dtype):
        return x
    return backend.to(x, param.device, dtype)


def _metric_functions(metrics, loss_fn):
    """Name -> function(output, target). Binary accuracy thresholds logits at 0 (BCEWithLogitsLoss)."""
    logits = type(loss_fn).__name__ == "BCEWithLogitsLoss"
    functions = {}
    for metric in metrics:
        if callable(metric):
            functions[getattr(metric, "__name__", f"metric{len(functions)}")] = metric
        elif metric == "accuracy":
            functions["accuracy"] = (lambda out, y: accuracy(out, y, threshold=0.0)) if logits else accuracy
        else:
            raise ValueError(f"fit: unknown metric {metric!r}; use one of {sorted(METRICS)} or a function.")
    return functions


def _pair(function, name, data):
    if not (isinstance(data, (tuple, list)) and len(data) == 2):
        raise TypeError(f"{function}: {name} must be a pair (X, y), got {type(data).__name__}.")
    return data


def _run(model, loss_fn, X, y, batch_size, metric_functions):
    """Mean loss and metrics over (X, y) in evaluation mode; nothing is learned."""
    param = _first_parameter(model)
    was_training = getattr(model, "training", False)
    model.eval()
    totals, count = {}, 0
    try:
        for xb, yb in batches(X, y, batch_size, shuffle=False):
            xb, yb = _like_model(xb, param), _like_model(yb, param)
            out = model(xb)
            n = num_examples("evaluate", "a batch", xb)
            values = {name: f(out, yb) for name, f in metric_functions.items()}
            if loss_fn is not None:
                values["loss"] = loss_fn(out, yb)
            for name, value in values.items():
                totals[name] = totals.get(name, 0.0) + float(value) * n
            count += n
    finally:
        model.train(was_training)
    if count == 0:
        raise ValueError("evaluate: no examples.")
    return {name: total / count for name, total in totals.items()}


def evaluate(model, X, y, loss_fn=None, batch_size=256):
    """``(loss, accuracy)`` of ``model`` on ``(X, y)``, in evaluation mode.

    The loss is the mean over examples (``loss_fn`` with ``reduction="mean"``;
    ``None`` when no ``loss_fn`` is given); accuracy is defined as in
    :func:`nnlib.training.accuracy`. The model's train/eval mode is restored.
    """
    results = _run(model, loss_fn, X, y, batch_size, _metric_functions(("accuracy",), loss_fn))
    return results.get("loss"), results["accuracy"]


def predict(model, X, batch_size=256):
    """The model's outputs for all of ``X`` (in evaluation mode), concatenated along axis 0."""
    param = _first_parameter(model)
    was_training = getattr(model, "training", False)
    model.eval()
    try:
        outputs = [model(_like_model(xb, param)) for xb in batches(X, batch_size=batch_size, shuffle=False)]
    finally:
        model.train(was_training)
    if not outputs:
        raise ValueError("predict: X has no examples.")
    return backend.namespace(outputs[0]).concat(outputs, axis=0)


def _as_callback(callback):
    if hasattr(callback, "on_epoch_end"):
        return callback
    if callable(callback):
        plain = Callback()
        plain.on_epoch_end = callback
        return plain
    raise TypeError(f"fit: a callback needs on_epoch_end(epoch, logs, model), got {type(callback).__name__}.")


def fit(
    model,
    loss_fn,
    optimizer,
    train,
    val=None,
    epochs=10,
    batch_size=32,
    callbacks=(),
    seed=None,
    metrics=("accuracy",),
    progress=None,
    shuffle=True,
):
    """Train ``model`` with mini-batches for ``epochs`` epochs; return a :class:`History`.

    Args:
        model: a Module with ``forward`` and ``backward``.
        loss_fn: a loss module: ``loss_fn(output, target)``, then ``loss_fn.backward()``.
        optimizer: e.g. ``nnlib.optim.Adam(model.parameters())``.
        train, val: pairs ``(X, y)``; ``val`` is evaluated after every epoch
            (in ``model.eval()`` mode), giving "val_loss" and "val_accuracy".
        epochs: the number of passes over ``train``.
        batch_size: examples per step (the last batch of an epoch may be smaller).
        callbacks: objects with ``on_epoch_end(epoch, logs, model)`` (or such
            functions); one returning True stops training after that epoch.
            ``logs`` is this epoch's dict of values; what a callback adds to
            it is recorded in the history too.
        seed: int or numpy Generator for the shuffling (a new order every epoch).
        metrics: names ("accuracy") or functions ``f(output, target) -> float``.
            Use ``metrics=()`` for regression. For a single output column,
            accuracy thresholds at 0.5 (probabilities), or at 0 when ``loss_fn``
            is a ``BCEWithLogitsLoss`` (logits).
        progress: True / False to show / hide the progress bar; None shows it
            in Jupyter and terminals only.
        shuffle: shuffle the training set every epoch.

    Returns:
        A History. "loss" and "accuracy" are averages over the epoch's batches,
        weighted by batch size, measured while training (with dropout on,
        parameters changing). The model is left in eval mode.
    """
    X, y = _checked_training_set(train, epochs, batch_size)
    val = _pair("fit", "val", val) if val is not None else None
    metric_functions = _metric_functions(metrics, loss_fn)
    callbacks = [_as_callback(c) for c in callbacks]
    rng = generator(seed)
    history = History()
    _call_hooks(callbacks, "on_train_begin", model)
    steps_per_epoch = -(-num_examples("fit", "X", X) // batch_size)  # ceil(n / batch_size)
    with progress_bar(epochs * steps_per_epoch, enabled=progress, unit="batch") as bar:
        for epoch in range(1, epochs + 1):
            bar.set_description(f"epoch {epoch}/{epochs}")
            epoch_batches = batches(X, y, batch_size, shuffle=shuffle, seed=rng)
            logs = _epoch_logs(
                model, loss_fn, optimizer, epoch_batches, val, batch_size, metric_functions, bar
            )
            stop = [bool(c.on_epoch_end(epoch, logs, model)) for c in callbacks]
            history.append(epoch, logs)  # after the callbacks, which may add to logs
            bar.set_postfix({k: f"{v:.4g}" for k, v in logs.items() if k != "lr"})
            if any(stop):
                break
    _call_hooks(callbacks, "on_train_end", model)
    model.eval()
    return history


def _call_hooks(callbacks, hook, model):
    """``callback.<hook>(model)`` for each callback that has that (optional) method."""
    for callback in callbacks:
        if hasattr(callback, hook):
            getattr(callback, hook)(model)


def _epoch_logs(model, loss_fn, optimizer, epoch_batches, val, batch_size, metric_functions, bar):
    """Train one epoch; its logs: loss and metrics, then the validation scores and the epoch's learning rate."""
    lr = optimizer.param_groups[0]["lr"] if getattr(optimizer, "param_groups", None) else None
    logs = _train_one_epoch(model, loss_fn, optimizer, epoch_batches, metric_functions, bar)
    if val is not None:
        scores = _run(model, loss_fn, *val, max(batch_size, 256), metric_functions)
        logs.update({f"val_{name}": scores[name] for name in ["loss", *metric_functions]})
    if lr is not None:
        logs["lr"] = lr
    return logs


def _checked_training_set(train, epochs, batch_size):
    """``train`` as ``(X, y)``, after checking it and the loop's arguments; clear errors otherwise."""
    X, y = _pair("fit", "train", train)
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 0:
        raise ValueError(f"fit: epochs must be an integer >= 0, got {epochs!r}.")
    n = num_examples("fit", "X", X)
    if num_examples("fit", "y", y) != n:
        raise ValueError(f"fit: the training X has {n} examples but y has {len(y)}.")
    if n == 0:
        raise ValueError("fit: the training set is empty.")
    check_batch_size("fit", batch_size)
    return X, y


def _train_one_epoch(model, loss_fn, optimizer, epoch_batches, metric_functions, bar):
    """One pass of training steps; the epoch's loss and metrics, averaged with batch sizes as weights."""
    param = _first_parameter(model)
    # Layers that can skip the gradient for their input (nnlib's Linear and Sequential) save a
    # needless matrix product on the first layer, as torch does for inputs without requires_grad.
    backward_options = {"input_grad": False} if _accepts(model.backward, "input_grad") else {}
    model.train()
    totals, count = dict.fromkeys(["loss", *metric_functions], 0.0), 0
    for xb, yb in epoch_batches:
        xb, yb = _like_model(xb, param), _like_model(yb, param)
        optimizer.zero_grad()
        out = model(xb)
        loss = loss_fn(out, yb)
        model.backward(loss_fn.backward(), **backward_options)
        optimizer.step()
        size = num_examples("fit", "a batch", xb)
        totals["loss"] += float(loss) * size
        for name, f in metric_functions.items():
            totals[name] += float(f(out, yb)) * size
        count += size
        bar.update(1)
    return {name: total / count for name, total in totals.items()}


def _accepts(function, name):
    import inspect

    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
