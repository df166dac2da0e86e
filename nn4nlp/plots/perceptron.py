"""Figures of module 01: one neuron drawn as a diagram and as a line in the plane."""

import numpy as np

from nnlib.plots.style import PALETTE, color, new_axes, scatter_classes

_EPS = 1e-12


def _fmt(x):
    """A number as a short label: 3, -2, 0.5, -6, 0.0025."""
    x = float(x)
    if x == round(x) and abs(x) < 1e6:
        return f"{int(round(x))}"
    return f"{x:.2g}" if abs(x) < 0.01 else f"{x:.3g}"


def _paren(x):
    """A number for a product: negative numbers in brackets."""
    return f"({_fmt(x)})" if float(x) < 0 else _fmt(x)


def perceptron_diagram(inputs=None, weights=None, activation="g", ax=None):
    """Draw a perceptron: inputs ``1, x1, ..., xm`` -> weights -> sum ``z`` -> ``g`` -> ``y_hat``.

    ``inputs`` (m,) and ``weights`` (m + 1,), the bias ``b`` first (the weight of the input 1), are
    optional numbers to write on the diagram (then ``z`` and, for
    ``activation="sigmoid"`` or ``"step"``, ``y_hat`` are computed and shown).
    Without them the diagram shows the symbols, for two inputs. Returns the Axes.
    """
    ax = new_axes(ax, figsize=(7.0, 3.6))
    m = 2 if inputs is None else len(inputs)
    if weights is not None and len(weights) != m + 1:
        raise ValueError(
            f"perceptron_diagram: expected {m + 1} weights (the bias b first), got {len(weights)}."
        )
    ys = np.linspace(0.85, 0.15, m + 1)
    sum_xy, out_xy = (0.58, 0.5), (0.9, 0.5)
    names = ["1"] + [f"$x_{i}$" for i in range(1, m + 1)]
    values = [None] * (m + 1) if inputs is None else [None, *inputs]
    wnames = ["$b$"] + [f"$w_{i}$" for i in range(1, m + 1)]
    z = None
    if weights is not None:
        wnames = [f"$b = {_fmt(weights[0])}$"] + [f"$w_{i} = {_fmt(v)}$" for i, v in enumerate(weights) if i]
        if inputs is not None:
            z = float(weights[0] + np.dot(weights[1:], inputs))
    node_x = 0.14
    for i, (yy, name, value, wname) in enumerate(zip(ys, names, values, wnames, strict=True)):
        face = "#eeeeee" if i == 0 else "white"
        start = (node_x + 0.04, yy)
        target = (sum_xy[0] - 0.075, sum_xy[1] + (yy - 0.5) * 0.25)
        ax.annotate("", xy=target, xytext=start, arrowprops={"arrowstyle": "-|>", "color": "0.3", "lw": 1.3})
        circle = {"boxstyle": "circle,pad=0.3", "fc": face, "ec": "0.2"}
        ax.text(node_x, yy, name, ha="center", va="center", fontsize=11, bbox=circle)
        if value is not None:
            ax.text(node_x - 0.06, yy, f"${_fmt(value)}$", ha="right", va="center", fontsize=11)
        t = 0.45
        mid = (start[0] + t * (target[0] - start[0]), yy + t * (target[1] - yy))
        label_box = {"fc": "white", "ec": "none", "pad": 1.0}
        ax.text(*mid, wname, ha="center", va="center", fontsize=10, color=PALETTE[0], bbox=label_box)
    ax.text(
        *sum_xy,
        r"$\Sigma$",
        ha="center",
        va="center",
        fontsize=18,
        bbox={"boxstyle": "circle,pad=0.5", "fc": "white", "ec": "0.2"},
    )
    ax.annotate(
        "",
        xy=(out_xy[0] - 0.07, 0.5),
        xytext=(sum_xy[0] + 0.07, 0.5),
        arrowprops={"arrowstyle": "-|>", "color": "0.3", "lw": 1.3},
    )
    g_label = {"sigmoid": r"$\sigma$", "step": "step"}.get(
        activation, f"${activation}$" if len(activation) == 1 else activation
    )
    ax.text(
        (sum_xy[0] + out_xy[0]) / 2,
        0.5,
        g_label,
        ha="center",
        va="center",
        fontsize=12,
        bbox={"boxstyle": "round", "fc": "#fff3d6", "ec": PALETTE[1]},
    )
    out_label = r"$\hat{y}$"
    z_label = r"$z = b + \sum_i w_i x_i$"
    if z is not None:
        terms = [_fmt(weights[0])] + [
            rf"{_paren(wi)} \cdot {_paren(xi)}" for wi, xi in zip(weights[1:], inputs, strict=True)
        ]
        z_label = "$z = " + " + ".join(terms) + f" = {_fmt(z)}$"
        if activation in ("sigmoid", "step"):
            y_hat = 1.0 / (1.0 + np.exp(-z)) if activation == "sigmoid" else float(z >= 0)
            out_label = (
                rf"$\hat{{y}} = {y_hat:.4f}$" if activation == "sigmoid" else rf"$\hat{{y}} = {_fmt(y_hat)}$"
            )
    ax.text(sum_xy[0], 0.2, z_label, ha="center", fontsize=10)
    ax.text(out_xy[0], 0.5, out_label, ha="left", va="center", fontsize=12)
    ax.text(node_x, 0.98, "inputs", ha="center", fontsize=9, color="0.35")
    ax.text(node_x, 0.01, "(the input 1 carries the bias)", ha="center", fontsize=8, color="0.35")
    ax.set_xlim(-0.06, 1.08)
    ax.set_ylim(0.0, 1.02)
    ax.set_axis_off()
    ax.set_title("A perceptron")
    return ax


