"""Figures for module 03 (entropy and loss functions).

- :func:`container` - a box of triangles and circles, like the three containers of the lecture.
- :func:`binary_entropy_curve` - the entropy of a two-outcome variable against the probability of one outcome.
- :func:`prediction_bars` - a predicted distribution next to the true (one-hot) one.
- :func:`loss_curves` - cross-entropy and squared error as the probability of the true class moves.

The numbers come from :mod:`nnlib.losses` (``entropy``, ``cross_entropy_probs``); these functions only draw.
"""

import numpy as np

from nnlib.losses import entropy
from nnlib.plots.style import color, new_axes

SHAPES = ("triangle", "circle")


def container(triangles, circles, ax=None, seed=0, title=None):
    """Draw ``triangles`` triangles and ``circles`` circles in a box, shuffled with ``seed``.

    The title gives the probability of drawing each shape and the entropy in bits (unless
    ``title`` is given). Returns the Axes.
    """
    triangles, circles = int(triangles), int(circles)
    total = triangles + circles
    if triangles < 0 or circles < 0 or total == 0:
        raise ValueError(
            "container: needs a non-negative number of each shape and at least one shape; "
            f"got {triangles}, {circles}."
        )
    ax = new_axes(ax, figsize=(3.2, 3.2))
    columns = int(np.ceil(np.sqrt(total * 1.2)))
    rows = int(np.ceil(total / columns))
    kinds = np.array([0] * triangles + [1] * circles)
    kinds = kinds[np.random.default_rng(seed).permutation(total)]
    cells = np.arange(total)
    xs, ys = cells % columns, rows - 1 - cells // columns
    for k, marker in ((0, "^"), (1, "o")):
        mask = kinds == k
        ax.scatter(
            xs[mask],
            ys[mask],
            s=150,
            marker=marker,
            color=color(k + 1),
            edgecolors="black",
            linewidths=0.6,
            label=f"{SHAPES[k]}s: {int(mask.sum())}",
        )
    ax.set_xlim(-0.8, columns - 0.2)
    ax.set_ylim(-0.8, rows - 0.2)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    h = float(entropy(np.array([triangles, circles]) / total, base=2)) + 0.0  # no "-0.0000"
    ax.set_title(title or f"p(triangle) = {triangles}/{total}, H = {h:.4f} bits", fontsize="medium")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2, fontsize="small", frameon=False)
    return ax


def binary_entropy_curve(ax=None, marks=None, base=2):
    """The entropy of a two-outcome variable, H(p) = -p log p - (1 - p) log(1 - p), for p in [0, 1].

    ``marks`` maps a label to a probability p; each is drawn as a point on the curve with its
    label. Returns the Axes.
    """
    ax = new_axes(ax)
    p = np.linspace(0.0, 1.0, 401)
    h = entropy(np.stack([p, 1 - p], axis=1), base=base)
    unit = "bits" if base == 2 else "nats" if np.isclose(base, np.e) else f"units of log {base:g}"
    ax.plot(p, h, color=color(0), linewidth=2)
    for k, (label, value) in enumerate((marks or {}).items()):
        hv = float(entropy(np.array([value, 1 - value]), base=base))
        ax.plot(
            [value],
            [hv],
            marker="o",
            markersize=8,
            color=color(k + 1),
            markeredgecolor="black",
            linestyle="none",
        )
        ax.annotate(
            f"{label}\n{hv:.4f}",
            (value, hv),
            xytext=(0, -34 if hv > 0.8 else 10),
            textcoords="offset points",
            ha="center",
            fontsize="small",
        )
    ax.set_xlabel("probability of one outcome, p")
    ax.set_ylabel(f"entropy H ({unit})")
    ax.set_ylim(-0.05, 1.15 * float(h.max()))
    ax.grid(True, alpha=0.3)
    ax.set_title("Entropy of a two-outcome variable")
    return ax


def prediction_bars(probs, truth, class_names, ax=None, title="Prediction against the truth"):
    """Bars of the predicted probabilities ``probs`` beside the true ones ``truth`` (one-hot)."""
    ax = new_axes(ax)
    probs, truth = np.asarray(probs, dtype=np.float64), np.asarray(truth, dtype=np.float64)
    positions = np.arange(len(probs))
    ax.bar(positions - 0.2, truth, width=0.4, color=color(0), edgecolor="black", label="truth t")
    ax.bar(
        positions + 0.2, probs, width=0.4, color=color(1), edgecolor="black", hatch="//", label="prediction p"
    )
    for x, value in zip(positions, probs, strict=True):
        ax.text(x + 0.2, value + 0.02, f"{value:.3f}", ha="center", fontsize="small")
    ax.set_xticks(positions, class_names)
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("probability")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize="small")
    return ax


def loss_curves(ax=None, current=None, marks=None):
    """Cross-entropy -log2(p) and squared error (1 - p)^2 against p, the probability of the true class.

    ``current`` (a probability) is marked on both curves with its values; ``marks`` maps labels
    to probabilities marked on the cross-entropy curve only. Returns the Axes.
    """
    ax = new_axes(ax)
    p = np.linspace(0.005, 1.0, 400)
    ax.plot(p, -np.log2(p), color=color(0), linewidth=2, label="cross-entropy $-\\log_2 p$ (bits)")
    ax.plot(p, (1 - p) ** 2, color=color(3), linewidth=2, linestyle="--", label="squared error $(1 - p)^2$")
    for k, (label, value) in enumerate((marks or {}).items()):
        loss = -np.log2(value)
        ax.plot(
            [value],
            [loss],
            marker=("s", "D", "^")[k % 3],
            markersize=8,
            color=color(k + 1),
            markeredgecolor="black",
            linestyle="none",
            label=f"{label}: p = {value:g}, {loss:.4f} bits",
        )
    if current is not None:
        ce, se = -np.log2(current) + 0.0, (1 - current) ** 2
        ax.axvline(current, color="black", linestyle=":", linewidth=1)
        ax.plot([current, current], [se, ce], marker="o", markersize=7, color="black", linestyle="none")
        ax.text(
            0.3,
            0.55,
            f"p = {current:.3f}\ncross-entropy = {ce:.4f} bits\nsquared error = {se:.4f}",
            transform=ax.transAxes,
            fontsize="small",
            bbox={"facecolor": "white", "edgecolor": "0.6"},
        )
    ax.set_xlabel("predicted probability of the true class, p")
    ax.set_ylabel("loss")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 7.9)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize="small")
    ax.set_title("Loss for one example")
    return ax
