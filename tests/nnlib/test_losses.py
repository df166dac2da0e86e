"""nnlib.losses and the loss modules of nnlib.nn against torch.nn.functional (float64 autograd),
finite differences and the course's published numbers."""

import math
import re
import warnings
from functools import partial

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import nnlib
from nnlib import backend, losses, nn
from nnlib.gradcheck import numerical_gradient

REDUCTIONS = ["mean", "sum", "none"]


# -- the cases: name -> (loss, its gradient, make(rng) -> (input, target, torch reference)) ----------
def torch_probs_ce(base, eps=1e-12):
    """Cross-entropy from probabilities, written with torch ops (class axis 1, or 0 for one example)."""

    def reference(p, t, reduction):
        axis = 1 if p.ndim >= 2 else 0
        if t.shape != p.shape:
            t = TF.one_hot(t, p.shape[axis]).movedim(-1, axis).to(p.dtype)
        loss = -(t * torch.log(torch.clamp(p, min=eps))).sum(axis) / math.log(base)
        return {"mean": loss.mean, "sum": loss.sum, "none": lambda: loss}[reduction]()

    return reference


def softmax_rows(rng, shape, axis=1):
    z = rng.standard_normal(shape) * 2
    return np.exp(z) / np.exp(z).sum(axis=axis, keepdims=True)


def make_ce_index(rng):
    return rng.standard_normal((6, 4)) * 3, rng.integers(0, 4, size=6), TF.cross_entropy


def make_ce_probs(rng):
    return rng.standard_normal((6, 4)) * 3, softmax_rows(rng, (6, 4)), TF.cross_entropy


def make_ce_single(rng):
    return rng.standard_normal(5), np.array(3), TF.cross_entropy


def make_ce_sequence(rng):  # (N, C, T): classes on axis 1, like torch
    return rng.standard_normal((3, 4, 5)), rng.integers(0, 4, size=(3, 5)), TF.cross_entropy


def make_nll(rng):
    log_probs = np.log(softmax_rows(rng, (6, 4)))
    return log_probs, rng.integers(0, 4, size=6), TF.nll_loss


def make_nll_sequence(rng):
    return np.log(softmax_rows(rng, (3, 4, 5))), rng.integers(0, 4, size=(3, 5)), TF.nll_loss


def make_probs_ce_index(rng):
    return softmax_rows(rng, (6, 4)), rng.integers(0, 4, size=6), torch_probs_ce(2)


def make_probs_ce_soft(rng):
    return softmax_rows(rng, (6, 4)), softmax_rows(rng, (6, 4)), torch_probs_ce(math.e)


def make_bce(rng):
    return rng.uniform(0.05, 0.95, size=(5, 3)), rng.uniform(0, 1, size=(5, 3)), TF.binary_cross_entropy


def make_bce_logits(rng):
    logits = rng.standard_normal((5, 3)) * 4
    return logits, rng.integers(0, 2, size=(5, 3)).astype(float), TF.binary_cross_entropy_with_logits


def make_regression(reference):
    return lambda rng: (rng.standard_normal((5, 3)), rng.standard_normal((5, 3)), reference)


CASES = {
    "cross_entropy[index]": (losses.cross_entropy, losses.cross_entropy_grad, make_ce_index),
    "cross_entropy[probs]": (losses.cross_entropy, losses.cross_entropy_grad, make_ce_probs),
    "cross_entropy[single]": (losses.cross_entropy, losses.cross_entropy_grad, make_ce_single),
    "cross_entropy[sequence]": (losses.cross_entropy, losses.cross_entropy_grad, make_ce_sequence),
    "nll_loss": (losses.nll_loss, losses.nll_loss_grad, make_nll),
    "nll_loss[sequence]": (losses.nll_loss, losses.nll_loss_grad, make_nll_sequence),
    "cross_entropy_probs[index,bits]": (
        partial(losses.cross_entropy_probs, base=2),
        partial(losses.cross_entropy_probs_grad, base=2),
        make_probs_ce_index,
    ),
    "cross_entropy_probs[soft]": (
        losses.cross_entropy_probs,
        losses.cross_entropy_probs_grad,
        make_probs_ce_soft,
    ),
    "binary_cross_entropy": (losses.binary_cross_entropy, losses.binary_cross_entropy_grad, make_bce),
    "binary_cross_entropy_with_logits": (
        losses.binary_cross_entropy_with_logits,
        losses.binary_cross_entropy_with_logits_grad,
        make_bce_logits,
    ),
    "mse_loss": (losses.mse_loss, losses.mse_loss_grad, make_regression(TF.mse_loss)),
    "l1_loss": (losses.l1_loss, losses.l1_loss_grad, make_regression(TF.l1_loss)),
}


