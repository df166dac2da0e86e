"""Activation functions and their derivatives, plus softmax and log-softmax.

Every function takes an array of any shape (a NumPy array, a torch tensor, or
a list / number, which becomes a NumPy array) and works element by element,
except ``softmax`` and ``log_softmax``, which normalise along ``dim``. The
result has the input's shape, backend and device. Float inputs keep their
dtype; integer and boolean inputs become the default float dtype (float64 for
NumPy, float32 for torch).

``<name>_derivative(z)`` is d<name>(z)/dz, element by element: multiply it by
the upstream gradient to backpropagate through the activation.
"""

from nnlib import backend


def as_float_array(x):
    """``x`` as a float array plus its namespace: ``(array, xp)``.

    Lists and numbers become NumPy arrays; torch tensors stay torch tensors.
    Integer and boolean arrays become the namespace's default float dtype.
    """
    if not backend.is_tensor(x):
        x = backend.asarray(x)
    xp = backend.namespace(x)
    if not xp.isdtype(x.dtype, "real floating"):
        default = xp.__array_namespace_info__().default_dtypes(device=x.device)["real floating"]
        x = xp.astype(x, default)
    return x, xp


def step(z):
    """Heaviside step: 1.0 where ``z >= 0``, else 0.0 (the perceptron's activation)."""
    z, xp = as_float_array(z)
    return xp.astype(z >= 0, z.dtype)


def step_derivative(z):
    """Zero everywhere (at 0 too): why a step-function network cannot learn by gradient descent."""
    z, xp = as_float_array(z)
    return xp.zeros_like(z)


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + exp(-z)), without overflow for large |z|.

    Uses e = exp(-|z|), which lies in (0, 1]: sigmoid(z) = 1 / (1 + e) for
    z >= 0 and e / (1 + e) for z < 0.
    """
    z, xp = as_float_array(z)
    e = xp.exp(-xp.abs(z))
    return xp.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(z):
    """sigmoid(z) * (1 - sigmoid(z)); at most 0.25, at z = 0."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    """Hyperbolic tangent, in (-1, 1)."""
    z, xp = as_float_array(z)
    return xp.tanh(z)


def tanh_derivative(z):
    """1 - tanh(z)**2; equal to 1 at z = 0."""
    t = tanh(z)
    return 1 - t * t


def relu(z):
    """max(z, 0)."""
    z, _ = as_float_array(z)
    return backend.maximum(z, 0.0)  # ten times faster than where(); keeps NaN like torch.relu


def relu_derivative(z):
    """1 where ``z > 0``, else 0 (PyTorch's choice at 0)."""
    z, _ = as_float_array(z)
    return backend.greater(z, 0)  # xp.astype(z > 0, z.dtype), faster on torch


def leaky_relu(z, negative_slope=0.01):
    """z where ``z > 0``, else ``negative_slope * z`` (PyTorch's default slope 0.01)."""
    z, xp = as_float_array(z)
    return xp.where(z > 0, z, negative_slope * z)


def leaky_relu_derivative(z, negative_slope=0.01):
    """1 where ``z > 0``, else ``negative_slope`` (PyTorch's choice at 0)."""
    z, xp = as_float_array(z)
    return xp.where(z > 0, xp.ones_like(z), xp.full_like(z, negative_slope))


def _shifted(z, dim):
    """``z`` minus its maximum along ``dim``: softmax does not change, and exp cannot overflow."""
    z, xp = as_float_array(z)
    return z - xp.max(z, axis=dim, keepdims=True), xp


def softmax(z, dim=-1):
    """exp(z) / sum(exp(z)) along ``dim``; each slice along ``dim`` sums to 1.

    Computed as softmax(z - max(z)), so inputs like 1000 give exact results.
    """
    shifted, xp = _shifted(z, dim)
    e = xp.exp(shifted)
    return e / xp.sum(e, axis=dim, keepdims=True)


def log_softmax(z, dim=-1):
    """log(softmax(z)) along ``dim``, computed as (z - max) - log(sum(exp(z - max)))."""
    shifted, xp = _shifted(z, dim)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=dim, keepdims=True))
