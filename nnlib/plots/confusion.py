"""A confusion matrix as a picture (the numbers come from :func:`nnlib.data.confusion_matrix`)."""

import numpy as np

from nnlib.data.confusion import confusion_matrix as count_confusions
from nnlib.plots.style import SEQUENTIAL, class_names_for, new_axes


def confusion_matrix(y_true, y_pred, class_names=None, ax=None, normalize=False):
    """Draw the confusion matrix: rows = true class, columns = predicted class.

    Each cell shows its count (or, with ``normalize=True``, the fraction of its
    row, so the diagonal is each class's recall). ``class_names`` labels the
    ticks and fixes the number of classes. Returns the Axes; the matrix itself
    is ``nnlib.data.confusion_matrix(y_true, y_pred)``.
    """
    k = None if class_names is None else len(class_names)
    matrix = count_confusions(y_true, y_pred, num_classes=k, normalize=normalize)
    k = matrix.shape[0]
    names = class_names_for(class_names, k)
    ax = new_axes(ax, figsize=(1.0 + 0.8 * k, 0.8 + 0.8 * k) if k > 4 else (4.5, 4.0))
    image = ax.imshow(matrix, cmap=SEQUENTIAL, vmin=0, vmax=max(matrix.max(), 1e-12))
    for i in range(k):
        for j in range(k):
            value = matrix[i, j]
            text = f"{value:.2f}" if normalize else str(int(value))
            # cividis is dark at the low end: light text there, dark text on bright cells.
            shade = "white" if image.norm(value) < 0.6 else "black"
            ax.text(j, i, text, ha="center", va="center", color=shade, fontsize="small")
    rotation = 45 if max(map(len, names)) > 6 else 0
    ax.set_xticks(np.arange(k), names, rotation=rotation, ha="right" if rotation else "center")
    ax.set_yticks(np.arange(k), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("Confusion matrix" + (" (row fractions)" if normalize else ""))
    return ax
