"""Callbacks: code ``fit`` runs after every epoch, such as early stopping.

A callback is an object with ``on_epoch_end(epoch, logs, model)`` that returns
``True`` to stop training (``logs`` holds this epoch's values, e.g.
``logs["val_loss"]``), or a plain function with that signature. It may also
have ``on_train_begin(model)`` and ``on_train_end(model)``.
"""


class Callback:
    """Base class with do-nothing hooks; override the ones you need."""

    def on_train_begin(self, model):
        pass

    def on_epoch_end(self, epoch, logs, model):
        return False

    def on_train_end(self, model):
        pass


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs in a row.

    An epoch improves when its value is below ``best - min_delta`` (mode
    "min") or above ``best + min_delta`` (mode "max"). With ``restore_best``,
    the weights of the best epoch (saved with ``model.state_dict()``) are put
    back with ``model.load_state_dict`` when training ends, whether it was
    stopped early or ran all its epochs.

    Attributes (epochs are numbered from 1, as in ``History.epochs``):
        best_epoch, best_value: where and what the best value was.
        stopped_epoch: the epoch at which training was stopped (None if it was not).
        wait: epochs since the last improvement.
    """

    def __init__(self, patience=5, monitor="val_loss", min_delta=0.0, mode="min", restore_best=True):
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"EarlyStopping: patience must be an integer >= 0, got {patience!r}.")
        if mode not in ("min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'min' or 'max', got {mode!r}.")
        if not min_delta >= 0:
            raise ValueError(f"EarlyStopping: min_delta must be >= 0, got {min_delta!r}.")
        self.patience = patience
        self.monitor = monitor
        self.min_delta = min_delta
        self.mode = mode
        self.restore_best = restore_best
        self.on_train_begin(None)

    def on_train_begin(self, model):
        self.best_value = None
        self.best_epoch = None
        self.stopped_epoch = None
        self.wait = 0
        self._best_state = None

    def _improved(self, value):
        if self.best_value is None:
            return value == value  # anything but NaN improves on nothing
        if self.mode == "min":
            return value < self.best_value - self.min_delta
        return value > self.best_value + self.min_delta

    def on_epoch_end(self, epoch, logs, model):
        if self.monitor not in logs:
            hint = " (pass val=(X_val, y_val) to fit)" if self.monitor.startswith("val_") else ""
            raise KeyError(
                f"EarlyStopping: {self.monitor!r} is not among this epoch's values {sorted(logs)}{hint}."
            )
        value = float(logs[self.monitor])
        if self._improved(value):
            self.best_value, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best:
                self._best_state = model.state_dict()
        else:
            self.wait += 1
        if self.wait >= self.patience and self.best_epoch != epoch:
            self.stopped_epoch = epoch
            return True
        return False

    def on_train_end(self, model):
        if self.restore_best and self._best_state is not None:
            model.load_state_dict(self._best_state)

    def __repr__(self):
        return (
            f"EarlyStopping(patience={self.patience}, monitor={self.monitor!r}, min_delta={self.min_delta}, "
            f"mode={self.mode!r}, restore_best={self.restore_best})"
        )
