"""Module 04's figures and explorers: the sigmoid neuron's graph, finite differences, XOR training."""

import math

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nn4nlp.plots.backprop import (  # noqa: E402
    difference_errors,
    neuron_graph_numbers,
    sigmoid_neuron_graph,
    softmax_gradient_bars,
)
from nn4nlp.widgets.backprop import graph_explorer, xor_training_explorer, xor_training_run  # noqa: E402


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _close(figure):
    import matplotlib.pyplot as plt

    plt.close(figure)


def test_graph_numbers_match_deck_004():
    values, grads = neuron_graph_numbers([2, -3, -3], [-1, -2])
    assert values["z"] == pytest.approx(1.0) and values["f"] == pytest.approx(0.7310585786)
    s = 1 / (1 + math.exp(-1.0))
    expected = {"w0": -s * (1 - s), "w1": -2 * s * (1 - s), "b": s * (1 - s), "x0": 2 * s * (1 - s)}
    expected["x1"] = -3 * s * (1 - s)
    for name, value in expected.items():
        assert grads[name] == pytest.approx(value, rel=1e-12), (
            f"df/d{name}: got {grads[name]}, expected {value}"
        )
    assert grads["d"] == pytest.approx(-1 / (1 + math.exp(-1.0)) ** 2)
    assert grads["f"] == 1.0


def test_graph_numbers_match_finite_differences():
    rng = np.random.default_rng(0)
    w, x = rng.normal(size=3), rng.normal(size=2)
    _, grads = neuron_graph_numbers(w, x)

    def f(p):
        return 1 / (1 + math.exp(-(p[0] * p[3] + p[1] * p[4] + p[2])))

    p = np.array([w[0], w[1], w[2], x[0], x[1]])
    for k, name in enumerate(["w0", "w1", "b", "x0", "x1"]):
        step = np.zeros(5)
        step[k] = 1e-6
        numerical = (f(p + step) - f(p - step)) / 2e-6
        assert grads[name] == pytest.approx(numerical, rel=1e-6, abs=1e-10), name


def test_graph_draws_values_and_gradients_on_every_edge():
    ax = sigmoid_neuron_graph()
    texts = _texts(ax)
    for label in ["0.73", "1.00", "-0.53", "-0.20", "0.39", "-0.39", "-0.59", "0.20", "6.00", "-2.00"]:
        assert label in texts, f"{label} missing from the graph's labels {texts}"
    assert len(ax.patches) == 7  # one circle per operation
    _close(ax.figure)
    collapsed = sigmoid_neuron_graph(collapse_sigmoid=True)
    assert len(collapsed.patches) == 4 and "σ" in _texts(collapsed)
    _close(collapsed.figure)
    values_only = sigmoid_neuron_graph(gradients=False)
    assert "-0.59" not in _texts(values_only) and "-2.00" in _texts(values_only)
    _close(values_only.figure)


def test_graph_rejects_wrong_sizes():
    with pytest.raises(ValueError, match="3 weights and 2 inputs"):
        neuron_graph_numbers([1, 2], [1, 2])


def test_graph_explorer_redraws_when_a_slider_moves():
    explorer = graph_explorer()
    before = explorer.figure_png()
    assert "f = 0.7311" in explorer.figure.axes[0].get_title()
    explorer.controls["b"].value = 3.0  # z = -2 + 6 + 3 = 7
    after = explorer.figure_png()
    assert after != before, "moving the bias slider did not change the picture"
    assert f"f = {1 / (1 + math.exp(-7.0)):.4f}" in explorer.figure.axes[0].get_title()
    explorer.set(layout="one sigmoid node", show="values only")
    assert len(explorer.figure.axes[0].patches) == 4
    assert explorer.fallback_png()[:4] == b"\x89PNG"


def test_xor_training_run_learns_xor_and_is_cached():
    model, losses = xor_training_run(2, 0.5, 1000, 3)
    from nnlib.data import xor

    X, y = xor()
    assert losses[0] == pytest.approx(0.70, abs=0.02) and losses[-1] < 0.01, losses[-1]
    assert np.array_equal(np.argmax(model(X), axis=1), y)
    assert xor_training_run(2, 0.5, 1000, 3)[1] is losses  # cached
    _, stuck = xor_training_run(2, 0.5, 1000, 4)
    assert stuck[-1] > 0.3, "seed 4 with 2 hidden units should get stuck (the notebook says so)"


def test_xor_training_explorer_redraws_when_a_slider_moves():
    explorer = xor_training_explorer(steps=200)
    before = explorer.figure_png()
    explorer.controls["hidden"].value = 4
    assert explorer.figure_png() != before
    assert "of 4 points right" in explorer.figure.axes[1].get_title()
    explorer.set(steps=0)
    assert explorer.figure.axes[0].get_title() == "Training loss (last: —)"


def test_difference_errors_and_softmax_bars():
    ax = difference_errors(np.sin, np.cos, 1.0)
    forward, centred = (line.get_ydata() for line in ax.get_lines()[:2])
    at_big_h = -1  # h = 0.1: truncation dominates, centred is far better
    assert centred[at_big_h] < forward[at_big_h] / 10
    _close(ax.figure)
    ax = softmax_gradient_bars([1.8, 3.1, -0.6], 0, ["Health", "Sports", "Science"])
    labels = _texts(ax)
    for label in ["0.21", "0.77", "-0.79", "1.00"]:
        assert label in labels, f"{label} missing from {labels}"
    _close(ax.figure)