def torch_loss_and_grad(reference, x, target, reduction, grad_output):
    x_t = torch.tensor(x, requires_grad=True)
    loss = reference(x_t, torch.as_tensor(target), reduction=reduction)
    loss.backward(torch.as_tensor(grad_output, dtype=torch.float64))
    return loss.detach(), x_t.grad


def check_backend(out, device):
    assert backend.is_tensor(out) == (device != "cpu"), f"{device}: got {type(out).__name__}"


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(CASES))
def test_loss_and_gradient_match_torch(case, reduction, devices, assert_close, request):
    loss_fn, grad_fn, make = CASES[case]
    rng = np.random.default_rng(0)
    x, target, reference = make(rng)
    expected_shape = reference(torch.tensor(x), torch.as_tensor(target), reduction=reduction).shape
    grad_output = rng.standard_normal(tuple(expected_shape)) if reduction == "none" else 0.7
    expected, expected_grad = torch_loss_and_grad(reference, x, target, reduction, grad_output)

    x_dev, target_dev = nnlib.to(x, devices), nnlib.to(target, devices)
    g_dev = nnlib.to(grad_output, devices) if reduction == "none" else grad_output
    loss = loss_fn(x_dev, target_dev, reduction=reduction)
    grad = grad_fn(x_dev, target_dev, reduction=reduction, grad_output=g_dev)

    check_backend(loss, devices)
    check_backend(grad, devices)
    if reduction != "none":
        assert tuple(loss.shape) == () and hasattr(loss, "ndim"), (
            f"{case}: expected a 0-d array, got {loss!r}"
        )
    assert_close(loss, expected, what=f"{case} loss ({reduction}, {devices})")
    assert_close(grad, expected_grad, what=f"{case} gradient ({reduction}, {devices})")


@pytest.mark.parametrize("case", list(CASES))
def test_gradient_matches_finite_differences(case, assert_close):
    loss_fn, grad_fn, make = CASES[case]
    x, target, _ = make(np.random.default_rng(1))
    numerical = numerical_gradient(lambda v: loss_fn(v, target), x.astype(np.float64))
    assert_close(grad_fn(x, target), numerical, rtol=1e-7, what=f"{case} gradient vs finite differences")


@pytest.mark.parametrize("dtype", [np.float32, torch.float32])
def test_float32_stays_float32(dtype):
    x = np.random.default_rng(2).standard_normal((4, 3))
    x = torch.tensor(x, dtype=dtype) if isinstance(dtype, torch.dtype) else x.astype(dtype)
    target = [0, 2, 1, 1]
    for value in (
        losses.cross_entropy(x, target),
        losses.cross_entropy_grad(x, target),
        losses.mse_loss(x, x),
    ):
        assert value.dtype == dtype, f"got {value.dtype}, expected {dtype}"


# -- course numbers ------------------------------------------------------------
@pytest.mark.parametrize(
    ("counts", "bits"),
    [((26, 4), 0.5665), ((14, 16), 0.9968), ((1, 29), 0.2108), ((30, 0), 0.0), ((15, 15), 1.0)],
)
def test_entropy_of_containers_of_30_shapes(counts, bits):
    p = np.array(counts) / 30
    h = float(losses.entropy(p))
    assert abs(h - bits) < 5e-5, f"entropy{counts} = {h:.5f} bits, expected {bits}"


