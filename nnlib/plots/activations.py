"""The activation functions of the course, side by side."""

import numpy as np

from nnlib.plots.style import color, new_axes

# Line style and marker per curve, so the curves differ without colour too.
_STYLES = (("-", ""), ("--", ""), ("-.", ""), (":", ""), ("-", "o"))


def activation_functions(ax=None, x=None, leaky_slope=0.1):
    """Plot step, sigmoid, tanh, ReLU and leaky ReLU on ``x`` (default -3..3).

    Five lines, each with its own colour and line style (or marker). Returns the Axes.
    """
    ax = new_axes(ax)
    x = np.linspace(-3.0, 3.0, 601) if x is None else np.asarray(x, dtype=np.float64)
    curves = {
        "step": np.where(x >= 0, 1.0, 0.0),
        "sigmoid": 1.0 / (1.0 + np.exp(-x)),
        "tanh": np.tanh(x),
        "ReLU": np.maximum(x, 0.0),
        f"leaky ReLU (slope {leaky_slope:g})": np.where(x >= 0, x, leaky_slope * x),
    }
    for k, (name, values) in enumerate(curves.items()):
        style, mark = _STYLES[k]
        ax.plot(
            x, values, color=color(k), linestyle=style, marker=mark, markevery=50, linewidth=2, label=name
        )
    ax.set_ylim(-1.3, min(3.2, float(x.max()) + 0.2))
    ax.grid(True, alpha=0.3)
    ax.set_xlabel("input z")
    ax.set_ylabel("activation f(z)")
    ax.set_title("Activation functions")
    ax.legend(loc="upper left", fontsize="small")
    return ax
