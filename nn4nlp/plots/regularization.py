"""Figures for module 06 (over-fitting and regularisation).

- :func:`early_stopping_epochs`: where nnlib's ``EarlyStopping`` would stop on a
  list of recorded validation losses, and which epoch's weights it keeps.
- :func:`plot_early_stopping`: training and validation curves with the best
  epoch, the patience window and the stopping epoch marked.
- :func:`plot_capacity`: training and validation loss against model size.
- :func:`plot_thinned_networks`: a small network and the "thinned" networks
  that dropout samples from it.
- :func:`probability_grid` and :func:`plot_probability_grid`: a two-class
  model's probability of class 1 over the plane, with the training and
  validation points.
"""

import numpy as np

from nnlib.plots.style import SEQUENTIAL, color, marker, new_axes


def early_stopping_epochs(val_losses, patience):
    """``(stop_epoch, best_epoch)`` of :class:`nnlib.training.EarlyStopping` on recorded losses.

    Epochs are numbered from 1. ``stop_epoch`` is the last epoch that would be
    trained: the epoch where the patience ran out, or ``len(val_losses)`` when it
    never did. ``best_epoch`` is the epoch whose weights are kept.
    """
    from nnlib.training import EarlyStopping

    rule = EarlyStopping(patience=int(patience), restore_best=False)
    values = [float(v) for v in val_losses]
    if not values:
        raise ValueError("early_stopping_epochs: no validation losses given.")
    for epoch, value in enumerate(values, start=1):
        if rule.on_epoch_end(epoch, {"val_loss": value}, None):
            return epoch, rule.best_epoch
    return len(values), rule.best_epoch


def plot_early_stopping(val_losses, patience, train_losses=None, ax=None, ylim=None, title=None, extra=None):
    """Draw the curves and mark what early stopping with ``patience`` does.

    ``val_losses`` (and ``train_losses``) hold one value per epoch. The plot
    shows the whole run faintly after the stopping epoch, a star on the best
    epoch (the weights that are kept), the patience window shaded, and a
    dashed line at the stopping epoch. ``extra`` is an optional list of
    ``(values, label)`` curves drawn in grey for comparison. Returns the Axes.
    """
    ax = new_axes(ax, figsize=(6.0, 3.8))
    val = np.asarray(val_losses, dtype=np.float64)
    epochs = np.arange(1, len(val) + 1)
    stop, best = early_stopping_epochs(val, patience)
    for values, label in extra or ():
        ax.plot(np.arange(1, len(values) + 1), values, color="0.6", linestyle=":", linewidth=1.5, label=label)
    curves = [(val, "validation loss", color(1), "-")]
    if train_losses is not None:
        curves.insert(0, (np.asarray(train_losses, dtype=np.float64), "training loss", color(0), "--"))
    for values, label, colour, style in curves:
        ax.plot(epochs[:stop], values[:stop], color=colour, linestyle=style, linewidth=2, label=label)
        if stop < len(values):
            ax.plot(
                epochs[stop - 1 :], values[stop - 1 :], color=colour, linestyle=style, linewidth=1, alpha=0.3
            )
    ax.axvspan(best, stop, color=color(2), alpha=0.12, label=f"patience window ({patience} epochs)")
    ax.axvline(stop, color="black", linestyle="--", linewidth=1)
    ax.plot(
        [best],
        [val[best - 1]],
        marker="*",
        markersize=15,
        color=color(3),
        markeredgecolor="black",
        linestyle="none",
        label=f"best epoch {best} (weights kept)",
    )
    if ylim is not None:
        ax.set_ylim(*ylim)
    low, high = ax.get_ylim()
    ax.text(
        stop,
        low + 0.03 * (high - low),
        f" stopped after epoch {stop}",
        ha="left",
        va="bottom",
        fontsize="small",
    )
    ax.set_xlim(0, len(val) + 1)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy loss")
    ax.set_title(title or f"Early stopping with patience {patience}")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", loc="upper right", framealpha=0.9)
    return ax


def plot_capacity(sizes, train_losses, val_losses, ax=None, xlabel="hidden units per layer", best_label=True):
    """Training and validation loss against model size (log-2 axis), best size marked. Returns the Axes."""
    ax = new_axes(ax, figsize=(5.5, 3.8))
    sizes = np.asarray(sizes)
    train = np.asarray(train_losses, dtype=np.float64)
    val = np.asarray(val_losses, dtype=np.float64)
    ax.plot(
        sizes, train, color=color(0), marker=marker(0), linestyle="--", linewidth=2, label="training loss"
    )
    ax.plot(sizes, val, color=color(1), marker=marker(1), linewidth=2, label="validation loss")
    best = int(np.argmin(val))
    if best_label:
        ax.annotate(
            "lowest validation loss",
            xy=(sizes[best], val[best]),
            xytext=(0, 28),
            textcoords="offset points",
            ha="center",
            fontsize="small",
            arrowprops={"arrowstyle": "->", "color": "black"},
        )
    ax.set_xscale("log", base=2)
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cross-entropy loss")
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.15 * (high - low))  # room for the two labels at the top
    ax.text(0.02, 0.96, "<- under-fitting", transform=ax.transAxes, fontsize="small", ha="left", va="top")
    ax.text(0.98, 0.96, "over-fitting ->", transform=ax.transAxes, fontsize="small", ha="right", va="top")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", loc="center right")
    return ax


