"""Gradient checking: compare hand-written gradients with finite differences.

The centred difference (f(x + eps) - f(x - eps)) / (2 eps) approximates each
partial derivative with an error of order eps**2, so in float64 with
eps = 1e-6 a correct gradient agrees to about 1e-8 relative error, and a
wrong one usually differs in the first digits.

- :func:`numerical_gradient`: the finite-difference gradient of a scalar function.
- :func:`relative_error`: how far apart two gradients are (CS231n's measure).
- :func:`gradcheck`: both together, with a readable verdict.
- :func:`check_module`: the whole check for a :class:`~nnlib.nn.Module`'s
  ``backward``: the input's gradient and every parameter's.

The bookkeeping happens in NumPy float64 on the host; the functions being
checked may run on NumPy arrays or torch tensors on any device.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from nnlib import backend, seeding


def _shape(x):
    return tuple(int(n) for n in x.shape)


def _host(x):
    """A float64 NumPy copy of an array, tensor, list or number."""
    return np.array(backend.to_numpy(x), dtype=np.float64)


def _perturbable(name, x):
    """The float64 array whose entries finite differences will nudge in place."""
    from nnlib.nn.module import Parameter  # imported late: nnlib.nn may import this module

    if isinstance(x, Parameter):
        x = x.data
    if not (backend.is_tensor(x) or isinstance(x, np.ndarray)):
        x = np.array(x, dtype=np.float64)  # a list or number: f receives this copy
    if x.dtype != backend.namespace(x).float64:
        raise TypeError(
            f"{name}: x must be a float64 array, because finite differences need double precision; "
            f"got {x.dtype}. Convert it first, e.g. x.astype(np.float64) or x.double()."
        )
    return x


def _scalar(value):
    shape = _shape(value) if hasattr(value, "shape") else ()
    if math.prod(shape) != 1:
        raise ValueError(
            f"numerical_gradient: f must return a scalar (a number or a 0-d array); got shape {shape}."
        )
    return float(value.reshape(())) if shape else float(value)


def _numerical_at(f, x, indices, eps):
    """Centred differences of ``f`` at the entries ``indices`` of ``x``, as a NumPy vector.

    Each entry of ``x`` is nudged in place and always restored, even if ``f`` raises.
    """
    values = np.empty(len(indices))
    for k, index in enumerate(indices):
        old = float(x[index])
        up, down = old + eps, old - eps
        try:
            x[index] = up
            plus = _scalar(f(x))
            x[index] = down
            minus = _scalar(f(x))
        finally:
            x[index] = old
        values[k] = (plus - minus) / (up - down)  # the step actually taken, after rounding
    return values


def numerical_gradient(f, x, eps=1e-6):
    """The gradient of a scalar function ``f`` at ``x`` by centred differences.

    Args:
        f: maps an array shaped like ``x`` to a scalar. It is called with
            ``x`` itself, nudged one entry at a time, so ``f`` may also ignore
            its argument and read ``x`` (a layer's weights, say) directly.
        x: float64 array (NumPy or torch) or a Parameter; a list or number is
            copied into a NumPy array. ``x`` is left exactly as it was.
        eps: the step.

    Returns:
        An array like ``x`` (same shape, backend and device).
    """
    x = _perturbable("numerical_gradient", x)
    shape = _shape(x)
    grad = _numerical_at(f, x, list(np.ndindex(*shape)), eps).reshape(shape)
    return backend.asarray(grad, like=x)


def _relative_errors(a, b, floor=1e-12):
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)


def relative_error(a, b):
    """max over entries of |a - b| / max(|a| + |b|, 1e-12), as a float (CS231n's measure).

    About 1e-7 or less: the gradients agree; 1e-2 or more: something is wrong.
    ``a`` and ``b`` must have the same shape.
    """
    a, b = _host(a), _host(b)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: a has shape {a.shape} but b has shape {b.shape}.")
    return float(np.max(_relative_errors(a, b))) if a.size else 0.0


@dataclass
class GradcheckResult:
    """The outcome of a gradient check; true in an ``if`` or ``assert`` when it passed.

    ``max_relative_error`` is the largest relative error over the checked
    entries, |a - n| / max(|a| + |n|, atol / tol): gradients smaller than
    ``atol / tol`` are compared in absolute terms, since finite differences
    cannot resolve them better (a zero gradient comes out as about 1e-11).
    So an entry passes when its relative error is at most ``tol`` or its
    absolute error at most ``atol``. ``index``, ``analytic`` and
    ``numerical`` describe the worst entry.
    """

    ok: bool
    max_relative_error: float
    index: tuple | None
    analytic: float
    numerical: float
    tol: float
    atol: float
    name: str = ""
    checked: int = 0
    analytic_grad: np.ndarray | None = field(default=None, repr=False)
    numerical_grad: np.ndarray | None = field(default=None, repr=False)

    def __bool__(self):
        return self.ok

    def __str__(self):
        what = f" of {self.name!r}" if self.name else ""
        if self.index is None:
            return f"gradcheck{what}: nothing to check (0 entries)."
        verdict, relation = ("passed", "<=") if self.ok else ("FAILED", ">")
        return (
            f"gradcheck{what} {verdict}: max relative error {self.max_relative_error:.3g} {relation} "
            f"tol {self.tol:g} over {self.checked} entries; worst entry {self.index}: "
            f"analytic {self.analytic:.10g}, numerical {self.numerical:.10g}"
        )


def _compare(analytic, numerical, indices, tol, atol, name=""):
    """Compare the analytic gradient (a NumPy array) with numerical values at ``indices``."""
    if not indices:
        return GradcheckResult(True, 0.0, None, math.nan, math.nan, tol, atol, name, 0)
    picked = np.array([analytic[index] for index in indices])
    errors = _relative_errors(picked, numerical, max(atol / tol, 1e-12) if tol > 0 else 1e-12)
    worst = int(np.argmax(errors))  # the first nan, if any
    error = float(errors[worst])
    return GradcheckResult(
        ok=bool(error <= tol),
        max_relative_error=error,
        index=indices[worst],
        analytic=float(picked[worst]),
        numerical=float(numerical[worst]),
        tol=tol,
        atol=atol,
        name=name,
        checked=len(indices),
    )


def gradcheck(f, x, analytic_grad, eps=1e-6, tol=1e-6, atol=1e-8, name=""):
    """Check ``analytic_grad`` (the gradient of the scalar function ``f`` at ``x``) by finite differences.

    Args:
        f, x, eps: as in :func:`numerical_gradient`.
        analytic_grad: the gradient to check, shaped like ``x`` (or a function
            of ``x`` returning it).
        tol: the largest relative error that passes.
        atol: entries whose absolute difference is at most this pass anyway
            (see :class:`GradcheckResult`).
        name: what is being checked, for the message.

    Returns:
        A :class:`GradcheckResult`; ``print`` it for a one-line verdict.
    """
    x = _perturbable("gradcheck", x)
    if callable(analytic_grad):
        analytic_grad = analytic_grad(x)
    analytic = _host(analytic_grad)  # a copy, taken before f runs again
    shape = _shape(x)
    if analytic.shape != shape:
        raise ValueError(f"gradcheck: analytic_grad has shape {analytic.shape} but x has shape {shape}.")
    indices = list(np.ndindex(*shape))
    numerical = _numerical_at(f, x, indices, eps)
    result = _compare(analytic, numerical, indices, tol, atol, name)
    result.analytic_grad, result.numerical_grad = analytic, numerical.reshape(shape)
    return result


@dataclass
class ModuleCheckResult:
    """A module's gradient checks: ``results`` maps "input" and each parameter name to a GradcheckResult."""

    module: str
    results: dict

    @property
    def ok(self):
        return all(result.ok for result in self.results.values())

    def __bool__(self):
        return self.ok

    def __getitem__(self, name):
        return self.results[name]

    def __str__(self):
        lines = [f"check_module({self.module}): {'passed' if self.ok else 'FAILED'}"]
        width = max((len(name) for name in self.results), default=0)
        for name, r in self.results.items():
            if r.index is None:
                lines.append(f"  {name:<{width}}  (no entries)")
                continue
            verdict = "ok    " if r.ok else "FAILED"
            lines.append(
                f"  {name:<{width}}  {verdict}  max relative error {r.max_relative_error:.2e}"
                f"  worst {r.index}: analytic {r.analytic:.8g}, numerical {r.numerical:.8g}"
            )
        return "\n".join(lines)


def _sample_indices(shape, max_entries, rng):
    total = math.prod(shape)
    if max_entries is None or total <= max_entries:
        return list(np.ndindex(*shape))
    chosen = np.sort(rng.choice(total, size=max_entries, replace=False))
    return [tuple(int(i) for i in np.unravel_index(k, shape)) for k in chosen]


def check_module(module, x, eps=1e-6, tol=1e-6, atol=1e-8, seed=0, max_entries=None):
    """Check a module's ``backward`` against finite differences.

    The scalar checked is sum(module(x) * w) for fixed random weights ``w``
    (so every output element matters, each differently); its gradient is
    what ``module.backward(w)`` returns for the input and adds into each
    ``param.grad``.

    Args:
        module: a :class:`~nnlib.nn.Module` whose parameters are float64
            (``module.to(dtype="float64")``) and whose forward is deterministic
            (call ``module.eval()`` if it uses dropout).
        x: the input, a float64 array; an integer array (token ids, say) is
            used as is and its gradient is not checked.
        eps, tol, atol: as in :func:`gradcheck`.
        seed: for ``w`` and for choosing entries.
        max_entries: check at most this many random entries per tensor
            (``None``: all of them); each entry costs two forward passes.

    Returns:
        A :class:`ModuleCheckResult`. Parameter gradients are left as they were.
    """
    label = f"check_module({type(module).__name__})"
    x, check_input = _module_input(label, x)
    named = list(module.named_parameters())
    _require_float64_parameters(label, named)
    rng = seeding.generator(seed)
    weights, objective = _weighted_objective(label, module, x, rng)
    analytic = _analytic_gradients(label, module, x, weights, named, check_input)
    tensors = ([("input", x)] if check_input else []) + [(name, param.data) for name, param in named]
    results = {}
    for name, array in tensors:
        shape = _shape(array)
        if analytic[name].shape != shape:
            raise ValueError(
                f"{label}: the gradient for {name!r} has shape {analytic[name].shape}, expected {shape}."
            )
        indices = _sample_indices(shape, max_entries, rng)
        numerical = _numerical_at(objective, array, indices, eps)
        results[name] = _compare(analytic[name], numerical, indices, tol, atol, name)
    return ModuleCheckResult(type(module).__name__, results)


def _module_input(label, x):
    """``x`` as an array, and whether its gradient is checked (not for integer inputs such as token ids)."""
    if not (backend.is_tensor(x) or isinstance(x, np.ndarray)):
        x = backend.asarray(x)
    check_input = backend.namespace(x).isdtype(x.dtype, "real floating")
    return (_perturbable(label, x) if check_input else x), check_input


def _require_float64_parameters(label, named):
    for name, param in named:
        if param.dtype != backend.namespace(param.data).float64:
            raise TypeError(
                f"{label}: parameter {name!r} is {param.dtype}, but finite differences need float64; "
                "call module.to(dtype='float64') first."
            )


def _weighted_objective(label, module, x, rng):
    """Random weights ``w`` shaped like the output, and the function sum(module(x) * w).

    Refuses a module whose forward gives two different answers for the same input,
    since finite differences of a random function are meaningless.
    """
    out = module(x)
    xp = backend.namespace(out)
    weights = backend.asarray(rng.standard_normal(_shape(out)), like=out)

    def objective(_=None):
        return xp.sum(module(x) * weights)

    first, again = float(xp.sum(out * weights)), float(objective())
    if abs(first - again) > 1e-10 * max(1.0, abs(first)):
        raise RuntimeError(
            f"{label}: two forward passes on the same input disagree ({first} vs {again}); "
            "the check needs a deterministic forward (call module.eval() to switch dropout off)."
        )
    return weights, objective


def _analytic_gradients(label, module, x, weights, named, check_input):
    """What ``module.backward(weights)`` gives for the input and each parameter, as NumPy arrays.

    The parameters' own ``grad`` are put back as they were afterwards.
    """
    saved = [param.grad for _, param in named]
    module.zero_grad()
    module(x)
    grad_x = module.backward(weights)
    analytic = {}
    if check_input:
        if grad_x is None:
            raise TypeError(f"{label}: backward() returned None; it must return the gradient for the input.")
        analytic["input"] = _host(grad_x)
    for name, param in named:
        analytic[name] = np.zeros(param.shape) if param.grad is None else _host(param.grad)
    for (_, param), grad in zip(named, saved, strict=True):
        param.grad = grad
    return analytic
