"""Module 05's figures and the optimiser race: surfaces, paths, schedules and the explorer."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nn4nlp.plots.optimizers import descent_1d, per_layer, saturation, schedules  # noqa: E402
from nn4nlp.widgets.optimizers import (  # noqa: E402
    DIVERGED,
    OPTIMIZERS,
    SCHEDULES,
    SURFACES,
    descend,
    diverged,
    draw_race,
    optimizer_race,
    trajectory,
)
from nnlib import optim  # noqa: E402


def _figure(cols=1):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4 * cols, 3), layout="constrained")
    return figure.subplots(1, cols)


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_gradient_matches_finite_differences(name):
    surface = SURFACES[name]
    rng = np.random.default_rng(0)
    for _ in range(5):
        w = np.array([rng.uniform(*surface.xlim), rng.uniform(*surface.ylim)])
        numerical = np.zeros(2)
        for i in range(2):
            step = np.zeros(2)
            step[i] = 1e-6
            numerical[i] = (surface.value(w + step) - surface.value(w - step)) / 2e-6
        np.testing.assert_allclose(surface.grad(w), numerical, rtol=1e-5, atol=1e-6, err_msg=f"{name} at {w}")


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_minimum_is_the_lowest_point_of_the_picture(name):
    surface = SURFACES[name]
    # the dips of the bumpy bowl shift its minimum by about 1e-7
    np.testing.assert_allclose(surface.grad(np.array(surface.minimum)), [0.0, 0.0], atol=1e-6)
    xs, ys = np.meshgrid(np.linspace(*surface.xlim, 201), np.linspace(*surface.ylim, 201))
    values = surface.f(np.stack([xs.ravel(), ys.ravel()], axis=1))
    assert values.min() >= surface.value(surface.minimum) - 1e-12, (
        f"{name}: a grid point is below the minimum"
    )
    assert surface.value(surface.start) > surface.value(surface.minimum) + 0.5


def test_gradient_descent_on_the_ravine_follows_the_closed_form():
    # J = 0.05 w1^2 + 2 w2^2: each step multiplies w1 by 1 - 0.1 lr and w2 by 1 - 4 lr
    path = trajectory("ravine", "gradient descent", lr=0.1, steps=20)
    start = np.array(SURFACES["ravine"].start)
    factors = np.array([1 - 0.1 * 0.1, 1 - 4 * 0.1])
    expected = start * factors ** np.arange(21)[:, None]
    np.testing.assert_allclose(path, expected, rtol=1e-12)
    assert not path.flags.writeable, "cached paths must be read-only"


def test_descend_matches_a_hand_written_momentum_loop():
    grad = SURFACES["banana"].grad
    path = descend(grad, [-1.5, 2.0], lambda p: optim.SGD(p, lr=0.01, momentum=0.9), steps=30)
    w, v = np.array([-1.5, 2.0]), np.zeros(2)
    for t in range(30):
        v = 0.9 * v + grad(w)
        w = w - 0.01 * v
        np.testing.assert_allclose(path[t + 1], w, rtol=1e-10, err_msg=f"step {t + 1}")


def test_a_diverging_run_stops_early_and_stays_in_the_box():
    steps = 100
    path = trajectory("ravine", "gradient descent", lr=1.0, steps=steps)  # 1 - 4 lr = -3: explodes
    assert diverged(path, steps)
    assert len(path) < steps + 1
    assert np.all(np.isfinite(path)) and np.abs(path).max() <= DIVERGED
    assert not diverged(trajectory("ravine", "gradient descent", lr=0.1, steps=steps), steps)


def test_schedules_change_the_path_and_cosine_ends_with_tiny_steps():
    steps = 60
    constant = trajectory("bumpy", "Adam", 0.3, steps, "constant")
    cosine = trajectory("bumpy", "Adam", 0.3, steps, "cosine decay (to 0 at the last step)")
    assert not np.allclose(constant, cosine)
    last_steps = np.linalg.norm(np.diff(cosine[-4:], axis=0), axis=1)
    assert last_steps.max() < 0.01, f"cosine decay should end with tiny steps, got {last_steps}"
    for schedule in SCHEDULES:
        assert trajectory("saddle", "momentum 0.9", 0.05, 20, schedule).shape == (21, 2)


def test_every_optimizer_runs_on_every_surface():
    for surface in SURFACES:
        for name in OPTIMIZERS:
            path = trajectory(surface, name, SURFACES[surface].lr, 30)
            assert path.shape[1] == 2 and np.all(np.isfinite(path))


def test_unknown_names_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="ravine"):
        trajectory("valley", "Adam", 0.1)
    with pytest.raises(ValueError, match="gradient descent"):
        trajectory("ravine", "LBFGS", 0.1)
    with pytest.raises(ValueError, match="constant"):
        trajectory("ravine", "Adam", 0.1, 10, "linear")


def test_draw_race_gives_each_optimizer_its_own_colour_and_marks_divergence():
    axes = _figure(2)
    draw_race(axes, "ravine", ["gradient descent", "Adam"], lr=1.0, steps=50)
    labels = [line.get_label() for line in axes[1].get_lines()]
    assert labels == ["gradient descent (diverged)", "Adam"]
    adam_colour = axes[1].get_lines()[1].get_color()
    axes = _figure(2)
    draw_race(axes, "ravine", ["Adam"], lr=0.1, steps=50)
    assert axes[1].get_lines()[0].get_color() == adam_colour, "Adam must keep its colour"
    assert "0.1" in axes[1].get_title()


def test_optimizer_race_redraws_when_the_learning_rate_slider_moves():
    explorer = optimizer_race()
    assert all(control.description for control in explorer.controls.values())
    assert explorer.controls["lr"].value == pytest.approx(SURFACES["ravine"].lr)
    before = explorer.figure_png()
    explorer.controls["lr"].value = 0.6  # a user moving the slider
    assert explorer.message.value == "", explorer.message.value
    assert explorer.figure_png() != before
    assert "0.6" in explorer.figure.axes[1].get_title()
    labels = [line.get_label() for line in explorer.figure.axes[1].get_lines()]
    assert "gradient descent (diverged)" in labels
    explorer.controls["Adam"].value = False
    labels = [line.get_label() for line in explorer.figure.axes[1].get_lines()]
    assert "Adam" not in labels and "momentum 0.9" in labels
    explorer.set(surface="saddle", schedule="cosine decay (to 0 at the last step)", steps=40)
    assert "Saddle" in explorer.figure.axes[0].get_title()
    assert "cosine" in explorer.figure.axes[1].get_title()
    assert explorer.fallback_png().startswith(b"\x89PNG")


def test_descent_1d_marks_points_that_leave_the_plot():
    ax = _figure()
    descent_1d(lambda w: w**2, [1.0, -3.0, 9.0], ax=ax, xlim=(-4, 4), title="three points")
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["start", "left the plot"]
    ax = _figure()
    descent_1d(lambda w: w**2, [1.0, 0.5], ax=ax, xlim=(-4, 4))
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["start"]


def test_per_layer_keeps_colours_fixed_by_order():
    axes = _figure(2)
    order = ["a", "b", "c"]
    per_layer({"a": [1, 2], "c": [3, 4]}, ax=axes[0], order=order)
    per_layer({"c": [3, 4]}, ax=axes[1], order=order)
    assert axes[0].get_lines()[1].get_color() == axes[1].get_lines()[0].get_color()
    assert axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="order"):
        per_layer({"d": [1.0]}, ax=axes[1], order=order)


def test_saturation_shades_where_the_slope_is_small():
    axes = saturation(axes=_figure(2))
    assert [ax.get_title() for ax in axes] == ["sigmoid", "tanh"]
    for ax in axes:
        assert len(ax.collections) == 1, "one shaded region per panel"
        assert len(ax.get_lines()) == 2


def test_schedules_draws_one_line_per_schedule():
    ax = schedules({"constant": [0.1] * 10, "halved": [0.1] * 5 + [0.05] * 5}, ax=_figure())
    assert [line.get_label() for line in ax.get_lines()] == ["constant", "halved"]
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), [0.1] * 5 + [0.05] * 5)
