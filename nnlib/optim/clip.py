r"""Gradient clipping, in place on ``param.grad`` (torch.nn.utils names).

``clip_grad_norm_`` rescales all gradients together so that their joint norm
is at most ``max_norm``:

.. math::

    \|g\|_p = \Big(\sum_i \|g_i\|_p^p\Big)^{1/p}, \qquad
    g_i \leftarrow g_i \cdot \min\Big(1, \frac{\text{max\_norm}}{\|g\|_p + 10^{-6}}\Big)

(for ``norm_type=inf`` the norm is the largest absolute entry). The
direction of the update is unchanged; only its length is capped.
``clip_grad_value_`` clamps every entry into ``[-clip_value, clip_value]``.
"""

import math

from nnlib import backend
from nnlib.nn.module import Parameter


def _grads(parameters):
    if isinstance(parameters, Parameter):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Scale the gradients of ``parameters`` so their total ``norm_type``-norm is <= ``max_norm``.

    Args:
        parameters: a Parameter or an iterable of them (those without ``grad`` are ignored).
        max_norm: the largest norm allowed.
        norm_type: ``p`` of the p-norm, or ``float("inf")`` for the max-norm.
        error_if_nonfinite: raise if the total norm is nan or inf.

    Returns:
        The total norm of the gradients before clipping, as a Python float.
    """
    if max_norm < 0:
        raise ValueError(f"clip_grad_norm_: max_norm must be >= 0, got {max_norm}.")
    grads = _grads(parameters)
    if not grads:
        return 0.0
    norm_type = float(norm_type)
    xp = backend.namespace(*grads)
    norms = xp.stack([xp.linalg.vector_norm(g, ord=norm_type) for g in grads])
    total = float(xp.linalg.vector_norm(norms, ord=norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {total}; "
            "set error_if_nonfinite=False to clip anyway."
        )
    scale = min(max_norm / (total + 1e-6), 1.0)
    for g in grads:
        g *= scale
    return total


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient entry of ``parameters`` into ``[-clip_value, clip_value]``, in place."""
    if clip_value < 0:
        raise ValueError(f"clip_grad_value_: clip_value must be >= 0, got {clip_value}.")
    for g in _grads(parameters):
        xp = backend.namespace(g)
        g[...] = xp.clip(g, -clip_value, clip_value)
