"""Module 07's figures: log(softmax) against cross-entropy from logits, and time per epoch.

- :func:`underflow_curves` / :func:`log_softmax_underflow`: the loss and its gradient,
  computed the naive way (``-log(softmax(z))[gold]``) and from the logits
  (``F.cross_entropy``), as the gold class falls behind by a growing margin.
- :func:`time_per_epoch_plot`: seconds per epoch and milliseconds per update
  step against the batch size, one line per library and device.

torch and matplotlib are imported only when a function runs.
"""

import math

import numpy as np

from nnlib.plots.style import color, marker


def underflow_curves(gaps, dtype="float32"):
    """Loss and gradient for two classes with logits ``[gap, 0]`` when the gold class is the second one.

    For each ``gap`` (the amount by which the wrong class leads), returns a dict
    of NumPy arrays, each of shape ``(len(gaps),)``:

    - ``"naive_loss"`` and ``"naive_grad"``: ``-log(softmax(z))[gold]`` and its
      gradient with respect to the gold logit, computed by autograd;
    - ``"stable_loss"`` and ``"stable_grad"``: the same from ``F.cross_entropy(z, gold)``.

    The exact loss is ``gap + log(1 + exp(-gap))`` and the exact gradient is
    ``-1 / (1 + exp(-gap))`` (close to -1). Values that are not finite stay
    ``inf`` or ``nan``: that is the point of the figure.
    """
    import torch
    import torch.nn.functional as F

    gaps = np.asarray(gaps, dtype=np.float64).reshape(-1)
    torch_dtype = getattr(torch, np.dtype(dtype).name)
    z = torch.zeros((len(gaps), 2), dtype=torch_dtype)
    z[:, 0] = torch.as_tensor(gaps, dtype=torch_dtype)
    gold = torch.ones(len(gaps), dtype=torch.int64)
    curves = {}
    for name, loss_of in (
        ("naive", lambda logits: -torch.log(torch.softmax(logits, dim=1))[torch.arange(len(gaps)), gold]),
        ("stable", lambda logits: F.cross_entropy(logits, gold, reduction="none")),
    ):
        logits = z.clone().requires_grad_(True)
        losses = loss_of(logits)
        losses.sum().backward()  # each example's loss depends on its own row only
        curves[f"{name}_loss"] = losses.detach().double().numpy()
        curves[f"{name}_grad"] = logits.grad[:, 1].double().numpy()
    return curves


def _first_bad(gaps, values):
    """The first gap at which ``values`` stops being finite (None if it never does)."""
    bad = ~np.isfinite(values)
    return float(gaps[np.argmax(bad)]) if bad.any() else None


def log_softmax_underflow(gaps=None, dtype="float32", axes=None):
    """Two panels: the loss (left) and its gradient for the gold logit (right) against the margin.

    The naive ``-log(softmax(z))`` (dashed) follows the exact curve and then breaks
    (shaded region: ``inf`` or ``nan``); ``F.cross_entropy`` from the logits
    (solid) stays finite. ``axes``: two Axes, or None for a new figure. Returns the Figure.
    """
    if gaps is None:
        gaps = np.linspace(0.0, 150.0, 601)
    gaps = np.asarray(gaps, dtype=np.float64)
    curves = underflow_curves(gaps, dtype)
    if axes is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(11.0, 4.0), layout="constrained")
    else:
        fig = axes[0].figure
    panels = (
        ("loss", "loss $-\\log p_{\\mathrm{gold}}$", "The loss"),
        ("grad", "gradient $\\partial L / \\partial z_{\\mathrm{gold}}$", "Its gradient for the gold logit"),
    )
    for ax, (key, ylabel, title) in zip(axes, panels, strict=True):
        stable, naive = curves[f"stable_{key}"], curves[f"naive_{key}"]
        ax.plot(gaps, stable, color=color(0), linewidth=3, label="F.cross_entropy(logits, gold)")
        finite = np.isfinite(naive)
        ax.plot(
            gaps[finite],
            naive[finite],
            color=color(1),
            linestyle="--",
            linewidth=2,
            label="-torch.log(torch.softmax(logits))[gold]",
        )
        if key == "grad":
            ax.set_ylim(-1.1, -0.4)
        start = _first_bad(gaps, naive)
        if start is not None:
            ax.axvspan(start, gaps[-1], color=color(3), alpha=0.15, hatch="//", linewidth=0)
            low, high = ax.get_ylim()
            ax.text(
                (start + gaps[-1]) / 2,
                low + 0.5 * (high - low),
                f"log(softmax) gives\ninf or nan here\n(margin {start:.0f} and more)",
                ha="center",
                va="center",
                color=color(3),
                fontsize="small",
            )
        ax.set_xlabel("margin of the wrong class over the gold class (logits [m, 0])")
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title} ({np.dtype(dtype).name})")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left" if key == "loss" else "upper center", fontsize="small")
    return fig


def _power_of_two_ticks(ax, batch_sizes):
    ax.set_xscale("log", base=2)
    ax.set_xticks(list(batch_sizes))
    ax.set_xticklabels([str(int(b)) for b in batch_sizes])
    ax.minorticks_off()


def time_per_epoch_plot(batch_sizes, seconds, n_examples, axes=None):
    """Time per epoch (left) and per update step (right) against the batch size.

    ``seconds``: dict label -> list of seconds per epoch, one per entry of
    ``batch_sizes``, e.g. ``{"torch, cpu": [...], "torch, cuda": [...]}``.
    ``n_examples``: the training-set size, to count the update steps of an
    epoch (``ceil(n_examples / batch_size)``). Both axes are logarithmic.
    ``axes``: two Axes, or None for a new figure. Returns the Figure.
    """
    batch_sizes = [int(b) for b in batch_sizes]
    if not seconds:
        raise ValueError("time_per_epoch_plot: no timings to draw (seconds is empty).")
    for label, values in seconds.items():
        if len(values) != len(batch_sizes):
            raise ValueError(
                f"time_per_epoch_plot: {label!r} has {len(values)} timings "
                f"for {len(batch_sizes)} batch sizes."
            )
    if axes is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(11.0, 4.0), layout="constrained")
    else:
        fig = axes[0].figure
    steps = np.array([math.ceil(n_examples / b) for b in batch_sizes], dtype=np.float64)
    for k, (label, values) in enumerate(seconds.items()):
        values = np.asarray(values, dtype=np.float64)
        style = dict(color=color(k), marker=marker(k), linewidth=2, markersize=6, label=label)
        axes[0].plot(batch_sizes, values, **style)
        axes[1].plot(batch_sizes, 1000 * values / steps, **style)
    axes[0].set_ylabel("seconds per epoch")
    axes[0].set_title(f"Time per epoch ({n_examples} examples)")
    axes[1].set_ylabel("milliseconds per update step")
    axes[1].set_title("Time per update step")
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    for ax in axes:
        _power_of_two_ticks(ax, batch_sizes)
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 3.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("batch size")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="small")
    return fig
