"""Mini-batches: every example exactly once per pass, in a fresh random order."""

import numbers

from nnlib import backend
from nnlib.seeding import generator


def num_examples(function, name, data):
    """``len(data)``, with an error naming ``function`` when ``data`` has no length."""
    try:
        return len(data)
    except TypeError:
        raise TypeError(
            f"{function}: {name} must be an array, a tensor or a list of examples, got {type(data).__name__}."
        ) from None


def check_batch_size(function, batch_size):
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"{function}: batch_size must be a positive integer, got {batch_size!r}.")


def take(data, index):
    """The examples of ``data`` at ``index`` (a slice or an integer array), as the same kind of object."""
    if isinstance(index, slice):
        return data[index]
    if isinstance(data, (list, tuple)):
        return [data[i] for i in index]
    if backend.is_tensor(data):
        index = backend.to(index, backend.device_of(data))
    return data[index]


def batches(X, y=None, batch_size=32, shuffle=True, seed=None, drop_last=False):
    """Split ``X`` (and ``y``) into mini-batches along the first axis.

    Args:
        X: inputs, an array or tensor of shape (N, ...) or a list of N examples.
        y: optional targets with N entries; then each batch is a pair ``(xb, yb)``.
        batch_size: examples per batch; the last batch has the ``N % batch_size``
            left over, unless ``drop_last=True`` drops it.
        shuffle: visit the examples in a random order (drawn anew at each call).
        seed: an int (the same order every call) or a numpy Generator (a new
            order every call, reproducible as a whole); default: nnlib's generator.

    Returns:
        An iterator of ``xb`` (or ``(xb, yb)``), same kind of object as ``X``
        (and ``y``). The order is drawn when ``batches`` is called.
    """
    n = num_examples("batches", "X", X)
    if y is not None and num_examples("batches", "y", y) != n:
        raise ValueError(f"batches: X has {n} examples but y has {len(y)}; they must match.")
    check_batch_size("batches", batch_size)
    order = generator(seed).permutation(n) if shuffle else None
    stop = n - n % batch_size if drop_last else n

    def generate():
        for start in range(0, stop, batch_size):
            end = min(start + batch_size, n)
            index = slice(start, end) if order is None else order[start:end]
            xb = take(X, index)
            yield xb if y is None else (xb, take(y, index))

    return generate()
