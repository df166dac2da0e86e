"""Figures of module 00: the Iris flowers, a clock read three ways, and a timeline of neural networks.

Clock conventions (as in the lecture slides): the centre of the clock is the
origin, the minute hand has length 1 and the hour hand length 0.5, and angles
are measured in degrees counter-clockwise from the positive x axis (3 o'clock),
so 12 o'clock is at 90 degrees.
"""

import numpy as np

from nnlib.plots.style import PALETTE, color, marker, new_axes, scatter_classes

MINUTE_HAND, HOUR_HAND = 1.0, 0.5


def clock_angles(hour, minute):
    """The angles (degrees in [0, 360), counter-clockwise from 3 o'clock) of the hands at ``hour:minute``.

    Returns ``(hour_angle, minute_angle)``. The minute hand turns 6 degrees per
    minute; the hour hand 30 degrees per hour plus 0.5 per minute.
    """
    minute_angle = (90.0 - 6.0 * minute) % 360.0
    hour_angle = (90.0 - 30.0 * (hour % 12) - 0.5 * minute) % 360.0
    return hour_angle, minute_angle


def clock_hands(hour, minute):
    """The tips of the hands at ``hour:minute``: ``((x_hour, y_hour), (x_minute, y_minute))``."""
    hour_angle, minute_angle = np.radians(clock_angles(hour, minute))
    return (
        (HOUR_HAND * np.cos(hour_angle), HOUR_HAND * np.sin(hour_angle)),
        (MINUTE_HAND * np.cos(minute_angle), MINUTE_HAND * np.sin(minute_angle)),
    )


def clock_pixels(hour, minute, size=28):
    """What a camera sees: a ``size`` x ``size`` grey image (0 = white, 1 = black) of the clock.

    The rim, the twelve hour marks and both hands are drawn by measuring each
    pixel centre's distance to them (a crude but dependency-free rasteriser).
    """
    centres = (np.arange(size) + 0.5) / size * 2.3 - 1.15
    px, py = np.meshgrid(centres, -centres)  # row 0 is the top of the image
    points = np.stack([px, py], axis=-1)
    width = 2.3 / size
    ink = np.abs(np.hypot(px, py) - 1.08) < 0.5 * width  # the rim
    for k in range(12):
        a = np.radians(90 - 30 * k)
        ink |= _near_segment(
            points,
            0.84 * np.array([np.cos(a), np.sin(a)]),
            0.95 * np.array([np.cos(a), np.sin(a)]),
            0.45 * width,
        )
    (hx, hy), (mx, my) = clock_hands(hour, minute)
    ink |= _near_segment(points, np.zeros(2), np.array([hx, hy]), 0.9 * width)
    ink |= _near_segment(points, np.zeros(2), np.array([mx, my]) * 0.85, 0.5 * width)
    return ink.astype(np.float64)


def _near_segment(points, a, b, radius):
    """True for the points (..., 2) within ``radius`` of the segment from ``a`` to ``b``."""
    ab = b - a
    t = np.clip(((points - a) @ ab) / max(float(ab @ ab), 1e-12), 0.0, 1.0)
    nearest = a + t[..., None] * ab
    return np.hypot(*(points - nearest).transpose(2, 0, 1)) <= radius


def clock_face(hour, minute, ax=None, show="angles", title=None):
    """Draw the clock at ``hour:minute`` on the x-y plane, with its features written on it.

    ``show`` is "angles" (the angle of each hand, with an arc), "coordinates"
    (the tip of each hand) or "none". Returns the Axes.
    """
    ax = new_axes(ax, figsize=(4.2, 4.2))
    t = np.linspace(0, 2 * np.pi, 200)
    ax.plot(1.1 * np.cos(t), 1.1 * np.sin(t), color="0.3", linewidth=2)
    for k in range(1, 13):
        a = np.radians(90 - 30 * k)
        ax.text(0.88 * np.cos(a), 0.88 * np.sin(a), str(k), ha="center", va="center", fontsize=8, color="0.6")
    ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.8", linewidth=0.8, zorder=0)
    hour_angle, minute_angle = clock_angles(hour, minute)
    (hx, hy), (mx, my) = clock_hands(hour, minute)
    hands = [
        ("hour", hx, hy, hour_angle, 0, 4.5),
        ("minute", mx, my, minute_angle, 1, 2.5),
    ]
    for name, x, y, angle, k, width in hands:
        ax.plot([0, x], [0, y], color=color(k), linewidth=width, solid_capstyle="round", label=f"{name} hand")
        if show == "coordinates":
            ax.plot(x, y, marker="o", color=color(k), markersize=6)
            ax.annotate(
                f"({x:.2f}, {y:.2f})", xy=(x, y), xytext=(6 if x >= 0 else -6, 6 if y >= 0 else -10),
                textcoords="offset points", ha="left" if x >= 0 else "right", fontsize=9, color=color(k),
            )  # fmt: skip
        elif show == "angles":
            r = 0.22 if name == "hour" else 0.34
            arc = np.radians(np.linspace(0.0, angle, 60))
            ax.plot(r * np.cos(arc), r * np.sin(arc), color=color(k), linewidth=1.2)
            mid = np.radians(angle / 2)
            ax.text((r + 0.13) * np.cos(mid), (r + 0.1) * np.sin(mid), f"{angle:.0f}°", color=color(k),
                    fontsize=9, ha="center", va="center")  # fmt: skip
    ax.plot(0, 0, marker="o", color="black", markersize=4)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="lower right", fontsize="x-small")
    ax.set_title(title or f"{int(hour) % 12 or 12}:{int(minute):02d}")
    return ax


