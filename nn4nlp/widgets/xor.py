"""Explorers for module 02 (XOR, hidden layers and depth).

- :func:`xor_explorer` - set the weights of a 2 -> 2 -> 1 network by hand and watch the
  decision regions in the input plane and the four XOR points in the hidden plane.
- :func:`depth_explorer` - compare a deep, narrow ReLU network with a shallow, wide one by the
  number of linear pieces of their 1-D output.
"""

import numpy as np

from nn4nlp.plots.xor import input_and_hidden_space, layer_outputs, linear_regions, tent_network, wide_network
from nn4nlp.widgets.base import Explorer, dropdown, slider

# Start from a network that computes OR (3 of 4 right): the hidden layer copies x1 and x2.
XOR_START = {
    "w11": 1.0,
    "w12": 0.0,
    "b1": 0.0,
    "w21": 0.0,
    "w22": 1.0,
    "b2": 0.0,
    "v1": 1.0,
    "v2": 1.0,
    "c": -0.5,
}


def xor_params(w11, w12, b1, w21, w22, b2, v1, v2, c):
    """The slider values as the network's layers ``[(W1, b1), (W2, b2)]`` (weights of shape (out, in))."""
    W1 = np.array([[w11, w12], [w21, w22]], dtype=np.float64)
    W2 = np.array([[v1, v2]], dtype=np.float64)
    return [(W1, np.array([b1, b2], dtype=np.float64)), (W2, np.array([c], dtype=np.float64))]


def _draw_xor(axes, activation, **weights):
    input_and_hidden_space(axes, xor_params(**weights), activation)


def xor_explorer(activation="relu", **start):
    """Sliders for every weight of a 2 -> 2 -> 1 network on the XOR points.

    Hidden unit i computes h_i = g(w_i1 x1 + w_i2 x2 + b_i) with the chosen activation g; the
    output is the score v1 h1 + v2 h2 + c, and a score above 0 means class 1. The left panel
    shades the class of every point of the plane and draws each hidden unit's line z_i = 0; the
    right panel shows the four points at (h1, h2) with the output's line. ``start`` overrides
    slider values (names as in :data:`XOR_START`).
    """
    values = {**XOR_START, **start}
    labels = {
        "w11": "h1: weight from x1",
        "w12": "h1: weight from x2",
        "b1": "h1: bias",
        "w21": "h2: weight from x1",
        "w22": "h2: weight from x2",
        "b2": "h2: bias",
        "v1": "output: weight from h1",
        "v2": "output: weight from h2",
        "c": "output: bias",
    }
    controls = {name: slider(label, float(values[name]), -3.0, 3.0, 0.1) for name, label in labels.items()}
    controls["activation"] = dropdown("hidden activation g", ["relu", "tanh", "sigmoid", "step"], activation)
    return Explorer(controls, _draw_xor, subplots=(1, 2), figsize=(10.0, 4.6))


def _draw_depth(axes, layers):
    x = (np.arange(2048) + 0.5) / 2048
    networks = {
        f"deep: {layers} hidden layers of 2 units": tent_network(layers),
        f"wide: 1 hidden layer of {2 * layers} units": wide_network(2 * layers),
    }
    for ax, (title, params) in zip(axes, networks.items(), strict=True):
        out = layer_outputs(x[:, None], params, "relu")[-1][:, 0]
        count, breaks = linear_regions(x, params)
        ax.plot(x, out, color="#0072B2", linewidth=1.5)
        for i in breaks:
            ax.axvline((x[i - 1] + x[i]) / 2, color="0.75", linewidth=0.6, zorder=0)
        ax.set_title(f"{title}\n{count} linear pieces")
        ax.set_xlabel("input x")
        ax.set_ylim(-0.05, 1.1)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("network output")


def depth_explorer(layers=3):
    """Deep versus wide with the same number of hidden units (2 per layer).

    The left network stacks ``layers`` hidden layers of 2 ReLU units that each fold the interval
    in two (:func:`nn4nlp.plots.xor.tent_network`): 2**layers linear pieces. The right one puts
    the same number of units side by side in one layer (:func:`nn4nlp.plots.xor.wide_network`):
    one piece per unit, plus one. Grey lines mark where the pattern of active units changes.
    """
    controls = {"layers": slider("hidden layers of the deep network (2 units each)", int(layers), 1, 7)}
    return Explorer(controls, _draw_depth, subplots=(1, 2), figsize=(10.0, 3.8))
