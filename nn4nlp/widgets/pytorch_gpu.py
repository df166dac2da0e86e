"""Module 07's PyTorch reference code and its explorer (batch size, learning rate and wall-clock time).

The reference versions of what module 07's exercises ask for, so that the
notebook's demos and figures work even when an exercise is unfinished:

- :func:`make_toy_problem` - the small problem module 07's checks train on (model, optimiser, loss, data).
- :func:`loss_gradient` - the gradient that autograd finds for a loss function, for checks of autograd.
- :func:`synchronizer` - the function that waits for a device to finish (None on the CPU).
- :func:`seeded_loader` - a shuffling ``DataLoader`` with its own seeded generator.
- :func:`train_step` - zero_grad, forward, loss, backward, step; returns the loss.
- :func:`evaluate` - mean loss and accuracy on a data set, in eval mode, without gradients.
- :func:`fit` - the loop "for each epoch, for each batch: train_step; then check the dev set".
- :func:`time_per_epoch` - the fastest of a few timed runs per batch size, after a warm-up.
- :func:`count_parameters` - the number of learned numbers of a torch or an nnlib model.
- :func:`usable_cpus` - how many CPU cores this process may use (for ``torch.set_num_threads``).
- :func:`threads` - a context manager that runs torch with a given number of threads.

The explorer :func:`batch_size_explorer` trains a small tanh network on the
spirals with the batch size, learning rate and optimiser of your choice and
draws the validation loss against epochs and against seconds. Runs are cached,
so settings you have tried stay on the figure (in grey) for comparison::

    from nn4nlp.widgets.pytorch_gpu import batch_size_explorer
    batch_size_explorer()

torch is imported only when a function runs.
"""

import contextlib
import functools
import math
import os
import time

import numpy as np

from nn4nlp.widgets.base import Explorer, dropdown, slider
from nnlib.plots.style import color


def usable_cpus(idle_only=True):
    """How many CPU cores this process should use for torch's threads (at least 1).

    ``OMP_NUM_THREADS``, when it is set, decides. Otherwise: the cores this
    process may run on, capped by its container's CPU quota (Linux cgroups, as on
    Binder). With ``idle_only`` (the default), cores that other programs keep busy
    (the 1-minute load average) are left out too.

    Why it matters: ``os.cpu_count()`` counts every core of the machine, also
    those a container may not use, and torch's default can be too large in the
    same way. When torch has more threads than there are free cores, its threads
    wait for each other at every operation, and training can become ten times
    slower instead of faster.
    """
    requested = os.environ.get("OMP_NUM_THREADS", "")
    if requested.isdigit() and int(requested) > 0:
        return int(requested)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    quota = _cgroup_cpu_quota()
    if quota:
        cores = min(cores, quota)
    if idle_only and hasattr(os, "getloadavg"):
        cores -= math.floor(os.getloadavg()[0])
    return max(1, cores)


def _cgroup_cpu_quota():
    """The CPU limit of this process's cgroup, rounded up to whole cores, or None when there is none."""
    candidates = (
        ("/sys/fs/cgroup/cpu.max", None),  # cgroup v2: "<quota> <period>" or "max <period>"
        ("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us"),  # cgroup v1
    )
    for quota_file, period_file in candidates:
        try:
            with open(quota_file) as handle:
                fields = handle.read().split()
            if period_file is not None:
                with open(period_file) as handle:
                    fields = [fields[0], handle.read().strip()]
        except (OSError, IndexError):
            continue
        if len(fields) == 2 and fields[0].lstrip("-").isdigit() and fields[1].isdigit():
            quota, period = int(fields[0]), int(fields[1])
            if quota > 0 and period > 0:
                return math.ceil(quota / period)
        return None
    return None


