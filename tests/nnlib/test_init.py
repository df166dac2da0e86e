"""nnlib.init against torch.nn.init: gains, fans, bounds and empirical standard deviations."""

import math

import numpy as np
import pytest
import torch

import nnlib
from nnlib import backend, init
from nnlib.nn import Parameter

NONLINEARITIES = [
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "selu",
]


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_calculate_gain_matches_torch(nonlinearity):
    ours, theirs = init.calculate_gain(nonlinearity), torch.nn.init.calculate_gain(nonlinearity)
    assert ours == theirs, f"calculate_gain({nonlinearity!r}) = {ours}, torch gives {theirs}"


def test_calculate_gain_of_leaky_relu_uses_its_slope():
    for slope in (0, 0.1, 0.2, 1, math.sqrt(5)):
        ours, theirs = (
            init.calculate_gain("leaky_relu", slope),
            torch.nn.init.calculate_gain("leaky_relu", slope),
        )
        assert ours == theirs, f"slope {slope}: got {ours}, torch gives {theirs}"
    with pytest.raises(ValueError, match="calculate_gain: negative_slope True is not a valid number"):
        init.calculate_gain("leaky_relu", True)
    with pytest.raises(ValueError, match="calculate_gain: unsupported nonlinearity 'gelu'"):
        init.calculate_gain("gelu")


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 3, 5), (8, 2, 3, 3), (1, 1)])
def test_fans_match_torch(shape):
    ours = init._calculate_fan_in_and_fan_out(np.empty(shape))
    theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert ours == theirs, f"shape {shape}: (fan_in, fan_out) = {ours}, torch gives {theirs}"


def test_fans_need_two_dimensions():
    with pytest.raises(ValueError, match=r"at least 2 dimensions \(out, in\); got shape \(5,\)"):
        init.xavier_uniform_(np.empty(5))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'; got 'fan_avg'"):
        init.kaiming_normal_(np.empty((2, 2)), mode="fan_avg")


# name -> (init function, kwargs, expected mean, expected std) for a weight of shape (out=200, in=500)
FAN_IN, FAN_OUT = 500, 200
RANDOM_INITS = {
    "uniform_": (init.uniform_, {"a": -2.0, "b": 4.0}, 1.0, 6 / math.sqrt(12)),  # (b - a) / sqrt(12)
    "normal_": (init.normal_, {"mean": 1.0, "std": 0.3}, 1.0, 0.3),
    "xavier_uniform_": (init.xavier_uniform_, {"gain": 2.0}, 0.0, 2.0 * math.sqrt(2 / (FAN_IN + FAN_OUT))),
    "xavier_normal_": (init.xavier_normal_, {}, 0.0, math.sqrt(2 / (FAN_IN + FAN_OUT))),
    "kaiming_uniform_": (
        init.kaiming_uniform_,
        {"a": math.sqrt(5)},
        0.0,
        math.sqrt(2 / 6) / math.sqrt(FAN_IN),
    ),
    "kaiming_normal_": (init.kaiming_normal_, {"nonlinearity": "relu"}, 0.0, math.sqrt(2 / FAN_IN)),
    "kaiming_normal_[fan_out]": (
        init.kaiming_normal_,
        {"mode": "fan_out", "nonlinearity": "tanh"},
        0.0,
        (5 / 3) / math.sqrt(FAN_OUT),
    ),
}


@pytest.mark.parametrize("name", list(RANDOM_INITS))
def test_empirical_std_matches_formula_and_torch(name):
    fn, kwargs, mean, std = RANDOM_INITS[name]
    ours = fn(np.empty((FAN_OUT, FAN_IN)), **kwargs, seed=0)
    torch.manual_seed(0)
    theirs = getattr(torch.nn.init, name.split("[")[0])(
        torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64), **kwargs
    )
    for label, values in (("nnlib", ours), ("torch", theirs.numpy())):
        measured = float(np.std(values))
        assert abs(measured / std - 1) < 0.02, (
            f"{name} ({label}): std {measured:.5f}, formula gives {std:.5f}"
        )
    assert abs(float(np.mean(ours)) - mean) < 0.05 * std, f"{name}: mean {np.mean(ours)}, expected {mean}"