def _two_colour_map():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("class0_white_class1", [PALETTE[0], "#ffffff", PALETTE[1]])


def neuron_plane(
    b,
    w,
    X=None,
    y=None,
    ax=None,
    activation="sigmoid",
    xlim=None,
    ylim=None,
    point=None,
    class_names=None,
    xlabel="$x_1$",
    ylabel="$x_2$",
    title=None,
    resolution=200,
):
    """Show a neuron with two inputs as what it is: a line in the plane.

    The background is shaded by the output ``g(b + w1 x1 + w2 x2)`` (blue for
    0, white for 0.5, orange for 1; ``activation`` is "sigmoid" or "step"),
    the black line is the decision boundary ``z = 0``, and an arrow shows the
    weight vector ``(w1, w2)``, which points to the side where ``z`` grows.
    ``X`` (N, 2) and ``y`` (N,) are data points to draw; ``point`` (x1, x2)
    is one input to mark with its ``z`` and output. The view is ``xlim`` by
    ``ylim`` (default: the data with a margin, or -3..3). Returns the Axes.
    """
    ax = new_axes(ax, figsize=(5.2, 4.4))
    w = np.asarray(w, dtype=np.float64).reshape(-1)
    if w.shape != (2,):
        raise ValueError(f"neuron_plane: expected 2 weights (w1, w2), got shape {w.shape}.")
    if activation not in ("sigmoid", "step"):
        raise ValueError(f"neuron_plane: activation must be 'sigmoid' or 'step', got {activation!r}.")
    b = float(b)
    X = None if X is None else np.asarray(X, dtype=np.float64)
    xlim, ylim = _view(X, xlim, ylim)
    _shade_outputs(ax, b, w, xlim, ylim, activation, resolution)
    _decision_line(ax, b, w, xlim, ylim)
    if X is not None:
        if y is not None:
            scatter_classes(ax, X, np.asarray(y).astype(np.int64), class_names)
        else:
            ax.scatter(X[:, 0], X[:, 1], s=20, color="black")
    if point is not None:
        _mark_point(ax, b, w, point, activation)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"$z = {_fmt(b)} + {_fmt(w[0])}\\,x_1 + {_fmt(w[1])}\\,x_2$".replace("+ -", "- "))
    return ax


def _neuron_output(z, activation):
    """g(z) for the sigmoid (computed without overflow) or the step function."""
    if activation == "sigmoid":
        return np.exp(-np.logaddexp(0.0, -z))
    return (np.asarray(z) >= 0).astype(np.float64)


def _view(X, xlim, ylim):
    """The (xlim, ylim) to show: as given, else the data with a margin, else -3..3."""
    if X is not None:
        margin = 0.08 * (X.max(axis=0) - X.min(axis=0)) + 0.3
        lows, highs = X.min(axis=0) - margin, X.max(axis=0) + margin
    else:
        lows, highs = np.array([-3.0, -3.0]), np.array([3.0, 3.0])
    xlim = tuple(xlim) if xlim is not None else (lows[0], highs[0])
    ylim = tuple(ylim) if ylim is not None else (lows[1], highs[1])
    return xlim, ylim


