"""nnlib.nn.Linear against torch.nn.Linear (float64 autograd) and finite differences."""

import numpy as np
import pytest
import torch

from nnlib.nn import Linear


def torch_twin(layer):
    """A torch.nn.Linear in float64 holding a copy of ``layer``'s weights."""
    twin = torch.nn.Linear(layer.in_features, layer.out_features, bias=layer.bias is not None).double()
    with torch.no_grad():
        twin.weight.copy_(torch.from_numpy(layer.weight.data))
        if layer.bias is not None:
            twin.bias.copy_(torch.from_numpy(layer.bias.data))
    return twin


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(4, 5), (1, 5), (2, 3, 5), (5,)])
def test_forward_and_gradients_match_torch(shape, bias, compare_with_torch):
    rng = np.random.default_rng(0)
    layer = Linear(5, 3, bias=bias, seed=1)
    x = rng.standard_normal(shape)
    compare_with_torch(layer, torch_twin(layer), x, rng.standard_normal((*shape[:-1], 3)), what=f"{shape}")
    assert [n for n, _ in layer.named_parameters()] == (["weight", "bias"] if bias else ["weight"])


def test_gradients_match_finite_differences(check_gradients):
    rng = np.random.default_rng(2)
    check_gradients(Linear(4, 3, seed=3), rng.standard_normal((6, 4)), rng.standard_normal((6, 3)))


def test_init_follows_pytorch_rule_and_seed():
    layer = Linear(400, 300, seed=0)
    bound = 1 / np.sqrt(400)
    w = layer.weight.data
    assert layer.weight.shape == (300, 400) and layer.bias.shape == (300,)
    assert w.dtype == np.float64 and layer.bias.dtype == np.float64
    assert np.abs(w).max() <= bound and np.abs(layer.bias.data).max() <= bound
    # U(-b, b) has standard deviation b / sqrt(3); 120,000 draws pin it to well under 1%.
    assert abs(w.std() - bound / np.sqrt(3)) < 0.01 * bound, f"std {w.std()}, expected {bound / np.sqrt(3)}"
    assert abs(w.mean()) < 0.01 * bound, f"mean {w.mean()}"
    again = Linear(400, 300, seed=0)
    other = Linear(400, 300, seed=1)
    assert np.array_equal(again.weight.data, w) and np.array_equal(again.bias.data, layer.bias.data)
    assert not np.array_equal(other.weight.data, w)


def test_default_dtype_is_float64_on_numpy_float32_on_torch():
    assert Linear(2, 2).weight.dtype == np.float64
    layer = Linear(2, 2, device="torch:cpu", seed=0)
    assert layer.weight.dtype == torch.float32 and layer.bias.dtype == torch.float32
    assert np.allclose(layer.weight.data.numpy(), Linear(2, 2, seed=0).weight.data, atol=1e-7)
    assert Linear(2, 2, dtype="float32").weight.dtype == np.float32
    assert Linear(2, 2, device="torch:cpu", dtype=torch.float64).weight.dtype == torch.float64


def test_float32_stays_float32():
    layer = Linear(3, 2, dtype="float32", seed=0)
    out = layer(np.ones((4, 3), dtype=np.float32))
    grad_x = layer.backward(np.ones((4, 2), dtype=np.float32))
    dtypes = {out.dtype, grad_x.dtype, layer.weight.grad.dtype, layer.bias.grad.dtype}
    assert dtypes == {np.dtype(np.float32)}, f"dtypes {dtypes}, expected only float32"


def test_gradients_accumulate_until_zero_grad(assert_close):
    layer = Linear(3, 2, seed=0)
    x, g = np.ones((4, 3)), np.ones((4, 2))
    layer(x)
    layer.backward(g)
    once = layer.weight.grad.copy()
    layer(x)
    layer.backward(g)
    assert_close(layer.weight.grad, 2 * once, what="weight.grad after two backward passes")
    layer.zero_grad()
    assert layer.weight.grad is None and layer.bias.grad is None


def test_lists_are_accepted(assert_close):
    layer = Linear(2, 1, seed=0)
    out = layer([[1, 2], [3, 4]])
    assert_close(out, np.array([[1.0, 2.0], [3.0, 4.0]]) @ layer.weight.data.T + layer.bias.data)


def test_empty_batch_gives_empty_output_and_zero_gradients():
    layer = Linear(3, 2, seed=0)
    out = layer(np.zeros((0, 3)))
    grad_x = layer.backward(np.zeros((0, 2)))
    assert out.shape == (0, 2) and grad_x.shape == (0, 3)
    assert np.array_equal(layer.weight.grad, np.zeros((2, 3))) and np.array_equal(
        layer.bias.grad, np.zeros(2)
    )


def test_bad_inputs_raise_clear_errors():
    layer = Linear(3, 2, seed=0)
    with pytest.raises(
        ValueError, match=r"Linear\(3, 2\): expected input of shape \(batch, 3\), got \(4, 5\)"
    ):
        layer(np.ones((4, 5)))
    with pytest.raises(TypeError, match=r"Linear\(3, 2\): expected input of dtype float64.*got float32"):
        layer(np.ones((4, 3), dtype=np.float32))
    with pytest.raises(TypeError, match=r"Linear\(3, 2\): the input is on device 'torch:cpu'.*'cpu'"):
        layer(torch.ones(4, 3, dtype=torch.float64))
    with pytest.raises(RuntimeError, match=r"backward called before forward"):
        Linear(3, 2).backward(np.ones((4, 2)))
    layer(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"expected grad_output of shape \(4, 2\).*got \(4, 3\)"):
        layer.backward(np.ones((4, 3)))


def test_repr_matches_pytorch():
    assert repr(Linear(3, 2)) == repr(torch.nn.Linear(3, 2))


def test_input_grad_false_skips_the_input_gradient_only(assert_close):
    x, g = np.random.default_rng(0).standard_normal((4, 3)), np.random.default_rng(1).standard_normal((4, 2))
    full, skip = Linear(3, 2, seed=0), Linear(3, 2, seed=0)
    full(x)
    full.backward(g)
    skip(x)
    assert skip.backward(g, input_grad=False) is None
    assert_close(skip.weight.grad, full.weight.grad, rtol=0, what="weight.grad with input_grad=False")
    assert_close(skip.bias.grad, full.bias.grad, rtol=0, what="bias.grad with input_grad=False")
