"""Shared look of nnlib's plots: a colour-blind-safe palette and figure creation."""

import numpy as np

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Ordered so that the first classes get the most contrasting colours.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
# Markers repeat the class information for readers who cannot rely on colour at all.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
# Sequential colour map for matrices and surfaces, readable with colour-vision deficiencies.
SEQUENTIAL = "cividis"


def color(k):
    """The palette colour of class (or series) ``k``."""
    return PALETTE[int(k) % len(PALETTE)]


def marker(k):
    """The marker of class ``k``."""
    return MARKERS[int(k) % len(MARKERS)]


def new_axes(ax=None, figsize=(5.0, 4.0)):
    """Return ``ax``, or the axes of a new pyplot figure (so notebooks show it inline)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def class_names_for(names, k):
    """``names`` as a list of ``k`` strings ("class 0", ... when not given)."""
    if names is None:
        return [f"class {i}" for i in range(k)]
    names = [str(n) for n in names]
    if len(names) < k:
        raise ValueError(f"class_names has {len(names)} names but the labels need {k}.")
    return names


def scatter_classes(ax, points, y, class_names=None, size=28):
    """Scatter 2-D ``points`` (N, 2), one colour and marker per class of ``y`` (N,)."""
    y = np.asarray(y).astype(np.int64)
    k = int(y.max()) + 1 if y.size else 0
    names = class_names_for(class_names, k)
    for c in range(k):
        mask = y == c
        if mask.any():
            ax.scatter(
                points[mask, 0],
                points[mask, 1],
                s=size,
                color=color(c),
                marker=marker(c),
                edgecolors="black",
                linewidths=0.5,
                label=names[c],
            )
    if k:
        ax.legend(loc="best", fontsize="small", framealpha=0.8)
