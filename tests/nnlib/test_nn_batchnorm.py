"""nnlib.nn.BatchNorm1d against torch.nn.BatchNorm1d (float64 autograd) and finite differences."""

import numpy as np
import pytest
import torch

from nnlib import nn


def pair(num_features=4, seed=0, **kwargs):
    """An nnlib BatchNorm1d and a float64 torch twin with the same (random) weight and bias."""
    ours = nn.BatchNorm1d(num_features, **kwargs)
    theirs = torch.nn.BatchNorm1d(num_features, **kwargs).double()
    if ours.affine:
        rng = np.random.default_rng(seed)
        ours.weight.data = rng.standard_normal(num_features) + 1
        ours.bias.data = rng.standard_normal(num_features)
        with torch.no_grad():
            theirs.weight.copy_(torch.from_numpy(ours.weight.data))
            theirs.bias.copy_(torch.from_numpy(ours.bias.data))
    return ours, theirs


@pytest.mark.parametrize(
    "kwargs", [{}, {"affine": False}, {"momentum": None}, {"momentum": 0.3, "eps": 1e-3}]
)
def test_training_steps_then_eval_match_torch(kwargs, assert_close, compare_with_torch):
    ours, theirs = pair(**kwargs)
    rng = np.random.default_rng(1)
    for step in range(4):
        x = rng.standard_normal((8, 4)) * (step + 1) + step
        g = rng.standard_normal((8, 4))
        compare_with_torch(ours, theirs, x, g, what=f"train step {step}")
        ours.zero_grad()
        theirs.zero_grad()
        assert_close(ours.running_mean, theirs.running_mean, what=f"running_mean after step {step}")
        assert_close(ours.running_var, theirs.running_var, what=f"running_var after step {step}")
    assert int(ours.num_batches_tracked) == int(theirs.num_batches_tracked) == 4
    ours.eval()
    theirs.eval()
    x, g = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    compare_with_torch(ours, theirs, x, g, what="eval")
    before = ours.running_mean.copy()
    ours(x)
    assert np.array_equal(ours.running_mean, before), "eval mode must not update running statistics"


@pytest.mark.parametrize("training", [True, False])
def test_backward_matches_finite_differences(training, check_gradients):
    layer, _ = pair(3, momentum=0.0)  # momentum 0 keeps the running stats fixed while we probe
    layer.running_mean = np.array([0.5, -1.0, 2.0])
    layer.running_var = np.array([2.0, 0.5, 1.5])
    layer.train(training)
    rng = np.random.default_rng(5)
    check_gradients(layer, rng.standard_normal((6, 3)), rng.standard_normal((6, 3)))


def test_batch_of_one_raises_in_training_only():
    layer = nn.BatchNorm1d(3)
    with pytest.raises(
        ValueError, match=r"BatchNorm1d\(3\): expected more than 1 value per channel when training"
    ):
        layer(np.ones((1, 3)))
    assert layer.eval()(np.ones((1, 3))).shape == (1, 3)


def test_empty_batch_gives_empty_output_and_keeps_running_stats():
    layer = nn.BatchNorm1d(3)
    out = layer(np.zeros((0, 3)))
    grad_x = layer.backward(np.zeros((0, 3)))
    assert out.shape == (0, 3) and grad_x.shape == (0, 3)
    assert np.array_equal(layer.running_mean, np.zeros(3)) and np.array_equal(layer.running_var, np.ones(3))
    assert np.array_equal(layer.weight.grad, np.zeros(3))


def test_bad_shape_and_dtype():
    layer = nn.BatchNorm1d(3)
    with pytest.raises(
        ValueError, match=r"BatchNorm1d\(3\): expected input of shape \(batch, 3\), got \(4, 5\)"
    ):
        layer(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"expected input of shape \(batch, 3\), got \(3,\)"):
        layer(np.ones(3))
    with pytest.raises(TypeError, match=r"BatchNorm1d\(3\): expected input of dtype float64.*got float32"):
        layer(np.ones((4, 3), dtype=np.float32))


def test_state_dict_matches_torch_keys_and_round_trips():
    layer = nn.BatchNorm1d(3)
    layer(np.random.default_rng(0).standard_normal((5, 3)))
    state = layer.state_dict()
    assert list(state) == list(torch.nn.BatchNorm1d(3).state_dict())
    fresh = nn.BatchNorm1d(3)
    fresh.load_state_dict(state)
    assert np.array_equal(fresh.running_var, layer.running_var) and int(fresh.num_batches_tracked) == 1


def test_to_moves_and_casts_buffers():
    layer = nn.BatchNorm1d(3)
    layer(np.random.default_rng(0).standard_normal((5, 3)))
    layer.to("torch:cpu", torch.float32)
    assert isinstance(layer.running_mean, torch.Tensor) and layer.running_mean.dtype == torch.float32
    assert layer.running_var.dtype == torch.float32 and layer.weight.dtype == torch.float32
    assert layer.num_batches_tracked.dtype == torch.int64
    out = layer(torch.ones(4, 3))
    assert out.dtype == torch.float32
    assert nn.BatchNorm1d(2, device="torch:cpu").running_mean.dtype == torch.float32


def test_float32_stays_float32():
    layer = nn.BatchNorm1d(3, dtype="float32")
    out = layer(np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32))
    grad = layer.backward(np.ones((5, 3), dtype=np.float32))
    dtypes = {
        out.dtype,
        grad.dtype,
        layer.running_mean.dtype,
        layer.running_var.dtype,
        layer.weight.grad.dtype,
    }
    assert dtypes == {np.dtype(np.float32)}, f"dtypes {dtypes}"
