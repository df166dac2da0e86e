"""Module 00's clock explorer and figures (no browser)."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nn4nlp.plots import welcome  # noqa: E402
from nn4nlp.widgets.welcome import clock_explorer, clock_summary  # noqa: E402
from nnlib.data import iris  # noqa: E402


def _close(figure):
    import matplotlib.pyplot as plt

    plt.close(figure)


@pytest.mark.parametrize(
    ("hour", "minute", "hour_angle", "minute_angle"),
    [
        (12, 0, 90.0, 90.0),
        (3, 0, 0.0, 90.0),
        (6, 30, 255.0, 270.0),
        (10, 10, 145.0, 30.0),
        (9, 45, 157.5, 180.0),
    ],
)
def test_clock_angles_follow_the_slides_convention(hour, minute, hour_angle, minute_angle):
    # counter-clockwise from 3 o'clock, in [0, 360); the hour hand creeps 0.5 degree per minute
    assert welcome.clock_angles(hour, minute) == pytest.approx((hour_angle, minute_angle))


def test_clock_hands_have_the_slides_lengths():
    (hx, hy), (mx, my) = welcome.clock_hands(3, 0)
    assert (hx, hy) == pytest.approx((0.5, 0.0), abs=1e-12)  # the slides' hour hand (0.5, 0.0)
    assert (mx, my) == pytest.approx((0.0, 1.0), abs=1e-12)


def test_clock_pixels_change_with_the_time():
    a, b = welcome.clock_pixels(12, 0), welcome.clock_pixels(6, 30)
    assert a.shape == (28, 28) and set(np.unique(a)) <= {0.0, 1.0}
    assert np.sum(a != b) > 10, "the pixel images of 12:00 and 6:30 are almost the same"


def test_explorer_has_labelled_sliders_and_redraws():
    explorer = clock_explorer()
    assert {"hour", "minute"} <= set(explorer.controls)
    assert all(explorer.controls[name].description for name in explorer.controls)
    before = explorer.figure_png()
    explorer.controls["minute"].value = 40  # as a user would
    assert explorer.figure_png() != before, "moving the minute slider did not change the figure"
    assert explorer.message.value == "", explorer.message.value
    assert "angle 210.0°" in explorer.figure.axes[1].get_xlabel()  # 40 minutes: (90 - 6 * 40) % 360
    _close(explorer.figure)


def test_summary_gives_coordinates_and_angles():
    text = clock_summary(3, 0)
    assert "tip (+0.50, +0.00), angle   0.0°" in text, text
    assert "tip (+0.00, +1.00), angle  90.0°" in text, text


def test_figures_draw():
    axes = welcome.clock_representations(10, 10)
    assert "784 pixels" in axes[0].get_title()
    _close(axes[0].figure)
    flowers = iris()
    axes = welcome.iris_overview(flowers.X, flowers.y, flowers.feature_names, flowers.target_names)
    assert axes[1].get_xlabel() == "petal length (cm)"
    _close(axes[0].figure)
    ax = welcome.timeline([(1943, "1943 neuron", "neurons"), (2018, "2018 Transformers", "nlp")])
    assert [t.get_text() for t in ax.texts] == ["1943 neuron", "2018 Transformers"]
    _close(ax.figure)
