"""Explorers for module 03 (entropy and loss functions).

- :func:`container_explorer` - change the mix of a container of triangles and circles and watch
  its entropy move along the entropy curve.
- :func:`loss_explorer` - move the probability a classifier gives the true class (the dog of the
  lecture) and watch the cross-entropy and the squared error.
"""

import numpy as np

from nn4nlp.plots.entropy import binary_entropy_curve, container, loss_curves, prediction_bars
from nn4nlp.widgets.base import Explorer, slider
from nnlib.losses import entropy

# The lecture's three containers of 30 shapes: (triangles, circles).
CONTAINERS = {"container 1": (26, 4), "container 2": (14, 16), "container 3": (1, 29)}

ANIMALS = ("dog", "cat", "horse", "cheetah")
# The lecture's prediction for a dog picture: [0.775, 0.116, 0.039, 0.070].
DOG_PREDICTION = (0.775, 0.116, 0.039, 0.070)


def _surprise(p):
    return "never drawn" if p == 0 else f"{-np.log2(p) + 0.0:.3f} bits"  # + 0.0 turns -0.0 into 0.0


def _draw_container(axes, triangles, size):
    triangles = min(int(triangles), int(size))
    circles = int(size) - triangles
    container(triangles, circles, ax=axes[0])
    p = triangles / size
    marks = {name: t / (t + c) for name, (t, c) in CONTAINERS.items()}
    binary_entropy_curve(ax=axes[1], marks=marks)
    h = float(entropy(np.array([p, 1 - p]), base=2)) + 0.0
    axes[1].plot(
        [p],
        [h],
        marker="*",
        markersize=22,
        markerfacecolor="none",
        markeredgecolor="black",
        markeredgewidth=1.5,
        linestyle="none",
        label="the container on the left",
    )
    axes[1].legend(loc="upper left", fontsize="small")
    axes[1].set_title(
        f"Surprise: triangle {_surprise(p)}, circle {_surprise(1 - p)}\n"
        f"entropy = average surprise = {h:.4f} bits",
        fontsize="medium",
    )
    axes[1].set_xlabel("probability of drawing a triangle, p")


def container_explorer(triangles=26, size=30):
    """A container of ``size`` shapes; the slider sets how many are triangles (the rest are circles).

    Left: the container. Right: the entropy of one draw, in bits, on the curve
    H(p) = -p log2 p - (1 - p) log2(1 - p), with the lecture's three containers marked, and the
    surprise -log2 p of drawing each shape.
    """
    controls = {"triangles": slider(f"triangles (out of {size} shapes)", int(triangles), 0, int(size))}
    return Explorer(
        controls,
        lambda axes, triangles: _draw_container(axes, triangles, size),
        subplots=(1, 2),
        figsize=(10.0, 4.4),
    )


def dog_prediction(p_dog):
    """The lecture's prediction with p(dog) set to ``p_dog``; the other three keep their proportions."""
    rest = np.array(DOG_PREDICTION[1:])
    return np.concatenate([[p_dog], (1 - p_dog) * rest / rest.sum()])


def _draw_loss(axes, p_dog):
    probs = dog_prediction(p_dog)
    prediction_bars(
        probs, [1, 0, 0, 0], ANIMALS, ax=axes[0], title="A picture of a dog: truth and prediction"
    )
    loss_curves(ax=axes[1], current=p_dog, marks={"lecture, before training": 0.775, "after training": 0.936})


def loss_explorer(p_dog=0.775):
    """Move the probability the classifier gives the true class (dog) and read off the losses.

    Left: the true distribution [1, 0, 0, 0] and the prediction (the other classes share the
    rest in the lecture's proportions). Right: the cross-entropy -log2 p(dog) in bits and the
    squared error (1 - p(dog))^2; only p(dog) matters to the cross-entropy when the truth is one-hot.
    """
    controls = {"p_dog": slider("predicted probability of dog", float(p_dog), 0.01, 0.99, 0.001)}
    return Explorer(controls, _draw_loss, subplots=(1, 2), figsize=(10.0, 4.2))