def _layer_positions(layer_sizes):
    """x, y coordinates of the units of each layer, centred vertically."""
    top = max(layer_sizes)
    return [
        [(float(i), (top - 1) / 2 + (size - 1) / 2 - j) for j in range(size)]
        for i, size in enumerate(layer_sizes)
    ]


def plot_thinned_networks(layer_sizes=(2, 5, 5, 1), p=0.5, seeds=(1, 2, 3), axes=None):
    """A fully connected network and the thinned networks that three dropout masks leave.

    Dropout acts on the hidden units only (the first and last layers are kept).
    A dropped unit is drawn hollow with a cross, and its connections vanish.
    Masks come from ``np.random.default_rng(seed).random(size) >= p``. Returns the Figure.
    """
    panels = 1 + len(seeds)
    if axes is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, panels, figsize=(2.6 * panels, 2.9), layout="constrained")
    axes = list(np.atleast_1d(axes))
    fig = axes[0].figure
    positions = _layer_positions(layer_sizes)
    masks = [[np.ones(size, dtype=bool) for size in layer_sizes]]
    for seed in seeds:
        rng = np.random.default_rng(seed)
        kept = [np.ones(layer_sizes[0], dtype=bool)]
        kept += [rng.random(size) >= p for size in layer_sizes[1:-1]]
        kept.append(np.ones(layer_sizes[-1], dtype=bool))
        masks.append(kept)
    for k, (ax, kept) in enumerate(zip(axes, masks, strict=True)):
        for i in range(len(layer_sizes) - 1):
            for a, (x0, y0) in enumerate(positions[i]):
                for b, (x1, y1) in enumerate(positions[i + 1]):
                    if kept[i][a] and kept[i + 1][b]:
                        ax.plot([x0, x1], [y0, y1], color="0.45", linewidth=0.8, zorder=1)
        for i, layer in enumerate(positions):
            for j, (x, y) in enumerate(layer):
                if kept[i][j]:
                    ax.scatter([x], [y], s=170, color=color(0), edgecolors="black", zorder=2)
                else:
                    ax.scatter([x], [y], s=170, facecolors="white", edgecolors="0.5", zorder=2)
                    ax.scatter([x], [y], s=90, marker="x", color=color(3), zorder=3)
        dropped = sum(int((~m).sum()) for m in kept[1:-1])
        hidden = sum(layer_sizes[1:-1])
        ax.set_title(
            "full network" if k == 0 else f"mask {k}: {dropped} of {hidden} dropped", fontsize="medium"
        )
        ax.set_xlim(-0.4, len(layer_sizes) - 0.6)
        ax.set_ylim(-0.7, max(layer_sizes) - 0.3)
        ax.set_axis_off()
    return fig


def probability_grid(model, X, grid_size=80, padding=0.5):
    """``(xs, ys, proba)``: the model's P(class 1) on a ``grid_size`` x ``grid_size`` grid around ``X``.

    ``model`` maps (M, 2) inputs to two scores per point (logits); it is run in
    evaluation mode with :func:`nnlib.training.predict`. ``proba`` has shape (len(ys), len(xs)).
    """
    from nnlib.functional import softmax
    from nnlib.training import predict

    X = np.asarray(X, dtype=np.float64)
    lows, highs = X.min(axis=0) - padding, X.max(axis=0) + padding
    xs = np.linspace(lows[0], highs[0], grid_size)
    ys = np.linspace(lows[1], highs[1], grid_size)
    xx, yy = np.meshgrid(xs, ys)
    scores = predict(model, np.stack([xx.ravel(), yy.ravel()], axis=1))
    proba = np.asarray(softmax(scores, dim=1))[:, 1]
    return xs, ys, proba.reshape(len(ys), len(xs))


def plot_probability_grid(xs, ys, proba, X_train, y_train, X_val=None, y_val=None, ax=None, title=None):
    """Shade P(class 1) on a grid, draw the 0.5 contour and the data.

    ``xs`` (G,), ``ys`` (H,) are the grid lines and ``proba`` (H, G) the
    probabilities. Training points are filled; validation points are hollow
    (drawn with their class's marker). Returns the Axes.
    """
    ax = new_axes(ax, figsize=(4.5, 4.0))
    proba = np.asarray(proba, dtype=np.float64)
    ax.contourf(xs, ys, proba, levels=np.linspace(0.0, 1.0, 11), cmap=SEQUENTIAL, alpha=0.45)
    ax.contour(xs, ys, proba, levels=[0.5], colors="black", linewidths=1.5)
    parts = [(X_train, y_train, "training", True)]
    if X_val is not None:
        parts.append((X_val, y_val, "validation", False))
    for points, labels, name, filled in parts:
        for c in (0, 1):
            chosen = np.asarray(labels) == c
            if filled:
                style = {"s": 22, "color": color(c), "edgecolors": "black", "linewidths": 0.5}
            else:
                style = {"s": 34, "facecolors": "none", "edgecolors": color(c), "linewidths": 1.5}
            label = f"class {c} ({name})"
            ax.scatter(points[chosen, 0], points[chosen, 1], marker=marker(c), label=label, **style)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title, fontsize="medium")
    return ax
