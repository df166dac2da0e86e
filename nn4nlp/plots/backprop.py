"""Figures for module 04 (backpropagation): the sigmoid neuron's computational graph, finite differences.

- :func:`neuron_graph_numbers`: the forward value and the gradient of every node of
  f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + b))), computed with :class:`nnlib.autograd.Value`.
- :func:`sigmoid_neuron_graph`: draws that graph, each edge labelled with its value (above) and its
  gradient df/d(edge) (below), optionally with the four sigmoid nodes collapsed into one.
- :func:`difference_errors`: how far forward and centred differences land from the true derivative as the
  step h shrinks (log-log).
"""

import math

import numpy as np

from nnlib.plots.style import PALETTE, color, new_axes

VALUE_COLOR = PALETTE[0]  # blue: forward values
GRAD_COLOR = PALETTE[3]  # vermillion: gradients

# node -> the operation drawn in its circle, in the order of the forward pass:
# a0 = w0 x0, a1 = w1 x1, z = a0 + a1 + b, u = -z, e = exp(u), d = 1 + e, f = 1 / d.
NODES = {"a0": "×", "a1": "×", "z": "+", "u": "×(−1)", "e": "exp", "d": "+1", "f": "1/x"}
LEAVES = ("w0", "x0", "w1", "x1", "b")

_LEAF_XY = {"w0": (0.0, 5.0), "x0": (0.0, 3.2), "w1": (0.0, 2.2), "x1": (0.0, 0.4), "b": (3.3, -0.4)}
# The two products and the sum, shared by both layouts.
_INPUT_EDGES = [("w0", "a0"), ("x0", "a0"), ("w1", "a1"), ("x1", "a1"), ("a0", "z"), ("a1", "z"), ("b", "z")]
_FULL = {
    "positions": {
        "a0": (2.6, 4.1),
        "a1": (2.6, 1.3),
        "z": (5.0, 2.2),
        "u": (6.8, 2.2),
        "e": (8.6, 2.2),
        "d": (10.4, 2.2),
        "f": (12.2, 2.2),
    },
    "edges": [*_INPUT_EDGES, ("z", "u"), ("u", "e"), ("e", "d"), ("d", "f")],
    "output": "f",
}
_COLLAPSED = {
    "positions": {"a0": (2.6, 4.1), "a1": (2.6, 1.3), "z": (5.0, 2.2), "f": (7.4, 2.2)},
    "edges": [*_INPUT_EDGES, ("z", "f")],
    "output": "f",
}


def neuron_graph_numbers(w, x):
    """Forward values and gradients of every node of the sigmoid neuron, by automatic differentiation.

    Args:
        w: the two weights and the bias (w0, w1, b); x: two numbers (x0, x1).

    Returns:
        ``(values, grads)``: two dicts keyed by "w0", "x0", "w1", "x1", "b" and the node names of
        :data:`NODES` ("a0", "a1", "z", "u", "e", "d", "f"); ``grads[k]`` is df / d(node k).
    """
    from nnlib.autograd import Value

    w, x = [float(v) for v in w], [float(v) for v in x]
    if len(w) != 3 or len(x) != 2:
        raise ValueError(f"neuron_graph_numbers: expected 3 weights and 2 inputs, got {len(w)} and {len(x)}.")
    leaf = {
        name: Value(v, label=name) for name, v in zip(LEAVES, (w[0], x[0], w[1], x[1], w[2]), strict=True)
    }
    node = dict(leaf)
    node["a0"] = leaf["w0"] * leaf["x0"]
    node["a1"] = leaf["w1"] * leaf["x1"]
    node["z"] = node["a0"] + node["a1"] + leaf["b"]
    node["u"] = -node["z"]
    node["e"] = node["u"].exp()
    node["d"] = 1 + node["e"]
    node["f"] = 1 / node["d"]
    node["f"].backward()
    return {k: v.data for k, v in node.items()}, {k: v.grad for k, v in node.items()}


def _number(v):
    text = f"{v:.2f}"
    return "0.00" if text == "-0.00" else text


def _edge_label(ax, start, end, value, grad, show_grad, fontsize):
    """Value above and gradient below the edge, at 45% of the way from start to end."""
    (x0, y0), (x1, y1) = start, end
    t = 0.42
    mx, my = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
    angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
    # keep the labels readable: rotate with the edge, offset perpendicular to it
    nx, ny = -(y1 - y0), x1 - x0
    norm = math.hypot(nx, ny) or 1.0
    nx, ny = nx / norm, ny / norm
    style = dict(ha="center", va="center", rotation=angle, rotation_mode="anchor", fontsize=fontsize)
    ax.text(mx + 0.2 * nx, my + 0.2 * ny, _number(value), color=VALUE_COLOR, fontweight="bold", **style)
    if show_grad:
        ax.text(mx - 0.22 * nx, my - 0.22 * ny, _number(grad), color=GRAD_COLOR, fontstyle="italic", **style)


def sigmoid_neuron_graph(
    w=(2.0, -3.0, -3.0),
    x=(-1.0, -2.0),
    ax=None,
    gradients=True,
    collapse_sigmoid=False,
    title=None,
):
    """Draw the computational graph of f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + b))).

    Each edge carries the value of the node it leaves (bold blue, above the edge) and, when ``gradients``
    is true, the gradient of f with respect to that value (italic vermillion, below the edge). With
    ``collapse_sigmoid`` the nodes u, e, d, f become one sigmoid node σ. ``title`` replaces the default
    title (the inputs and f). Default w and x: deck 004's numbers. Returns the Axes.
    """
    values, grads = neuron_graph_numbers(w, x)
    layout = _COLLAPSED if collapse_sigmoid else _FULL
    positions = dict(_LEAF_XY) | layout["positions"]
    ax = new_axes(ax, figsize=(11.5, 4.6) if not collapse_sigmoid else (8.5, 4.6))
    fontsize = 10
    radius = 0.42

    def shrink(a, b):
        """Endpoints of the segment a -> b, stopping at the circles."""
        (xa, ya), (xb, yb) = positions[a], positions[b]
        length = math.hypot(xb - xa, yb - ya)
        ux, uy = (xb - xa) / length, (yb - ya) / length
        start_gap = 0.32 if a in LEAVES else radius
        return (xa + start_gap * ux, ya + start_gap * uy), (xb - radius * ux, yb - radius * uy)

    for a, b in layout["edges"]:
        start, end = shrink(a, b)
        ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.3))
        _edge_label(ax, start, end, values[a], grads[a], gradients, fontsize)

    out = layout["output"]
    ox, oy = positions[out]
    start, end = (ox + radius, oy), (ox + 1.9, oy)
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.3))
    _edge_label(ax, start, end, values[out], grads[out], gradients, fontsize)
    ax.text(end[0] + 0.15, oy, "f", ha="left", va="center", fontsize=fontsize + 2, fontstyle="italic")

    for name in LEAVES:
        lx, ly = positions[name]
        label = f"${name[0]}_{name[1]}$" if len(name) == 2 else f"${name}$"  # w0 as $w_0$, the bias as $b$
        ax.text(lx, ly, label, ha="center", va="center", fontsize=fontsize + 3)
    for name, (px, py) in layout["positions"].items():
        symbol = "σ" if (collapse_sigmoid and name == "f") else NODES[name]
        ax.add_patch(_circle(px, py, radius))
        size = fontsize + (3 if len(symbol) <= 2 else 0)
        ax.text(px, py, symbol, ha="center", va="center", fontsize=size, zorder=4)
        ax.text(
            px,
            py - radius - 0.2,
            name if not (collapse_sigmoid and name == "f") else "f = σ(z)",
            ha="center",
            va="top",
            fontsize=fontsize - 1,
            color="0.3",
        )

    ax.set_xlim(-0.6, ox + 2.6)
    ax.set_ylim(-0.9, 5.4)
    ax.set_aspect("equal")
    ax.axis("off")
    lx = positions["z"][0] + 1.0
    ax.text(
        lx,
        0.6,
        "bold blue: value (forward)",
        color=VALUE_COLOR,
        fontweight="bold",
        fontsize=fontsize - 1,
        va="center",
    )
    if gradients:
        ax.text(
            lx,
            0.0,
            "italic red: gradient df/d(value) (backward)",
            color=GRAD_COLOR,
            fontstyle="italic",
            fontsize=fontsize - 1,
            va="center",
        )
    if title is None:
        title = (
            f"f(w, x) for w = [{_number(w[0])}, {_number(w[1])}, {_number(w[2])}], "
            f"x = [{_number(x[0])}, {_number(x[1])}]:  f = {values['f']:.4f}"
        )
    ax.set_title(title, fontsize=fontsize + 1)
    return ax


