"""Module 03's figures and explorers: containers of shapes, the entropy curve, losses of one prediction."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nn4nlp.plots.entropy import binary_entropy_curve, container, loss_curves, prediction_bars  # noqa: E402
from nn4nlp.widgets.entropy import (
    CONTAINERS,
    DOG_PREDICTION,
    container_explorer,
    dog_prediction,
    loss_explorer,
)  # noqa: E402


def _axes():
    from matplotlib.figure import Figure

    return Figure(figsize=(5, 4)).subplots()


@pytest.mark.parametrize(("mix", "bits"), [((26, 4), "0.5665"), ((14, 16), "0.9968"), ((1, 29), "0.2108")])
def test_container_title_gives_the_lecture_entropies(mix, bits):
    ax = _axes()
    container(*mix, ax=ax)
    assert ax.get_title().endswith(f"H = {bits} bits")
    shown = sorted(len(c.get_offsets()) for c in ax.collections)
    assert shown == sorted(mix)


def test_container_of_one_shape_has_zero_entropy_without_a_minus_sign():
    ax = _axes()
    container(0, 30, ax=ax)
    assert ax.get_title().endswith("H = 0.0000 bits")
    with pytest.raises(ValueError):
        container(0, 0)


def test_entropy_curve_marks_the_containers():
    ax = _axes()
    binary_entropy_curve(ax=ax, marks={name: t / 30 for name, (t, _) in CONTAINERS.items()})
    labels = " ".join(t.get_text() for t in ax.texts)
    for value in ("0.5665", "0.9968", "0.2108"):
        assert value in labels
    curve = ax.lines[0].get_ydata()
    assert curve.max() == pytest.approx(1.0) and curve[0] == pytest.approx(0.0)


def test_loss_curves_print_the_current_losses():
    ax = _axes()
    loss_curves(ax=ax, current=0.775, marks={"before training": 0.775})
    text = " ".join(t.get_text() for t in ax.texts)
    assert "cross-entropy = 0.3677 bits" in text and "squared error = 0.0506" in text
    assert "0.3677 bits" in " ".join(ax.get_legend_handles_labels()[1])


def test_prediction_bars_label_every_class():
    ax = _axes()
    prediction_bars(DOG_PREDICTION, [1, 0, 0, 0], ["dog", "cat", "horse", "cheetah"], ax=ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["dog", "cat", "horse", "cheetah"]
    assert {t.get_text() for t in ax.texts} == {"0.775", "0.116", "0.039", "0.070"}


def test_dog_prediction_is_a_distribution_with_the_lecture_proportions():
    p = dog_prediction(0.936)
    assert p.sum() == pytest.approx(1.0) and p[0] == 0.936
    np.testing.assert_allclose(p[1:] / p[1:].sum(), np.array(DOG_PREDICTION[1:]) / sum(DOG_PREDICTION[1:]))
    np.testing.assert_allclose(dog_prediction(0.775), DOG_PREDICTION, atol=1e-12)


def test_container_explorer_redraws_when_the_slider_moves():
    explorer = container_explorer()
    right = explorer.figure.axes[1]
    assert "0.5665 bits" in right.get_title()
    before = explorer.figure_png()
    explorer.controls["triangles"].value = 15
    assert "1.0000 bits" in explorer.figure.axes[1].get_title()
    assert explorer.figure_png() != before
    explorer.controls["triangles"].value = 0
    title = explorer.figure.axes[1].get_title()
    assert "never drawn" in title and "-0.0" not in title
    assert explorer.message.value == ""
    assert explorer.controls["triangles"].description == "triangles (out of 30 shapes)"


def test_loss_explorer_redraws_when_the_slider_moves():
    explorer = loss_explorer()
    text = " ".join(t.get_text() for t in explorer.figure.axes[1].texts)
    assert "cross-entropy = 0.3677 bits" in text
    before = explorer.figure_png()
    explorer.controls["p_dog"].value = 0.5
    text = " ".join(t.get_text() for t in explorer.figure.axes[1].texts)
    assert "cross-entropy = 1.0000 bits" in text and "squared error = 0.2500" in text
    assert explorer.figure_png() != before
    assert explorer.message.value == ""