def _shade_outputs(ax, b, w, xlim, ylim, activation, resolution):
    """The background: the neuron's output at every point of the view."""
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    out = _neuron_output(b + w[0] * xx + w[1] * yy, activation)
    ax.imshow(
        out, extent=(*xlim, *ylim), origin="lower", aspect="auto", cmap=_two_colour_map(),
        vmin=0.0, vmax=1.0, alpha=0.45, interpolation="bilinear",
    )  # fmt: skip


def _decision_line(ax, b, w, xlim, ylim):
    """The line z = 0 and an arrow along w from its point nearest the centre of the view."""
    norm = float(np.hypot(*w))
    if norm <= _EPS:
        ax.text(
            np.mean(xlim),
            np.mean(ylim),
            "no line: $w_1 = w_2 = 0$\n(every point gets the same output)",
            ha="center",
            va="center",
            fontsize=9,
            bbox={"fc": "white", "ec": "0.5"},
        )
        return
    centre = np.array([np.mean(xlim), np.mean(ylim)])
    foot = centre - (b + w @ centre) / norm**2 * w
    direction = np.array([-w[1], w[0]]) / norm
    span = 2 * max(xlim[1] - xlim[0], ylim[1] - ylim[0])
    ends = np.stack([foot - span * direction, foot + span * direction])
    ax.plot(ends[:, 0], ends[:, 1], color="black", linewidth=2, label="decision line $z = 0$")
    scale = 0.18 * min(xlim[1] - xlim[0], ylim[1] - ylim[0])
    if xlim[0] <= foot[0] <= xlim[1] and ylim[0] <= foot[1] <= ylim[1]:
        ax.annotate(
            "",
            xy=tuple(foot + scale * w / norm),
            xytext=tuple(foot),
            arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.5},
        )
        ax.text(*(foot + 1.25 * scale * w / norm), "$w$", ha="center", va="center", fontsize=11)


def _mark_point(ax, b, w, point, activation):
    """One input marked with a star, its z and the neuron's output."""
    px, py = float(point[0]), float(point[1])
    z = b + w[0] * px + w[1] * py
    g = float(_neuron_output(z, activation))
    ax.plot(px, py, marker="*", markersize=16, color="black", markerfacecolor="#F0E442", linestyle="none")
    text = f"$x = ({_fmt(px)}, {_fmt(py)})$\n$z = {_fmt(z)}$, " + (
        rf"$\hat{{y}} = {g:.4f}$" if activation == "sigmoid" else rf"$\hat{{y}} = {_fmt(g)}$"
    )
    ax.annotate(
        text,
        xy=(px, py),
        xytext=(12, -12),
        textcoords="offset points",
        fontsize=9,
        va="top",
        bbox={"fc": "white", "ec": "0.5", "alpha": 0.9},
    )


def activation_derivatives(ax=None, x=None, leaky_slope=0.1):
    """Plot the derivatives of sigmoid, tanh, ReLU and leaky ReLU on ``x`` (default -4..4).

    The jumps of ReLU and leaky ReLU at 0 are drawn as gaps (no vertical line).
    Returns the Axes.
    """
    ax = new_axes(ax)
    x = np.linspace(-4.0, 4.0, 801) if x is None else np.asarray(x, dtype=np.float64)
    s = 1.0 / (1.0 + np.exp(-x))
    curves = [
        # leaky ReLU first and wider, so that ReLU's line (also 1 for z > 0) stays visible on top of it
        (f"leaky ReLU: {leaky_slope:g} or 1", np.where(x > 0, 1.0, leaky_slope), 4, "-", 5.0, 0.45),
        ("sigmoid: $g(1-g)$", s * (1 - s), 1, "-", 2.2, 1.0),
        ("tanh: $1-g^2$", 1 - np.tanh(x) ** 2, 2, "--", 2.2, 1.0),
        ("ReLU: 0 or 1", np.where(x > 0, 1.0, 0.0), 3, "-.", 2.2, 1.0),
    ]
    jump = int(np.argmax(x > 0))
    for name, values, k, style, width, alpha in curves:
        values = values.copy()
        if name.startswith(("ReLU", "leaky")):
            values[jump] = np.nan  # break the line at the jump instead of drawing a vertical segment
        ax.plot(x, values, color=color(k), linestyle=style, linewidth=width, alpha=alpha, label=name)
    ax.set_ylim(-0.1, 1.15)
    ax.grid(True, alpha=0.3)
    ax.set_xlabel("input z")
    ax.set_ylabel("derivative g'(z)")
    ax.set_title("Derivatives of the activation functions")
    ax.legend(loc="center left", fontsize="small")
    return ax


