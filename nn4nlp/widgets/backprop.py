"""Explorers for module 04 (backpropagation by hand).

- :func:`graph_explorer` - sliders for the weights and inputs of the sigmoid neuron
  f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + b))); the computational graph is redrawn with every
  node's value (forward) and gradient (backward).
- :func:`xor_training_explorer` - train a 2 -> H -> 2 tanh network on XOR with backpropagation
  and plain gradient descent; sliders for the hidden width, the learning rate, the number of steps
  and the seed of the initial weights. Shows the loss curve and the decision regions.
"""

import functools

import numpy as np

from nn4nlp.plots.backprop import sigmoid_neuron_graph
from nn4nlp.widgets.base import Explorer, dropdown, slider
from nnlib.plots.style import color

# Deck 004's example: f = 0.73, dw = [-0.20, -0.39, 0.20], dx = [0.39, -0.59].
GRAPH_START = {"w0": 2.0, "w1": -3.0, "b": -3.0, "x0": -1.0, "x1": -2.0}


def _draw_graph(ax, w0, w1, b, x0, x1, layout, show):
    sigmoid_neuron_graph(
        w=(w0, w1, b),
        x=(x0, x1),
        ax=ax,
        gradients=show == "values and gradients",
        collapse_sigmoid=layout == "one sigmoid node",
    )


def graph_explorer(**start):
    """Move the weights and inputs of the sigmoid neuron and watch every node's value and gradient.

    Sliders: the weights w0, w1, the bias b and the inputs x0, x1, each from -4 to 4; ``start`` overrides their
    initial values (default: deck 004's numbers, :data:`GRAPH_START`). Drop-downs choose whether the
    sigmoid is drawn as four nodes (×(−1), exp, +1, 1/x) or as one, and whether gradients are shown.
    """
    values = {**GRAPH_START, **start}
    labels = {
        "w0": "weight w0",
        "w1": "weight w1",
        "b": "bias b",
        "x0": "input x0",
        "x1": "input x1",
    }
    controls = {name: slider(label, float(values[name]), -4.0, 4.0, 0.1) for name, label in labels.items()}
    controls["layout"] = dropdown("sigmoid drawn as", ["four nodes", "one sigmoid node"])
    controls["show"] = dropdown("show", ["values and gradients", "values only"])
    return Explorer(controls, _draw_graph, figsize=(11.5, 4.8))


@functools.lru_cache(maxsize=64)
def xor_training_run(hidden, lr, steps, seed):
    """Train ``Linear(2, hidden) -> Tanh -> Linear(hidden, 2)`` on the four XOR points.

    Full-batch gradient descent (``nnlib.optim.SGD``) on the mean cross-entropy, every gradient from
    the layers' hand-written ``backward``. The initial weights come from ``seed``.
    Returns ``(model, losses)``: the trained ``nnlib.nn.Sequential`` and the loss before each step.
    Results are cached, so moving a slider back redraws at once.
    """
    from nnlib import nn, optim
    from nnlib.data import xor

    X, y = xor()
    rng = np.random.default_rng(seed)
    model = nn.Sequential(nn.Linear(2, hidden, seed=rng), nn.Tanh(), nn.Linear(hidden, 2, seed=rng))
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        losses.append(float(criterion(model(X), y)))
        model.backward(criterion.backward())
        optimizer.step()
    return model, losses


def _draw_training(axes, hidden, lr, steps, seed):
    from nnlib.data import xor
    from nnlib.plots import decision_boundary

    X, y = xor()
    model, losses = xor_training_run(int(hidden), float(lr), int(steps), int(seed))
    loss_ax, region_ax = axes
    if losses:
        loss_ax.semilogy(np.arange(1, len(losses) + 1), losses, color=color(0), linewidth=2)
    loss_ax.axhline(np.log(2), color="0.5", linestyle=":", linewidth=1)
    loss_ax.text(
        0.98,
        np.log(2) * 1.15,
        "log 2: guessing",
        color="0.4",
        fontsize="small",
        ha="right",
        transform=loss_ax.get_yaxis_transform(),
    )
    loss_ax.set_xlabel("gradient-descent step")
    loss_ax.set_ylabel("mean cross-entropy (log scale)")
    final = f"{losses[-1]:.3g}" if losses else "—"
    loss_ax.set_title(f"Training loss (last: {final})")
    loss_ax.set_ylim(1e-3, max(3.0, 1.5 * max(losses, default=0.0)))
    loss_ax.grid(True, which="both", alpha=0.3)
    scores = model(X)
    correct = int(np.sum(np.argmax(scores, axis=1) == y))
    decision_boundary(
        lambda grid: model(grid),
        X,
        y,
        ax=region_ax,
        padding=0.6,
        class_names=["XOR = 0", "XOR = 1"],
        title=f"Decision regions: {correct} of 4 points right",
    )


def xor_training_explorer(hidden=2, lr=0.5, steps=1000, seed=3):
    """Train a small tanh network on XOR with backpropagation; see the loss and the decision regions.

    Sliders: hidden units (2 to 8), learning rate (0.01 to 10, logarithmic), number of steps
    (0 to 3000) and the seed of the initial weights (0 to 9). The defaults give the run of the
    notebook's Figure 6; with 2 hidden units, seeds 4 and 7 get stuck in a poor local minimum.
    """
    controls = {
        "hidden": slider("hidden units H", int(hidden), 2, 8),
        "lr": slider("learning rate", float(lr), 0.01, 10.0, log=True),
        "steps": slider("gradient-descent steps", int(steps), 0, 3000, 50),
        "seed": slider("seed of the initial weights", int(seed), 0, 9),
    }
    return Explorer(controls, _draw_training, subplots=(1, 2), figsize=(10.0, 4.2))
