"""Figures for module 02 (XOR, hidden layers and depth).

- :func:`layer_outputs` - the forward pass of a small multi-layer perceptron, keeping every layer.
- :func:`input_and_hidden_space` - two panels: the decision regions in the input plane, and the
  same points after the hidden layer, with the output unit's line.
- :func:`network_diagram` - circles and arrows for a fully connected network of given layer sizes.
- :func:`tent_network` and :func:`wide_network` - 1-D ReLU networks whose number of linear pieces
  grows exponentially with depth, or only linearly with width.
- :func:`linear_regions` - where the pattern of active ReLU units changes along a 1-D grid.

A network is a list of ``(W, b)`` pairs, one per layer, with ``W`` of shape (out, in) and ``b`` of
shape (out,), as in PyTorch: layer ``k`` maps its input ``h`` (N, in) to ``h @ W.T + b``.
"""

import numpy as np

from nnlib.functional import relu, sigmoid, step, tanh
from nnlib.plots.decision import decision_boundary
from nnlib.plots.hidden import hidden_activations
from nnlib.plots.style import color, new_axes

ACTIVATIONS = {
    "relu": relu,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "step": step,
    "linear": lambda z: np.asarray(z, dtype=np.float64),
}

XOR_CLASS_NAMES = ("XOR = 0", "XOR = 1")


