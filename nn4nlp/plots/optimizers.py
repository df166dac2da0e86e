"""Figures of module 05 (gradient descent and optimisers).

- :func:`descent_1d` - the steps of an optimiser on a loss of one parameter.
- :func:`per_layer` - one number per layer (activation spread, gradient size) for several networks.
- :func:`saturation` - sigmoid and tanh with their derivatives, saturated zones shaded.
- :func:`schedules` - learning rate against epoch for several schedules.

Optimiser paths on a loss of two parameters are drawn by :func:`nnlib.plots.loss_surface`.
"""

import numpy as np

from nnlib.plots.style import color, marker, new_axes

_LINES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1, 1, 1, 1, 1)))


def descent_1d(f, path, ax=None, xlim=(-4.0, 4.0), title=None):
    """Draw the loss ``f`` (a vectorised function of one parameter) and the points of ``path``.

    ``path`` is a sequence of parameter values (T,) or (T, 1), the first one
    the start. Points are joined in order, coloured from light (early) to dark
    (late); points outside ``xlim`` are drawn on its edge with an arrow-like
    marker, so a diverging run stays visible. Returns the Axes.
    """
    ax = new_axes(ax, figsize=(4.5, 3.5))
    w = np.linspace(xlim[0], xlim[1], 400)
    ax.plot(w, f(w), color="0.35", linewidth=1.5, zorder=1)
    path = np.asarray(path, dtype=np.float64).reshape(-1)
    inside = np.clip(path, xlim[0], xlim[1])
    heights = f(inside)
    ax.plot(inside, heights, color=color(0), linewidth=0.8, alpha=0.6, zorder=2)
    shades = np.linspace(0.25, 1.0, len(path))
    ax.scatter(
        inside,
        heights,
        c=shades,
        cmap="Blues",
        vmin=0,
        vmax=1,
        s=28,
        edgecolors="black",
        linewidths=0.4,
        zorder=3,
    )
    ax.scatter(
        inside[:1],
        heights[:1],
        s=110,
        facecolors="none",
        edgecolors=color(1),
        linewidths=2,
        zorder=4,
        label="start",
    )
    outside = path != inside
    if np.any(outside):
        ax.scatter(
            inside[outside],
            heights[outside],
            marker="X",
            s=70,
            color=color(3),
            zorder=5,
            label="left the plot",
        )
    ax.set_xlim(xlim)
    ax.set_xlabel("parameter w")
    ax.set_ylabel("loss f(w)")
    if title:
        ax.set_title(title, fontsize="medium")
    ax.legend(fontsize="small", loc="upper center")
    ax.grid(True, alpha=0.3)
    return ax


def per_layer(series, ax=None, ylabel="value", title=None, log=True, order=None):
    """One line per network: ``series`` maps a label to one number per layer (layer 1 first).

    ``order``, a list of labels, fixes each label's colour and marker (its
    position in the list), so that several panels drawing some of the same
    networks agree; by default the order of ``series``. Returns the Axes. With
    ``log=True`` the y axis is logarithmic; zeros are not drawn on it, so say
    in words when a network's values are all 0.
    """
    ax = new_axes(ax, figsize=(5.0, 3.8))
    order = list(series) if order is None else list(order)
    missing = [label for label in series if label not in order]
    if missing:
        raise ValueError(f"per_layer: the labels {missing} are not in order={order}.")
    for label, values in series.items():
        k = order.index(label)
        values = np.asarray(values, dtype=np.float64)
        layers = np.arange(1, len(values) + 1)
        ax.plot(
            layers,
            values,
            color=color(k),
            marker=marker(k),
            linestyle=_LINES[k % len(_LINES)],
            linewidth=1.8,
            markersize=5,
            label=label,
        )
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_ylabel(ylabel)
    ax.set_xticks(np.arange(1, max((len(v) for v in series.values()), default=1) + 1))
    if title:
        ax.set_title(title, fontsize="medium")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def saturation(axes=None, z=None, threshold=0.1):
    """Sigmoid and tanh (left, right) with their derivatives; shade where the derivative < ``threshold``.

    ``axes`` is a pair of Axes (default: a new figure with two panels).
    Returns the pair.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(10.0, 3.6), layout="constrained")
    z = np.linspace(-8.0, 8.0, 801) if z is None else np.asarray(z, dtype=np.float64)
    sig = 1 / (1 + np.exp(-z))
    th = np.tanh(z)
    curves = (
        ("sigmoid", sig, sig * (1 - sig), "$\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$, at most 0.25"),
        ("tanh", th, 1 - th**2, "$\\tanh'(z) = 1 - \\tanh(z)^2$, at most 1"),
    )
    for ax, (name, value, slope, slope_label) in zip(axes, curves, strict=True):
        flat = slope < threshold
        ax.fill_between(z, -1.1, 1.1, where=flat, color="0.88", label=f"saturated: slope < {threshold:g}")
        ax.plot(z, value, color=color(0), linewidth=2, label=f"{name}(z)")
        ax.plot(z, slope, color=color(3), linewidth=2, linestyle="--", label=slope_label)
        ax.set_ylim(-1.1, 1.1)
        ax.set_xlim(z[0], z[-1])
        ax.set_xlabel("pre-activation z")
        ax.set_title(name, fontsize="medium")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small", loc="lower right")
    return axes


def schedules(curves, ax=None, title="Learning-rate schedules", log=False, legend_loc="best"):
    """Learning rate against epoch: ``curves`` maps a label to one rate per epoch (epoch 0 first).

    ``legend_loc`` is passed to matplotlib's ``legend(loc=...)``. Returns the Axes.
    """
    ax = new_axes(ax, figsize=(6.0, 3.8))
    for k, (label, rates) in enumerate(curves.items()):
        rates = np.asarray(rates, dtype=np.float64)
        ax.plot(
            np.arange(len(rates)),
            rates,
            color=color(k),
            linestyle=_LINES[k % len(_LINES)],
            linewidth=2,
            drawstyle="steps-post",
            label=label,
        )
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("learning rate")
    ax.set_title(title, fontsize="medium")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", loc=legend_loc, framealpha=0.9)
    return ax
