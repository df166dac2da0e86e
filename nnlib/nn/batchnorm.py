"""``BatchNorm1d``: normalise every feature over the batch, then scale and shift."""

import numpy as np

from nnlib import backend
from nnlib.nn.linear import as_input, check_grad_output, parameter_array
from nnlib.nn.module import Module, Parameter


class BatchNorm1d(Module):
    """Batch normalisation of (N, C) inputs (Ioffe and Szegedy, 2015), PyTorch semantics.

    Training: each feature is normalised with the batch mean and the *biased*
    batch variance, ``x_hat = (x - mean) / sqrt(var + eps)``, and the output is
    ``weight * x_hat + bias``. The running estimates move towards the batch
    statistics, ``running = (1 - momentum) * running + momentum * batch``, using
    the *unbiased* variance (divided by N - 1) for ``running_var``, as PyTorch
    does; ``momentum=None`` gives a plain cumulative average instead.

    Evaluation (after ``.eval()``): ``running_mean`` and ``running_var`` replace
    the batch statistics, so each example is treated on its own.

    Args:
        num_features: C, the number of features (columns) of the input.
        eps: added to the variance for numerical stability.
        momentum: weight of the newest batch in the running estimates.
        affine: learn ``weight`` (init 1) and ``bias`` (init 0), each of shape (C,).
        device, dtype: as for ``Linear`` (float64 on NumPy, float32 on torch).

    Buffers (saved by ``state_dict``, moved by ``.to``): ``running_mean`` (zeros),
    ``running_var`` (ones) and ``num_batches_tracked``.

    Shapes: input (N, C) -> output (N, C). Training needs N > 1; an empty batch
    (N = 0) gives an empty output and leaves the running estimates unchanged.
    Cached for backward: ``x_hat``, ``1 / sqrt(var + eps)`` and the mode.
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, *, device=None, dtype=None):
        super().__init__()
        self.num_features = int(num_features)
        self.eps = float(eps)
        self.momentum = momentum
        self.affine = bool(affine)
        ones = np.ones(self.num_features)
        zeros = np.zeros(self.num_features)
        if self.affine:
            self.weight = Parameter(parameter_array(ones, device, dtype))
            self.bias = Parameter(parameter_array(zeros, device, dtype))
        else:
            self.weight = self.bias = None
        self.running_mean = parameter_array(zeros, device, dtype)
        self.running_var = parameter_array(ones, device, dtype)
        self.num_batches_tracked = backend.to(np.array(0, dtype=np.int64), device or "cpu")
        self._cache = None

    def _name(self):
        return f"BatchNorm1d({self.num_features})"

    def _buffers(self):
        return {
            "running_mean": self.running_mean,
            "running_var": self.running_var,
            "num_batches_tracked": self.num_batches_tracked,
        }

    def _to_extra(self, device, dtype):
        target = device if device is not None else backend.device_of(self.running_mean)
        self.running_mean = backend.to(self.running_mean, target, dtype)
        self.running_var = backend.to(self.running_var, target, dtype)
        self.num_batches_tracked = backend.to(self.num_batches_tracked, target)

    def forward(self, x):
        """``x`` (N, C) -> normalised, scaled and shifted (N, C)."""
        x = as_input(self._name(), x, self.running_mean)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(
                f"{self._name()}: expected input of shape (batch, {self.num_features}), got {tuple(x.shape)}."
            )
        xp = backend.namespace(x)
        n = x.shape[0]
        if self.training:
            if n == 1:
                raise ValueError(
                    f"{self._name()}: expected more than 1 value per channel when training, "
                    f"got input of shape {tuple(x.shape)}."
                )
            self.num_batches_tracked += 1
        if self.training and n > 0:
            mean = xp.mean(x, axis=0)
            centred = x - mean
            var = xp.mean(centred * centred, axis=0)
            factor = 1.0 / int(self.num_batches_tracked) if self.momentum is None else self.momentum
            self.running_mean = (1 - factor) * self.running_mean + factor * mean
            self.running_var = (1 - factor) * self.running_var + factor * (var * (n / (n - 1)))
        else:
            centred = x - self.running_mean
            var = self.running_var
        inv_std = 1.0 / xp.sqrt(var + self.eps)
        x_hat = centred * inv_std
        self._cache = (x_hat, inv_std, self.training)
        if not self.affine:
            return x_hat
        return x_hat * self.weight.data + self.bias.data

    def backward(self, grad_output):
        """Gradient for the input, through the batch statistics when training.

        Adds ``sum(grad_output * x_hat)`` into ``weight.grad`` and
        ``sum(grad_output)`` into ``bias.grad`` (sums over the batch).
        """
        if self._cache is None:
            raise RuntimeError(f"{self._name()}.backward called before forward.")
        x_hat, inv_std, training = self._cache
        grad_output = check_grad_output(self._name(), grad_output, x_hat.shape, x_hat)
        xp = backend.namespace(grad_output)
        grad_x_hat = grad_output
        if self.affine:
            self.weight.accumulate_grad(xp.sum(grad_output * x_hat, axis=0), owned=True)
            self.bias.accumulate_grad(xp.sum(grad_output, axis=0), owned=True)
            grad_x_hat = grad_output * self.weight.data
        if not training or x_hat.shape[0] == 0:
            return grad_x_hat * inv_std
        # x_hat depends on x directly and through the batch mean and variance.
        mean_grad = xp.mean(grad_x_hat, axis=0)
        mean_grad_x_hat = xp.mean(grad_x_hat * x_hat, axis=0)
        return (grad_x_hat - mean_grad - x_hat * mean_grad_x_hat) * inv_std

    def extra_repr(self):
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}"
