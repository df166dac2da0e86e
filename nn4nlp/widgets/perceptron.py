"""Module 01's explorer: move a neuron's decision line over the data with three sliders.

::

    from nn4nlp.widgets.perceptron import line_explorer

    line_explorer()          # "Will I pass this class?" data, sliders for b, w1, w2
"""

import numpy as np

from nn4nlp.plots.perceptron import neuron_outputs, neuron_plane
from nn4nlp.widgets.base import Explorer, dropdown, slider


def neuron_summary(b, w, X, y, point=None, point_name="the marked input"):
    """The text the explorer prints: the equation, accuracy on ``(X, y)`` and the output at ``point``.

    A point counts as class 1 when ``z = b + X @ w >= 0`` (output >= 0.5 for the
    sigmoid, 1 for the step function).
    """
    w = np.asarray(w, dtype=np.float64)
    z = b + np.asarray(X, dtype=np.float64) @ w
    correct = int(np.sum((z >= 0).astype(np.int64) == np.asarray(y)))
    lines = [f"on the correct side: {correct} of {len(z)} ({100 * correct / len(z):.0f}%)"]
    if point is not None:
        zp = float(b + np.dot(w, point))
        sigmoid = float(np.exp(-np.logaddexp(0.0, -zp)))
        lines.append(f"{point_name}: z = {zp:.2f}, sigmoid(z) = {sigmoid:.3f}, step(z) = {int(zp >= 0)}")
    return "\n".join(lines)


def line_explorer(
    X=None,
    y=None,
    b=-6.0,
    w1=0.5,
    w2=0.5,
    bias_range=(-20.0, 20.0),
    weight_range=(-3.0, 3.0),
    point=(8.0, 5.0),
    point_name="8 lectures, 5 hours",
    class_names=("fail", "pass"),
    xlabel="$x_1$: lectures attended",
    ylabel="$x_2$: hours on the final project",
):
    """An :class:`~nn4nlp.widgets.Explorer` with sliders for ``b``, ``w1``, ``w2`` and a choice of activation.

    The figure shows the data ``X`` (N, 2) coloured by ``y`` (N,) (default:
    ``nnlib.data.pass_fail(100, seed=0)``), the neuron's output as shading, the
    decision line ``z = 0`` with the weight vector, and a text box with the
    number of points on the correct side and the neuron's output at ``point``.
    """
    if X is None:
        from nnlib.data import pass_fail

        X, y = pass_fail(100, seed=0)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).astype(np.int64)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ValueError(
            f"line_explorer: expected X of shape (N, 2) and y of shape (N,), got {X.shape} and {y.shape}."
        )

    def draw(axes, b, w1, w2, activation):
        plane, curve = axes
        neuron_plane(
            b,
            [w1, w2],
            X,
            y,
            ax=plane,
            activation=activation,
            class_names=class_names,
            xlabel=xlabel,
            ylabel=ylabel,
        )
        if plane.get_legend() is not None:
            plane.get_legend().remove()
        if point is not None:
            plane.plot(
                *point, marker="*", markersize=15, color="black", markerfacecolor="#F0E442", linestyle="none"
            )
        neuron_outputs(
            b, [w1, w2], X, y, ax=curve, activation=activation, point=point, class_names=class_names
        )
        text = neuron_summary(b, [w1, w2], X, y, point, point_name)
        curve.text(
            0.03, 0.97, text, transform=curve.transAxes, va="top", ha="left", fontsize=8,
            bbox={"fc": "white", "ec": "0.5", "alpha": 0.9},
        )  # fmt: skip

    step = (weight_range[1] - weight_range[0]) / 120
    controls = {
        "b": slider("bias b", float(b), *bias_range, step=(bias_range[1] - bias_range[0]) / 160),
        "w1": slider("weight w1 (for x1)", float(w1), *weight_range, step=step),
        "w2": slider("weight w2 (for x2)", float(w2), *weight_range, step=step),
        "activation": dropdown("activation g", [("sigmoid", "sigmoid"), ("step", "step")]),
    }
    return Explorer(controls, draw, subplots=(1, 2), figsize=(10.5, 4.6))
