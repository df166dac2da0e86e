"""The ``Optimizer`` base class: parameter groups, per-parameter state, ``step``.

Every optimiser keeps, like ``torch.optim``:

- ``param_groups``: a list of dicts, each with ``"params"`` (a list of
  :class:`~nnlib.nn.module.Parameter`) and the group's hyper-parameters
  (``"lr"``, ``"weight_decay"``, ...). Learning-rate schedulers change
  ``group["lr"]``.
- ``state``: a dict keyed by ``Parameter`` holding that parameter's running
  quantities under torch's names (``"momentum_buffer"``, ``"exp_avg"``, ...),
  so you can inspect them while training.

A subclass implements ``_update(param, grad, state, group)``, which changes
``param.data`` in place (``param.data -= ...``), and ``_validate(group)``.
The updates use only array-API operations, so they run on NumPy arrays and on
torch tensors alike.
"""

import numbers
from collections import defaultdict

from nnlib import backend
from nnlib.nn.module import Parameter


class Optimizer:
    """Base class of all optimisers.

    Args:
        params: an iterable of :class:`Parameter` (e.g. ``model.parameters()``),
            or of dicts ``{"params": [...], "lr": ...}`` to give groups of
            parameters their own hyper-parameters.
        defaults: the hyper-parameters a group gets when it does not set them.
    """

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Parameter):
            raise TypeError(
                f"{self._name()}: params must be an iterable of Parameters (e.g. model.parameters()), "
                f"got a single Parameter; wrap it in a list."
            )
        groups = list(params)
        if not groups:
            raise ValueError(f"{self._name()}: got an empty parameter list.")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def _name(self):
        return type(self).__name__

    def add_param_group(self, param_group):
        """Add a dict ``{"params": [...], <hyper-parameters>}`` to ``param_groups``."""
        if not isinstance(param_group, dict) or "params" not in param_group:
            raise TypeError(f"{self._name()}: a parameter group must be a dict with a 'params' entry.")
        group = dict(param_group)
        params = group["params"]
        if isinstance(params, set):
            raise TypeError(f"{self._name()}: params must be an ordered collection (a list), not a set.")
        params = [params] if isinstance(params, Parameter) else list(params)
        for p in params:
            if not isinstance(p, Parameter):
                raise TypeError(
                    f"{self._name()}: can only optimise nnlib Parameters, got {type(p).__name__}."
                )
        if len(set(params)) != len(params):
            raise ValueError(f"{self._name()}: a parameter group lists the same Parameter twice.")
        seen = {p for g in self.param_groups for p in g["params"]}
        if seen.intersection(params):
            raise ValueError(f"{self._name()}: some parameters appear in more than one parameter group.")
        group["params"] = params
        for name, default in self.defaults.items():
            group.setdefault(name, default)
        self._validate(group)
        self.param_groups.append(group)

    def _validate(self, group):
        """Raise ``ValueError`` for hyper-parameters outside their valid range."""

    def _check_nonnegative(self, group, *names):
        for name in names:
            value = group[name]
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
                raise ValueError(f"{self._name()}: invalid {name} = {value!r}; expected a number >= 0.")

    def _check_interval(self, name, value, high_included):
        """``value`` must be a number in [0, 1] (or [0, 1) when ``high_included`` is false)."""
        ok = isinstance(value, numbers.Real) and (0 <= value <= 1 if high_included else 0 <= value < 1)
        if not ok:
            expected = f"0 <= {name} <= 1" if high_included else f"0 <= {name} < 1"
            raise ValueError(f"{self._name()}: invalid {name} = {value!r}; expected {expected}.")

    def _check_betas(self, betas):
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise ValueError(f"{self._name()}: invalid betas = {betas!r}; expected a pair (beta1, beta2).")
        for i, beta in enumerate(betas):
            self._check_interval(f"betas[{i}]", beta, high_included=False)

    def zero_grad(self, set_to_none=True):
        """Forget the gradients: ``grad = None`` (or zeros with ``set_to_none=False``)."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad[...] = 0

    def step(self, closure=None):
        """Update every parameter that has a gradient (those with ``grad is None`` are skipped).

        ``closure``, if given, is called first (it should recompute the loss
        and the gradients) and its value is returned.
        """
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.grad.shape != p.data.shape:
                    raise ValueError(
                        f"{self._name()}.step: a parameter of shape {p.shape} has a gradient of shape "
                        f"{tuple(p.grad.shape)}."
                    )
                self._update(p, p.grad, self.state[p], group)
        return loss

    def _update(self, param, grad, state, group):
        raise NotImplementedError(f"{self._name()} does not define _update().")

    # -- saving and restoring ----------------------------------------------
    def state_dict(self):
        """The optimiser's state, with parameters replaced by their position (as in torch).

        The arrays in it are the optimiser's own; copy them if you keep
        training and want a snapshot.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index.setdefault(p, len(index))
            groups.append({**group, "params": [index[p] for p in group["params"]]})
        state = {index[p]: dict(s) for p, s in self.state.items() if p in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore a :meth:`state_dict` saved from an optimiser over the same parameters."""
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups) or any(
            len(s["params"]) != len(g["params"]) for s, g in zip(saved, self.param_groups, strict=True)
        ):
            raise ValueError(f"{self._name()}.load_state_dict: the parameter groups do not match.")
        by_index = {}
        for s, g in zip(saved, self.param_groups, strict=True):
            by_index.update(zip(s["params"], g["params"], strict=True))
            g.update({k: v for k, v in s.items() if k != "params"})
        self.state = defaultdict(dict)
        for i, s in state_dict["state"].items():
            p = by_index[i]
            self.state[p] = {k: _copy_to(v, p) for k, v in s.items()}

    def __repr__(self):
        lines = [f"{self._name()} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


def _copy_to(value, param):
    """A copy of a state entry on the parameter's device (numbers stay numbers)."""
    if hasattr(value, "shape") and len(value.shape) > 0:
        return backend.to(value, param.device, param.dtype) + 0
    return value
