"""``Dropout``: randomly silence units while training (inverted dropout)."""

import numpy as np

from nnlib import backend, seeding
from nnlib.nn.linear import as_input, check_grad_output
from nnlib.nn.module import Module


class Dropout(Module):
    """Zero each element with probability ``p`` in training; identity in eval.

    ``p`` is the probability of DROPPING a unit, as in PyTorch's ``nn.Dropout``
    and Keras' ``rate``. Careful: the original paper and some textbooks use the
    *keep* probability instead (their p = 0.8 is our p = 0.2).

    Kept elements are scaled by 1 / (1 - p) ("inverted dropout"), so the
    expected value of every output equals its input and nothing changes at
    evaluation time. With ``p = 1`` everything is dropped (no division by 0).

    Masks come from the layer's own NumPy generator, created from ``seed``: two
    layers built with the same seed drop the same units, a model rebuilt from
    the same seeds repeats exactly, and the NumPy and torch paths give the same
    masks. Without a seed the generator is spawned from nnlib's default one
    (``nnlib.seeding.manual_seed`` makes that reproducible too).

    Shapes: any input shape; output has the same shape.
    Cached for backward: the scaled mask (0 or 1/(1-p) per element).
    """

    def __init__(self, p=0.5, *, seed=None):
        super().__init__()
        if not 0.0 <= float(p) <= 1.0:
            raise ValueError(f"Dropout: the drop probability p has to be between 0 and 1, but got {p}.")
        self.p = float(p)
        if seed is None:
            seed = int(seeding.generator().integers(2**63))
        self.generator = seeding.generator(seed)
        self._mask = None

    def forward(self, x):
        """``x`` -> ``x * mask / (1 - p)`` in training, ``x`` in eval."""
        x = as_input("Dropout", x)
        if not self.training or self.p == 0.0:
            self._mask = None  # identity
            return x
        keep = self.generator.random(tuple(x.shape), dtype=np.float32) >= self.p
        xp = backend.namespace(x)
        scale = 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)
        mask = xp.astype(backend.asarray(keep, like=x), x.dtype)
        mask *= scale
        self._mask = mask
        return x * mask

    def backward(self, grad_output):
        """The same mask and scale as the forward pass (identity in eval)."""
        if self._mask is None:
            return grad_output
        grad_output = check_grad_output("Dropout", grad_output, self._mask.shape, self._mask)
        return grad_output * self._mask

    def extra_repr(self):
        return f"p={self.p}"
