"""Loss functions and their gradients (functional form, PyTorch names).

Each loss ``<name>(input, target, reduction="mean")`` comes with
``<name>_grad(input, target, reduction="mean", grad_output=1.0)``, the gradient
of the loss with respect to ``input`` (same shape as ``input``).

``reduction`` works as in PyTorch: ``"mean"`` averages the per-example losses
into a scalar (a 0-d array), ``"sum"`` adds them up, ``"none"`` returns them
all. ``grad_output`` is the gradient flowing into the loss from above: a number
for ``"mean"`` and ``"sum"``; for ``"none"`` a number or an array shaped like
the per-example losses. The mean over an empty batch is undefined, so it raises
a ValueError (PyTorch returns nan); ``"sum"`` over an empty batch gives 0.

Class losses (``cross_entropy``, ``cross_entropy_probs``, ``nll_loss``) take
scores of shape (N, C) (or (C,) for a single example, or (N, C, d1, ...) with
the classes on axis 1, like PyTorch) and targets that are integer class
indices of shape (N,) or, where PyTorch allows it, class probabilities of the
scores' shape.
"""

import math

from nnlib import backend
from nnlib.functional import as_float_array, log_softmax, sigmoid

REDUCTIONS = ("mean", "sum", "none")


# -- helpers shared by the losses --------------------------------------------
def _shape(x):
    return tuple(int(n) for n in x.shape)


