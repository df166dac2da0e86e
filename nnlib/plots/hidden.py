"""What a hidden layer did to the data."""

import numpy as np

from nnlib.backend import to_numpy
from nnlib.plots.style import new_axes, scatter_classes


def pca_2d(H):
    """Project the rows of ``H`` (N, D) on their two main directions.

    Returns ``(Z, explained)``: ``Z`` (N, 2) and the fraction of the variance
    each of the two directions explains.
    """
    centred = H - H.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    variance = s**2
    total = variance.sum() or 1.0
    return centred @ vt[:2].T, variance[:2] / total


def hidden_activations(H, y, ax=None, class_names=None, title=None):
    """Scatter hidden activations ``H`` (N, D) coloured by class ``y`` (N,).

    D = 2 is drawn as it is; D > 2 is projected on its first two principal
    components (axis labels give the share of variance); D = 1 is drawn
    against the class index, slightly spread vertically. Returns the Axes.
    """
    H = to_numpy(H).astype(np.float64)
    y = to_numpy(y).reshape(-1).astype(np.int64)
    if H.ndim != 2 or H.shape[0] != y.shape[0]:
        raise ValueError(
            f"hidden_activations: expected H of shape (N, D) with N = len(y) = {y.shape[0]}, got {H.shape}."
        )
    ax = new_axes(ax)
    d = H.shape[1]
    if d == 1:
        spread = 0.08 * np.sin(np.arange(len(y)) * 2.399)  # deterministic jitter
        scatter_classes(ax, np.stack([H[:, 0], y + spread], axis=1), y, class_names)
        labels = ("$h_1$", "class")
    elif d == 2:
        scatter_classes(ax, H, y, class_names)
        labels = ("$h_1$", "$h_2$")
    else:
        Z, explained = pca_2d(H)
        scatter_classes(ax, Z, y, class_names)
        labels = tuple(f"PC {i + 1} ({100 * e:.0f}% of variance)" for i, e in enumerate(explained))
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(title or ("Hidden activations" if d <= 2 else f"Hidden activations (PCA of {d} units)"))
    return ax
