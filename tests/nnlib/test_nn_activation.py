"""Activation layers against torch.nn (float64 autograd) and finite differences."""

import numpy as np
import pytest
import torch

from nnlib import nn

# (nnlib layer factory, torch layer factory)
CASES = {
    "Sigmoid": (nn.Sigmoid, torch.nn.Sigmoid),
    "Tanh": (nn.Tanh, torch.nn.Tanh),
    "ReLU": (nn.ReLU, torch.nn.ReLU),
    "LeakyReLU": (nn.LeakyReLU, torch.nn.LeakyReLU),
    "LeakyReLU(0.2)": (lambda: nn.LeakyReLU(0.2), lambda: torch.nn.LeakyReLU(0.2)),
    "Softmax": (nn.Softmax, lambda: torch.nn.Softmax(dim=-1)),
    "Softmax(dim=0)": (lambda: nn.Softmax(dim=0), lambda: torch.nn.Softmax(dim=0)),
    "LogSoftmax": (nn.LogSoftmax, lambda: torch.nn.LogSoftmax(dim=-1)),
    "Identity": (nn.Identity, torch.nn.Identity),
}


def inputs(shape=(5, 4), seed=0):
    x = np.random.default_rng(seed).standard_normal(shape) * 3
    x[0, 0] = 1e-3  # near the kink, but not on it (finite differences need a smooth point)
    return x


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4)])
def test_forward_and_backward_match_torch(name, shape, compare_with_torch):
    x = np.random.default_rng(1).standard_normal(shape) * 3
    g = np.random.default_rng(2).standard_normal(shape)
    compare_with_torch(CASES[name][0](), CASES[name][1](), x, g, what=name)


@pytest.mark.parametrize("name", list(CASES))
def test_backward_matches_finite_differences(name, check_gradients):
    x = inputs()
    check_gradients(CASES[name][0](), x, np.random.default_rng(3).standard_normal(x.shape))


def test_softmax_extreme_inputs_are_exact():
    out = nn.Softmax()(np.array([[1000.0, 1000.0], [-1000.0, 0.0]]))
    assert np.array_equal(out, np.array([[0.5, 0.5], [0.0, 1.0]])), f"got {out}"


@pytest.mark.parametrize("name", ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax"])
def test_float32_stays_float32(name):
    layer = CASES[name][0]()
    out = layer(np.ones((2, 3), dtype=np.float32))
    grad = layer.backward(np.ones((2, 3), dtype=np.float32))
    assert out.dtype == np.float32 and grad.dtype == np.float32, f"{out.dtype}, {grad.dtype}"


@pytest.mark.parametrize("name", ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "LogSoftmax"])
def test_errors_name_layer_and_shapes(name):
    layer = CASES[name][0]()
    with pytest.raises(RuntimeError, match=f"{name.split('(')[0]}.backward called before forward"):
        layer.backward(np.ones((2, 3)))
    layer(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"expected grad_output of shape \(2, 3\).*got \(3, 2\)"):
        layer.backward(np.ones((3, 2)))


@pytest.mark.parametrize("name", ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "Identity"])
def test_empty_input_gives_empty_output(name):
    layer = CASES[name][0]()
    out = layer(np.zeros((0, 3)))
    assert out.shape == (0, 3) and layer.backward(np.zeros((0, 3))).shape == (0, 3)


def test_lists_and_integers_become_float():
    out = nn.ReLU()([[-1, 2]])
    assert out.dtype == np.float64 and out.tolist() == [[0.0, 2.0]]


def test_relu_caches_input_sigmoid_caches_output():
    relu, sig = nn.ReLU(), nn.Sigmoid()
    x = np.array([[-1.0, 2.0]])
    relu(x)
    out = sig(x)
    assert relu._cached is x, "ReLU should keep its input for backward"
    assert sig._cached is out, "Sigmoid should keep its output for backward"


def test_repr():
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"
