r"""Adagrad: per-coordinate step sizes that shrink with the sum of squared gradients.

torch.optim.Adagrad's equations, for a parameter :math:`\theta` with gradient
:math:`g_t` at step :math:`t = 1, 2, \dots`:

.. math::

    g_t &\leftarrow g_t + \lambda \theta_{t-1}
        && \text{(weight decay, if } \lambda \ne 0) \\
    \tilde\eta_t &= \frac{\eta}{1 + (t - 1)\,\delta} \\
    s_t &= s_{t-1} + g_t^2, \qquad s_0 = \text{initial\_accumulator\_value} \\
    \theta_t &= \theta_{t-1} - \tilde\eta_t \, \frac{g_t}{\sqrt{s_t} + \epsilon}

with learning rate :math:`\eta`, learning-rate decay :math:`\delta`
(``lr_decay``) and weight decay :math:`\lambda`. State: ``"step"`` (:math:`t`)
and ``"sum"`` (:math:`s_t`).
"""

from nnlib import backend
from nnlib.optim.optimizer import Optimizer


class Adagrad(Optimizer):
    """``Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)``."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10):
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
        )
        super().__init__(params, defaults)

    def _validate(self, group):
        self._check_nonnegative(group, "lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")

    def _update(self, param, grad, state, group):
        xp = backend.namespace(param.data)
        if not state:
            state["step"] = 0
            state["sum"] = xp.full_like(param.data, group["initial_accumulator_value"])
        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param.data
        lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] += grad * grad
        std = xp.sqrt(state["sum"]) + group["eps"]
        param.data -= lr * (grad / std)
