"""nnlib.functional against torch (float64 autograd), finite differences and exact extremes."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import nnlib
from nnlib import backend
from nnlib import functional as F
from nnlib.gradcheck import numerical_gradient

EXTREMES = [-1000.0, -745.0, -40.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 40.0, 745.0, 1000.0]

# name -> (nnlib function, nnlib derivative, torch reference function)
ELEMENTWISE = {
    # heaviside has no autograd formula: detached, its gradient counts as 0
    "step": (F.step, F.step_derivative, lambda z: torch.heaviside(z.detach(), torch.ones_like(z))),
    "sigmoid": (F.sigmoid, F.sigmoid_derivative, torch.sigmoid),
    "tanh": (F.tanh, F.tanh_derivative, torch.tanh),
    "relu": (F.relu, F.relu_derivative, torch.relu),
    "leaky_relu": (F.leaky_relu, F.leaky_relu_derivative, TF.leaky_relu),
    "leaky_relu_0.1": (
        lambda z: F.leaky_relu(z, 0.1),
        lambda z: F.leaky_relu_derivative(z, negative_slope=0.1),
        lambda z: TF.leaky_relu(z, 0.1),
    ),
}


def sample(seed=0):
    """Random values of several scales, the extremes, and exact zeros (the kinks)."""
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.standard_normal(30) * 3, EXTREMES, np.zeros(2)])


def torch_value_and_grad(fn, z):
    z_t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    out = fn(z_t)
    if not out.requires_grad:
        return out, torch.zeros_like(out)
    out.sum().backward()
    return out.detach(), z_t.grad


def check_backend(out, device):
    assert backend.is_tensor(out) == (device != "cpu"), f"{device}: got {type(out).__name__}"


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_elementwise_value_and_derivative_match_torch(name, devices, assert_close):
    fn, derivative, reference = ELEMENTWISE[name]
    z = sample()
    expected, expected_grad = torch_value_and_grad(reference, z)
    z_dev = nnlib.to(z, devices)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or invalid-value warnings at +-1000
        out, grad = fn(z_dev), derivative(z_dev)
    check_backend(out, devices)
    check_backend(grad, devices)
    assert_close(out, expected, what=f"{name}({devices})")
    assert_close(grad, expected_grad, what=f"{name}_derivative({devices})")


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu_0.1"])
def test_derivative_matches_finite_differences(name, assert_close):
    fn, derivative, _ = ELEMENTWISE[name]
    z = np.random.default_rng(1).standard_normal(20) * 3
    z = z[np.abs(z) > 1e-3]  # away from the kink at 0
    numerical = numerical_gradient(lambda v: np.sum(fn(v)), z)
    assert_close(derivative(z), numerical, rtol=1e-8, what=f"{name}_derivative vs finite differences")


def test_extremes_are_exact():
    z = np.array([-1000.0, 0.0, 1000.0])
    assert F.sigmoid(z).tolist() == [0.0, 0.5, 1.0], F.sigmoid(z)
    assert F.sigmoid_derivative(z).tolist() == [0.0, 0.25, 0.0], F.sigmoid_derivative(z)
    assert F.tanh(z).tolist() == [-1.0, 0.0, 1.0], F.tanh(z)
    assert F.tanh_derivative(z).tolist() == [0.0, 1.0, 0.0], F.tanh_derivative(z)
    assert F.step(z).tolist() == [0.0, 1.0, 1.0], F.step(z)
    assert F.relu_derivative(z).tolist() == [0.0, 0.0, 1.0], F.relu_derivative(z)
    assert F.leaky_relu_derivative(z).tolist() == [0.01, 0.01, 1.0], F.leaky_relu_derivative(z)


def test_relu_like_functions_at_zero_follow_torch():
    """At the kink PyTorch uses derivative 0 (ReLU) and the slope (leaky ReLU); so do we."""
    _, relu_grad = torch_value_and_grad(torch.relu, [0.0])
    _, leaky_grad = torch_value_and_grad(lambda z: TF.leaky_relu(z, 0.1), [0.0])
    assert F.relu_derivative([0.0]).tolist() == relu_grad.tolist() == [0.0]
    assert F.leaky_relu_derivative([0.0], 0.1).tolist() == leaky_grad.tolist() == [0.1]


@pytest.mark.parametrize("dim", [-1, 0, 1, 2])
def test_softmax_and_log_softmax_match_torch(dim, devices, assert_close):
    rng = np.random.default_rng(2)
    z = rng.standard_normal((3, 4, 5)) * 5
    g = rng.standard_normal((3, 4, 5))
    z_t = torch.tensor(z, requires_grad=True)
    for ours, theirs in [(F.softmax, torch.softmax), (F.log_softmax, torch.log_softmax)]:
        out = ours(nnlib.to(z, devices), dim=dim)
        check_backend(out, devices)
        assert_close(out, theirs(z_t, dim=dim), what=f"{ours.__name__}(dim={dim}) on {devices}")
    # softmax's Jacobian-vector product written from its formula, checked against autograd
    s = F.softmax(z, dim=dim)
    jvp = s * (g - np.sum(g * s, axis=dim, keepdims=True))
    (torch.softmax(z_t, dim=dim) * torch.from_numpy(g)).sum().backward()
    assert_close(jvp, z_t.grad, what="softmax backward")


def test_softmax_is_exact_at_plus_minus_1000(devices):
    z = nnlib.to(np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, -1000.0]]), devices)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = backend.to_numpy(F.softmax(z))
        log_s = backend.to_numpy(F.log_softmax(z))
    assert s.tolist() == [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]], s
    assert log_s.tolist() == [[0.0, -2000.0, -1000.0], [-np.log(2), -np.log(2), -2000.0 - np.log(2)]], log_s


def test_softmax_is_shift_invariant_and_sums_to_one(assert_close):
    z = np.random.default_rng(3).standard_normal((6, 7))
    assert_close(F.softmax(z + 123.0), F.softmax(z), rtol=1e-12, what="softmax(z + c)")
    assert_close(np.sum(F.softmax(z), axis=-1), np.ones(6), rtol=1e-14, what="row sums")
    assert_close(np.exp(F.log_softmax(z)), F.softmax(z), rtol=1e-14, what="exp(log_softmax)")


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_float_dtypes_are_kept_and_array_likes_accepted(name):
    fn, derivative, _ = ELEMENTWISE[name]
    for dtype in (np.float32, np.float64):
        z = np.array([-2.0, 0.0, 3.0], dtype=dtype)
        assert fn(z).dtype == dtype and derivative(z).dtype == dtype, (name, dtype, fn(z).dtype)
    z32 = torch.tensor([-2.0, 0.0, 3.0], dtype=torch.float32)
    assert fn(z32).dtype == torch.float32 and derivative(z32).dtype == torch.float32, name
    assert np.array_equal(fn([-2, 0, 3]), fn(np.array([-2.0, 0.0, 3.0]))), f"{name} of a list of ints"
    assert fn(1.5).shape == () and fn(1.5).dtype == np.float64, f"{name} of a Python float"
    assert fn(torch.tensor([1, 2])).dtype == torch.float32, f"{name} of an int tensor: torch's default float"


def test_course_values():
    """Numbers from module 01's slides (leaky slope 0.1 as in the lecture decks)."""
    assert F.sigmoid(0.0) == 0.5
    assert abs(float(F.sigmoid(2.0)) - 0.8808) < 1e-4, F.sigmoid(2.0)
    assert abs(float(F.tanh(1.0)) - 0.7616) < 1e-4, F.tanh(1.0)
    assert F.leaky_relu([-2.0, 3.0], 0.1).tolist() == [-0.2, 3.0]
    assert F.step([-0.5, 0.0, 0.5]).tolist() == [0.0, 1.0, 1.0]