def _check_reduction(name, reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none'; got {reduction!r}.")


def _check_not_empty(name, loss_shape):
    if math.prod(loss_shape) == 0:
        raise ValueError(
            f"{name}: the batch is empty (0 examples), so the mean loss is undefined. "
            "Pass at least one example, or use reduction='sum' (which gives 0)."
        )


def _reduce(name, loss, reduction):
    """Apply ``reduction`` to the per-example losses; mean and sum give 0-d arrays."""
    xp = backend.namespace(loss)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return xp.asarray(xp.sum(loss))
    _check_not_empty(name, _shape(loss))
    return xp.asarray(xp.mean(loss))


def _chain(name, local, reduction, grad_output, loss_shape, class_axis=None):
    """Chain rule through the reduction.

    ``local[i]`` holds d loss_i / d input (the input's shape); ``grad_output``
    is d(whatever comes next) / d(reduced loss). ``class_axis`` is the input
    axis that the per-example losses do not have.
    """
    xp = backend.namespace(local)
    g = grad_output
    if not isinstance(g, int | float):
        g = xp.astype(backend.asarray(g, like=local), local.dtype)
        g_shape = _shape(g)
        if g_shape != () and (reduction != "none" or g_shape != loss_shape):
            expected = "a number" if reduction != "none" else f"a number or an array of shape {loss_shape}"
            raise ValueError(
                f"{name}_grad: with reduction={reduction!r}, grad_output must be {expected}; "
                f"got shape {g_shape}."
            )
        if g_shape != () and class_axis is not None:
            g = xp.expand_dims(g, axis=class_axis)
    if reduction == "mean":
        _check_not_empty(name, loss_shape)
        g = g / math.prod(loss_shape)
    return local * g


def _log_base(name, base):
    if not base > 0 or base == 1:
        raise ValueError(f"{name}: the base of the logarithm must be positive and not 1; got {base!r}.")
    return math.log(base)


def _prepare_classes(name, x, target, what, allow_probs=True):
    """Check scores ``x`` (N, C, ...) or (C,) against ``target``.

    Returns ``(x, xp, target, is_index, axis)``: ``target`` is either int64
    class indices (``x``'s shape without the class axis) or class
    probabilities (``x``'s shape and dtype); ``axis`` is the class axis.
    """
    x, xp = as_float_array(x)
    if x.ndim == 0:
        raise ValueError(f"{name}: expected {what} of shape (C,) or (N, C); got a 0-d array.")
    axis = 1 if x.ndim >= 2 else 0
    target = backend.asarray(target, like=x)
    shape, target_shape = _shape(x), _shape(target)
    index_shape = shape[:axis] + shape[axis + 1 :]
    if allow_probs and target_shape == shape:
        return x, xp, xp.astype(target, x.dtype), False, axis
    if target_shape != index_shape:
        expected = f"{index_shape} or {shape}" if allow_probs else f"{index_shape}"
        raise ValueError(
            f"{name}: {what} have shape {shape} so target must have shape {expected}; got {target_shape}."
        )
    if not xp.isdtype(target.dtype, "integral"):
        alternative = f", or pass class probabilities of shape {shape}" if allow_probs else ""
        raise TypeError(
            f"{name}: a target of shape {target_shape} holds class indices, so it must be an integer array; "
            f"got dtype {target.dtype}. Convert it with .astype(int) (NumPy) or .long() (torch){alternative}."
        )
    classes = shape[axis]
    outside = (target < 0) | (target >= classes)
    if bool(xp.any(outside)):
        raise ValueError(
            f"{name}: target holds class {int(target[outside][0])}, but {what} have {classes} classes, "
            f"so every target must be in 0..{classes - 1}."
        )
    return x, xp, xp.astype(target, xp.int64, copy=False), True, axis


def _loss_shape(x, axis):
    shape = _shape(x)
    return shape[:axis] + shape[axis + 1 :]


def _one_hot(index, x, axis):
    """Class indices as one-hot vectors along ``axis``, with ``x``'s shape and dtype."""
    xp = backend.namespace(x)
    classes = int(x.shape[axis])
    shape = [1] * x.ndim
    shape[axis] = classes
    ids = xp.reshape(xp.arange(classes, device=x.device), tuple(shape))
    return xp.astype(xp.expand_dims(index, axis=axis) == ids, x.dtype)


def _pick(values, index, axis):
    """``values`` at the target class of each example (drops the class axis); ``index`` is checked."""
    xp = backend.namespace(values)
    picked = backend.take_along_axis(values, xp.expand_dims(index, axis=axis), axis)
    return xp.squeeze(picked, axis=axis)


def _prepare_pair(name, input, target, what="input"):
    """``input`` as floats and ``target`` in the same dtype; their shapes must agree exactly."""
    input, xp = as_float_array(input)
    target = xp.astype(backend.asarray(target, like=input), input.dtype)
    if _shape(target) != _shape(input):
        raise ValueError(
            f"{name}: {what} has shape {_shape(input)} so target must have the same shape; "
            f"got {_shape(target)}. Reshape one of them (broadcasting would pair up the wrong elements)."
        )
    return input, target, xp


def _log_or(x, fallback, xp):
    """log(x) where x > 0, else ``fallback``, without evaluating log(0) (no warnings)."""
    positive = x > 0
    return xp.where(positive, xp.log(xp.where(positive, x, 1.0)), fallback)


def _log_clamped(x, xp):
    """log(x) clamped below at -100, as PyTorch's binary_cross_entropy does (so log 0 gives -100)."""
    return xp.clip(_log_or(x, -100.0, xp), -100.0, None)


# -- entropy -----------------------------------------------------------------
def _prepare_probs(name, p):
    p, xp = as_float_array(p)
    if bool(xp.any(p < 0)):
        raise ValueError(f"{name}: probabilities must be >= 0; got {float(xp.min(p))}.")
    return p, xp


def entropy(p, base=2, dim=-1):
    """Shannon entropy -sum(p * log(p)) along ``dim``, in units of ``log(base)`` (bits for base 2).

    ``p``: probabilities, any shape; each slice along ``dim`` is one
    distribution. 0 * log(0) counts as 0. Returns ``p``'s shape without ``dim``.
    """
    p, xp = _prepare_probs("entropy", p)
    p_log_p = p * _log_or(p, 0.0, xp)
    return 0.0 - xp.sum(p_log_p, axis=dim) / _log_base("entropy", base)  # 0.0 - x: no "-0.0" for certainty


def entropy_grad(p, base=2, dim=-1, grad_output=1.0):
    """d entropy / d p = -(log(p) + 1) / log(base), element by element (+inf where p = 0).

    ``grad_output``: a number or an array shaped like ``entropy(p)``.
    """
    p, xp = _prepare_probs("entropy", p)
    local = -(_log_or(p, -math.inf, xp) + 1) / _log_base("entropy", base)
    return _chain("entropy", local, "none", grad_output, _loss_shape(p, dim % p.ndim), dim)


# -- losses on class scores ----------------------------------------------------
def cross_entropy(logits, target, reduction="mean"):
    """Softmax cross-entropy, like ``torch.nn.functional.cross_entropy``.

    Args:
        logits: raw scores, shape (N, C) (or (C,), or (N, C, d1, ...)).
        target: class indices, integers in [0, C), shape (N,); or class
            probabilities (for example one-hot rows), shape (N, C).
        reduction: "mean", "sum" or "none" (per-example losses, shape (N,)).

    loss_n = -log softmax(logits_n)[target_n] = -sum_c target_nc * log softmax(logits_n)_c
    """
    _check_reduction("cross_entropy", reduction)
    return _cross_entropy_of(_log_softmax_parts(logits, target), reduction)


def cross_entropy_grad(logits, target, reduction="mean", grad_output=1.0):
    """d cross_entropy / d logits = (softmax(logits) - one_hot(target)) / N for reduction="mean".

    For probability targets: softmax(logits) * sum(target) - target (per example).
    """
    _check_reduction("cross_entropy", reduction)
    return _cross_entropy_grad_of(_log_softmax_parts(logits, target), reduction, grad_output)


def _log_softmax_parts(logits, target):
    """What the loss and its gradient share: ``(log_probs, target, is_index, axis)``, checked once.

    ``nn.CrossEntropyLoss`` keeps it from the forward pass, so its backward neither checks nor exponentiates
    the logits again.
    """
    logits, _, target, is_index, axis = _prepare_classes("cross_entropy", logits, target, "logits")
    return log_softmax(logits, dim=axis), target, is_index, axis


def _cross_entropy_of(parts, reduction):
    log_probs, target, is_index, axis = parts
    xp = backend.namespace(log_probs)
    loss = -_pick(log_probs, target, axis) if is_index else -xp.sum(target * log_probs, axis=axis)
    return _reduce("cross_entropy", loss, reduction)


def _cross_entropy_grad_of(parts, reduction, grad_output):
    log_probs, target, is_index, axis = parts
    xp = backend.namespace(log_probs)
    probs = xp.exp(log_probs)
    if is_index:
        local = probs - _one_hot(target, log_probs, axis)
    else:
        local = probs * xp.sum(target, axis=axis, keepdims=True) - target
    return _chain("cross_entropy", local, reduction, grad_output, _loss_shape(log_probs, axis), axis)


def cross_entropy_probs(probs, target, base=math.e, reduction="mean", eps=1e-12):
    """Cross-entropy -sum(target * log(probs)) from probabilities, in units of log(base).

    Args:
        probs: predicted probabilities, shape (N, C) (or (C,), or (N, C, d1, ...)).
        target: class indices, shape (N,); or true probabilities, shape (N, C).
        base: of the logarithm (2 gives bits, math.e nats).
        eps: probabilities below ``eps`` count as ``eps``, so log(0) stays finite.
    """
    name = "cross_entropy_probs"
    _check_reduction(name, reduction)
    probs, xp, target, is_index, axis = _prepare_classes(name, probs, target, "probs")
    truth = _one_hot(target, probs, axis) if is_index else target
    loss = -xp.sum(truth * xp.log(xp.clip(probs, eps, None)), axis=axis) / _log_base(name, base)
    return _reduce(name, loss, reduction)


def cross_entropy_probs_grad(probs, target, base=math.e, reduction="mean", eps=1e-12, grad_output=1.0):
    """d cross_entropy_probs / d probs = -target / (probs * log(base)); 0 where probs < eps (clipped)."""
    name = "cross_entropy_probs"
    _check_reduction(name, reduction)
    probs, xp, target, is_index, axis = _prepare_classes(name, probs, target, "probs")
    truth = _one_hot(target, probs, axis) if is_index else target
    local = xp.where(probs >= eps, -truth / (xp.clip(probs, eps, None) * _log_base(name, base)), 0.0)
    return _chain(name, local, reduction, grad_output, _loss_shape(probs, axis), axis)


def nll_loss(log_probs, target, reduction="mean"):
    """Negative log-likelihood -log_probs[n, target_n], like ``torch.nn.functional.nll_loss``.

    ``log_probs``: (N, C) log-probabilities (from ``log_softmax``); ``target``:
    (N,) class indices. cross_entropy(z, y) == nll_loss(log_softmax(z), y).
    """
    _check_reduction("nll_loss", reduction)
    log_probs, xp, target, _, axis = _prepare_classes("nll_loss", log_probs, target, "log_probs", False)
    return _reduce("nll_loss", -_pick(log_probs, target, axis), reduction)


def nll_loss_grad(log_probs, target, reduction="mean", grad_output=1.0):
    """d nll_loss / d log_probs = -one_hot(target) / N for reduction="mean"."""
    _check_reduction("nll_loss", reduction)
    log_probs, xp, target, _, axis = _prepare_classes("nll_loss", log_probs, target, "log_probs", False)
    local = -_one_hot(target, log_probs, axis)
    return _chain("nll_loss", local, reduction, grad_output, _loss_shape(log_probs, axis), axis)


# -- binary and regression losses (input and target of the same shape) --------
def _check_unit_interval(name, probs, xp):
    if bool(xp.any((probs < 0) | (probs > 1))):
        raise ValueError(
            f"{name}: probs must lie in [0, 1]; "
            f"got values from {float(xp.min(probs))} to {float(xp.max(probs))}. "
            "Apply sigmoid first, or use binary_cross_entropy_with_logits on the raw scores."
        )


def binary_cross_entropy(probs, target, reduction="mean"):
    """-(t * log(p) + (1 - t) * log(1 - p)), like ``torch.nn.functional.binary_cross_entropy``.

    ``probs`` and ``target``: same shape, values in [0, 1]. Each log is
    clamped at -100 (as in PyTorch), so p = 0 or 1 gives finite losses.
    """
    name = "binary_cross_entropy"
    _check_reduction(name, reduction)
    probs, target, xp = _prepare_pair(name, probs, target, "probs")
    _check_unit_interval(name, probs, xp)
    loss = -(target * _log_clamped(probs, xp) + (1 - target) * _log_clamped(1 - probs, xp))
    return _reduce(name, loss, reduction)


def binary_cross_entropy_grad(probs, target, reduction="mean", grad_output=1.0):
    """(p - t) / (p * (1 - p)), with the denominator kept >= 1e-12 as in PyTorch's backward."""
    name = "binary_cross_entropy"
    _check_reduction(name, reduction)
    probs, target, xp = _prepare_pair(name, probs, target, "probs")
    _check_unit_interval(name, probs, xp)
    local = (probs - target) / xp.clip((1 - probs) * probs, 1e-12, None)
    return _chain(name, local, reduction, grad_output, _shape(probs))


def binary_cross_entropy_with_logits(logits, target, reduction="mean"):
    """binary_cross_entropy(sigmoid(z), t) computed stably from the raw scores z.

    Uses max(z, 0) - z * t + log(1 + exp(-|z|)), which never overflows.
    """
    name = "binary_cross_entropy_with_logits"
    _check_reduction(name, reduction)
    logits, target, xp = _prepare_pair(name, logits, target, "logits")
    loss = xp.clip(logits, 0.0, None) - logits * target + xp.log1p(xp.exp(-xp.abs(logits)))
    return _reduce(name, loss, reduction)


def binary_cross_entropy_with_logits_grad(logits, target, reduction="mean", grad_output=1.0):
    """sigmoid(z) - t (divided by the number of elements for reduction="mean")."""
    name = "binary_cross_entropy_with_logits"
    _check_reduction(name, reduction)
    logits, target, xp = _prepare_pair(name, logits, target, "logits")
    return _chain(name, sigmoid(logits) - target, reduction, grad_output, _shape(logits))


def mse_loss(input, target, reduction="mean"):
    """Squared error (input - target)**2, averaged over all elements for reduction="mean"."""
    _check_reduction("mse_loss", reduction)
    input, target, xp = _prepare_pair("mse_loss", input, target)
    return _reduce("mse_loss", (input - target) ** 2, reduction)


def mse_loss_grad(input, target, reduction="mean", grad_output=1.0):
    """2 * (input - target) (divided by the number of elements for reduction="mean")."""
    _check_reduction("mse_loss", reduction)
    input, target, xp = _prepare_pair("mse_loss", input, target)
    return _chain("mse_loss", 2 * (input - target), reduction, grad_output, _shape(input))


def l1_loss(input, target, reduction="mean"):
    """Absolute error |input - target| (the mean absolute error for reduction="mean")."""
    _check_reduction("l1_loss", reduction)
    input, target, xp = _prepare_pair("l1_loss", input, target)
    return _reduce("l1_loss", xp.abs(input - target), reduction)


def l1_loss_grad(input, target, reduction="mean", grad_output=1.0):
    """sign(input - target): +1, -1, or 0 where they are equal (PyTorch's subgradient)."""
    _check_reduction("l1_loss", reduction)
    input, target, xp = _prepare_pair("l1_loss", input, target)
    return _chain("l1_loss", xp.sign(input - target), reduction, grad_output, _shape(input))
