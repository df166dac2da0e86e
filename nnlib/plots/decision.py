"""Decision regions of a classifier with two input features."""

import numpy as np

from nnlib.backend import device_of, to, to_numpy
from nnlib.plots.style import color, new_axes, scatter_classes


def _as_labels(output, kind):
    """Class labels from what ``predict`` returned: labels, probabilities or scores."""
    output = np.asarray(output)
    if output.ndim == 2 and output.shape[1] > 1:
        return output.argmax(axis=1)
    output = output.reshape(-1)
    if kind is None:
        if output.dtype.kind in "biu" or np.all(output == np.round(output)):
            kind = "labels"
        elif output.min() >= 0.0 and output.max() <= 1.0:
            kind = "proba"
        else:
            kind = "logits"
    if kind == "labels":
        return output.astype(np.int64)
    if kind == "proba":
        return (output >= 0.5).astype(np.int64)
    if kind == "logits":
        return (output >= 0.0).astype(np.int64)
    raise ValueError(f"decision_boundary: kind must be 'labels', 'proba', 'logits' or None, got {kind!r}.")


def decision_boundary(
    predict,
    X,
    y=None,
    ax=None,
    resolution=200,
    padding=0.5,
    kind=None,
    class_names=None,
    xlabel="$x_1$",
    ylabel="$x_2$",
    title="Decision boundary",
):
    """Shade the class that ``predict`` gives every point of the plane, and draw the data.

    ``predict`` maps an array of shape (M, 2) (of the same kind, device and
    float dtype as ``X``) to one of: labels (M,); probabilities of class 1
    (M,) or (M, 1), cut at 0.5; scores/logits of class 1, cut at 0; or one
    column per class (M, K), whose arg-max is taken. ``kind`` ("labels",
    "proba", "logits") overrides the guess for (M,) outputs: whole numbers
    are labels, values in [0, 1] probabilities, anything else logits.

    ``X`` (N, 2) are the data points, drawn coloured by ``y`` (N,) when given.
    The grid has ``resolution`` x ``resolution`` points and reaches ``padding``
    beyond the data. Returns the Axes.
    """
    points = to_numpy(X)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"decision_boundary: expected X of shape (N, 2), got {points.shape}.")
    lows, highs = points.min(axis=0) - padding, points.max(axis=0) + padding
    xs = np.linspace(lows[0], highs[0], resolution)
    ys = np.linspace(lows[1], highs[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.stack([xx.ravel(), yy.ravel()], axis=1)
    dtype = points.dtype if points.dtype.kind == "f" else np.float64
    labels = _as_labels(to_numpy(predict(to(grid, device_of(X), dtype=dtype))), kind)
    if labels.shape[0] != grid.shape[0]:
        raise ValueError(
            f"decision_boundary: predict returned {labels.shape[0]} predictions for {grid.shape[0]} points."
        )
    labels = labels.reshape(xx.shape)
    y_np = None if y is None else to_numpy(y).reshape(-1).astype(np.int64)
    k = int(max(labels.max(), -1 if y_np is None else y_np.max())) + 1

    ax = new_axes(ax)
    levels = np.arange(k + 1) - 0.5
    ax.contourf(xx, yy, labels, levels=levels, colors=[color(c) for c in range(k)], alpha=0.25)
    if k > 1:
        ax.contour(xx, yy, labels, levels=levels[1:-1], colors="black", linewidths=1.0)
    if y_np is not None:
        scatter_classes(ax, points, y_np, class_names)
    else:
        ax.scatter(points[:, 0], points[:, 1], s=20, color="black")
    ax.set_xlim(lows[0], highs[0])
    ax.set_ylim(lows[1], highs[1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax
