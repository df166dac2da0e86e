"""nnlib.gradcheck: finite differences against known derivatives and torch autograd; check_module on a
tiny module defined here (a correct one passes, one with each kind of bug fails on the right tensor)."""

import numpy as np
import pytest
import torch

import nnlib
from nnlib import backend
from nnlib.gradcheck import (
    GradcheckResult,
    check_module,
    gradcheck,
    numerical_gradient,
    relative_error,
)
from nnlib.nn import Module, Parameter


def cubic(x):
    """sum(x**3 + 2 x), with gradient 3 x**2 + 2."""
    xp = backend.namespace(x)
    return xp.sum(x**3 + 2 * x)


def test_numerical_gradient_of_a_known_function(devices, assert_close):
    x = np.random.default_rng(0).standard_normal((3, 4))
    x_dev = nnlib.to(x, devices)
    grad = numerical_gradient(cubic, x_dev)
    assert backend.is_tensor(grad) == (devices != "cpu") and tuple(grad.shape) == (3, 4)
    assert_close(grad, 3 * x**2 + 2, rtol=1e-9, what=f"numerical gradient on {devices}")
    assert np.array_equal(backend.to_numpy(x_dev), x), "x was left modified"


def test_numerical_gradient_matches_torch_autograd(assert_close):
    x = np.random.default_rng(1).standard_normal(6)
    x_t = torch.tensor(x, requires_grad=True)
    (torch.log_softmax(x_t, 0)[2] * torch.tanh(x_t).sum()).backward()

    def f(v):
        return float(torch.log_softmax(torch.from_numpy(v), 0)[2] * torch.tanh(torch.from_numpy(v)).sum())

    assert_close(numerical_gradient(f, x), x_t.grad, rtol=1e-8, what="numerical vs autograd")


def test_numerical_gradient_restores_x_even_when_f_fails():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def f(v):
        calls.append(v.copy())
        raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError):
        numerical_gradient(f, x)
    assert x.tolist() == [1.0, 2.0, 3.0] and calls[0][0] != 1.0, (x, calls)


def test_numerical_gradient_perturbs_closed_over_arrays_in_place(assert_close):
    """CS231n style: f ignores its argument and reads the weights, which are nudged in place."""
    weight = Parameter(np.array([[1.0, -2.0], [0.5, 3.0]]))
    x = np.array([0.3, -0.7])
    grad = numerical_gradient(lambda _: np.sum((weight.data @ x) ** 2), weight)
    assert_close(grad, 2 * np.outer(weight.data @ x, x), rtol=1e-8, what="d|Wx|^2/dW")


def test_numerical_gradient_needs_float64_and_a_scalar():
    with pytest.raises(TypeError, match="numerical_gradient: x must be a float64 array.*got float32"):
        numerical_gradient(cubic, np.ones(3, dtype=np.float32))
    with pytest.raises(TypeError, match="got torch.float32"):
        numerical_gradient(cubic, torch.ones(3))
    with pytest.raises(ValueError, match=r"f must return a scalar.*got shape \(3,\)"):
        numerical_gradient(lambda v: v * 2, np.ones(3))
    assert numerical_gradient(lambda v: v[0] * v[1], [2.0, 5.0]).tolist() == pytest.approx(
        [5.0, 2.0], rel=1e-9
    )


def test_relative_error_is_the_cs231n_measure():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_error([1.0, 3.0], [1.0, 1.0]) == 0.5  # |3 - 1| / (3 + 1)
    assert relative_error(1.0, -1.0) == 1.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0  # the 1e-12 floor avoids 0 / 0
    assert relative_error([1e-13], [0.0]) == pytest.approx(0.1)  # 1e-13 / max(1e-13, 1e-12)
    assert relative_error(torch.tensor([2.0]), np.array([1.0])) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match=r"relative_error: a has shape \(3,\) but b has shape \(3, 1\)"):
        relative_error(np.ones(3), np.ones((3, 1)))


def test_gradcheck_passes_a_correct_gradient_and_reports_a_wrong_one():
    x = np.random.default_rng(2).standard_normal((2, 3))
    good = gradcheck(cubic, x, 3 * x**2 + 2)
    assert isinstance(good, GradcheckResult) and good.ok and good, str(good)
    assert good.max_relative_error < 1e-8 and good.checked == 6, str(good)
    assert str(good).startswith("gradcheck passed: max relative error"), str(good)

    wrong = 3 * x**2 + 2
    wrong[1, 2] *= 1.5
    bad = gradcheck(cubic, x, wrong, name="x")
    assert not bad.ok and not bad and bad.index == (1, 2), str(bad)
    assert bad.analytic == wrong[1, 2] and bad.numerical == pytest.approx(3 * x[1, 2] ** 2 + 2, rel=1e-8)
    assert bad.max_relative_error == pytest.approx(0.5 / 2.5, rel=1e-6)  # |1.5 g - g| / (1.5 g + g)
    assert "gradcheck of 'x' FAILED" in str(bad) and "worst entry (1, 2)" in str(bad), str(bad)
    assert bad.numerical_grad.shape == (2, 3) and bad.analytic_grad[1, 2] == wrong[1, 2]