@contextlib.contextmanager
def threads(n):
    """Run the block with ``torch.set_num_threads(n)``, then restore the previous number.

    A tiny network gains nothing from several threads, and on a busy machine
    the threads wait for each other; the explorer trains with one.
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def synchronizer(device):
    """A function that waits until ``device`` has finished its queued work, or None for the CPU.

    GPUs run asynchronously: a call returns before the work is done. Timing GPU
    code without waiting measures only how fast the work was queued.
    """
    import torch

    kind = torch.device(device).type if not str(device).startswith("torch:") else "cpu"
    if kind == "cuda":
        return torch.cuda.synchronize
    if kind == "mps":
        return torch.mps.synchronize
    return None


def seeded_loader(X, y, batch_size, seed=0, shuffle=True):
    """A ``DataLoader`` over ``TensorDataset(X, y)`` that shuffles with its own generator seeded by ``seed``.

    Each pass (epoch) visits every example once in a new order; two loaders
    built with the same seed give the same sequence of orders.
    """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    generator = torch.Generator().manual_seed(int(seed))
    return DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=shuffle, generator=generator)


def make_toy_problem(seed=0, lr=0.1, momentum=0.0, dropout=0.0):
    """A small problem to try ``train_step`` and ``fit`` on; module 07's checks train on it too.

    Returns ``(model, optimizer, loss_fn, X, y)``: a 4 -> 8 -> 3 network (Linear, Tanh,
    Dropout(dropout), Linear) with weights drawn after ``torch.manual_seed(seed)``,
    ``torch.optim.SGD`` with the given ``lr`` and ``momentum``, ``nn.CrossEntropyLoss()``,
    and 32 random examples ``X`` (32, 4) with classes ``y`` (32,).
    """
    import torch
    from torch import nn

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Dropout(dropout), nn.Linear(8, 3))
        X = torch.randn(32, 4)
        y = torch.randint(0, 3, (32,))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    return model, optimizer, nn.CrossEntropyLoss(), X, y


def loss_gradient(loss_fn, logits, targets):
    """The gradient of ``loss_fn(logits, targets)`` with respect to ``logits``, as autograd finds it.

    Returns a tensor of the shape of ``logits``, or None when the loss is not connected
    to the logits in autograd's graph (for example a loss computed in NumPy and turned
    back into a tensor).
    """
    import torch

    leaf = logits.detach().clone().requires_grad_(True)
    loss = loss_fn(leaf, targets)
    if not isinstance(loss, torch.Tensor) or loss.grad_fn is None:
        return None
    (gradient,) = torch.autograd.grad(loss, leaf, allow_unused=True)
    return gradient


def train_step(model, loss_fn, optimizer, x, y):
    """One update: zero_grad, forward, loss, backward, step. Returns the loss before the update, a float."""
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def evaluate(model, loss_fn, X, y):
    """``(mean loss, accuracy)`` of ``model`` on ``(X, y)`` in eval mode and without gradients."""
    import torch

    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            logits = model(X)
            loss = loss_fn(logits, y).item()
            accuracy = (logits.argmax(dim=1) == y).float().mean().item()
    finally:
        model.train(was_training)
    return loss, accuracy


def fit(model, loss_fn, optimizer, batches, X_dev, y_dev, epochs):
    """Train for ``epochs`` passes over ``batches`` (an iterable of ``(xb, yb)`` that can be re-iterated).

    After each epoch the dev set is evaluated. Returns a dict of lists, one value
    per epoch: ``"train_loss"`` (the mean of the epoch's batch losses),
    ``"val_loss"``, ``"val_accuracy"`` and ``"seconds"`` (training time of the
    epoch, without the evaluation).
    """
    history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "seconds": []}
    for _ in range(epochs):
        model.train()
        started = time.perf_counter()
        losses = [train_step(model, loss_fn, optimizer, xb, yb) for xb, yb in batches]
        history["seconds"].append(time.perf_counter() - started)
        history["train_loss"].append(sum(losses) / len(losses))
        val_loss, val_accuracy = evaluate(model, loss_fn, X_dev, y_dev)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
    return history


def time_per_epoch(run_epoch, batch_sizes, repeats=3, sync=None):
    """Seconds per epoch for each batch size: one untimed warm-up, then the fastest of ``repeats`` timed runs.

    ``run_epoch(batch_size)`` trains for one epoch; ``sync()``, if given, is called
    before the clock stops (pass :func:`synchronizer` of a GPU device).
    """
    results = []
    for batch_size in batch_sizes:
        run_epoch(batch_size)  # warm-up: first calls allocate memory, load kernels, fill caches
        if sync is not None:
            sync()
        best = math.inf
        for _ in range(repeats):
            started = time.perf_counter()
            run_epoch(batch_size)
            if sync is not None:
                sync()
            best = min(best, time.perf_counter() - started)
        results.append(best)
    return results


def count_parameters(model):
    """The number of learned numbers in ``model`` (a torch or an nnlib module)."""
    return sum(math.prod(p.shape) for p in model.parameters())


# -- the explorer ----------------------------------------------------------------------

BATCH_SIZES = (8, 16, 32, 64, 128, 360)  # 360 = the whole training set (full-batch gradient descent)
EPOCHS = 25
OPTIMIZERS = ("Adam", "SGD")


@functools.lru_cache(maxsize=1)
def _spirals():
    """The explorer's data: 450 points of three spirals, 360 for training and 90 for validation (float32)."""
    import torch

    from nnlib.data import spirals, train_test_split

    X, y = spirals(n=450, classes=3, noise=0.2, seed=0)
    (X_train, y_train), (X_dev, y_dev) = train_test_split(X, y, test=0.2, seed=0)
    as_x = lambda a: torch.tensor(a, dtype=torch.float32)  # noqa: E731
    return as_x(X_train), torch.tensor(y_train), as_x(X_dev), torch.tensor(y_dev)


@functools.lru_cache(maxsize=256)
def training_run(batch_size, lr, optimizer="Adam", epochs=EPOCHS, seed=0):
    """Train a 2 -> 32 -> 3 tanh network on the spirals; cached by its arguments.

    Every run starts from the same weights (``torch.manual_seed(seed)``) and
    shuffles with its own generator, so only the settings differ. Returns a dict
    of tuples, one value per epoch: ``"train_loss"``, ``"val_loss"``,
    ``"val_accuracy"``, ``"seconds"`` (cumulative training time) and the int
    ``"steps_per_epoch"``.
    """
    import torch

    if optimizer not in OPTIMIZERS:
        raise ValueError(f"training_run: optimizer must be one of {OPTIMIZERS}, got {optimizer!r}.")
    X_train, y_train, X_dev, y_dev = _spirals()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.Tanh(), torch.nn.Linear(32, 3))
    make = torch.optim.Adam if optimizer == "Adam" else torch.optim.SGD
    opt = make(model.parameters(), lr=float(lr))
    loader = seeded_loader(X_train, y_train, int(batch_size), seed=seed)
    with threads(1):
        history = fit(model, torch.nn.CrossEntropyLoss(), opt, loader, X_dev, y_dev, epochs)
    history["seconds"] = list(np.cumsum(history["seconds"]))
    result = {key: tuple(float(v) for v in values) for key, values in history.items()}
    result["steps_per_epoch"] = len(loader)
    return result


# The settings tried in this session, as (batch_size, lr, optimizer); their runs are in training_run's cache.
_TRIED = set()


def _draw_runs(axes, batch_size, lr, optimizer):
    """Draw the selected run in colour and the other tried batch sizes (same lr and optimiser) in grey."""
    _TRIED.add((batch_size, lr, optimizer))
    selected = training_run(batch_size, lr, optimizer)
    others = sorted(b for b, r, o in _TRIED if (r, o) == (lr, optimizer) and b != batch_size)
    epochs = np.arange(1, EPOCHS + 1)
    runs = {other: training_run(other, lr, optimizer) for other in others}
    label_heights = _spread([min(run["val_loss"][-1], 1.2) for run in runs.values()], gap=0.05)
    for (other, run), height in zip(runs.items(), label_heights, strict=True):
        for ax, x in zip(axes, (epochs, run["seconds"]), strict=True):
            ax.plot(x, run["val_loss"], color="0.65", linewidth=1.2)
            ax.annotate(
                str(other),
                (x[-1], height),
                xytext=(3, 0),
                textcoords="offset points",
                color="0.35",
                fontsize="x-small",
                va="center",
            )
    label = f"batch size {batch_size} ({selected['steps_per_epoch']} steps per epoch)"
    for ax, x in zip(axes, (epochs, selected["seconds"]), strict=True):
        ax.plot(x, selected["val_loss"], color=color(0), linewidth=3, label=label)
        ax.set_ylabel("validation loss (cross-entropy)")
        ax.set_ylim(0.0, 1.25)
        ax.grid(True, alpha=0.3)
    if others:
        axes[0].plot([], [], color="0.65", label="other batch sizes you tried (labelled)")
    axes[0].set_xlabel("epoch")
    axes[0].set_title("Against epochs (passes over the data)")
    axes[1].set_xlabel("seconds of training on this machine (torch, CPU)")
    axes[1].set_title("Against wall-clock time")
    axes[0].legend(loc="upper right", fontsize="small")
    axes[1].text(
        0.97,
        0.96,
        f"{optimizer}, learning rate {lr:.3g}, {EPOCHS} epochs:\n"
        f"validation loss {selected['val_loss'][-1]:.3f}, accuracy {selected['val_accuracy'][-1]:.0%}\n"
        f"{selected['seconds'][-1]:.2f} s of training",
        transform=axes[1].transAxes,
        ha="right",
        va="top",
        fontsize="small",
        bbox=dict(boxstyle="round", facecolor="white", alpha=0.85),
    )