def clock_representations(hour, minute, axes=None, size=28):
    """Three panels: the clock as raw pixels, as the coordinates of the hands, and as their angles.

    ``axes``: three Axes (default: a new row of three). Returns the axes.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 3, figsize=(13.0, 4.3), layout="constrained")
    pixels = clock_pixels(hour, minute, size)
    axes[0].imshow(pixels, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    axes[0].set_xticks(np.arange(-0.5, size, 1), minor=True)
    axes[0].set_yticks(np.arange(-0.5, size, 1), minor=True)
    axes[0].grid(which="minor", color="0.85", linewidth=0.4)
    axes[0].tick_params(which="both", length=0)
    axes[0].set_xticks([])
    axes[0].set_yticks([])
    axes[0].set_title(f"(a) raw data: {size} × {size} = {size * size} pixels")
    clock_face(hour, minute, ax=axes[1], show="coordinates", title="(b) better: where the hands end")
    clock_face(hour, minute, ax=axes[2], show="angles", title="(c) even better: the angles of the hands")
    return axes


def iris_overview(X, y, feature_names, class_names, axes=None):
    """Two scatter plots of the Iris flowers (sepals, petals), one colour per species, with class means.

    ``X`` (N, 4) in the order sepal length, sepal width, petal length, petal
    width; ``y`` (N,). Each class mean is drawn as a large cross. Returns the axes.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(11.0, 4.3), layout="constrained")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).astype(np.int64)
    for ax, (i, j), title in zip(axes, [(0, 1), (2, 3)], ["Sepals", "Petals"], strict=True):
        scatter_classes(ax, X[:, [i, j]], y, class_names, size=24)
        for k in range(int(y.max()) + 1):
            mean = X[y == k][:, [i, j]].mean(axis=0)
            ax.plot(
                *mean, marker="X", markersize=13, color=color(k), markeredgecolor="black", linestyle="none"
            )
        ax.set_xlabel(feature_names[i])
        ax.set_ylabel(feature_names[j])
        ax.set_title(f"{title} (crosses: the mean of each species)")
        ax.grid(True, alpha=0.3)
    return axes


_GROUPS = {
    "neurons": ("single neurons", 0),
    "learning": ("learning deep networks", 2),
    "nlp": ("neural NLP", 3),
    "tools": ("software", 4),
    "setback": ("setbacks", 7),
}


def timeline(events, ax=None, start=1940, end=2021):
    """A timeline: one row per event, a dot at its year, the label beside it.

    ``events``: list of ``(year, label, group)`` in any order; ``year`` may be a
    float (1995 for "the 1990s"), ``group`` one of "neurons", "learning",
    "nlp", "tools", "setback" (sets the colour and the legend). The horizontal
    axis is a linear scale of years, so the long gaps stay visible. Returns the Axes.
    """
    events = sorted(events, key=lambda e: e[0])
    ax = new_axes(ax, figsize=(11.0, 0.42 * len(events) + 1.2))
    n = len(events)
    seen = set()
    for row, (year, label, group) in enumerate(events):
        name, k = _GROUPS[group]
        yy = n - row
        ax.plot([start, year], [yy, yy], color="0.88", linewidth=0.8, zorder=0)
        ax.plot(year, yy, marker=marker(k), markersize=8, color=PALETTE[k], markeredgecolor="black",
                linestyle="none", label=name if name not in seen else None)  # fmt: skip
        seen.add(name)
        late = year > (start + end) / 2 + 5
        ax.text(
            year + (-1.2 if late else 1.2), yy, label, ha="right" if late else "left", va="center", fontsize=9
        )
    ax.set_xlim(start, end)
    ax.set_ylim(0.3, n + 0.7)
    ax.set_yticks([])
    ax.set_xticks(np.arange(start, end, 10))
    ax.set_xlabel("year")
    ax.grid(True, axis="x", alpha=0.3)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower left", fontsize="small", ncols=len(seen))
    ax.set_title("A short history of neural networks (and of neural NLP)")
    return ax
