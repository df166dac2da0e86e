"""nnlib: the small neural-network library behind the course.

Everything is written by hand on top of the Python array API, so the same code
runs on NumPy arrays (the default, on the CPU) and on PyTorch tensors on any
device. ``import nnlib`` is fast: submodules load on first use, and torch,
matplotlib and tqdm are imported only by the code paths that need them (they are
optional extras; NumPy and array-api-compat are all the core needs).

Submodules: functional, losses, nn, init, optim, gradcheck, autograd,
training, data, plots, backend. What belongs to one module of the course
(its figures, explorers and reference helpers) lives in the ``nn4nlp``
package beside this one, and the checks of the test cells in ``nbchecks``.
"""

from importlib import import_module

__version__ = "0.1.0"

_SUBMODULES = (
    "autograd",
    "backend",
    "data",
    "functional",
    "gradcheck",
    "init",
    "losses",
    "nn",
    "optim",
    "plots",
    "training",
)

# Helpers re-exported at the top level, loaded lazily from nnlib.backend.
_BACKEND_NAMES = ("device", "to")

__all__ = [*_SUBMODULES, *_BACKEND_NAMES, "__version__"]


def __getattr__(name):
    if name in _SUBMODULES:
        module = import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    if name in _BACKEND_NAMES:
        value = getattr(import_module(f"{__name__}.backend"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
