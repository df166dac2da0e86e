"""nnlib.nn.Embedding and EmbeddingBag against torch.nn (float64 autograd)."""

import numpy as np
import pytest
import torch

from nnlib import nn


def torch_twin(ours, cls, **kwargs):
    twin = cls(ours.num_embeddings, ours.embedding_dim, padding_idx=ours.padding_idx, **kwargs).double()
    with torch.no_grad():
        twin.weight.copy_(torch.from_numpy(ours.weight.data))
    return twin


@pytest.mark.parametrize("padding_idx", [None, 0])
def test_embedding_matches_torch(padding_idx, assert_close):
    ours = nn.Embedding(10, 4, padding_idx=padding_idx, seed=0)
    theirs = torch_twin(ours, torch.nn.Embedding)
    indices = np.array([[1, 2, 0, 2], [9, 0, 0, 3]])
    g = np.random.default_rng(1).standard_normal((2, 4, 4))
    out = ours(indices)
    assert ours.backward(g) is None
    out_t = theirs(torch.from_numpy(indices))
    out_t.backward(torch.from_numpy(g))
    assert_close(out, out_t, what="output")
    assert_close(ours.weight.grad, theirs.weight.grad, what="weight.grad (repeated indices add up)")
    if padding_idx is not None:
        assert np.array_equal(ours.weight.data[0], np.zeros(4)), "the padding row starts at zero"


def test_embedding_init_is_standard_normal_and_seeded():
    w = nn.Embedding(1000, 50, seed=0).weight.data
    assert abs(w.mean()) < 0.02 and abs(w.std() - 1) < 0.02, f"mean {w.mean()}, std {w.std()}"
    assert np.array_equal(nn.Embedding(1000, 50, seed=0).weight.data, w)


@pytest.mark.parametrize("mode", ["mean", "sum"])
@pytest.mark.parametrize("padding_idx", [None, 0])
def test_embedding_bag_2d_matches_torch(mode, padding_idx, assert_close):
    ours = nn.EmbeddingBag(12, 3, mode=mode, padding_idx=padding_idx, seed=0)
    theirs = torch_twin(ours, torch.nn.EmbeddingBag, mode=mode)
    indices = np.array([[1, 2, 2, 0], [5, 0, 0, 0], [7, 11, 3, 4]])
    g = np.random.default_rng(2).standard_normal((3, 3))
    out = ours(indices)
    ours.backward(g)
    out_t = theirs(torch.from_numpy(indices))
    out_t.backward(torch.from_numpy(g))
    assert_close(out, out_t, what=f"{mode} output")
    assert_close(ours.weight.grad, theirs.weight.grad, what=f"{mode} weight.grad")


@pytest.mark.parametrize("mode", ["mean", "sum"])
def test_embedding_bag_offsets_match_torch_including_empty_bags(mode, assert_close):
    ours = nn.EmbeddingBag(8, 5, mode=mode, seed=1)
    theirs = torch_twin(ours, torch.nn.EmbeddingBag, mode=mode)
    indices = np.array([1, 2, 4, 4, 7, 0])
    offsets = np.array([0, 2, 2, 5])  # bags [1 2], [], [4 4 7], [0]
    g = np.random.default_rng(3).standard_normal((4, 5))
    out = ours(indices, offsets)
    ours.backward(g)
    out_t = theirs(torch.from_numpy(indices), torch.from_numpy(offsets))
    out_t.backward(torch.from_numpy(g))
    assert_close(out, out_t, what="output")
    assert np.array_equal(out[1], np.zeros(5)), "an empty bag gives zeros"
    assert_close(ours.weight.grad, theirs.weight.grad, what="weight.grad")


def test_embedding_bag_gradient_matches_finite_differences(check_gradients):
    indices = np.array([[0, 1, 1], [5, 2, 0]])
    check_gradients(nn.EmbeddingBag(6, 2, seed=0), indices, np.random.default_rng(4).standard_normal((2, 2)))


def test_bad_indices():
    layer = nn.Embedding(5, 2)
    with pytest.raises(IndexError, match=r"Embedding\(5, 2\): index 5 is out of range \[0, 5\)"):
        layer([[1, 5]])
    with pytest.raises(IndexError, match=r"index -1 is out of range"):
        layer([-1])
    with pytest.raises(TypeError, match=r"Embedding\(5, 2\): expected integer indices.*float64"):
        layer(np.array([1.0, 2.0]))
    bag = nn.EmbeddingBag(5, 2)
    with pytest.raises(ValueError, match=r"EmbeddingBag\(5, 2\): expected indices of shape \(bags, length\)"):
        bag([1, 2])
    with pytest.raises(ValueError, match=r"offsets must start at 0"):
        bag([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"mode must be 'mean' or 'sum'"):
        nn.EmbeddingBag(5, 2, mode="max")


def test_runs_on_torch_tensors_with_the_same_numbers(assert_close):
    ours = nn.EmbeddingBag(9, 3, seed=0)
    indices = np.array([[1, 2], [3, 3]])
    g = np.ones((2, 3))
    out = ours(indices)
    ours.backward(g)
    grad = ours.weight.grad
    ours.zero_grad()
    ours.to("torch:cpu")
    out_t = ours(torch.from_numpy(indices))
    ours.backward(torch.from_numpy(g))
    assert isinstance(out_t, torch.Tensor)
    assert_close(out_t, out, rtol=1e-12, what="torch output")
    assert_close(ours.weight.grad, grad, rtol=1e-12, what="torch weight.grad")
