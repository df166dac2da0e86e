"""Layers and models with hand-written forward and backward passes (PyTorch names).

Every layer is a ``Module``: calling it runs ``forward`` (which keeps what the
backward pass needs), and ``backward(grad_output)`` returns the gradient for
the input while adding parameter gradients into ``param.grad``.

Default dtype of new parameters: float64 on NumPy (``device="cpu"``, the
default), float32 on torch devices (``"torch:cpu"``, ``"cuda"``, ``"mps"``).
``model.to(device)`` moves parameters and buffers; move inputs with
``nnlib.to(x, device)``.
"""

from nnlib.nn.activation import Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from nnlib.nn.batchnorm import BatchNorm1d
from nnlib.nn.container import Sequential
from nnlib.nn.dropout import Dropout
from nnlib.nn.embedding import Embedding, EmbeddingBag
from nnlib.nn.linear import Linear
from nnlib.nn.loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss
from nnlib.nn.module import Module, Parameter

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "CrossEntropyLoss",
    "Dropout",
    "Embedding",
    "EmbeddingBag",
    "Identity",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "Module",
    "NLLLoss",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
]
