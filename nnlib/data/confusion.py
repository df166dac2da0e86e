"""The confusion matrix of a classifier (plotted by :func:`nnlib.plots.confusion_matrix`)."""

import numpy as np

from nnlib.backend import to_numpy


def confusion_matrix(y_true, y_pred, num_classes=None, normalize=False):
    """Count how often class ``i`` was predicted as class ``j``.

    ``y_true`` and ``y_pred``: integer labels of shape (N,) (arrays, tensors or
    lists). Returns an int64 array ``C`` of shape (K, K), rows = true class,
    columns = predicted class, with ``K = num_classes`` or one more than the
    largest label. ``normalize=True`` divides each row by its total (float64;
    rows of classes that never occur stay 0), so the diagonal is the recall.
    """
    y_true = to_numpy(y_true).reshape(-1)
    y_pred = to_numpy(y_pred).reshape(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"confusion_matrix: y_true and y_pred must have the same length, got {y_true.shape[0]} "
            f"and {y_pred.shape[0]}."
        )
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.size and (not np.all(labels == np.round(labels)) or labels.min() < 0):
            raise ValueError(
                f"confusion_matrix: {name} must hold class indices 0, 1, 2, ...; got {labels[:5]}."
            )
    y_true, y_pred = y_true.astype(np.int64), y_pred.astype(np.int64)
    largest = int(max(y_true.max(initial=-1), y_pred.max(initial=-1)))
    k = largest + 1 if num_classes is None else int(num_classes)
    if largest >= k:
        raise ValueError(f"confusion_matrix: label {largest} does not fit num_classes={k}.")
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    if not normalize:
        return counts
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros((k, k)), where=totals > 0)
