"""The optimiser race of module 05: optimisers and learning-rate schedules on 2-D loss surfaces.

Each surface is a function of two parameters ``(w1, w2)`` with a known minimum,
chosen to show one difficulty of training: a narrow ravine, a saddle point, a
curved valley, a bumpy landscape with local minima. Every optimiser is the one
in :mod:`nnlib.optim`, run on a single :class:`~nnlib.nn.module.Parameter` of
shape (2,); the schedules are :mod:`nnlib.optim.lr_scheduler`'s, stepped once per
update. Paths are cached, so moving a control back to a value seen before
redraws at once::

    from nn4nlp.widgets.optimizers import optimizer_race
    optimizer_race()                      # the explorer (a slider for the learning rate, ...)

    from nn4nlp.widgets.optimizers import SURFACES, trajectory
    path = trajectory("ravine", "Adam", lr=0.1, steps=100)   # (T, 2) array of visited points
"""

import dataclasses
import functools

import numpy as np

from nnlib import optim
from nnlib.nn.module import Parameter
from nnlib.optim import lr_scheduler

# A path that leaves this box has diverged: it is cut there and marked in the legend.
DIVERGED = 1e3


@dataclasses.dataclass(frozen=True)
class Surface:
    """A loss of two parameters: values ``f`` on points (M, 2), gradient ``grad`` at one point (2,)."""

    title: str
    f: object
    grad: object
    start: tuple
    minimum: tuple
    xlim: tuple
    ylim: tuple
    lr: float
    log: bool = False

    def value(self, point):
        """The loss at one point (2,), as a float."""
        return float(self.f(np.asarray(point, dtype=np.float64).reshape(1, 2))[0])


def _ravine(p):
    return 0.05 * p[:, 0] ** 2 + 2.0 * p[:, 1] ** 2


def _ravine_grad(w):
    return np.array([0.1 * w[0], 4.0 * w[1]])


def _saddle(p):
    x, y = p[:, 0], p[:, 1]
    return 0.25 * (x**2 - 1) ** 2 + 0.5 * y**2


def _saddle_grad(w):
    x, y = w
    return np.array([x * (x**2 - 1), y])


def _banana(p):
    x, y = p[:, 0], p[:, 1]
    return 0.5 * (1 - x) ** 2 + 2.5 * (y - x**2) ** 2


def _banana_grad(w):
    x, y = w
    return np.array([-(1 - x) - 10.0 * x * (y - x**2), 5.0 * (y - x**2)])


# Bumpy: a wide bowl centred at (2, 2) with three narrow dips on the way from the start.
_DIPS = ((-1.0, -0.2, 0.9), (0.6, -1.5, 0.8), (0.2, 1.0, 0.5))  # (x, y, depth), width 0.35
_DIP_WIDTH = 0.35


def _bumpy(p):
    x, y = p[:, 0], p[:, 1]
    value = 0.15 * ((x - 2) ** 2 + (y - 2) ** 2)
    for cx, cy, depth in _DIPS:
        value = value - depth * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * _DIP_WIDTH**2))
    return value


def _bumpy_grad(w):
    x, y = w
    grad = 0.3 * np.array([x - 2, y - 2])
    for cx, cy, depth in _DIPS:
        bump = depth * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * _DIP_WIDTH**2)) / _DIP_WIDTH**2
        grad = grad + bump * np.array([x - cx, y - cy])
    return grad


SURFACES = {
    "ravine": Surface(
        "Ravine: $0.05\\,w_1^2 + 2\\,w_2^2$",
        _ravine,
        _ravine_grad,
        start=(-4.5, 1.2),
        minimum=(0.0, 0.0),
        xlim=(-5.0, 1.5),
        ylim=(-1.6, 1.6),
        lr=0.1,
    ),
    "saddle": Surface(
        "Saddle point at (0, 0), minima at $(\\pm 1, 0)$",
        _saddle,
        _saddle_grad,
        start=(0.001, 1.5),
        minimum=(1.0, 0.0),
        xlim=(-1.6, 1.6),
        ylim=(-1.2, 2.3),
        lr=0.05,
    ),
    "banana": Surface(
        "Curved valley (a gentle Rosenbrock function)",
        _banana,
        _banana_grad,
        start=(-1.5, 2.0),
        minimum=(1.0, 1.0),
        xlim=(-2.0, 2.0),
        ylim=(-1.0, 3.0),
        lr=0.05,
        log=True,
    ),
    "bumpy": Surface(
        "Bumpy bowl: local minima on the way to (2, 2)",
        _bumpy,
        _bumpy_grad,
        start=(-2.0, -1.0),
        minimum=(2.0, 2.0),
        xlim=(-3.0, 3.0),
        ylim=(-3.0, 3.0),
        lr=0.1,
    ),
}

OPTIMIZERS = {
    "gradient descent": lambda params, lr: optim.SGD(params, lr=lr),
    "momentum 0.9": lambda params, lr: optim.SGD(params, lr=lr, momentum=0.9),
    "AdaGrad": lambda params, lr: optim.Adagrad(params, lr=lr),
    "RMSProp": lambda params, lr: optim.RMSprop(params, lr=lr, alpha=0.9),
    "Adam": lambda params, lr: optim.Adam(params, lr=lr),
    "NAdam": lambda params, lr: optim.NAdam(params, lr=lr),
}

SCHEDULES = {
    "constant": lambda opt, steps: None,  # no scheduler
    "step decay (halve every 20 steps)": lambda opt, steps: lr_scheduler.StepLR(opt, step_size=20, gamma=0.5),
    "exponential decay (x0.97 per step)": lambda opt, steps: lr_scheduler.ExponentialLR(opt, gamma=0.97),
    "cosine decay (to 0 at the last step)": lambda opt, steps: lr_scheduler.CosineAnnealingLR(
        opt, T_max=steps
    ),
    "linear warm-up (first 20 steps)": lambda opt, steps: lr_scheduler.LinearLR(
        opt, start_factor=0.05, total_iters=20
    ),
}


def _lookup(table, name, what):
    if name not in table:
        raise ValueError(f"unknown {what} {name!r}; expected one of: {', '.join(table)}.")
    return table[name]


def descend(grad, start, make_optimizer, steps, make_scheduler=None):
    """Run an optimiser of :mod:`nnlib.optim` on a function whose gradient is ``grad``.

    ``start`` is the first point (d,), ``make_optimizer(params)`` builds the
    optimiser (e.g. ``lambda p: optim.SGD(p, lr=0.1)``) and ``make_scheduler(optimizer)``,
    if given, a scheduler stepped after every update. Returns the visited points,
    an array (T, d) with T <= steps + 1: the run stops early when a point is not
    finite or leaves the box ``|w| <= DIVERGED`` (that last point is clipped to the box).
    """
    param = Parameter(np.array(start, dtype=np.float64).reshape(-1))
    optimizer = make_optimizer([param])
    scheduler = make_scheduler(optimizer) if make_scheduler is not None else None
    path = [param.data.copy()]
    for _ in range(steps):
        param.grad = np.asarray(grad(param.data), dtype=np.float64).reshape(param.shape)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        point = param.data.copy()
        if not np.all(np.isfinite(point)) or np.max(np.abs(point)) > DIVERGED:
            path.append(np.clip(np.nan_to_num(point, nan=DIVERGED), -DIVERGED, DIVERGED))
            break
        path.append(point)
    return np.array(path)


@functools.lru_cache(maxsize=2048)
def _cached_path(surface, optimizer, lr, steps, schedule):
    s = _lookup(SURFACES, surface, "surface")
    make_optimizer = _lookup(OPTIMIZERS, optimizer, "optimizer")
    make_schedule = _lookup(SCHEDULES, schedule, "schedule")
    path = descend(
        s.grad,
        s.start,
        lambda params: make_optimizer(params, lr),
        steps,
        lambda opt: make_schedule(opt, steps),
    )
    path.setflags(write=False)
    return path


