"""Module 02's figures and explorers: the XOR network by hand, diagrams, linear pieces of ReLU nets."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nn4nlp.plots.xor import (  # noqa: E402
    input_and_hidden_space,
    layer_outputs,
    linear_regions,
    network_diagram,
    tent_network,
    wide_network,
)
from nn4nlp.widgets.xor import XOR_START, depth_explorer, xor_explorer, xor_params  # noqa: E402

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
SOLUTION = {
    "w11": 1.0,
    "w12": 1.0,
    "b1": 0.0,
    "w21": 1.0,
    "w22": 1.0,
    "b2": -1.0,
    "v1": 1.0,
    "v2": -2.0,
    "c": -0.5,
}
GRID = (np.arange(4096) + 0.5) / 4096


def _figure():
    from matplotlib.figure import Figure

    return Figure(figsize=(10, 4), layout="constrained")


def test_layer_outputs_runs_every_layer_and_skips_the_last_activation():
    hidden, scores = layer_outputs(CORNERS, xor_params(**SOLUTION), "relu")
    np.testing.assert_allclose(hidden, [[0, 0], [1, 0], [1, 0], [2, 1]])
    np.testing.assert_allclose(scores[:, 0], [-0.5, 0.5, 0.5, -0.5])
    linear = layer_outputs(CORNERS, [(np.array([[1.0, -1.0]]), np.array([-2.0]))], "relu")[-1]
    assert linear.min() < 0, "the last layer must not go through the activation"
    with pytest.raises(ValueError, match="activation"):
        layer_outputs(CORNERS, xor_params(**SOLUTION), "softplus")


@pytest.mark.parametrize("depth", [1, 2, 3, 6])
def test_tent_network_has_two_to_the_depth_pieces(depth):
    assert linear_regions(GRID, tent_network(depth))[0] == 2**depth
    out = layer_outputs(GRID[:, None], tent_network(depth))[-1][:, 0]
    assert out.min() >= 0.0 and out.max() <= 1.0


@pytest.mark.parametrize("units", [1, 2, 5, 12])
def test_wide_network_has_one_piece_per_unit_plus_one(units):
    count, breaks = linear_regions(GRID, wide_network(units))
    assert count == units + 1
    kinks = (GRID[breaks - 1] + GRID[breaks]) / 2
    np.testing.assert_allclose(kinks, np.arange(1, units + 1) / (units + 1), atol=1 / 4096)


def test_input_and_hidden_space_titles_count_correct_points():
    axes = _figure().subplots(1, 2)
    input_and_hidden_space(axes, xor_params(**SOLUTION), "relu")
    assert axes[0].get_title() == "Input space: 4 of 4 right"
    texts = [t.get_text() for t in axes[1].texts]
    assert "(0, 1) (1, 0)" in texts, "both class-1 corners land on the same hidden point"
    axes = _figure().subplots(1, 2)
    input_and_hidden_space(axes, xor_params(**XOR_START), "relu")
    assert axes[0].get_title() == "Input space: 3 of 4 right"


def test_input_and_hidden_space_rejects_other_shapes():
    with pytest.raises(ValueError, match="shape"):
        input_and_hidden_space(
            _figure().subplots(1, 2), [(np.ones((3, 2)), np.zeros(3)), (np.ones((1, 3)), np.zeros(1))]
        )


def test_network_diagram_draws_at_most_six_units_per_layer():
    ax = _figure().subplots()
    network_diagram([5000, 16, 1], ax=ax)
    counts = [len(c.get_offsets()) for c in ax.collections]
    assert counts == [5, 5, 1]
    labels = " ".join(t.get_text() for t in ax.texts)
    assert "5000 units" in labels and "hidden 1" in labels and "1 unit" in labels and "\u22ee" in labels


def test_xor_explorer_redraws_when_a_slider_moves():
    explorer = xor_explorer()
    assert explorer.figure.axes[0].get_title() == "Input space: 3 of 4 right"
    before = explorer.figure_png()
    explorer.set(**SOLUTION)
    assert explorer.figure.axes[0].get_title() == "Input space: 4 of 4 right"
    assert explorer.figure_png() != before
    explorer.controls["b2"].value = 1.0  # a user moving one slider
    assert explorer.message.value == ""
    assert explorer.figure.axes[0].get_title() != "Input space: 4 of 4 right"


def test_xor_explorer_controls_are_labelled_and_take_every_activation():
    explorer = xor_explorer()
    assert all(control.description for control in explorer.controls.values())
    assert explorer.controls["w11"].description == "h1: weight from x1"
    for name in ["tanh", "sigmoid", "step", "relu"]:
        explorer.controls["activation"].value = name
        assert explorer.message.value == "", explorer.message.value
        assert name in explorer.figure.axes[1].get_title()


def test_depth_explorer_counts_pieces_for_each_depth():
    explorer = depth_explorer()
    assert "8 linear pieces" in explorer.figure.axes[0].get_title()
    assert "7 linear pieces" in explorer.figure.axes[1].get_title()
    explorer.controls["layers"].value = 5
    assert "32 linear pieces" in explorer.figure.axes[0].get_title()
    assert "11 linear pieces" in explorer.figure.axes[1].get_title()