def test_cross_entropy_from_probabilities_course_numbers():
    truth = [1.0, 0.0, 0.0, 0.0]  # the image is a dog
    bits = float(losses.cross_entropy_probs([0.775, 0.116, 0.039, 0.070], truth, base=2))
    assert abs(bits - 0.3677) < 5e-5, f"got {bits:.5f} bits, expected 0.3677"
    better = float(losses.cross_entropy_probs([[0.936, 0.03, 0.02, 0.014]], [0], base=2))
    # -log2(0.936) = 0.09542; the slide shows 0.0953
    assert abs(better - 0.0953) < 2e-4, f"got {better:.5f} bits, expected about 0.0953"
    assert abs(better - -math.log2(0.936)) < 1e-12, better


# -- entropy ---------------------------------------------------------------------
def test_entropy_and_gradient_match_torch(devices, assert_close):
    rng = np.random.default_rng(3)
    p = softmax_rows(rng, (4, 6), axis=0)  # distributions along dim 0
    g = rng.standard_normal(6)
    p_t = torch.tensor(p, requires_grad=True)
    expected = torch.special.entr(p_t).sum(0) / math.log(2)  # entr(p) = -p ln p
    expected.backward(torch.from_numpy(g))
    categorical = torch.distributions.Categorical(probs=torch.from_numpy(p.T)).entropy() / math.log(2)
    assert_close(losses.entropy(p, dim=0), categorical, what="entropy vs torch Categorical")
    p_dev = nnlib.to(p, devices)
    assert_close(losses.entropy(p_dev, dim=0), expected.detach(), what="entropy in bits")
    assert_close(
        losses.entropy_grad(p_dev, dim=0, grad_output=nnlib.to(g, devices)), p_t.grad, what="entropy gradient"
    )
    nats = losses.entropy(p_dev, base=math.e, dim=0)
    assert_close(nats, expected.detach() * math.log(2), what="entropy in nats")
    numerical = numerical_gradient(lambda v: np.sum(losses.entropy(v, dim=0) * g), p)
    assert_close(
        losses.entropy_grad(p, dim=0, grad_output=g), numerical, what="entropy gradient vs finite diff."
    )


def test_entropy_treats_0_log_0_as_0():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = losses.entropy([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
        grad = losses.entropy_grad([0.5, 0.0, 0.5])
    assert h.tolist() == [1.0, 0.0], h
    assert grad[1] == math.inf and np.isfinite(grad[[0, 2]]).all(), grad


# -- extremes ------------------------------------------------------------------------
def test_extreme_inputs_give_finite_values_like_torch(devices, assert_close):
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])
    target = np.array([1, 1])
    probs = np.array([0.0, 1.0, 0.3, 0.0, 1.0])
    labels = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    z = np.array([-1000.0, 1000.0, -1000.0, 1000.0, 0.0])
    cases = [
        (losses.cross_entropy, losses.cross_entropy_grad, TF.cross_entropy, logits, target),
        (
            losses.binary_cross_entropy,
            losses.binary_cross_entropy_grad,
            TF.binary_cross_entropy,
            probs,
            labels,
        ),
        (
            losses.binary_cross_entropy_with_logits,
            losses.binary_cross_entropy_with_logits_grad,
            TF.binary_cross_entropy_with_logits,
            z,
            labels,
        ),
    ]
    for loss_fn, grad_fn, reference, x, t in cases:
        for reduction in REDUCTIONS:
            g = np.ones(x.shape[:1]) if reduction == "none" else 1.0
            expected, expected_grad = torch_loss_and_grad(reference, x, t, reduction, g)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                loss = loss_fn(nnlib.to(x, devices), nnlib.to(t, devices), reduction=reduction)
                grad = grad_fn(nnlib.to(x, devices), nnlib.to(t, devices), reduction=reduction)
            name = f"{loss_fn.__name__}({reduction})"
            assert np.isfinite(backend.to_numpy(loss)).all(), f"{name}: {loss}"
            assert np.isfinite(backend.to_numpy(grad)).all(), f"{name} gradient: {grad}"
            assert_close(loss, expected, what=name)
            assert_close(grad, expected_grad, what=f"{name} gradient")
    assert float(losses.binary_cross_entropy([0.0], [1.0])) == 100.0  # log clamped at -100, as in torch


