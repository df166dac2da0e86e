"""Random train / validation / test splits.

``X`` and ``y`` may be NumPy arrays, torch tensors or Python lists (for
example a list of texts); each part comes back as the same kind of object.
Fractions are fractions of the whole data set.
"""

import numpy as np

from nnlib.seeding import generator


def _take(data, index):
    if isinstance(data, (list, tuple)):
        return [data[i] for i in index]
    return data[index]


def _labels_numpy(y):
    if hasattr(y, "detach"):
        return y.detach().cpu().numpy()
    return np.asarray(y)


def _split_indices(n, fractions, rng, y=None):
    """Shuffle 0..n-1 and cut it into len(fractions) + 1 parts (the last gets the rest)."""
    if y is None:
        groups = [rng.permutation(n)]
    else:
        labels = _labels_numpy(y)
        groups = [rng.permutation(np.flatnonzero(labels == c)) for c in np.unique(labels)]
    parts = [[] for _ in range(len(fractions) + 1)]
    for group in groups:
        start = 0
        for k, fraction in enumerate(fractions):
            stop = start + int(round(fraction * len(group)))
            parts[k].append(group[start:stop])
            start = stop
        parts[-1].append(group[start:])
    # Stratified parts are shuffled again, so classes do not come in blocks.
    return [rng.permutation(np.concatenate(p)) if y is not None else np.concatenate(p) for p in parts]


def _check(function, X, y, fractions):
    if len(X) != len(y):
        raise ValueError(f"{function}: X and y must have the same length, got {len(X)} and {len(y)}.")
    for name, value in fractions.items():
        if not 0.0 <= value < 1.0:
            raise ValueError(f"{function}: {name} must be a fraction in [0, 1), got {value!r}.")
    if sum(fractions.values()) >= 1.0:
        raise ValueError(f"{function}: the fractions {fractions} leave nothing for training.")


def train_val_test_split(X, y, val=0.2, test=0.2, seed=None, stratify=False):
    """Shuffle and split into training, validation and test parts.

    ``val`` and ``test`` are fractions of ``len(X)`` (rounded); training gets
    the rest. With ``stratify=True`` every class is split in those proportions
    separately, so each part has (nearly) the class balance of ``y``.

    Returns ``(X_train, y_train), (X_val, y_val), (X_test, y_test)``.
    """
    _check("train_val_test_split", X, y, {"val": val, "test": test})
    val_index, test_index, train_index = _split_indices(
        len(y), (val, test), generator(seed), y if stratify else None
    )
    return tuple((_take(X, i), _take(y, i)) for i in (train_index, val_index, test_index))


def train_test_split(X, y, test=0.2, seed=None, stratify=False):
    """Shuffle and split into training and test parts: ``(X_train, y_train), (X_test, y_test)``."""
    _check("train_test_split", X, y, {"test": test})
    test_index, train_index = _split_indices(len(y), (test,), generator(seed), y if stratify else None)
    return (_take(X, train_index), _take(y, train_index)), (_take(X, test_index), _take(y, test_index))