def trajectory(surface, optimizer, lr, steps=100, schedule="constant"):
    """The points visited by ``optimizer`` on ``surface``: an array (T, 2), T <= steps + 1.

    ``surface`` is a key of :data:`SURFACES`, ``optimizer`` of :data:`OPTIMIZERS`,
    ``schedule`` of :data:`SCHEDULES`. The path starts at the surface's start
    point; it stops early (T < steps + 1) when it leaves the box
    ``|w| <= DIVERGED``. The returned array is read-only (it is cached).
    """
    return _cached_path(surface, optimizer, float(lr), int(steps), schedule)


def diverged(path, steps):
    """Whether a path from :func:`trajectory` stopped early because it blew up."""
    return len(path) < steps + 1


def draw_race(axes, surface, optimizers, lr, steps=100, schedule="constant"):
    """Draw the race: paths on the contour plot (left) and the loss at every step (right).

    Each optimiser keeps its colour and marker (its position in :data:`OPTIMIZERS`), whichever others
    are shown.
    """
    from nnlib.plots import loss_surface
    from nnlib.plots.style import color, marker

    s = _lookup(SURFACES, surface, "surface")
    ax_paths, ax_loss = axes
    loss_surface(s.f, s.xlim, s.ylim, log=s.log, ax=ax_paths, resolution=120, title=s.title)
    lowest = s.value(s.minimum)
    for name in optimizers:
        _lookup(OPTIMIZERS, name, "optimizer")
        k = list(OPTIMIZERS).index(name)
        path = trajectory(surface, name, lr, steps, schedule)
        label = name + (" (diverged)" if diverged(path, steps) else "")
        style = dict(color=color(k), linewidth=1.5, label=label)
        ax_paths.plot(path[:, 0], path[:, 1], marker=marker(k), markersize=3, **style)
        ax_paths.scatter(
            path[:1, 0], path[:1, 1], s=80, facecolors="none", edgecolors="black", linewidths=1.2
        )
        gap = np.maximum(s.f(path) - lowest, 1e-12)
        ax_loss.semilogy(np.arange(len(path)), gap, **style)
    ax_paths.set_xlim(s.xlim)
    ax_paths.set_ylim(s.ylim)
    ax_paths.plot(*s.minimum, marker="*", markersize=14, color="black", linestyle="none")
    ax_paths.annotate("minimum", s.minimum, textcoords="offset points", xytext=(6, -12), fontsize="small")
    ax_loss.set_xlim(0, steps)
    ax_loss.set_ylim(1e-8, 1e3)
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("loss - lowest loss (log scale)")
    ax_loss.set_title(f"Learning rate {lr:.3g}, {schedule}", fontsize="medium")
    ax_loss.grid(True, alpha=0.3)
    if optimizers:
        ax_loss.legend(fontsize="small", loc="lower left", framealpha=0.85)


def optimizer_race(
    surface="ravine", lr=None, steps=100, optimizers=("gradient descent", "momentum 0.9", "Adam")
):
    """The explorer: choose a surface, the optimisers, the learning rate, the schedule and the steps.

    ``lr`` defaults to the surface's suggested rate. Returns an
    :class:`~nn4nlp.widgets.Explorer`; moving a control redraws both panels.
    """
    import ipywidgets

    from nn4nlp.widgets.base import Explorer, dropdown, slider

    start = SURFACES[surface].lr if lr is None else lr
    controls = {"surface": dropdown("loss surface", list(SURFACES), value=surface)}
    for name in OPTIMIZERS:
        controls[name] = ipywidgets.Checkbox(value=name in optimizers, description=name, indent=False)
    controls["lr"] = slider("learning rate", start, 1e-3, 3.0, log=True, step=0.05)
    controls["schedule"] = dropdown("schedule", list(SCHEDULES))
    controls["steps"] = slider("steps", steps, 10, 300, step=10)

    def draw(axes, surface, lr, schedule, steps, **chosen):
        names = [name for name in OPTIMIZERS if chosen[name]]
        draw_race(axes, surface, names, lr, steps, schedule)

    return Explorer(controls, draw, subplots=(1, 2), figsize=(11.0, 4.6))
