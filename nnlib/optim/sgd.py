r"""Stochastic gradient descent, with optional momentum and Nesterov momentum.

For each parameter :math:`\theta` with gradient :math:`g_t` at step :math:`t`
(torch.optim.SGD's equations):

.. math::

    g_t &\leftarrow g_t + \lambda \theta_{t-1}
        && \text{(weight decay, if } \lambda \ne 0) \\
    b_t &= \begin{cases} g_t & t = 1 \\
        \mu b_{t-1} + (1 - \tau) g_t & t > 1 \end{cases}
        && \text{(momentum, if } \mu \ne 0) \\
    g_t &\leftarrow g_t + \mu b_t \text{ (Nesterov) or } b_t
        && \text{(if } \mu \ne 0) \\
    \theta_t &= \theta_{t-1} - \eta g_t

with learning rate :math:`\eta` (``lr``), momentum :math:`\mu`, dampening
:math:`\tau` and weight decay :math:`\lambda`. State: ``"momentum_buffer"``
(:math:`b_t`, only when momentum is used).
"""

from nnlib import backend
from nnlib.optim.optimizer import Optimizer


class SGD(Optimizer):
    """``SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False)``."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        defaults = dict(
            lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov
        )
        super().__init__(params, defaults)

    def _validate(self, group):
        self._check_nonnegative(group, "lr", "momentum", "weight_decay")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("SGD: Nesterov momentum needs momentum > 0 and dampening = 0.")

    def _update(self, param, grad, state, group):
        lr, momentum, weight_decay = group["lr"], group["momentum"], group["weight_decay"]
        if weight_decay != 0:
            grad = grad + weight_decay * param.data
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = grad + 0  # a copy: the first buffer is the gradient
            else:
                buf *= momentum
                buf += (1 - group["dampening"]) * grad
            grad = grad + momentum * buf if group["nesterov"] else buf
        backend.add_scaled_(param.data, grad, -lr)
