"""Shared fixtures for nnlib's tests.

- ``devices``: parametrises a test over "cpu" (NumPy), "torch:cpu" and "cuda";
  the CUDA case carries ``pytest.mark.gpu`` and is skipped (and reported as
  skipped) where no CUDA device is present.
- ``cuda_device``: "cuda" for tests that only make sense on a GPU; skips otherwise.
- ``assert_close``: ``assert_close(actual, expected, rtol=1e-7, what="...")``
  compares arrays or tensors of any backend by relative error.
- ``numerical_gradient``: central finite differences of a scalar function of a
  NumPy float64 array.
- ``compare_with_torch``: ``compare_with_torch(ours, theirs, x, grad_output)``
  runs an nnlib module and its float64 torch twin forward and backward and
  compares the outputs, the input gradients and every parameter gradient.
- ``check_gradients``: ``check_gradients(layer, x, upstream)`` compares a
  layer's ``backward`` (input and every parameter) with finite differences.
"""

import numpy as np
import pytest


def _cuda_available():
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


_NO_CUDA = pytest.mark.skipif(not _cuda_available(), reason="no CUDA device on this machine")


@pytest.fixture(
    params=["cpu", "torch:cpu", pytest.param("cuda", marks=[pytest.mark.gpu, _NO_CUDA])],
)
def devices(request):
    """A device name: "cpu" (NumPy), "torch:cpu" or "cuda" (skipped without a GPU)."""
    return request.param


@pytest.fixture
def cuda_device():
    if not _cuda_available():
        pytest.skip("no CUDA device on this machine")
    return "cuda"


def _numpy(x):
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def _assert_close(actual, expected, rtol=1e-7, what="value"):
    actual, expected = _numpy(actual), _numpy(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}"
    scale = max(float(np.max(np.abs(expected), initial=0.0)), 1e-12)
    error = float(np.max(np.abs(actual - expected), initial=0.0)) / scale
    assert error <= rtol, (
        f"{what}: relative error {error:.3g} > {rtol:g}\nreceived:\n{actual}\nexpected:\n{expected}"
    )


@pytest.fixture
def assert_close():
    """Relative error max|actual - expected| / max|expected| must be <= rtol."""
    return _assert_close


def _numerical_gradient(f, x, h=1e-6):
    grad = np.zeros_like(x, dtype=np.float64)
    flat, grad_flat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = f()
        flat[i] = old - h
        down = f()
        flat[i] = old
        grad_flat[i] = (up - down) / (2 * h)
    return grad


@pytest.fixture
def numerical_gradient():
    """``numerical_gradient(f, x, h=1e-6)``: d f() / d x by central differences, changing ``x`` in place."""
    return _numerical_gradient


def _check_gradients(layer, x, upstream, rtol=1e-7):
    def loss():
        return float(np.sum(layer(x) * upstream))

    loss()
    grad_x = layer.backward(upstream)
    if grad_x is not None:  # layers fed with indices have no input gradient
        _assert_close(grad_x, _numerical_gradient(loss, x), rtol, "grad_x vs finite differences")
    for name, param in layer.named_parameters():
        expected = _numerical_gradient(loss, param.data)
        _assert_close(param.grad, expected, rtol, f"{name}.grad vs finite differences")


@pytest.fixture
def check_gradients():
    """``check_gradients(layer, x, upstream, rtol=1e-7)``: backward of ``sum(layer(x) * upstream)``
    against finite differences, for ``x`` (float64 NumPy) and every parameter of ``layer``."""
    return _check_gradients


def _compare_with_torch(ours, theirs, x, grad_output, rtol=1e-7, what=""):
    import torch

    out = ours(x)
    grad_x = ours.backward(grad_output)
    x_t = torch.tensor(x, requires_grad=True)
    out_t = theirs(x_t)
    out_t.backward(torch.from_numpy(grad_output))
    _assert_close(out, out_t, rtol, f"{what} output")
    _assert_close(grad_x, x_t.grad, rtol, f"{what} grad_x")
    pairs = zip(ours.named_parameters(), theirs.named_parameters(), strict=True)
    for (name, param), (name_t, param_t) in pairs:
        assert name == name_t, f"parameter names differ: {name} vs torch's {name_t}"
        _assert_close(param.grad, param_t.grad, rtol, f"{what} {name}.grad")


@pytest.fixture
def compare_with_torch():
    """``compare_with_torch(ours, theirs, x, grad_output, rtol=1e-7, what="")``: forward and
    backward through an nnlib module and its float64 torch twin; outputs and all gradients must agree."""
    return _compare_with_torch
