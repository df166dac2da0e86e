r"""Adadelta: step sizes from running averages of squared gradients and squared updates.

torch.optim.Adadelta's equations, for a parameter :math:`\theta` with gradient
:math:`g_t` at step :math:`t`:

.. math::

    g_t &\leftarrow g_t + \lambda \theta_{t-1}
        && \text{(weight decay, if } \lambda \ne 0) \\
    v_t &= \rho v_{t-1} + (1 - \rho) g_t^2, \qquad v_0 = 0 \\
    \Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t \\
    u_t &= \rho u_{t-1} + (1 - \rho) \Delta_t^2, \qquad u_0 = 0 \\
    \theta_t &= \theta_{t-1} - \eta \Delta_t

State: ``"step"``, ``"square_avg"`` (:math:`v_t`) and ``"acc_delta"`` (:math:`u_t`).
"""

from nnlib import backend
from nnlib.optim.optimizer import Optimizer


class Adadelta(Optimizer):
    """``Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0)``."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay))

    def _validate(self, group):
        self._check_nonnegative(group, "lr", "eps", "weight_decay")
        self._check_interval("rho", group["rho"], high_included=True)

    def _update(self, param, grad, state, group):
        xp = backend.namespace(param.data)
        rho, eps = group["rho"], group["eps"]
        if not state:
            state["step"] = 0
            state["square_avg"] = xp.zeros_like(param.data)
            state["acc_delta"] = xp.zeros_like(param.data)
        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param.data
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        square_avg *= rho
        square_avg += (1 - rho) * (grad * grad)
        delta = xp.sqrt(acc_delta + eps) / xp.sqrt(square_avg + eps) * grad
        acc_delta *= rho
        acc_delta += (1 - rho) * (delta * delta)
        param.data -= group["lr"] * delta
