"""Contour plot of a function of two parameters, with optimiser paths on it."""

import numpy as np

from nnlib.backend import to_numpy
from nnlib.plots.style import SEQUENTIAL, color, marker, new_axes


def _evaluate(f, points):
    """``f`` on every row of ``points`` (M, 2): vectorised when ``f`` allows it, else row by row."""
    try:
        values = to_numpy(f(points)).astype(np.float64).reshape(-1)
        if values.shape[0] == points.shape[0]:
            return values
    except Exception:  # noqa: BLE001 - f may only accept one point at a time; the loop below re-raises
        pass
    return np.array([float(to_numpy(f(p))) for p in points])


def loss_surface(
    f,
    xlim,
    ylim,
    trajectories=None,
    levels=30,
    log=False,
    ax=None,
    resolution=150,
    xlabel="$w_1$",
    ylabel="$w_2$",
    title="Loss surface",
):
    """Draw contour lines of ``f`` over ``xlim`` x ``ylim`` and the paths in ``trajectories``.

    ``f`` takes an array of points of shape (M, 2) and returns (M,) values, or
    takes one point of shape (2,) and returns a number (then it is called once
    per grid point). ``trajectories`` maps a name (the legend entry) to the
    visited points, an array of shape (T, 2); each path is drawn as a line with
    markers, its start ringed. ``log=True`` spaces the ``levels`` contour
    levels logarithmically (values are shifted to be positive if needed),
    which suits valleys like Rosenbrock's. Returns the Axes.
    """
    xs = np.linspace(xlim[0], xlim[1], resolution)
    ys = np.linspace(ylim[0], ylim[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    zz = _evaluate(f, np.stack([xx.ravel(), yy.ravel()], axis=1)).reshape(xx.shape)
    ax = new_axes(ax, figsize=(5.5, 4.5))
    if log:
        from matplotlib.colors import LogNorm

        if zz.min() <= 0:
            zz = zz - zz.min() + 1e-3 * (zz.max() - zz.min() or 1.0)
        ax.contour(
            xx, yy, zz, levels=np.geomspace(zz.min(), zz.max(), levels), cmap=SEQUENTIAL, norm=LogNorm()
        )
    else:
        ax.contour(xx, yy, zz, levels=levels, cmap=SEQUENTIAL)
    for k, (name, path) in enumerate((trajectories or {}).items()):
        path = to_numpy(path).astype(np.float64)
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"loss_surface: trajectory {name!r} must have shape (T, 2), got {path.shape}.")
        ax.plot(
            path[:, 0], path[:, 1], color=color(k), marker=marker(k), markersize=3, linewidth=1.5, label=name
        )
        ax.scatter(path[:1, 0], path[:1, 1], s=80, facecolors="none", edgecolors=color(k), linewidths=1.5)
    if trajectories:
        ax.legend(fontsize="small")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax
