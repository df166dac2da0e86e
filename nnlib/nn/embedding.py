"""``Embedding`` (a lookup table of vectors) and ``EmbeddingBag`` (their mean or sum per bag)."""

import numpy as np
from array_api_compat import device as xp_device

from nnlib import backend, seeding
from nnlib.nn.linear import check_grad_output, parameter_array
from nnlib.nn.module import Module, Parameter


def index_add(target, index, source):
    """``target[index[k]] += source[k]`` for every k, repeated indices adding up, in place.

    The array API standard has no scatter-add, so this is the one place with a
    branch per backend: ``torch.Tensor.index_add_`` or ``numpy.add.at``.
    """
    if backend.is_tensor(target):
        target.index_add_(0, index, source)
    else:
        np.add.at(target, index, source)
    return target


def _as_indices(layer, indices, num_embeddings):
    """Integer indices as a NumPy int64 array, checked to lie in [0, num_embeddings).

    Index bookkeeping is cheap, so it happens on the host whatever the device.
    """
    indices = backend.to_numpy(indices)
    if indices.size == 0 and indices.dtype == np.float64:  # [] from a list
        indices = indices.astype(np.int64)
    if not np.issubdtype(indices.dtype, np.integer):
        raise TypeError(f"{layer}: expected integer indices (int64), got dtype {indices.dtype}.")
    if indices.size and (indices.min() < 0 or indices.max() >= num_embeddings):
        bad = indices.min() if indices.min() < 0 else indices.max()
        raise IndexError(f"{layer}: index {bad} is out of range [0, {num_embeddings}).")
    return indices.astype(np.int64, copy=False)


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``; row i is the vector of word i.

    Args:
        num_embeddings: vocabulary size V.
        embedding_dim: size D of each vector.
        padding_idx: optional row that stays zero and gets no gradient (for padding tokens).
        device, dtype, seed: as for ``Linear``. The weights start N(0, 1), as in PyTorch.

    Parameter: ``weight`` of shape (V, D).
    Shapes: integer indices of any shape (...) -> vectors (..., D).
    Cached for backward: the indices.
    """

    def __init__(
        self, num_embeddings, embedding_dim, padding_idx=None, *, device=None, dtype=None, seed=None
    ):
        super().__init__()
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        if padding_idx is not None and padding_idx < 0:
            padding_idx += self.num_embeddings
        self.padding_idx = padding_idx
        values = seeding.generator(seed).standard_normal((self.num_embeddings, self.embedding_dim))
        if padding_idx is not None:
            values[padding_idx] = 0.0
        self.weight = Parameter(parameter_array(values, device, dtype))
        self._indices = None

    def _name(self):
        return f"{type(self).__name__}({self.num_embeddings}, {self.embedding_dim})"

    def forward(self, indices):
        """Integer ``indices`` (...) -> ``weight[indices]`` (..., D)."""
        indices = _as_indices(self._name(), indices, self.num_embeddings)
        self._indices = indices
        flat = backend.to(indices.reshape(-1), backend.device_of(self.weight.data))
        xp = backend.namespace(self.weight.data)
        rows = xp.take(self.weight.data, flat, axis=0)
        return xp.reshape(rows, (*indices.shape, self.embedding_dim))

    def backward(self, grad_output):
        """Adds each output row's gradient into the row it came from; returns None (indices have none)."""
        if self._indices is None:
            raise RuntimeError(f"{self._name()}.backward called before forward.")
        expected = (*self._indices.shape, self.embedding_dim)
        grad_output = check_grad_output(self._name(), grad_output, expected, self.weight.data)
        xp = backend.namespace(grad_output)
        self._add_rows(self._indices.reshape(-1), xp.reshape(grad_output, (-1, self.embedding_dim)))
        return None

    def _add_rows(self, indices, rows):
        """Add ``rows[k]`` into the gradient of row ``indices[k]`` (NumPy int64 indices)."""
        indices = backend.to(indices, backend.device_of(rows))
        grad = index_add(backend.namespace(rows).zeros_like(self.weight.data), indices, rows)
        if self.padding_idx is not None:
            grad[self.padding_idx] = 0
        self.weight.accumulate_grad(grad, owned=True)

    def extra_repr(self):
        padding = "" if self.padding_idx is None else f", padding_idx={self.padding_idx}"
        return f"{self.num_embeddings}, {self.embedding_dim}{padding}"


class EmbeddingBag(Embedding):
    """The mean (or sum) of the embeddings of each bag of indices, without building (B, L, D).

    This is the first layer of a deep averaging network: a sentence becomes the
    average of its word vectors.

    Args: as for ``Embedding``, plus ``mode`` ("mean" or "sum"). Indices equal to
    ``padding_idx`` are left out of their bag (and out of the mean's count).

    Shapes (as in PyTorch):
        ``forward(indices)`` with indices (B, L): one bag of L indices per row.
        ``forward(indices, offsets)`` with 1-D indices (T,) and offsets (B,):
        bag b is ``indices[offsets[b]:offsets[b + 1]]``; the last runs to the end.
        Output (B, D); an empty bag gives zeros.
    Cached for backward: the flattened indices, their bag numbers and the bag sizes.
    """

    def __init__(self, num_embeddings, embedding_dim, mode="mean", padding_idx=None, **kwargs):
        super().__init__(num_embeddings, embedding_dim, padding_idx, **kwargs)
        if mode not in ("mean", "sum"):
            raise ValueError(f"EmbeddingBag: mode must be 'mean' or 'sum', got {mode!r}.")
        self.mode = mode
        self._bags = None

    def forward(self, indices, offsets=None):
        """Indices (B, L), or indices (T,) with offsets (B,) -> (B, D)."""
        name = self._name()
        indices = _as_indices(name, indices, self.num_embeddings)
        if offsets is None:
            if indices.ndim != 2:
                raise ValueError(
                    f"{name}: expected indices of shape (bags, length) when no offsets are given, "
                    f"got {tuple(indices.shape)}."
                )
            sizes = np.full(indices.shape[0], indices.shape[1])
        else:
            if indices.ndim != 1:
                raise ValueError(
                    f"{name}: with offsets, expected 1-D indices, got shape {tuple(indices.shape)}."
                )
            starts = backend.to_numpy(offsets).astype(np.int64).reshape(-1)
            sizes = np.diff(np.append(starts, indices.size))
            if starts.size and (starts[0] != 0 or np.any(sizes < 0)):
                raise ValueError(
                    f"{name}: offsets must start at 0 and never decrease, got {starts.tolist()}."
                )
        flat = indices.reshape(-1)
        bag_of = np.repeat(np.arange(sizes.size), sizes)
        if self.padding_idx is not None:
            keep = flat != self.padding_idx
            flat, bag_of = flat[keep], bag_of[keep]
        counts = np.bincount(bag_of, minlength=sizes.size)
        weight = self.weight.data
        scale = 1.0 / np.maximum(counts, 1) if self.mode == "mean" else np.ones(sizes.size)
        scale = backend.to(scale[:, None], backend.device_of(weight), weight.dtype)
        self._indices = indices
        self._bags = (flat, bag_of, scale)
        xp = backend.namespace(weight)
        device = backend.device_of(weight)
        rows = xp.take(weight, backend.to(flat, device), axis=0)
        total = index_add(
            xp.zeros((sizes.size, self.embedding_dim), dtype=weight.dtype, device=xp_device(weight)),
            backend.to(bag_of, device),
            rows,
        )
        return total * scale

    def backward(self, grad_output):
        """Each index in bag b gets ``grad_output[b]`` (divided by the bag size for "mean")."""
        if self._bags is None:
            raise RuntimeError(f"{self._name()}.backward called before forward.")
        flat, bag_of, scale = self._bags
        expected = (len(scale), self.embedding_dim)
        grad_output = check_grad_output(self._name(), grad_output, expected, self.weight.data)
        xp = backend.namespace(grad_output)
        bag_of = backend.to(bag_of, backend.device_of(grad_output))
        self._add_rows(flat, xp.take(grad_output * scale, bag_of, axis=0))
        return None

    def extra_repr(self):
        return super().extra_repr() + f", mode={self.mode!r}"