def _circle(x, y, radius):
    from matplotlib.patches import Circle

    return Circle((x, y), radius, facecolor="white", edgecolor="black", linewidth=1.2, zorder=3)


def difference_errors(f, df, x0, ax=None, steps=None):
    """Log-log plot of |estimate - df(x0)| against the step h, for forward and centred differences.

    ``f``: a function of one float; ``df``: its exact derivative. The forward difference
    (f(x + h) - f(x)) / h has an error proportional to h, the centred one (f(x + h) - f(x - h)) / (2h) to
    h²; for tiny h, rounding errors of size about 1e-16 / h take over. Returns the Axes.
    """
    h = np.logspace(-13, -1, 61) if steps is None else np.asarray(steps, dtype=np.float64)
    exact = float(df(x0))
    forward = np.array([(f(x0 + s) - f(x0)) / s for s in h])
    centred = np.array([(f(x0 + s) - f(x0 - s)) / (2 * s) for s in h])
    floor = 1e-17  # an exact hit would be log(0)
    ax = new_axes(ax, figsize=(6.0, 4.2))
    ax.loglog(
        h,
        np.maximum(np.abs(forward - exact), floor),
        color=color(1),
        marker="s",
        markersize=3,
        linestyle="--",
        label="forward: (f(x+h) − f(x)) / h",
    )
    ax.loglog(
        h,
        np.maximum(np.abs(centred - exact), floor),
        color=color(0),
        marker="o",
        markersize=3,
        label="centred: (f(x+h) − f(x−h)) / 2h",
    )
    ax.set_xlabel("step h")
    ax.set_ylabel("|estimate − true derivative|")
    ax.set_ylim(1e-13, 1e-1)
    ax.text(0.03, 0.06, "← rounding errors win", transform=ax.transAxes, fontsize="small", color="0.3")
    ax.text(
        0.97,
        0.06,
        "truncation errors win →",
        transform=ax.transAxes,
        fontsize="small",
        color="0.3",
        ha="right",
    )
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small", loc="upper left")
    ax.set_title("Finite differences: error against step size")
    return ax


def softmax_gradient_bars(scores, target, class_names=None, ax=None):
    """Grouped bars per class: the probabilities P = softmax(scores), the one-hot vector e of ``target``
    and the gradient of the cross-entropy loss with respect to the scores, P - e.

    ``scores``: C numbers; ``target``: the index of the gold class. Returns the Axes.
    """
    from nnlib.functional import softmax

    scores = np.asarray(scores, dtype=np.float64)
    p = np.asarray(softmax(scores))
    e = np.zeros_like(p)
    e[int(target)] = 1.0
    names = [f"class {i}" for i in range(len(p))] if class_names is None else list(class_names)
    ax = new_axes(ax, figsize=(6.4, 3.8))
    positions = np.arange(len(p))
    width = 0.26
    series = [
        ("P = softmax(s)", p, "", 0),
        ("one-hot e (gold)", e, "//", 2),
        ("gradient P − e", p - e, "", 3),
    ]
    for k, (label, values, hatch, c) in enumerate(series):
        bars = ax.bar(
            positions + (k - 1) * width,
            values,
            width,
            label=label,
            color=color(c),
            hatch=hatch,
            edgecolor="black",
            linewidth=0.6,
        )
        for bar, v in zip(bars, values, strict=True):
            ax.text(
                bar.get_x() + bar.get_width() / 2,
                v + (0.03 if v >= 0 else -0.03),
                f"{v:.2f}",
                ha="center",
                va="bottom" if v >= 0 else "top",
                fontsize="small",
            )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(positions, [f"{n}\n(s = {s:g})" for n, s in zip(names, scores, strict=True)])
    ax.set_ylim(-1.15, 1.25)
    ax.set_ylabel("value")
    ax.set_title(f"Cross-entropy gradient for gold class {names[int(target)]!r}")
    ax.legend(fontsize="small", loc="lower right")
    ax.grid(True, axis="y", alpha=0.3)
    return ax