def test_log_of_zero_probability_is_clipped():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = float(losses.cross_entropy_probs([[0.0, 1.0]], [0], eps=1e-12))
        grad = losses.cross_entropy_probs_grad([[0.0, 1.0]], [0], eps=1e-12)
    assert abs(loss - -math.log(1e-12)) < 1e-9, f"got {loss}, expected -log(1e-12) = {-math.log(1e-12)}"
    assert grad.tolist() == [[0.0, 0.0]], f"the clipped region has zero slope; got {grad}"


def test_l1_subgradient_at_ties_is_zero_like_torch():
    x, t = np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 4.0])
    _, expected = torch_loss_and_grad(TF.l1_loss, x, t, "sum", 1.0)
    assert losses.l1_loss_grad(x, t, reduction="sum").tolist() == expected.tolist() == [0.0, 1.0, -1.0]


def test_mean_is_sum_over_count():
    rng = np.random.default_rng(4)
    x, t = rng.standard_normal((8, 5)), rng.integers(0, 5, size=8)
    mean, total = losses.cross_entropy(x, t), losses.cross_entropy(x, t, reduction="sum")
    assert abs(float(mean) * 8 - float(total)) < 1e-12, (mean, total)
    assert np.allclose(
        losses.cross_entropy_grad(x, t) * 8, losses.cross_entropy_grad(x, t, "sum"), rtol=1e-14
    )
    onehot = np.eye(5)[t]
    assert np.allclose(
        losses.cross_entropy_grad(x, t), (nnlib.functional.softmax(x) - onehot) / 8, rtol=1e-14
    )
    assert abs(float(losses.cross_entropy(x, onehot)) - float(mean)) < 1e-14, "one-hot rows = class indices"
    assert abs(float(losses.nll_loss(nnlib.functional.log_softmax(x), t)) - float(mean)) < 1e-14


