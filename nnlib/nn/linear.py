"""``Linear``: the fully connected layer ``y = x W^T + b``.

This file also holds the helpers every nnlib layer uses: ``parameter_array``
(where new weights live, with which dtype), ``as_input`` and
``check_grad_output`` (turning what a layer receives into an array it can use,
or explaining clearly why not).
"""

import math

import numpy as np

from nnlib import backend, seeding
from nnlib.nn.module import Module, Parameter


def parameter_array(values, device=None, dtype=None):
    """``values`` (a NumPy array) placed on ``device`` with ``dtype``.

    The default dtype is float64 on NumPy (``device=None`` or ``"cpu"``), the
    precision that gradient checks need, and float32 on torch devices
    (``"torch:cpu"``, ``"cuda"``, ``"mps"``), as in PyTorch.
    """
    device = "cpu" if device is None else device
    if dtype is None:
        dtype = "float64" if backend.parse_device(device)[0] == "numpy" else "float32"
    return backend.to(values, device, dtype)


def as_input(layer, x, like=None):
    """``x`` as an array a layer can use, or a clear error naming ``layer``.

    Lists and numbers are converted (to ``like``'s device and dtype when given).
    Arrays are never silently moved or cast: an array on another device than
    ``like``, or with another dtype, raises, because a hidden copy or a hidden
    float32 -> float64 promotion is a bug you want to hear about.
    """
    if like is not None and backend.same_kind(x, like):  # the usual case, decided without a device name
        return x
    if not (backend.is_tensor(x) or isinstance(x, np.ndarray)):
        if like is None:
            return np.asarray(x, dtype=np.float64)
        return backend.to(x, backend.device_of(like), like.dtype)
    if like is None:
        return x
    if backend.device_of(x) != backend.device_of(like):
        where = backend.device_of(like)
        raise TypeError(
            f"{layer}: the input is on device {backend.device_of(x)!r} but the layer's parameters are on "
            f"{where!r}; move it with nnlib.to(x, {where!r})."
        )
    if x.dtype != like.dtype:
        raise TypeError(
            f"{layer}: expected input of dtype {like.dtype} (the layer's dtype), got {x.dtype}; "
            f"convert the input with nnlib.to(x, device, dtype) or the model with model.to(dtype=...)."
        )
    return x


def check_grad_output(layer, grad_output, expected_shape, like):
    """``grad_output`` as an array of the forward output's shape, or a clear error."""
    grad_output = as_input(f"{layer}.backward", grad_output, like)
    if tuple(grad_output.shape) != tuple(expected_shape):
        raise ValueError(
            f"{layer}.backward: expected grad_output of shape {tuple(expected_shape)} (the shape of "
            f"the forward output), got {tuple(grad_output.shape)}."
        )
    return grad_output


class Linear(Module):
    """Fully connected layer: ``y = x @ weight.T + bias``.

    Args:
        in_features, out_features: sizes of each input and output row.
        bias: whether to learn an additive bias.
        device: ``"cpu"`` (NumPy, the default), ``"torch:cpu"``, ``"cuda"``, ...
        dtype: default float64 on NumPy and float32 on torch devices.
        seed: int or ``numpy.random.Generator`` for the initial weights
            (default: nnlib's default generator, see ``nnlib.seeding``).

    Parameters: ``weight`` of shape (out_features, in_features) and ``bias`` of
    shape (out_features,), both drawn from U(-1/sqrt(in_features),
    1/sqrt(in_features)) as in PyTorch.

    Shapes: input (N, in_features) -> output (N, out_features). Extra leading
    dimensions (..., in_features) work too, as in PyTorch.
    Cached for backward: the input ``x``.
    """

    def __init__(self, in_features, out_features, bias=True, *, device=None, dtype=None, seed=None):
        super().__init__()
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        rng = seeding.generator(seed)
        bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
        weight = rng.uniform(-bound, bound, (self.out_features, self.in_features))
        self.weight = Parameter(parameter_array(weight, device, dtype))
        if bias:
            values = rng.uniform(-bound, bound, (self.out_features,))
            self.bias = Parameter(parameter_array(values, device, dtype))
        else:
            self.bias = None
        self._x = None

    def _name(self):
        return f"Linear({self.in_features}, {self.out_features})"

    def forward(self, x):
        """``x`` (N, in_features) -> (N, out_features); remembers ``x`` for backward."""
        x = as_input(self._name(), x, self.weight.data)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"{self._name()}: expected input of shape (batch, {self.in_features}), got {tuple(x.shape)}."
            )
        self._x = x
        out = x @ self.weight.data.T
        if self.bias is not None:
            out += self.bias.data  # in place: the product is a fresh array
        return out

    def backward(self, grad_output, input_grad=True):
        """``grad_output`` (N, out_features) -> gradient for ``x`` (N, in_features).

        Adds ``grad_output.T @ x`` into ``weight.grad`` and the column sums of
        ``grad_output`` into ``bias.grad``. With ``input_grad=False`` the input
        gradient (a third matrix product) is skipped and None is returned: the
        first layer of a model never needs it, since nobody trains the data.
        """
        x = self._x
        if x is None:
            raise RuntimeError(f"{self._name()}.backward called before forward.")
        expected = (*x.shape[:-1], self.out_features)
        grad_output = check_grad_output(self._name(), grad_output, expected, self.weight.data)
        grad_x = grad_output @ self.weight.data if input_grad else None
        if x.ndim != 2:  # fold the leading dimensions into one batch dimension
            xp = backend.namespace(x)
            x = xp.reshape(x, (-1, self.in_features))
            grad_output = xp.reshape(grad_output, (-1, self.out_features))
        self.weight.accumulate_grad(grad_output.T @ x, owned=True)
        if self.bias is not None:
            self.bias.accumulate_grad(backend.namespace(grad_output).sum(grad_output, axis=0), owned=True)
        return grad_x

    def extra_repr(self):
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )
