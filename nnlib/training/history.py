"""``History``: what ``fit`` records, epoch by epoch, as plain lists."""

import math


class History(dict):
    """Per-epoch values by name: ``history["loss"]``, ``history["val_loss"]``, ... (lists of floats).

    ``history.epochs`` lists the epoch numbers (1, 2, ...), so a curve is
    ``plt.plot(history.epochs, history["val_loss"])``. Names: ``"loss"`` and
    each metric (``"accuracy"``) on the training batches, the same with a
    ``"val_"`` prefix on the validation set, and ``"lr"`` (the first
    parameter group's learning rate during that epoch).
    """

    def __init__(self):
        super().__init__()
        self.epochs = []

    def append(self, epoch, logs):
        """Record one epoch's values."""
        self.epochs.append(epoch)
        for name, value in logs.items():
            self.setdefault(name, []).append(float(value))

    def best_epoch(self, monitor="val_loss", mode=None):
        """The epoch with the best ``monitor`` value (the first one on ties).

        ``mode`` is "min" or "max"; by default "max" for names containing
        "acc" and "min" otherwise. NaN values never count as best.
        """
        if monitor not in self:
            raise KeyError(f"History.best_epoch: no {monitor!r} recorded; recorded: {sorted(self)}.")
        if mode is None:
            mode = "max" if "acc" in monitor else "min"
        if mode not in ("min", "max"):
            raise ValueError(f"History.best_epoch: mode must be 'min' or 'max', got {mode!r}.")
        sign = 1.0 if mode == "min" else -1.0
        pairs = [(sign * v, e) for e, v in zip(self.epochs, self[monitor], strict=True) if not math.isnan(v)]
        if not pairs:
            raise ValueError(f"History.best_epoch: every {monitor!r} value is NaN.")
        return min(pairs)[1]

    def __repr__(self):
        return f"History(epochs={len(self.epochs)}, {dict(self)!r})"
