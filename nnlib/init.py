"""Weight initialisation, with the names and formulas of ``torch.nn.init``.

Every function fills its argument in place and returns it. The argument may be
a :class:`~nnlib.nn.Parameter` (its ``.data`` is filled) or an array (NumPy or
torch). Random values come from a NumPy generator (``seed``: an int or a
``numpy.random.Generator``; without one, nnlib's default generator, see
:mod:`nnlib.seeding`), so a seed gives the same numbers on every device.

For a weight of shape (out_features, in_features), ``fan_in`` is
in_features and ``fan_out`` is out_features; for convolution kernels
(out, in, k1, k2, ...) both are multiplied by k1 * k2 * ....
"""

import math

from nnlib import backend, seeding

_LINEAR_LIKE = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)


def calculate_gain(nonlinearity, param=None):
    """The factor that keeps activations' variance steady through ``nonlinearity``.

    linear, conv*, sigmoid: 1; tanh: 5/3; relu: sqrt(2);
    leaky_relu: sqrt(2 / (1 + slope**2)) with slope ``param`` (default 0.01); selu: 3/4.
    """
    if nonlinearity in _LINEAR_LIKE:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, int | float) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number.")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; expected one of "
        f"{', '.join(_LINEAR_LIKE)}, tanh, relu, leaky_relu, selu."
    )


def _array(tensor):
    """The array to fill: a Parameter's ``.data``, or the array itself (detached if a torch tensor)."""
    from nnlib.nn.module import Parameter  # imported late: nnlib.nn's layers import this module

    data = tensor.data if isinstance(tensor, Parameter) else tensor
    if backend.is_tensor(data):
        return data.detach()  # shares memory, so filling it fills ``tensor``
    if not hasattr(data, "__setitem__") or not hasattr(data, "shape"):
        raise TypeError(f"nnlib.init: expected a Parameter or an array to fill, got {type(data).__name__}.")
    return data


def _fill(tensor, values):
    """Copy ``values`` (a NumPy array or a number) into ``tensor`` in place; return ``tensor``."""
    data = _array(tensor)
    if not isinstance(values, int | float):
        xp = backend.namespace(data)
        values = xp.astype(backend.asarray(values, like=data), data.dtype)
    data[...] = values
    return tensor


def _shape(tensor):
    return tuple(int(n) for n in _array(tensor).shape)


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel), as in PyTorch."""
    shape = _shape(tensor)
    if len(shape) < 2:
        raise ValueError(
            "nnlib.init: fan in and fan out need a weight with at least 2 dimensions (out, in); "
            f"got shape {shape}."
        )
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def _calculate_correct_fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"nnlib.init: mode must be 'fan_in' or 'fan_out'; got {mode!r}.")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def constant_(tensor, val):
    """Fill with the number ``val``."""
    return _fill(tensor, float(val))


def zeros_(tensor):
    """Fill with 0."""
    return constant_(tensor, 0.0)


def ones_(tensor):
    """Fill with 1."""
    return constant_(tensor, 1.0)


def uniform_(tensor, a=0.0, b=1.0, seed=None):
    """Fill with draws from the uniform distribution on [a, b) (standard deviation (b - a) / sqrt(12))."""
    return _fill(tensor, seeding.generator(seed).uniform(a, b, size=_shape(tensor)))


def normal_(tensor, mean=0.0, std=1.0, seed=None):
    """Fill with draws from the normal distribution N(mean, std**2)."""
    return _fill(tensor, seeding.generator(seed).normal(mean, std, size=_shape(tensor)))


def xavier_uniform_(tensor, gain=1.0, seed=None):
    """Glorot & Bengio (2010): U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, seed=seed)


def xavier_normal_(tensor, gain=1.0, seed=None):
    """Glorot & Bengio (2010): N(0, std**2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), seed=seed)


def _kaiming_std(tensor, a, mode, nonlinearity):
    return calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", seed=None):
    """He et al. (2015): U(-bound, bound), bound = gain * sqrt(3 / fan).

    ``fan`` is fan_in (``mode="fan_in"``, keeps the forward pass's variance)
    or fan_out; ``gain = calculate_gain(nonlinearity, a)``, ``a`` being the
    leaky ReLU's negative slope.
    """
    if 0 in _shape(tensor):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, seed=seed)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", seed=None):
    """He et al. (2015): N(0, std**2), std = gain / sqrt(fan) (see :func:`kaiming_uniform_`)."""
    if 0 in _shape(tensor):
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), seed=seed)
