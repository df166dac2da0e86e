"""Rosenblatt's perceptron learning rule (module 01's reference version).

The perceptron predicts ``y_hat = step(b + x @ w)``, with ``step(z) = 1`` for
``z >= 0``. Training visits the examples in order; after each mistake it moves
the weights towards the example's side of the line::

    w  <- w  + lr * (y - y_hat) * x
    b <- b + lr * (y - y_hat)

and it stops after the first epoch without a mistake. On linearly separable
data that epoch always comes (the perceptron convergence theorem); on data no
line separates, such as XOR, it never does.
"""

import numpy as np


def train_perceptron(X, y, lr=1.0, epochs=100, on_epoch=None):
    """Train a perceptron with the perceptron rule, starting from zero weights.

    Args:
        X: inputs, shape (N, m). y: labels 0 or 1, shape (N,).
        lr: the learning rate (with zero starting weights it only scales them).
        epochs: the most passes over the data.
        on_epoch: optional ``f(epoch, w, b, mistakes)`` called after every
            epoch (epochs count from 1; ``w`` is a copy), e.g. to record how
            the line moves.

    Returns:
        ``(w, b, mistakes)``: the weights (m,) float64, the bias (a float), and
        the list of the number of mistakes in each epoch. Training stopped early
        if and only if ``mistakes[-1] == 0``.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"train_perceptron: expected X of shape (N, m) and y of shape (N,), got {X.shape} and {y.shape}."
        )
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("train_perceptron: the labels y must be 0 or 1.")
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes = []
    for epoch in range(1, int(epochs) + 1):
        count = 0
        for x, target in zip(X, y, strict=True):
            y_hat = 1.0 if b + x @ w >= 0 else 0.0
            if y_hat != target:
                w = w + lr * (target - y_hat) * x
                b = b + lr * (target - y_hat)
                count += 1
        mistakes.append(count)
        if on_epoch is not None:
            on_epoch(epoch, w.copy(), float(b), count)
        if count == 0:
            break
    return w, float(b), mistakes