def test_gradcheck_accepts_a_gradient_function_and_checks_shapes():
    x = np.linspace(-1, 1, 5)
    assert gradcheck(cubic, x, lambda v: 3 * v**2 + 2).ok
    with pytest.raises(
        ValueError, match=r"gradcheck: analytic_grad has shape \(5, 1\) but x has shape \(5,\)"
    ):
        gradcheck(cubic, x, np.ones((5, 1)))


def test_gradcheck_tolerates_tiny_absolute_errors_where_the_gradient_is_zero():
    """d(x**3)/dx = 0 at 0, but the centred difference gives eps**2 = 1e-12: relative error 1, within atol."""
    x = np.array([0.0])

    def f(v):
        return np.sum(v**3)

    assert numerical_gradient(f, x)[0] == pytest.approx(1e-12, rel=1e-3, abs=0)
    result = gradcheck(f, x, 3 * x**2)
    assert result.ok and result.max_relative_error < 1e-9, str(result)
    strict = gradcheck(f, x, 3 * x**2, atol=0.0)
    assert not strict.ok and strict.index == (0,) and strict.max_relative_error == 1.0, str(strict)


# -- check_module --------------------------------------------------------------------
class TinyAffine(Module):
    """y = tanh(x @ W.T + b), with its backward written by hand (optionally with a planted bug)."""

    def __init__(self, bug=None, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.weight = Parameter(rng.standard_normal((2, 3)))
        self.bias = Parameter(rng.standard_normal(2))
        self.bug = bug

    def forward(self, x):
        xp = backend.namespace(x)
        self.x = x
        self.y = xp.tanh(x @ self.weight.data.T + self.bias.data)
        return self.y

    def backward(self, grad_output):
        xp = backend.namespace(grad_output)
        grad_z = grad_output * (1 - self.y**2)
        grad_w = grad_z.T @ self.x
        if self.bug == "weight":
            grad_w = grad_w * 1.01
        self.weight.accumulate_grad(grad_w)
        if self.bug != "bias":  # the planted bug: forget the bias's gradient
            self.bias.accumulate_grad(xp.sum(grad_z, axis=0))
        grad_x = grad_z @ self.weight.data
        return -grad_x if self.bug == "input" else grad_x


def test_check_module_passes_a_correct_module(devices):
    module = TinyAffine().to(devices)
    x = nnlib.to(np.random.default_rng(3).standard_normal((4, 3)), devices)
    result = check_module(module, x)
    assert result.ok and result, str(result)
    assert list(result.results) == ["input", "weight", "bias"], list(result.results)
    assert all(r.max_relative_error < 1e-7 for r in result.results.values()), str(result)
    assert module.weight.grad is None and module.bias.grad is None, "check_module left gradients behind"
    assert str(result).startswith("check_module(TinyAffine): passed"), str(result)


@pytest.mark.parametrize("bug", ["weight", "bias", "input"])
def test_check_module_finds_the_broken_gradient(bug):
    module = TinyAffine(bug=bug)
    x = np.random.default_rng(4).standard_normal((4, 3))
    result = check_module(module, x)
    failed = [name for name, r in result.results.items() if not r.ok]
    assert failed == [bug], f"planted a bug in {bug!r}, check_module flagged {failed}\n{result}"
    assert not result and "FAILED" in str(result) and bug in str(result)
    assert result[bug].max_relative_error > 1e-3, str(result)


def test_check_module_with_sampled_entries_and_integer_input(assert_close):
    class Lookup(Module):
        def __init__(self):
            super().__init__()
            self.table = Parameter(np.random.default_rng(5).standard_normal((10, 4)))

        def forward(self, ids):
            self.ids = ids
            return self.table.data[ids] ** 2

        def backward(self, grad_output):
            grad = np.zeros_like(self.table.data)
            np.add.at(grad, self.ids, grad_output * 2 * self.table.data[self.ids])
            self.table.accumulate_grad(grad)

    result = check_module(Lookup(), np.array([1, 3, 3, 7]), max_entries=12)
    assert list(result.results) == ["table"] and result["table"].checked == 12 and result.ok, str(result)


def test_check_module_refuses_what_it_cannot_check():
    with pytest.raises(TypeError, match=r"check_module\(TinyAffine\): parameter 'weight' is float32"):
        check_module(TinyAffine().to(dtype="float32"), np.ones((2, 3)))
    with pytest.raises(TypeError, match=r"check_module\(TinyAffine\): x must be a float64 array"):
        check_module(TinyAffine(), np.ones((2, 3), dtype=np.float32))

    class Noisy(TinyAffine):
        def forward(self, x):
            return super().forward(x) + np.random.default_rng().standard_normal(2) * 1e-3

    with pytest.raises(RuntimeError, match="two forward passes on the same input disagree"):
        check_module(Noisy(), np.ones((2, 3)))
