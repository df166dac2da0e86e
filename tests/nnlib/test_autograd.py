"""nnlib.autograd.Value: the module-04 slide numbers, torch autograd (float64) and finite differences."""

import math

import numpy as np
import pytest
import torch

from nnlib.autograd import Value


def neuron(w, x, via_exp):
    """f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))), built from primitives or with sigmoid()."""
    z = w[0] * x[0] + w[1] * x[1] + w[2]
    return 1 / (1 + (-z).exp()) if via_exp else z.sigmoid()


@pytest.mark.parametrize("via_exp", [True, False])
def test_slide_numbers_of_the_sigmoid_neuron(via_exp):
    w = [Value(2.0, "w0"), Value(-3.0, "w1"), Value(-3.0, "w2")]
    x = [Value(-1.0, "x0"), Value(-2.0, "x1")]
    f = neuron(w, x, via_exp)
    f.backward()
    got = (round(f.data, 2), [round(v.grad, 2) for v in w], [round(v.grad, 2) for v in x])
    assert got == (0.73, [-0.2, -0.39, 0.2], [0.39, -0.59]), f"got {got}"

    w_t = torch.tensor([2.0, -3.0, -3.0], dtype=torch.float64, requires_grad=True)
    x_t = torch.tensor([-1.0, -2.0], dtype=torch.float64, requires_grad=True)
    f_t = torch.sigmoid(w_t[0] * x_t[0] + w_t[1] * x_t[1] + w_t[2])
    f_t.backward()
    assert abs(f.data - f_t.item()) < 1e-15
    for ours, theirs in zip([v.grad for v in w + x], [*w_t.grad.tolist(), *x_t.grad.tolist()], strict=True):
        assert abs(ours - theirs) <= 1e-7 * abs(theirs), f"gradient {ours}, torch gives {theirs}"


def expression(a, b, c, lib):
    """Every operation at least once, with a shared sub-expression (a is used many times)."""
    exp, log, tanh, sigmoid, relu = lib
    d = a * b + c / a - 2 * b + 1.5 - a**2 + 3 / c - (-b) + (1 - b)
    e = exp(d * 0.1) + log(c * c + 1) * tanh(a - b) + sigmoid(b * c) + relu(a - 0.5) + relu(b - 10)
    return e / (2 + a) - 4 - e**0.5 * 0.3 + b**-1 + a**3


VALUE_OPS = (Value.exp, Value.log, Value.tanh, Value.sigmoid, Value.relu)
TORCH_OPS = (torch.exp, torch.log, torch.tanh, torch.sigmoid, torch.relu)


@pytest.mark.parametrize("seed", range(5))
def test_every_operation_matches_torch(seed):
    numbers = np.random.default_rng(seed).uniform(0.3, 2.0, size=3)
    values = [Value(float(n)) for n in numbers]
    out = expression(*values, VALUE_OPS)
    out.backward()

    tensors = [torch.tensor(float(n), dtype=torch.float64, requires_grad=True) for n in numbers]
    out_t = expression(*tensors, TORCH_OPS)
    out_t.backward()
    assert abs(out.data - out_t.item()) <= 1e-12 * abs(out_t.item()), (out.data, out_t.item())
    for v, t in zip(values, tensors, strict=True):
        assert abs(v.grad - t.grad.item()) <= 1e-7 * abs(t.grad.item()), (
            f"grad {v.grad}, torch {t.grad.item()}"
        )


def test_gradients_match_finite_differences():
    point = [0.7, 1.3, 0.4]

    def f(p):
        return expression(*(Value(x) for x in p), VALUE_OPS).data

    values = [Value(x) for x in point]
    expression(*values, VALUE_OPS).backward()
    for i in range(3):
        up, down = list(point), list(point)
        up[i] += 1e-6
        down[i] -= 1e-6
        numerical = (f(up) - f(down)) / 2e-6
        assert abs(values[i].grad - numerical) <= 1e-7 * abs(numerical), (i, values[i].grad, numerical)


def test_backward_twice_gives_the_same_gradients():
    a, b = Value(1.5), Value(-0.5)
    out = (a * b + a.tanh()) * a
    out.backward()
    first = (a.grad, b.grad)
    out.backward()
    assert (a.grad, b.grad) == first, f"after a second backward: {(a.grad, b.grad)}, first time {first}"
    (a * 3).backward()  # a new graph that shares the leaf a: a's gradient is reset, not accumulated
    assert a.grad == 3.0 and b.grad == first[1], (a.grad, b.grad)


def test_shared_subexpressions_accumulate():
    a = Value(3.0)
    b = a * a  # a used twice in one node
    c = b + b + a  # b used twice
    c.backward()
    assert a.grad == 4 * 3.0 + 1 and b.grad == 2.0, (a.grad, b.grad)


def test_a_long_chain_needs_no_recursion():
    x = Value(0.5)
    y = x
    for _ in range(20_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0 and y.data == 0.5


def test_extremes_and_kinks():
    for z, s in [(1000.0, 1.0), (-1000.0, 0.0)]:
        v = Value(z)
        out = v.sigmoid()
        out.backward()
        assert out.data == s and v.grad == 0.0, (z, out.data, v.grad)
    for z, slope in [(2.0, 1.0), (0.0, 0.0), (-1.0, 0.0)]:  # ReLU's derivative at 0 is 0, as in torch
        v = Value(z)
        v.relu().backward()
        assert v.grad == slope, (z, v.grad)
    v = Value(0.0)
    (v**0.5).backward()
    assert v.grad == math.inf


def test_errors_and_repr():
    with pytest.raises(ValueError, match="Value.log: log is only defined for positive numbers; got -1.0"):
        Value(-1.0).log()
    with pytest.raises(OverflowError, match=r"Value.exp: exp\(1000.0\) is too large"):
        Value(1000.0).exp()
    with pytest.raises(ValueError, match="is not a real number"):
        Value(-8.0) ** (1 / 3)
    with pytest.raises(TypeError, match="Value: data must be a real number, got str"):
        Value("3")
    with pytest.raises(TypeError):
        Value(2.0) ** Value(3.0)  # only number exponents
    with pytest.raises(TypeError):
        Value(1.0) + "a"
    w = Value(2.0, label="w")
    f = (w * 3.0).sigmoid()
    f.backward()
    assert repr(f) == "Value(data=0.9975, grad=1)", repr(f)
    assert repr(w) == "Value(data=2, grad=0.0074, label='w')", repr(w)
    assert f.op == "sigmoid" and f.parents[0].op == "*" and f.parents[0].parents[0] is w
    assert float(f) == f.data and sum([w, w, 1]).data == 5.0
