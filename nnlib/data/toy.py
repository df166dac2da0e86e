"""Small 2-D toy data sets for classification.

Each function returns ``(X, y)``: ``X`` a float64 array of shape ``(n, 2)``
(``(n, dim)`` for :func:`blobs`), ``y`` an int64 array of shape ``(n,)``.
Random ones take ``seed`` (an int or a ``numpy.random.Generator``; ``None``
uses nnlib's default generator, see :mod:`nnlib.seeding`).
"""

import numpy as np

from nnlib.seeding import generator


def _check_positive(name, function, value):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{function}: {name} must be a positive int, got {value!r}.")


def xor():
    """The four corners of the unit square labelled by XOR.

    Returns ``X`` of shape (4, 2) ``[[0, 0], [0, 1], [1, 0], [1, 1]]`` and
    ``y = [0, 1, 1, 0]``: no straight line separates the two classes.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return X, y


# "Will I pass this class?": y = 1 with probability sigmoid(a * lectures + b * hours + c).
PASS_FAIL_RULE = (1.0, 0.8, -12.0)


def pass_fail(n=100, seed=None):
    """The "Will I pass this class?" toy data.

    ``x1`` = lectures attended (an integer 0..12, uniform), ``x2`` = hours spent
    on the final project (uniform on 0..15). A student passes (``y = 1``) with
    probability ``sigmoid(1.0 * x1 + 0.8 * x2 - 12)`` (:data:`PASS_FAIL_RULE`),
    so the true boundary is the line ``x1 + 0.8 x2 = 12``; the Bernoulli draw is
    the noise near it. About half of the students pass.

    Returns ``X`` (n, 2) float64 ``[lectures, hours]`` and ``y`` (n,) int64.
    """
    _check_positive("n", "pass_fail", n)
    rng = generator(seed)
    lectures = rng.integers(0, 13, size=n).astype(np.float64)
    hours = rng.uniform(0.0, 15.0, size=n)
    a, b, c = PASS_FAIL_RULE
    p = 1.0 / (1.0 + np.exp(-(a * lectures + b * hours + c)))
    y = (rng.uniform(size=n) < p).astype(np.int64)
    return np.stack([lectures, hours], axis=1), y


def _shuffled(X, y, rng):
    order = rng.permutation(len(y))
    return X[order], y[order]


def two_moons(n=200, noise=0.1, seed=None):
    """Two interleaving half circles (class 0 on top, class 1 below).

    Angles are uniform on [0, pi]; Gaussian noise of standard deviation
    ``noise`` is added to both coordinates. Class sizes are ``ceil(n/2)`` and
    ``floor(n/2)``; rows are shuffled.
    """
    _check_positive("n", "two_moons", n)
    rng = generator(seed)
    n0 = (n + 1) // 2
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.stack([np.cos(t[:n0]), np.sin(t[:n0])], axis=1)
    lower = np.stack([1.0 - np.cos(t[n0:]), 0.5 - np.sin(t[n0:])], axis=1)
    X = np.concatenate([upper, lower]) + noise * rng.standard_normal((n, 2))
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n - n0])
    return _shuffled(X, y, rng)


def spirals(n=300, classes=3, noise=0.2, seed=None):
    """Interleaved spiral arms, one per class (the CS231n spiral data).

    Class ``k`` gets about ``n / classes`` points at radius ``r`` in [0, 1] and
    angle ``4k + 4r`` radians plus Gaussian noise of standard deviation
    ``noise`` (on the angle). Rows are shuffled.
    """
    _check_positive("n", "spirals", n)
    _check_positive("classes", "spirals", classes)
    rng = generator(seed)
    sizes = [n // classes + (k < n % classes) for k in range(classes)]
    parts = []
    for k, size in enumerate(sizes):
        r = np.linspace(0.0, 1.0, size)
        t = 4.0 * k + 4.0 * r + noise * rng.standard_normal(size)
        parts.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
    y = np.repeat(np.arange(classes, dtype=np.int64), sizes)
    return _shuffled(np.concatenate(parts), y, rng)


def blobs(n=300, centers=3, std=1.0, dim=2, box=(-6.0, 6.0), seed=None):
    """Gaussian blobs around random (or given) centres.

    ``centers`` is a number of classes (centres drawn uniformly in ``box`` in
    every coordinate) or an array of shape (classes, dim). Each point is its
    centre plus Gaussian noise of standard deviation ``std``. Rows are shuffled.
    """
    _check_positive("n", "blobs", n)
    rng = generator(seed)
    if isinstance(centers, (int, np.integer)):
        _check_positive("centers", "blobs", centers)
        centers = rng.uniform(box[0], box[1], size=(int(centers), dim))
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2:
        raise ValueError(
            f"blobs: centers must be an int or an array (classes, dim), got shape {centers.shape}."
        )
    k = len(centers)
    sizes = [n // k + (i < n % k) for i in range(k)]
    y = np.repeat(np.arange(k, dtype=np.int64), sizes)
    X = centers[y] + std * rng.standard_normal((n, centers.shape[1]))
    return _shuffled(X, y, rng)
