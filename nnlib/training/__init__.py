"""Training utilities: mini-batches, a ``fit`` loop, early stopping, evaluation.

::

    from nnlib.training import fit, EarlyStopping

    history = fit(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters()),
                  train=(X_train, y_train), val=(X_val, y_val), epochs=50,
                  callbacks=[EarlyStopping(patience=5)], seed=0)
    plt.plot(history.epochs, history["loss"], history.epochs, history["val_loss"])
"""

from nnlib.training.batches import batches
from nnlib.training.callbacks import Callback, EarlyStopping
from nnlib.training.history import History
from nnlib.training.loop import evaluate, fit, predict
from nnlib.training.metrics import accuracy
from nnlib.training.progress import is_interactive, progress_bar

__all__ = [
    "Callback",
    "EarlyStopping",
    "History",
    "accuracy",
    "batches",
    "evaluate",
    "fit",
    "is_interactive",
    "predict",
    "progress_bar",
]
