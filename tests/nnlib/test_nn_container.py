"""nnlib.nn.Sequential: an MLP end to end against torch.nn.Sequential, plus the container API."""

from collections import OrderedDict

import numpy as np
import pytest
import torch

from nnlib import nn


def copy_into_torch(ours, theirs):
    with torch.no_grad():
        for (name, p), (name_t, p_t) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
            assert name == name_t, f"parameter names differ: {name} vs {name_t}"
            p_t.copy_(torch.from_numpy(p.data))


def test_mlp_end_to_end_matches_torch(assert_close):
    ours = nn.Sequential(nn.Linear(6, 16, seed=0), nn.ReLU(), nn.Linear(16, 3, seed=1))
    theirs = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3)).double()
    copy_into_torch(ours, theirs)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((10, 6))
    targets = rng.integers(0, 3, 10)

    # Softmax cross-entropy written out, so the test depends on nothing but Sequential and its layers.
    logits = ours(x)
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    grad_logits = probs.copy()
    grad_logits[np.arange(10), targets] -= 1
    grad_x = ours.backward(grad_logits / 10)

    x_t = torch.tensor(x, requires_grad=True)
    logits_t = theirs(x_t)
    torch.nn.functional.cross_entropy(logits_t, torch.from_numpy(targets)).backward()
    assert_close(logits, logits_t, what="logits")
    assert_close(grad_x, x_t.grad, what="grad_x")
    for (name, p), p_t in zip(ours.named_parameters(), theirs.parameters(), strict=True):
        assert_close(p.grad, p_t.grad, what=f"{name}.grad")


def test_mlp_gradients_match_finite_differences(check_gradients):
    model = nn.Sequential(
        nn.Linear(4, 5, seed=0), nn.Tanh(), nn.Linear(5, 5, seed=1), nn.ReLU(), nn.Linear(5, 2)
    )
    rng = np.random.default_rng(3)
    check_gradients(model, rng.standard_normal((3, 4)), rng.standard_normal((3, 2)))


def test_deeper_model_with_batchnorm_and_tanh_matches_torch(compare_with_torch):
    # No bias before BatchNorm: its gradient would be exactly 0 (rounding noise in both libraries).
    ours = nn.Sequential(
        nn.Linear(5, 8, bias=False, seed=0), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 2, seed=1)
    )
    theirs = torch.nn.Sequential(
        torch.nn.Linear(5, 8, bias=False), torch.nn.BatchNorm1d(8), torch.nn.Tanh(), torch.nn.Linear(8, 2)
    ).double()
    copy_into_torch(ours, theirs)
    x = np.random.default_rng(1).standard_normal((7, 5))
    g = np.random.default_rng(2).standard_normal((7, 2))
    compare_with_torch(ours, theirs, x, g)
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())


def test_indexing_len_append_iteration_and_slices():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    model = nn.Sequential(a, b)
    assert len(model) == 2 and model[0] is a and model[-1] is b
    assert model.append(c) is model and len(model) == 3 and model[2] is c
    assert list(model) == [a, b, c]
    head = model[:2]
    assert isinstance(head, nn.Sequential) and list(head) == [a, b]
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    with pytest.raises(IndexError, match="index 3 is out of range for 3 modules"):
        model[3]
    with pytest.raises(TypeError, match="expected a Module, got int"):
        model.append(3)


def test_named_children_from_ordered_dict():
    model = nn.Sequential(OrderedDict(hidden=nn.Linear(2, 3), act=nn.ReLU()))
    assert [name for name, _ in model.named_children()] == ["hidden", "act"]
    assert [name for name, _ in model.named_parameters()] == ["hidden.weight", "hidden.bias"]


def test_train_eval_reach_every_layer():
    model = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5), nn.BatchNorm1d(3))
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_backward_runs_in_reverse_order():
    calls = []

    class Probe(nn.Identity):
        def __init__(self, tag):
            super().__init__()
            self.tag = tag

        def backward(self, grad_output):
            calls.append(self.tag)
            return grad_output

    model = nn.Sequential(Probe("first"), Probe("second"), Probe("third"))
    model(np.ones(2))
    model.backward(np.ones(2))
    assert calls == ["third", "second", "first"], f"backward order {calls}"


def test_repr_matches_pytorch():
    ours = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("first", ["linear", "nested", "dropout"])
def test_input_grad_false_returns_none_and_same_parameter_gradients(first, assert_close):
    def build():
        head = {
            "linear": nn.Linear(3, 4, seed=0),
            "nested": nn.Sequential(nn.Linear(3, 4, seed=0), nn.Tanh()),
            "dropout": nn.Dropout(0.5, seed=0),
        }[first]
        return nn.Sequential(head, nn.ReLU(), nn.Linear(4 if first != "dropout" else 3, 2, seed=1))

    x, g = np.random.default_rng(0).standard_normal((5, 3)), np.random.default_rng(1).standard_normal((5, 2))
    full, skip = build(), build()
    full(x)
    assert full.backward(g) is not None
    skip(x)
    assert skip.backward(g, input_grad=False) is None
    for (name, p), q in zip(skip.named_parameters(), full.parameters(), strict=True):
        assert_close(p.grad, q.grad, rtol=0, what=f"{name}.grad with input_grad=False")
