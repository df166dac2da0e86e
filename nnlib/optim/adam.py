r"""Adam (and AdamW): momentum plus per-coordinate scaling, with bias corrections.

torch.optim.Adam's equations, for a parameter :math:`\theta` with gradient
:math:`g_t` at step :math:`t = 1, 2, \dots`:

.. math::

    g_t &\leftarrow g_t + \lambda \theta_{t-1}
        && \text{(L2 weight decay, if } \lambda \ne 0) \\
    \theta_{t-1} &\leftarrow (1 - \eta\lambda)\, \theta_{t-1}
        && \text{(instead, if decoupled: AdamW)} \\
    m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad m_0 = 0 \\
    v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2, \qquad v_0 = 0 \\
    \hat v_t &= \max(\hat v_{t-1}, v_t) \text{ (amsgrad) or } v_t \\
    \theta_t &= \theta_{t-1} - \frac{\eta}{1 - \beta_1^t} \,
        \frac{m_t}{\sqrt{\hat v_t} / \sqrt{1 - \beta_2^t} + \epsilon}

Note where :math:`\epsilon` sits: it is added after the bias correction of
:math:`\sqrt{\hat v_t}`, as in torch. State: ``"step"``, ``"exp_avg"``
(:math:`m_t`), ``"exp_avg_sq"`` (:math:`v_t`) and, with amsgrad,
``"max_exp_avg_sq"`` (:math:`\hat v_t`).
"""

from nnlib import backend
from nnlib.optim.optimizer import Optimizer


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
    decoupled_weight_decay=False)``."""

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        amsgrad=False,
        decoupled_weight_decay=False,
    ):
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _validate(self, group):
        self._check_nonnegative(group, "lr", "eps", "weight_decay")
        self._check_betas(group["betas"])

    def _update(self, param, grad, state, group):
        xp = backend.namespace(param.data)
        lr, (beta1, beta2) = group["lr"], group["betas"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(param.data)
            state["exp_avg_sq"] = xp.zeros_like(param.data)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = xp.zeros_like(param.data)
        state["step"] += 1
        t = state["step"]
        grad = apply_weight_decay(param, grad, group)
        exp_avg, exp_avg_sq = update_moments(state, grad, beta1, beta2)
        if group["amsgrad"]:
            state["max_exp_avg_sq"][...] = xp.maximum(state["max_exp_avg_sq"], exp_avg_sq)
            exp_avg_sq = state["max_exp_avg_sq"]
        step_size = lr / (1 - beta1**t)
        denom = xp.sqrt(exp_avg_sq) / (1 - beta2**t) ** 0.5 + group["eps"]
        param.data -= step_size * (exp_avg / denom)


def apply_weight_decay(param, grad, group):
    """L2 decay: return ``grad + weight_decay * param``; decoupled: shrink ``param.data`` in place."""
    weight_decay = group["weight_decay"]
    if weight_decay == 0:
        return grad
    if group["decoupled_weight_decay"]:
        param.data *= 1 - group["lr"] * weight_decay
        return grad
    return grad + weight_decay * param.data


def update_moments(state, grad, beta1, beta2):
    """Update ``state["exp_avg"]`` and ``state["exp_avg_sq"]`` in place (Adam's m and v); return both."""
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    exp_avg += (1 - beta1) * (grad - exp_avg)  # torch's lerp: beta1 * m + (1 - beta1) * g
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * (grad * grad)
    return exp_avg, exp_avg_sq


class AdamW(Adam):
    """``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False)``:
    Adam with decoupled weight decay, :math:`\\theta \\leftarrow (1 - \\eta\\lambda)\\theta`."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, decoupled_weight_decay=True)
