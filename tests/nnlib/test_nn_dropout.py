"""nnlib.nn.Dropout: statistics, inverted scaling, eval mode, seeds, backward."""

import numpy as np
import pytest
import torch

from nnlib import nn, seeding


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_drops_fraction_p_and_preserves_the_mean(p):
    layer = nn.Dropout(p, seed=0)
    x = np.full((400, 500), 2.0)
    out = layer(x)
    dropped = float(np.mean(out == 0))
    # 200,000 Bernoulli(p) draws: the standard error is below 0.0012.
    assert abs(dropped - p) < 0.006, f"dropped fraction {dropped}, expected {p}"
    kept = out[out != 0]
    assert np.allclose(kept, 2.0 / (1 - p)), f"kept values {np.unique(kept)}, expected {2.0 / (1 - p)}"
    assert abs(out.mean() - 2.0) < 0.03 * 2.0 / (1 - p), f"mean {out.mean()}, expected 2.0"


def test_backward_uses_the_same_mask_and_scale(assert_close):
    layer = nn.Dropout(0.3, seed=4)
    x = np.random.default_rng(0).standard_normal((6, 5))
    out = layer(x)
    g = np.random.default_rng(1).standard_normal((6, 5))
    grad_x = layer.backward(g)
    mask = out / x
    assert_close(grad_x, g * mask, what="grad_x")
    assert set(np.round(np.unique(mask), 12)) <= {0.0, round(1 / 0.7, 12)}, f"mask values {np.unique(mask)}"


def test_eval_mode_is_identity():
    layer = nn.Dropout(0.5, seed=0).eval()
    x = np.random.default_rng(0).standard_normal((3, 4))
    assert layer(x) is x
    g = np.ones((3, 4))
    assert layer.backward(g) is g


def test_p_zero_and_p_one():
    x = np.ones((10, 10))
    assert np.array_equal(nn.Dropout(0.0)(x), x)
    layer = nn.Dropout(1.0, seed=0)
    with np.errstate(all="raise"):
        out = layer(x)
        grad = layer.backward(x)
    assert np.array_equal(out, np.zeros_like(x)) and np.array_equal(grad, np.zeros_like(x))


def test_same_seed_same_masks_and_runs_repeat():
    x = np.ones((20, 30))
    a, b = nn.Dropout(0.5, seed=7), nn.Dropout(0.5, seed=7)
    first = [a(x), a(x)]
    assert not np.array_equal(first[0], first[1]), "consecutive masks should differ"
    assert all(np.array_equal(u, b(x)) for u in first), "same seed should give the same masks"
    assert not np.array_equal(nn.Dropout(0.5, seed=8)(x), first[0])
    seeding.manual_seed(3)
    c = nn.Dropout(0.5)(x)
    seeding.manual_seed(3)
    assert np.array_equal(nn.Dropout(0.5)(x), c), "manual_seed should make unseeded layers repeat"


def test_invalid_p():
    with pytest.raises(ValueError, match=r"between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)


def test_same_masks_on_numpy_and_torch(assert_close):
    x = np.random.default_rng(0).standard_normal((8, 9))
    out = nn.Dropout(0.4, seed=2)(x)
    out_t = nn.Dropout(0.4, seed=2)(torch.from_numpy(x))
    assert isinstance(out_t, torch.Tensor)
    assert_close(out_t, out, rtol=1e-15, what="torch vs NumPy dropout")


def test_float32_stays_float32_and_empty_batch():
    layer = nn.Dropout(0.5, seed=0)
    assert layer(np.ones((4, 3), dtype=np.float32)).dtype == np.float32
    assert layer.backward(np.ones((4, 3), dtype=np.float32)).dtype == np.float32
    assert layer(np.ones((0, 3))).shape == (0, 3) and layer.backward(np.ones((0, 3))).shape == (0, 3)
    with pytest.raises(ValueError, match=r"Dropout.backward: expected grad_output of shape \(0, 3\)"):
        layer.backward(np.ones((2, 3)))
