"""Training curves."""

import numpy as np

from nnlib.plots.style import color, marker

_PREFIXES = ("", "train_", "val_", "test_")


def plot_history(history, metrics=("loss", "accuracy"), ax=None, title=None):
    """One panel per metric with its training and validation curves.

    ``history`` maps names to lists of numbers (one per epoch), for example
    ``{"loss": [...], "val_loss": [...], "accuracy": [...], "val_accuracy": [...]}``.
    For each metric ``m`` the keys ``m``, ``train_m``, ``val_m`` and ``test_m``
    are drawn when present; metrics with no key are skipped. ``ax`` is one
    Axes or a sequence with one Axes per drawn metric. Returns the Figure.
    """
    if isinstance(metrics, str):
        metrics = (metrics,)
    panels = [(m, [p + m for p in _PREFIXES if p + m in history]) for m in metrics]
    panels = [(m, keys) for m, keys in panels if keys]
    if not panels:
        raise ValueError(
            f"plot_history: none of the metrics {tuple(metrics)} is in the history; "
            f"it has keys {sorted(history)}."
        )
    if ax is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(
            1, len(panels), figsize=(4.5 * len(panels), 3.5), layout="constrained", squeeze=False
        )
        axes = list(axes[0])
    else:
        axes = list(np.atleast_1d(np.asarray(ax, dtype=object)))
        if len(axes) != len(panels):
            raise ValueError(
                f"plot_history: got {len(axes)} Axes for {len(panels)} metrics {[m for m, _ in panels]}."
            )
        fig = axes[0].figure
    for panel, (metric, keys) in zip(axes, panels, strict=True):
        for k, key in enumerate(keys):
            values = np.asarray(history[key], dtype=np.float64)
            epochs = np.arange(1, len(values) + 1)
            style = {"marker": marker(k), "markersize": 4} if len(values) <= 30 else {}
            panel.plot(epochs, values, color=color(k), label=key, **style)
        panel.set_xlabel("epoch")
        panel.set_ylabel(metric)
        panel.set_title(metric.replace("_", " ").capitalize())
        panel.grid(True, alpha=0.3)
        panel.legend(fontsize="small")
    if title:
        fig.suptitle(title)
    return fig