def layer_outputs(X, params, activation="relu"):
    """Run ``X`` (N, in) through the layers ``params``; return the list of every layer's output.

    The activation (a name in :data:`ACTIVATIONS`) follows every layer except the last, whose
    output (the scores) is returned as it is. The list holds one (N, out_k) array per layer.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}.")
    g = ACTIVATIONS[activation]
    h = np.asarray(X, dtype=np.float64)
    outputs = []
    for k, (W, b) in enumerate(params):
        z = h @ np.asarray(W, dtype=np.float64).T + np.asarray(b, dtype=np.float64)
        h = z if k == len(params) - 1 else g(z)
        outputs.append(h)
    return outputs


def _unit_line(ax, w, b, xlim, ylim, **style):
    """Draw the line w[0] x + w[1] y + b = 0 inside the box ``xlim`` x ``ylim`` (nothing if w = 0)."""
    w1, w2 = float(w[0]), float(w[1])
    if abs(w1) < 1e-12 and abs(w2) < 1e-12:
        return
    if abs(w2) >= abs(w1):
        xs = np.linspace(*xlim, 2)
        ax.plot(xs, -(w1 * xs + b) / w2, **style)
    else:
        ys = np.linspace(*ylim, 2)
        ax.plot(-(w2 * ys + b) / w1, ys, **style)


def input_and_hidden_space(axes, params, activation="relu", X=None, y=None, class_names=XOR_CLASS_NAMES):
    """Two panels for a 2 -> 2 -> 1 network: the input plane and the hidden plane.

    ``axes``: two Axes (or None for a new figure). ``params``: ``[(W1, b1), (W2, b2)]`` with
    W1 of shape (2, 2) and W2 of shape (1, 2). ``X``, ``y``: the points (default: the four XOR
    corners). Left: the class the network gives every point (score > 0 means class 1), the data,
    and each hidden unit's line z_i = 0 (dashed). Right: the points as the hidden layer sees them,
    (h1, h2), with the output unit's line; a straight line there is a bent boundary on the left.
    Returns the two Axes; each title counts the correctly classified points.
    """
    if X is None:
        from nnlib.data import xor

        X, y = xor()
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).astype(np.int64)
    (W1, b1), (W2, b2) = [
        (np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in params
    ]
    if W1.shape != (2, 2) or W2.shape != (1, 2):
        raise ValueError(
            f"expected W1 of shape (2, 2) and W2 of shape (1, 2), got {W1.shape} and {W2.shape}."
        )
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(10.0, 4.3), layout="constrained")
    left, right = axes
    hidden, scores = layer_outputs(X, params, activation)
    right_count = int(np.sum((scores[:, 0] > 0) == (y == 1)))

    decision_boundary(
        lambda G: layer_outputs(G, params, activation)[-1][:, 0],
        X,
        y,
        ax=left,
        kind="logits",
        resolution=150,
        class_names=class_names,
        title=f"Input space: {right_count} of {len(y)} right",
    )
    xlim, ylim = left.get_xlim(), left.get_ylim()
    for i in range(2):
        _unit_line(
            left,
            W1[i],
            b1[i],
            xlim,
            ylim,
            color=color(2 + i),
            linestyle="--",
            linewidth=1.5,
            label=f"unit $h_{i + 1}$: $z_{i + 1} = 0$",
        )
    left.set_xlim(xlim)
    left.set_ylim(ylim)
    left.legend(loc="upper center", fontsize="small", framealpha=0.85, ncol=2, bbox_to_anchor=(0.5, -0.15))

    hidden_activations(hidden, y, ax=right, class_names=class_names)
    _label_points(right, X, hidden)
    low = np.minimum(hidden.min(axis=0), 0.0)
    high = np.maximum(hidden.max(axis=0), 1.0)
    pad = 0.25 * np.maximum(high - low, 1.0)
    hx = (float(low[0] - pad[0]), float(high[0] + pad[0]))
    hy = (float(low[1] - pad[1]), float(high[1] + pad[1]))
    grid_x, grid_y = np.meshgrid(np.linspace(*hx, 200), np.linspace(*hy, 200))
    out = W2[0, 0] * grid_x + W2[0, 1] * grid_y + b2[0]
    right.contourf(
        grid_x,
        grid_y,
        (out > 0).astype(float),
        levels=[-0.5, 0.5, 1.5],
        colors=[color(0), color(1)],
        alpha=0.2,
    )
    _unit_line(right, W2[0], b2[0], hx, hy, color="black", linewidth=1.5, label="output: score = 0")
    right.set_xlim(hx)
    right.set_ylim(hy)
    right.set_title(f"Hidden space ({activation}): a straight line")
    right.legend(loc="upper center", fontsize="small", framealpha=0.85, ncol=3, bbox_to_anchor=(0.5, -0.15))
    return axes


def _label_points(ax, X, H):
    """Write next to each hidden point which input(s) landed there, e.g. "(0, 1) (1, 0)"."""
    groups = {}
    for x, h in zip(X, H, strict=True):
        groups.setdefault((round(float(h[0]), 3), round(float(h[1]), 3)), []).append(x)
    for (h1, h2), xs in groups.items():
        text = " ".join(f"({x[0]:g}, {x[1]:g})" for x in xs)
        ax.annotate(text, (h1, h2), xytext=(6, 6), textcoords="offset points", fontsize="small", color="0.2")


def network_diagram(sizes, ax=None, layer_names=None, title=None):
    """Draw a fully connected network with ``sizes[k]`` units in layer ``k`` (inputs first).

    Every unit of one layer is joined to every unit of the next (a *dense* layer). Layers with
    more than 6 units show 5 circles and a vertical ellipsis. ``layer_names`` labels each column
    (default: input, hidden 1, ..., output). Columns are 1 unit apart and the drawing is 6 units
    tall, so diagrams drawn side by side with width ratios equal to their number of layers share
    one scale. Returns the Axes.
    """
    ax = new_axes(ax, figsize=(1.3 * len(sizes) + 0.6, 3.4))
    positions = []
    for n in sizes:
        if n > 6:
            ys = [2.5, 1.5, 0.5, -0.5, -2.5]
        else:
            ys = list(np.linspace((n - 1) / 2, -(n - 1) / 2, n)) if n > 1 else [0.0]
        positions.append(ys)
    for k in range(len(sizes) - 1):
        for y0 in positions[k]:
            for y1 in positions[k + 1]:
                ax.plot([k, k + 1], [y0, y1], color="0.65", linewidth=0.7, zorder=1)
    last = len(sizes) - 1
    for k, (n, ys) in enumerate(zip(sizes, positions, strict=True)):
        face = color(0) if k == 0 else (color(1) if k == last else color(2))
        ax.scatter([k] * len(ys), ys, s=260, color=face, edgecolors="black", linewidths=0.8, zorder=2)
        if n > 6:
            ax.text(k, -1.5, "\u22ee", ha="center", va="center", fontsize=16, zorder=3)
        if layer_names:
            name = layer_names[k]
        else:
            name = "input" if k == 0 else "output" if k == last else f"hidden {k}"
        ax.text(k, -3.2, f"{name}\n{n} unit{'s' if n != 1 else ''}", ha="center", va="top", fontsize="small")
    ax.set_xlim(-0.5, last + 0.5)
    ax.set_ylim(-4.3, 3.2)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize="medium")
    return ax


def tent_network(depth):
    """A 1-D ReLU network of ``depth`` hidden layers, 2 units each, that folds [0, 1] ``depth`` times.

    Each layer computes the tent map t(u) = 2 relu(u) - 4 relu(u - 0.5) of its input u in [0, 1]
    (the next layer's weights do the subtraction), so the output t(t(...t(x))) zigzags between 0
    and 1 with 2**depth linear pieces on [0, 1], from only 2 * depth hidden units.
    Returns the list of (W, b) pairs.
    """
    if depth < 1:
        raise ValueError(f"tent_network: depth must be at least 1, got {depth}.")
    params = [(np.array([[1.0], [1.0]]), np.array([0.0, -0.5]))]
    fold = np.array([[2.0, -4.0]])
    for _ in range(depth - 1):
        params.append((np.vstack([fold, fold]), np.array([0.0, -0.5])))
    params.append((fold.copy(), np.array([0.0])))
    return params


def wide_network(units):
    """A 1-D ReLU network with one hidden layer of ``units`` units and ``units + 1`` linear pieces on [0, 1].

    Unit i (i = 1..units) switches on at x = i / (units + 1); the output is flat at 0 up to the first
    kink and then zigzags between 0 and 1 like :func:`tent_network`, one new piece per unit.
    """
    if units < 1:
        raise ValueError(f"wide_network: units must be at least 1, got {units}.")
    kinks = np.arange(1, units + 1) / (units + 1)
    slopes = np.concatenate([[0.0], (units + 1.0) * (-1.0) ** np.arange(units)])
    W2 = np.diff(slopes)[None, :]
    return [(np.ones((units, 1)), -kinks), (W2, np.array([0.0]))]


def linear_regions(x, params):
    """Count the stretches of the sorted 1-D grid ``x`` on which the ReLU network ``params`` is one line.

    Inside one stretch every hidden unit keeps its state (active or not), so the network is a
    single affine function there. Returns ``(count, breaks)``: the number of stretches and the
    grid positions i where the pattern changes between x[i - 1] and x[i].
    """
    hidden = layer_outputs(np.asarray(x, dtype=np.float64).reshape(-1, 1), params, "relu")[:-1]
    pattern = np.concatenate([h > 0 for h in hidden], axis=1)
    changed = np.any(pattern[1:] != pattern[:-1], axis=1)
    breaks = np.flatnonzero(changed) + 1
    return int(len(breaks) + 1), breaks
