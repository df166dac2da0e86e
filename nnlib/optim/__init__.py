"""Optimisers, gradient clipping and learning-rate schedulers (torch.optim names and equations).

Each optimiser updates ``param.data`` in place from ``param.grad``::

    optimizer = nnlib.optim.Adam(model.parameters(), lr=1e-3)
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    model.backward(loss_fn.backward())
    optimizer.step()

Schedulers live in :mod:`nnlib.optim.lr_scheduler`.
"""

from nnlib.optim import lr_scheduler
from nnlib.optim.adadelta import Adadelta
from nnlib.optim.adagrad import Adagrad
from nnlib.optim.adam import Adam, AdamW
from nnlib.optim.clip import clip_grad_norm_, clip_grad_value_
from nnlib.optim.nadam import NAdam
from nnlib.optim.optimizer import Optimizer
from nnlib.optim.rmsprop import RMSprop
from nnlib.optim.sgd import SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "NAdam",
    "Optimizer",
    "RMSprop",
    "clip_grad_norm_",
    "clip_grad_value_",
    "lr_scheduler",
]
