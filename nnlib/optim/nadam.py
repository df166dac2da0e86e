r"""NAdam: Adam with Nesterov momentum and a warming-up momentum schedule (Dozat, 2016).

torch.optim.NAdam's equations, for a parameter :math:`\theta` with gradient
:math:`g_t` at step :math:`t = 1, 2, \dots` and momentum decay :math:`\psi`:

.. math::

    g_t &\leftarrow g_t + \lambda \theta_{t-1}
        && \text{(L2 weight decay, if } \lambda \ne 0) \\
    \theta_{t-1} &\leftarrow (1 - \eta\lambda)\, \theta_{t-1}
        && \text{(instead, if decoupled)} \\
    \mu_t &= \beta_1 \left(1 - \tfrac12\, 0.96^{t\psi}\right), \qquad
    \mu_{t+1} = \beta_1 \left(1 - \tfrac12\, 0.96^{(t+1)\psi}\right) \\
    \Pi_t &= \textstyle\prod_{i=1}^{t} \mu_i \\
    m_t &= \beta_1 m_{t-1} + (1 - \beta_1) g_t, \qquad
    v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
    d_t &= \sqrt{v_t / (1 - \beta_2^t)} + \epsilon \\
    \theta_t &= \theta_{t-1}
        - \eta \frac{1 - \mu_t}{1 - \Pi_t} \frac{g_t}{d_t}
        - \eta \frac{\mu_{t+1}}{1 - \Pi_t \mu_{t+1}} \frac{m_t}{d_t}

State: ``"step"``, ``"mu_product"`` (:math:`\Pi_t`), ``"exp_avg"`` (:math:`m_t`)
and ``"exp_avg_sq"`` (:math:`v_t`).
"""

from nnlib import backend
from nnlib.optim.adam import apply_weight_decay, update_moments
from nnlib.optim.optimizer import Optimizer


class NAdam(Optimizer):
    """``NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
    decoupled_weight_decay=False)``."""

    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        momentum_decay=4e-3,
        decoupled_weight_decay=False,
    ):
        defaults = dict(
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _validate(self, group):
        self._check_nonnegative(group, "lr", "eps", "weight_decay", "momentum_decay")
        self._check_betas(group["betas"])

    def _update(self, param, grad, state, group):
        xp = backend.namespace(param.data)
        lr, (beta1, beta2) = group["lr"], group["betas"]
        if not state:
            state["step"] = 0
            state["mu_product"] = 1.0
            state["exp_avg"] = xp.zeros_like(param.data)
            state["exp_avg_sq"] = xp.zeros_like(param.data)
        state["step"] += 1
        t = state["step"]
        grad = apply_weight_decay(param, grad, group)
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * group["momentum_decay"]))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * group["momentum_decay"]))
        state["mu_product"] *= mu
        mu_product = state["mu_product"]
        exp_avg, exp_avg_sq = update_moments(state, grad, beta1, beta2)
        denom = xp.sqrt(exp_avg_sq / (1 - beta2**t)) + group["eps"]
        param.data -= (lr * (1 - mu) / (1 - mu_product)) * (grad / denom)
        param.data -= (lr * mu_next / (1 - mu_product * mu_next)) * (exp_avg / denom)
