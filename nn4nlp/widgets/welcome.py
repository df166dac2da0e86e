"""Module 00's explorer: set the time on a clock and see the three ways a program can read it.

::

    from nn4nlp.widgets.welcome import clock_explorer

    clock_explorer()     # sliders for the hour and the minute
"""

from nn4nlp.plots.welcome import clock_angles, clock_face, clock_hands, clock_pixels
from nn4nlp.widgets.base import Explorer, dropdown, slider


def clock_summary(hour, minute):
    """The features of the clock at ``hour:minute`` as text: the tip and the angle of each hand."""
    hour_angle, minute_angle = clock_angles(hour, minute)
    (hx, hy), (mx, my) = clock_hands(hour, minute)
    return (
        f"hour hand:   tip ({hx:+.2f}, {hy:+.2f}), angle {hour_angle:5.1f}°\n"
        f"minute hand: tip ({mx:+.2f}, {my:+.2f}), angle {minute_angle:5.1f}°"
    )


def clock_explorer(hour=10, minute=10, size=28):
    """An :class:`~nn4nlp.widgets.Explorer` with sliders for the hour and the minute.

    Left: the clock as a ``size`` x ``size`` pixel image (what a camera gives a
    program). Right: the clock on the x-y plane with the chosen features
    ("coordinates" or "angles") drawn on it, and a text box with both.
    """

    def draw(axes, hour, minute, features):
        pixels, face = axes
        pixels.imshow(
            clock_pixels(hour, minute, size), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest"
        )
        pixels.set_xticks([])
        pixels.set_yticks([])
        pixels.set_title(f"raw data: {size * size} pixels")
        clock_face(hour, minute, ax=face, show=features, title=f"{hour}:{minute:02d}, features: {features}")
        # The summary goes in the x label, so that the figure's layout makes room for it.
        face.set_xlabel("x\n" + clock_summary(hour, minute), family="monospace", fontsize=8)

    controls = {
        "hour": slider("hour", int(hour), 1, 12),
        "minute": slider("minute", int(minute), 0, 59),
        "features": dropdown("features drawn", [("angles", "angles"), ("coordinates", "coordinates")]),
    }
    return Explorer(controls, draw, subplots=(1, 2), figsize=(9.0, 5.8))