@pytest.mark.parametrize("name", ["uniform_", "xavier_uniform_", "kaiming_uniform_"])
def test_uniform_inits_stay_within_their_bound(name):
    fn, kwargs, centre, std = RANDOM_INITS[name]
    values = fn(np.empty((FAN_OUT, FAN_IN)), **kwargs, seed=1)
    bound = std * math.sqrt(3)  # a uniform on [-b, b] has std b / sqrt(3)
    if name == "xavier_uniform_":
        assert math.isclose(bound, 2.0 * math.sqrt(6 / (FAN_IN + FAN_OUT))), (
            "Xavier bound gain * sqrt(6/(in+out))"
        )
    spread = np.abs(values - centre)
    assert spread.max() <= bound, f"{name}: {spread.max()} exceeds the bound {bound}"
    assert spread.max() > 0.999 * bound, (
        f"{name}: largest |value| {spread.max()} is far below the bound {bound}"
    )


@pytest.mark.parametrize("name", list(RANDOM_INITS))
def test_seed_makes_it_reproducible_on_every_device(name, devices):
    fn, kwargs, _, _ = RANDOM_INITS[name]
    a = fn(nnlib.to(np.empty((4, 6)), devices), **kwargs, seed=123)
    b = fn(nnlib.to(np.empty((4, 6)), devices), **kwargs, seed=np.random.default_rng(123))
    c = fn(np.empty((4, 6)), **kwargs, seed=123)
    d = fn(np.empty((4, 6)), **kwargs, seed=124)
    assert backend.is_tensor(a) == (devices != "cpu")
    assert np.array_equal(backend.to_numpy(a), backend.to_numpy(b)), "int seed and Generator disagree"
    assert np.array_equal(backend.to_numpy(a), c), "the same seed gives other numbers on another device"
    assert not np.array_equal(c, d), "different seeds gave the same numbers"
    nnlib.seeding.manual_seed(7)
    e = fn(np.empty((4, 6)), **kwargs)
    nnlib.seeding.manual_seed(7)
    assert np.array_equal(e, fn(np.empty((4, 6)), **kwargs)), "manual_seed does not make it repeat"


def test_fills_in_place_and_returns_its_argument(devices):
    param = Parameter(nnlib.to(np.zeros((3, 4), dtype=np.float32), devices))
    array = param.data
    assert init.xavier_uniform_(param, seed=0) is param
    assert param.data is array and float(abs(backend.to_numpy(array)).max()) > 0, "not filled in place"
    assert array.dtype == (np.float32 if devices == "cpu" else torch.float32), "the dtype changed"
    assert init.ones_(array) is array and backend.to_numpy(array).tolist() == [[1.0] * 4] * 3
    assert init.zeros_(param) is param and not backend.to_numpy(param.data).any()
    assert init.constant_(array, 0.25) is array and (backend.to_numpy(array) == 0.25).all()


def test_torch_tensor_that_requires_grad_is_filled_too():
    weight = torch.zeros(3, 5, requires_grad=True)
    init.kaiming_uniform_(weight, seed=0)
    assert weight.requires_grad and weight.abs().max() > 0
    assert weight.abs().max() <= math.sqrt(6 / (1 + 0.0**2)) / math.sqrt(5)


def test_empty_weight_is_left_alone():
    empty = np.empty((0, 3))
    assert init.kaiming_uniform_(empty) is empty and init.kaiming_normal_(empty) is empty
    with pytest.raises(TypeError, match="nnlib.init: expected a Parameter or an array to fill, got list"):
        init.zeros_([1.0, 2.0])