def _spread(heights, gap):
    """The heights moved apart, as little as possible, so that any two differ by at least ``gap`` (same order)."""
    order = np.argsort(heights, kind="stable")
    placed = np.array(heights, dtype=float)
    for previous, current in zip(order[:-1], order[1:], strict=False):
        placed[current] = max(placed[current], placed[previous] + gap)
    return [float(h) for h in placed]


def batch_size_explorer(batch_size=32, lr=0.0316, optimizer="Adam", compare=(8, 128, 360)):
    """Validation loss against epochs and against seconds for the chosen batch size and learning rate.

    Controls: the batch size (8 to 360, the whole training set), the learning
    rate (log scale) and the optimiser. Runs for ``compare`` batch sizes are
    trained first so the static picture shows a comparison; every setting you try
    is kept and drawn in grey under the current one (same learning rate and optimiser).
    """
    for other in compare:
        _TRIED.add((int(other), _rounded(lr), optimizer))

    def draw(axes, batch_size, lr, optimizer):
        _draw_runs(axes, int(batch_size), _rounded(lr), optimizer)

    controls = {
        "batch_size": _batch_slider(batch_size),
        "lr": slider("learning rate", float(lr), 1e-3, 1.0, 0.25, log=True),
        "optimizer": dropdown("optimiser", list(OPTIMIZERS), optimizer),
    }
    return Explorer(controls, draw, subplots=(1, 2), figsize=(11.0, 4.2))


def _rounded(lr):
    """The learning rate to 3 significant digits, so that a log slider's value finds its cached run again."""
    return float(f"{float(lr):.3g}")


def _batch_slider(value):
    import ipywidgets

    if value not in BATCH_SIZES:
        raise ValueError(f"batch_size_explorer: batch_size must be one of {BATCH_SIZES}, got {value!r}.")
    return ipywidgets.SelectionSlider(
        options=list(BATCH_SIZES),
        value=value,
        description="batch size",
        continuous_update=False,
        readout=True,
        style={"description_width": "initial"},
        layout=ipywidgets.Layout(width="100%", max_width="520px"),
    )
