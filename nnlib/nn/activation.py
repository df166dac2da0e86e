"""Activation layers: Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, LogSoftmax and Identity.

Each wraps a function of ``nnlib.functional`` and keeps what its backward pass
needs: the output for sigmoid, tanh and the softmaxes (their derivatives are
cheap functions of the output), the input for ReLU and LeakyReLU.
All shapes: any input shape -> output of the same shape.
"""

from nnlib import backend
from nnlib import functional as F
from nnlib.nn.linear import check_grad_output
from nnlib.nn.module import Module


class _Activation(Module):
    """Shared bookkeeping: remember one array in forward, check ``grad_output`` in backward."""

    def _remember(self, array):
        self._cached = array
        return array

    def _recall(self, grad_output):
        cached = getattr(self, "_cached", None)
        if cached is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward.")
        grad_output = check_grad_output(type(self).__name__, grad_output, cached.shape, cached)
        return grad_output, cached


class Sigmoid(_Activation):
    """``1 / (1 + exp(-x))``; backward uses ``s * (1 - s)`` of the cached output ``s``."""

    def forward(self, x):
        return self._remember(F.sigmoid(x))

    def backward(self, grad_output):
        grad_output, out = self._recall(grad_output)
        return grad_output * out * (1 - out)


class Tanh(_Activation):
    """``tanh(x)``; backward uses ``1 - t**2`` of the cached output ``t``."""

    def forward(self, x):
        return self._remember(F.tanh(x))

    def backward(self, grad_output):
        grad_output, out = self._recall(grad_output)
        return grad_output * (1 - out * out)


class ReLU(_Activation):
    """``max(x, 0)``; backward passes the gradient where the cached input was positive."""

    def forward(self, x):
        x = self._remember(F.as_float_array(x)[0])
        return F.relu(x)

    def backward(self, grad_output):
        grad_output, x = self._recall(grad_output)
        return grad_output * F.relu_derivative(x)


class LeakyReLU(_Activation):
    """``x`` for positive ``x``, else ``negative_slope * x``; caches the input."""

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = float(negative_slope)

    def forward(self, x):
        x = self._remember(F.as_float_array(x)[0])
        return F.leaky_relu(x, self.negative_slope)

    def backward(self, grad_output):
        grad_output, x = self._recall(grad_output)
        return grad_output * F.leaky_relu_derivative(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class _AlongDim(_Activation):
    """An activation that normalises along one dimension ``dim`` (default: the last)."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """``softmax(x, dim)``: each slice along ``dim`` becomes a probability vector.

    Backward is the Jacobian-vector product ``s * (g - sum(g * s, dim))`` with
    the cached output ``s``: the (C, C) Jacobian ``diag(s) - s s^T`` is never built.
    """

    def forward(self, x):
        return self._remember(F.softmax(x, dim=self.dim))

    def backward(self, grad_output):
        grad_output, out = self._recall(grad_output)
        xp = backend.namespace(out)
        return out * (grad_output - xp.sum(grad_output * out, axis=self.dim, keepdims=True))


class LogSoftmax(_AlongDim):
    """``log_softmax(x, dim)``; backward ``g - softmax * sum(g, dim)`` with softmax = exp(cached output)."""

    def forward(self, x):
        return self._remember(F.log_softmax(x, dim=self.dim))

    def backward(self, grad_output):
        grad_output, out = self._recall(grad_output)
        xp = backend.namespace(out)
        return grad_output - xp.exp(out) * xp.sum(grad_output, axis=self.dim, keepdims=True)


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. to switch a layer off)."""

    def forward(self, x):
        return x

    def backward(self, grad_output):
        return grad_output
