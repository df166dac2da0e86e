"""Loss modules (PyTorch names) built on :mod:`nnlib.losses`.

``loss = criterion(input, target)`` returns the loss (a 0-d array unless
``reduction="none"``) and caches ``input`` and ``target``;
``criterion.backward()`` then returns d loss / d input, the gradient that
starts backpropagation through the model::

    criterion = CrossEntropyLoss()
    loss = criterion(model(x), y)
    model.backward(criterion.backward())
"""

from nnlib import losses
from nnlib.nn.module import Module


class _Loss(Module):
    """Shared machinery: subclasses name their loss function and its gradient."""

    _loss = None
    _grad = None

    def __init__(self, reduction="mean"):
        super().__init__()
        losses._check_reduction(type(self).__name__, reduction)
        self.reduction = reduction
        self._cache = None

    def forward(self, input, target):
        """The loss of ``input`` against ``target``; caches both for :meth:`backward`."""
        loss = self._loss(input, target, reduction=self.reduction)
        self._cache = (input, target)
        return loss

    def backward(self, grad_output=1.0):
        """d loss / d input (``input``'s shape), times ``grad_output``."""
        input, target = self._forward_cache()
        return self._grad(input, target, reduction=self.reduction, grad_output=grad_output)

    def _forward_cache(self):
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward() was called before a forward pass.")
        return self._cache

    def extra_repr(self):
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy of logits (N, C) against class indices (N,) or probabilities (N, C).

    The forward pass keeps the log-probabilities, which is all the backward pass needs
    (softmax = exp(log_softmax)).
    """

    def forward(self, input, target):
        self._cache = losses._log_softmax_parts(input, target)
        return losses._cross_entropy_of(self._cache, self.reduction)

    def backward(self, grad_output=1.0):
        return losses._cross_entropy_grad_of(self._forward_cache(), self.reduction, grad_output)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (N, C) against class indices (N,)."""

    _loss = staticmethod(losses.nll_loss)
    _grad = staticmethod(losses.nll_loss_grad)


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities against targets of the same shape, values in [0, 1]."""

    _loss = staticmethod(losses.binary_cross_entropy)
    _grad = staticmethod(losses.binary_cross_entropy_grad)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of raw scores (sigmoid applied inside, stably) against same-shaped targets."""

    _loss = staticmethod(losses.binary_cross_entropy_with_logits)
    _grad = staticmethod(losses.binary_cross_entropy_with_logits_grad)


class MSELoss(_Loss):
    """Mean squared error between input and target of the same shape."""

    _loss = staticmethod(losses.mse_loss)
    _grad = staticmethod(losses.mse_loss_grad)


class L1Loss(_Loss):
    """Mean absolute error between input and target of the same shape."""

    _loss = staticmethod(losses.l1_loss)
    _grad = staticmethod(losses.l1_loss_grad)
