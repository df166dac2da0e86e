"""Module 01's explorer, figures and reference perceptron rule (no browser)."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nn4nlp.perceptron import train_perceptron  # noqa: E402
from nn4nlp.plots import perceptron as neuron_plots  # noqa: E402
from nn4nlp.widgets.perceptron import line_explorer, neuron_summary  # noqa: E402
from nnlib.data import iris, xor  # noqa: E402


def _close(figure):
    import matplotlib.pyplot as plt

    plt.close(figure)


def test_explorer_has_labelled_sliders_for_the_three_weights():
    explorer = line_explorer()
    assert set(explorer.controls) == {"b", "w1", "w2", "activation"}
    for name in ("b", "w1", "w2"):
        assert explorer.controls[name].description, f"slider {name} has no visible label"
        assert explorer.controls[name].continuous_update is False


def test_moving_a_slider_redraws_the_figure():
    explorer = line_explorer()
    before = explorer.figure_png()
    explorer.controls["b"].value = -12.0  # as a user would, through the widget
    after = explorer.figure_png()
    assert before != after, "moving the b slider did not change the figure"
    assert explorer.message.value == "", f"draw() failed: {explorer.message.value}"


def test_text_box_reports_the_outputs_of_the_current_weights():
    explorer = line_explorer()
    explorer.set(b=-12.0, w1=1.0, w2=0.8, activation="step")
    texts = [t.get_text() for ax in explorer.figure.axes for t in ax.texts]
    summary = next(t for t in texts if "correct side" in t)
    assert "90 of 100" in summary, summary  # the true rule gets 90 of the 100 students right
    assert "z = 0.00" in summary and "sigmoid(z) = 0.500" in summary and "step(z) = 1" in summary, summary


def test_zero_weights_do_not_break_the_figure():
    explorer = line_explorer()
    explorer.set(w1=0.0, w2=0.0)
    assert explorer.message.value == ""
    texts = [t.get_text() for t in explorer.figure.axes[0].texts]
    assert any("no line" in t for t in texts), texts


def test_explorer_accepts_other_data_and_rejects_bad_shapes():
    X, y = xor()
    explorer = line_explorer(X, y, b=0.0, point=None, bias_range=(-3.0, 3.0))
    assert explorer.figure is not None
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        line_explorer(np.zeros((4, 3)), y)


def test_neuron_summary_counts_points_on_the_correct_side():
    X = np.array([[0.0, 0.0], [2.0, 2.0], [-1.0, 3.0]])
    y = np.array([0, 1, 1])
    text = neuron_summary(-1.0, [1.0, 0.0], X, y, point=(1.0, 0.0), point_name="P")
    # z = [-1, 1, -2]: the first two are right, the third is not
    assert "2 of 3 (67%)" in text, text
    assert "P: z = 0.00" in text, text


def test_neuron_plane_draws_the_line_where_z_is_zero():
    ax = neuron_plots.neuron_plane(1.0, [3.0, -2.0], point=(-1.0, 2.0))
    line = next(l for l in ax.lines if l.get_label() == "decision line $z = 0$")
    x1, x2 = line.get_data()
    np.testing.assert_allclose(1.0 + 3.0 * np.asarray(x1) - 2.0 * np.asarray(x2), 0.0, atol=1e-9)
    assert any("z = -6" in t.get_text() and "0.0025" in t.get_text() for t in ax.texts)
    _close(ax.figure)


def test_perceptron_diagram_writes_the_worked_example():
    ax = neuron_plots.perceptron_diagram(inputs=[-1, 2], weights=[1, 3, -2], activation="sigmoid")
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "= -6$" in texts and "0.0025" in texts, texts
    with pytest.raises(ValueError, match="expected 3 weights"):
        neuron_plots.perceptron_diagram(inputs=[-1, 2], weights=[1, 3])
    _close(ax.figure)


def test_mistakes_per_epoch_notes_convergence():
    axes = neuron_plots.mistakes_per_epoch({"separable": [3, 1, 0], "XOR": [3, 4, 4, 4]})
    notes = [t.get_text() for ax in axes for t in ax.texts]
    assert "converged" in notes[0] and "not converged" in notes[1], notes
    _close(axes[0].figure)


def test_other_figures_draw():
    for ax in (neuron_plots.activation_derivatives(), neuron_plots.neuron_outputs(0.0, [1.0, 1.0], *xor())):
        assert ax.get_xlabel() and ax.get_ylabel()
        _close(ax.figure)


# -- the reference perceptron rule ----------------------------------------------------------------


def test_rule_matches_the_trace_worked_by_hand():
    X = np.array([[1.0, 2.0], [2.0, -1.0], [-1.0, -1.0]])
    y = np.array([0, 1, 1])
    w, b, mistakes = train_perceptron(X, y, epochs=1)
    np.testing.assert_array_equal(w, [1.0, -3.0])
    assert (b, mistakes) == (0.0, [2])
    w, b, mistakes = train_perceptron(X, y)
    assert mistakes == [2, 0], mistakes
    w, b, _ = train_perceptron(X, y, lr=0.5, epochs=1)
    np.testing.assert_array_equal(w, [0.5, -1.5])


def test_rule_separates_iris_and_never_converges_on_xor():
    data = iris()
    keep = data.y < 2
    X, y = data.X[keep][:, 2:4], data.y[keep]
    w, b, mistakes = train_perceptron(X, y)
    assert mistakes[-1] == 0
    np.testing.assert_array_equal((b + X @ w >= 0).astype(int), y)
    _, _, mistakes = train_perceptron(*xor(), epochs=50)
    assert len(mistakes) == 50 and min(mistakes[5:]) > 0, mistakes


def test_rule_reports_every_epoch_and_checks_its_input():
    seen = []
    train_perceptron(*xor(), epochs=3, on_epoch=lambda epoch, w, b, m: seen.append((epoch, m)))
    assert [e for e, _ in seen] == [1, 2, 3]
    with pytest.raises(ValueError, match="0 or 1"):
        train_perceptron([[0.0], [1.0]], [0, 2])
    with pytest.raises(ValueError, match=r"\(N, m\)"):
        train_perceptron([[0.0], [1.0]], [0, 1, 1])