# -- bad input -----------------------------------------------------------------------
def test_mismatched_class_target_shape_names_both_shapes():
    message = "cross_entropy: logits have shape (4, 3) so target must have shape (4,) or (4, 3); got (5,)"
    with pytest.raises(ValueError, match=re.escape(message)):
        losses.cross_entropy(np.zeros((4, 3)), np.zeros(5, dtype=int))
    with pytest.raises(
        ValueError,
        match=re.escape("nll_loss: log_probs have shape (4, 3) so target must have shape (4,); got (4, 3)"),
    ):
        losses.nll_loss(np.zeros((4, 3)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match=re.escape("cross_entropy_probs: probs have shape (2, 3)")):
        losses.cross_entropy_probs_grad(np.full((2, 3), 1 / 3), [[0, 1]])
    with pytest.raises(ValueError, match="cross_entropy: expected logits of shape"):
        losses.cross_entropy(np.float64(1.0), 0)


@pytest.mark.parametrize("fn", [losses.cross_entropy, losses.cross_entropy_grad, losses.nll_loss])
def test_float_class_labels_are_rejected(fn, devices):
    labels = nnlib.to(np.array([0.0, 2.0, 1.0, 1.0]), devices)
    with pytest.raises(
        TypeError, match=rf"{fn.__name__.removesuffix('_grad')}: .*integer array; got dtype .*float64"
    ):
        fn(nnlib.to(np.zeros((4, 3)), devices), labels)


@pytest.mark.parametrize("bad", [3, -1])
def test_labels_out_of_range_are_rejected(bad, devices):
    with pytest.raises(
        ValueError, match=rf"cross_entropy: target holds class {bad}, but logits have 3 classes"
    ):
        losses.cross_entropy(nnlib.to(np.zeros((4, 3)), devices), nnlib.to(np.array([0, bad, 1, 2]), devices))


@pytest.mark.parametrize("case", [case for case in CASES if case != "cross_entropy[single]"])
def test_empty_batch(case):
    loss_fn, grad_fn, make = CASES[case]
    x, target, _ = make(np.random.default_rng(5))
    x, target = x[:0], target[:0]
    for fn in (loss_fn, grad_fn):
        with pytest.raises(ValueError, match=r"\w+: the batch is empty \(0 examples\)"):
            fn(x, target)
    assert float(loss_fn(x, target, reduction="sum")) == 0.0
    assert tuple(loss_fn(x, target, reduction="none").shape)[0] == 0
    assert tuple(grad_fn(x, target, reduction="sum").shape) == x.shape


def test_regression_losses_refuse_shapes_that_would_broadcast():
    with pytest.raises(
        ValueError,
        match=re.escape("mse_loss: input has shape (4, 1) so target must have the same shape; got (4,)"),
    ):
        losses.mse_loss(np.zeros((4, 1)), np.zeros(4))
    with pytest.raises(
        ValueError, match=re.escape("binary_cross_entropy_with_logits: logits has shape (4,)")
    ):
        losses.binary_cross_entropy_with_logits_grad(np.zeros(4), np.zeros((4, 1)))


def test_other_bad_arguments():
    with pytest.raises(
        ValueError, match=r"binary_cross_entropy: probs must lie in \[0, 1\]; got values from -0.5 to 2.0"
    ):
        losses.binary_cross_entropy([-0.5, 0.5, 2.0], [0.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="l1_loss: reduction must be 'mean', 'sum' or 'none'; got 'average'"):
        losses.l1_loss([1.0], [2.0], reduction="average")
    with pytest.raises(
        ValueError,
        match=re.escape(
            "mse_loss_grad: with reduction='none', grad_output must be a number or an array of shape (3,); "
            "got shape (2,)"
        ),
    ):
        losses.mse_loss_grad([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], reduction="none", grad_output=np.ones(2))
    with pytest.raises(
        ValueError, match="mse_loss_grad: with reduction='mean', grad_output must be a number"
    ):
        losses.mse_loss_grad([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], grad_output=np.ones(3))
    with pytest.raises(ValueError, match="entropy: probabilities must be >= 0; got -0.1"):
        losses.entropy([1.1, -0.1])
    with pytest.raises(ValueError, match="entropy: the base of the logarithm must be positive and not 1"):
        losses.entropy([0.5, 0.5], base=1)


# -- loss modules --------------------------------------------------------------------------
MODULES = {
    "CrossEntropyLoss": make_ce_index,
    "NLLLoss": make_nll,
    "BCELoss": make_bce,
    "BCEWithLogitsLoss": make_bce_logits,
    "MSELoss": make_regression(TF.mse_loss),
    "L1Loss": make_regression(TF.l1_loss),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(MODULES))
def test_loss_modules_match_torch_modules(name, reduction, devices, assert_close):
    rng = np.random.default_rng(6)
    x, target, _ = MODULES[name](rng)
    torch_criterion = getattr(torch.nn, name)(reduction=reduction)
    x_t = torch.tensor(x, requires_grad=True)
    expected = torch_criterion(x_t, torch.as_tensor(target))
    grad_output = rng.standard_normal(tuple(expected.shape)) if reduction == "none" else 2.5
    expected.backward(torch.as_tensor(grad_output))

    criterion = getattr(nn, name)(reduction=reduction)
    loss = criterion(nnlib.to(x, devices), nnlib.to(target, devices))
    g = nnlib.to(grad_output, devices) if reduction == "none" else grad_output
    grad = criterion.backward(g)
    check_backend(grad, devices)
    assert_close(loss, expected.detach(), what=f"{name}(reduction={reduction!r}) on {devices}")
    assert_close(grad, x_t.grad, what=f"{name}.backward on {devices}")
    assert list(criterion.parameters()) == []


def test_loss_module_backward_defaults_to_one_and_needs_forward(assert_close):
    x, target, _ = make_ce_index(np.random.default_rng(7))
    criterion = nn.CrossEntropyLoss()
    with pytest.raises(RuntimeError, match=r"CrossEntropyLoss.backward\(\) was called before a forward pass"):
        criterion.backward()
    loss = criterion(x, target)
    assert_close(loss, losses.cross_entropy(x, target), rtol=0, what="loss")
    assert_close(criterion.backward(), losses.cross_entropy_grad(x, target), rtol=0, what="backward()")
    assert repr(criterion) == "CrossEntropyLoss()"
    assert repr(nn.MSELoss(reduction="sum")) == "MSELoss(reduction='sum')"
    with pytest.raises(ValueError, match="L1Loss: reduction must be 'mean', 'sum' or 'none'; got 'avg'"):
        nn.L1Loss(reduction="avg")