def mistakes_per_epoch(runs, axes=None):
    """One small panel per perceptron training run: the number of mistakes in each epoch.

    ``runs``: dict title -> list of mistake counts (one per epoch). ``axes``: as
    many Axes as runs (default: a new row of panels, each with its own scale).
    The horizontal axis is logarithmic; a note in each panel says whether the
    run ended with an epoch without mistakes. Returns the array of Axes.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, len(runs), figsize=(3.6 * len(runs), 3.3), layout="constrained")
    axes = np.atleast_1d(axes)
    if len(axes) != len(runs):
        raise ValueError(f"mistakes_per_epoch: got {len(runs)} runs but {len(axes)} axes.")
    for k, (ax, (title, counts)) in enumerate(zip(axes, runs.items(), strict=True)):
        counts = np.asarray(counts)
        epochs = np.arange(1, len(counts) + 1)
        top = max(int(counts.max()), 1)
        ax.plot(
            epochs,
            counts,
            color=color(k),
            linewidth=1.0 if len(counts) > 100 else 1.5,
            marker="o" if len(counts) < 30 else None,
            markersize=4,
        )
        if counts[-1] == 0:
            note = f"no mistakes in epoch {len(counts)}:\nconverged"
            ax.plot(epochs[-1], 0, marker="o", markersize=9, color=color(k), markeredgecolor="black")
        else:
            note = f"still {counts[-1]} mistakes in epoch {len(counts)}:\nnot converged"
        ax.text(0.97, 0.95, note, transform=ax.transAxes, ha="right", va="top", fontsize=8,
                bbox={"fc": "white", "ec": "0.6"})  # fmt: skip
        ax.set_xscale("log")
        ax.set_xlim(0.8, max(10, len(counts)) * 1.25)
        ax.set_ylim(-0.05 * top - 0.5, 1.3 * top + 1)
        ax.set_xlabel("epoch (log scale)")
        ax.set_title(title, fontsize=10)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("mistakes in the epoch")
    return axes


def neuron_outputs(
    b, w, X, y, ax=None, activation="sigmoid", point=None, class_names=None, zlim=(-12.0, 12.0)
):
    """Each input's place on the activation curve: ``(z_i, g(z_i))`` for ``z_i = b + X[i] @ w``.

    The curve is the sigmoid or the step function; points are coloured by
    their class ``y`` and squeezed into ``zlim`` (a point beyond it is drawn at
    the edge). ``point`` (x1, x2) is marked with a star. Returns the Axes.
    """
    ax = new_axes(ax, figsize=(5.0, 4.0))
    w = np.asarray(w, dtype=np.float64)
    zs = np.linspace(*zlim, 401)
    if activation == "sigmoid":
        g = lambda z: np.exp(-np.logaddexp(0.0, -z))  # noqa: E731 - the stable sigmoid
    else:
        g = lambda z: (np.asarray(z) >= 0).astype(np.float64)  # noqa: E731
    ax.plot(zs, g(zs), color="0.25", linewidth=1.8, zorder=1)
    ax.axvline(0.0, color="black", linewidth=1.0, linestyle=":")
    ax.axhline(0.5, color="0.5", linewidth=0.8, linestyle=":")
    z = np.clip(b + np.asarray(X, dtype=np.float64) @ w, *zlim)
    scatter_classes(ax, np.stack([z, g(z)], axis=1), np.asarray(y).astype(np.int64), class_names)
    if point is not None:
        zp = float(np.clip(b + np.dot(w, point), *zlim))
        ax.plot(
            zp, g(zp), marker="*", markersize=15, color="black", markerfacecolor="#F0E442", linestyle="none"
        )
    ax.set_xlim(zlim[0] - 0.5, zlim[1] + 0.5)
    ax.set_ylim(-0.08, 1.08)
    ax.set_xlabel("z = b + w1 x1 + w2 x2")
    ax.set_ylabel(r"output $\hat{y} = g(z)$")
    ax.set_title("Every input on the activation curve")
    ax.legend(loc="lower right", fontsize="small")
    return ax
