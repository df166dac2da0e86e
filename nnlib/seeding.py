"""Reproducible randomness.

Every random choice in nnlib (initial weights, dropout masks, shuffling,
generated data) comes from a NumPy ``Generator``. Functions take an optional
``seed`` (an int or a ``numpy.random.Generator``); without one they draw from a
library-wide generator that :func:`manual_seed` resets, like
``torch.manual_seed``.
"""

import numpy as np

DEFAULT_SEED = 0

_default = np.random.default_rng(DEFAULT_SEED)


def manual_seed(seed):
    """Reset nnlib's default generator, so everything after this repeats exactly."""
    global _default
    _default = np.random.default_rng(seed)
    return _default


def generator(seed=None):
    """A NumPy Generator: ``seed`` itself if it is one, a new one from an int, else the default."""
    if seed is None:
        return _default
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return np.random.default_rng(int(seed))
    raise TypeError(f"seed must be an int or a numpy.random.Generator, got {type(seed).__name__}.")
