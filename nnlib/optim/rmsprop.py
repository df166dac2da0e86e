r"""RMSprop: divide the gradient by a running root-mean-square of recent gradients.

torch.optim.RMSprop's equations, for a parameter :math:`\theta` with gradient
:math:`g_t` at step :math:`t`:

.. math::

    g_t &\leftarrow g_t + \lambda \theta_{t-1}
        && \text{(weight decay, if } \lambda \ne 0) \\
    v_t &= \alpha v_{t-1} + (1 - \alpha) g_t^2, \qquad v_0 = 0 \\
    \bar g_t &= \alpha \bar g_{t-1} + (1 - \alpha) g_t, \qquad \bar g_0 = 0
        && \text{(centered only)} \\
    d_t &= \sqrt{v_t} + \epsilon \quad\text{or, centered,}\quad
        d_t = \sqrt{v_t - \bar g_t^2} + \epsilon \\
    b_t &= \mu b_{t-1} + g_t / d_t, \quad \theta_t = \theta_{t-1} - \eta b_t
        && \text{(if momentum } \mu > 0) \\
    \theta_t &= \theta_{t-1} - \eta\, g_t / d_t
        && \text{(otherwise)}

State: ``"step"``, ``"square_avg"`` (:math:`v_t`), ``"grad_avg"``
(:math:`\bar g_t`, centered only), ``"momentum_buffer"`` (:math:`b_t`, momentum only).
"""

from nnlib import backend
from nnlib.optim.optimizer import Optimizer


class RMSprop(Optimizer):
    """``RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)``."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
        defaults = dict(
            lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered
        )
        super().__init__(params, defaults)

    def _validate(self, group):
        self._check_nonnegative(group, "lr", "eps", "weight_decay", "momentum", "alpha")

    def _update(self, param, grad, state, group):
        xp = backend.namespace(param.data)
        alpha, momentum = group["alpha"], group["momentum"]
        if not state:
            state["step"] = 0
            state["square_avg"] = xp.zeros_like(param.data)
            if momentum > 0:
                state["momentum_buffer"] = xp.zeros_like(param.data)
            if group["centered"]:
                state["grad_avg"] = xp.zeros_like(param.data)
        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param.data
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * (grad * grad)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg += (1 - alpha) * (grad - grad_avg)
            denom = xp.sqrt(square_avg - grad_avg * grad_avg) + group["eps"]
        else:
            denom = xp.sqrt(square_avg) + group["eps"]
        if momentum > 0:
            buf = state["momentum_buffer"]
            buf *= momentum
            buf += grad / denom
            param.data -= group["lr"] * buf
        else:
            param.data -= group["lr"] * (grad / denom)
