"""Arrays and devices: one code path for NumPy arrays and PyTorch tensors.

nnlib's layers, losses and optimisers are written once against the Python array
API standard. :func:`namespace` returns the array namespace (``xp``) of the
arrays at hand, so ``xp.exp(z)`` is ``numpy.exp`` for NumPy arrays and
``torch.exp`` for tensors.

Devices are named by strings:

- ``"cpu"`` (or ``"numpy"``): NumPy arrays on the CPU. This is the default and
  never imports torch.
- ``"torch:cpu"``: torch tensors on the CPU.
- ``"cuda"``, ``"cuda:1"``, ``"mps"``: torch tensors on that accelerator.

A ``torch.device`` object is accepted too and always means torch tensors.
"""

import os

import numpy as np
from array_api_compat import array_namespace, is_numpy_array, is_torch_array

DEVICE_ENV = "NNLIB_DEVICE"

_NUMPY_NAMES = ("cpu", "numpy")


_NAMESPACE_OF_TYPE = {}  # type of array -> its namespace, filled on first use


def namespace(*arrays):
    """Return the array-API namespace shared by ``arrays`` (NumPy or torch).

    A NumPy array's or a torch tensor's namespace depends on its type only, so the answer for one array is
    remembered per type: layers ask for it several times a training step, and ``array_namespace`` takes
    microseconds to work it out.
    """
    if len(arrays) != 1:
        return array_namespace(*arrays)
    kind = type(arrays[0])
    xp = _NAMESPACE_OF_TYPE.get(kind)
    if xp is None:
        xp = array_namespace(arrays[0])  # raises a TypeError for a non-array (nothing is remembered)
        _NAMESPACE_OF_TYPE[kind] = xp
    return xp


def is_tensor(x):
    """True when ``x`` is a torch tensor (never imports torch)."""
    return is_torch_array(x)


def _torch():
    try:
        import torch
    except ImportError as error:  # pragma: no cover - depends on the install
        raise ImportError(
            "This needs PyTorch, which is not installed. Install it with "
            "'pip install torch' or use the NumPy device 'cpu'."
        ) from error
    return torch


def parse_device(spec):
    """Split a device name into ``(backend, torch_device)``.

    ``backend`` is ``"numpy"`` or ``"torch"``; ``torch_device`` is the torch
    device string (``None`` for NumPy).
    """
    if spec is None:
        return "numpy", None
    if not isinstance(spec, str):
        if type(spec).__name__ == "device" and type(spec).__module__.startswith("torch"):
            return "torch", str(spec)
        raise TypeError(
            f"A device must be a string such as 'cpu', 'torch:cpu', 'cuda' or 'mps', "
            f"or a torch.device; got {type(spec).__name__}."
        )
    name = spec.strip().lower()
    if name in _NUMPY_NAMES:
        return "numpy", None
    if name in ("torch", "torch:cpu"):
        return "torch", "cpu"
    if name.startswith("torch:"):
        return "torch", name.split(":", 1)[1]
    if name == "cuda" or name.startswith("cuda:") or name == "mps":
        return "torch", name
    raise ValueError(
        f"Unknown device {spec!r}: expected 'cpu' (NumPy), 'torch:cpu', 'cuda', 'cuda:N' or 'mps'."
    )


def torch_device(dtype=None, *, cuda_available=None, mps_available=None):
    """The torch device to train on: ``"cuda"``, else ``"mps"``, else ``"cpu"`` (torch's own names).

    The fastest accelerator first: an NVIDIA GPU (CUDA), then an Apple GPU (MPS),
    then the CPU, which always works. MPS cannot hold float64 numbers, so with
    ``dtype`` float64 an Apple GPU is skipped. The availability flags default to
    what torch reports (``False`` when torch is not installed); pass them to decide
    for another machine, or in tests.
    """
    if cuda_available is None or mps_available is None:
        try:
            import torch
        except ImportError:
            torch = None
        if cuda_available is None:
            cuda_available = torch is not None and torch.cuda.is_available()
        if mps_available is None:
            mps = getattr(getattr(torch, "backends", None), "mps", None)
            mps_available = mps is not None and mps.is_available()
    if cuda_available:
        return "cuda"
    if mps_available and not _is_float64(dtype):
        return "mps"
    return "cpu"


def _is_float64(dtype):
    return dtype is not None and str(dtype).replace("torch.", "") in ("float64", "double")


def device(prefer=None, dtype=None):
    """Pick nnlib's device: CUDA, then MPS, then the CPU (NumPy), as :func:`torch_device` decides.

    The environment variable ``NNLIB_DEVICE`` (for example ``cpu`` or
    ``cuda:1``) overrides the choice; so does ``prefer``. Returns a device
    name string that :func:`to` and ``Module.to`` accept: for nnlib, ``"cpu"``
    means NumPy arrays (torch's CPU is ``"torch:cpu"``).
    """
    choice = prefer or os.environ.get(DEVICE_ENV)
    if choice:
        parse_device(choice)  # validate early, with a clear message
        return choice
    return torch_device(dtype)


def device_of(x):
    """The device name of an array or tensor ('cpu' for NumPy arrays)."""
    if is_torch_array(x):
        return "torch:cpu" if x.device.type == "cpu" else str(x.device)
    return "cpu"


def same_kind(x, like):
    """True when ``x`` is an array of ``like``'s type, dtype and device.

    Cheaper than comparing :func:`device_of` names, which layers would otherwise build for every input.
    """
    if type(x) is not type(like) or x.dtype != like.dtype:
        return False
    return type(x) is np.ndarray or x.device == like.device


def _numpy_dtype(dtype):
    if dtype is None:
        return None
    if is_torch_dtype(dtype):
        return np.dtype(str(dtype).replace("torch.", ""))
    return np.dtype(dtype)


def is_torch_dtype(dtype):
    return type(dtype).__module__ == "torch" and type(dtype).__name__ == "dtype"


def torch_dtype(dtype):
    """Translate a NumPy dtype, a name or a torch dtype into a torch dtype."""
    torch = _torch()
    if dtype is None or is_torch_dtype(dtype):
        return dtype
    return getattr(torch, np.dtype(dtype).name)


def to(x, device, dtype=None):
    """Return ``x`` as an array on ``device`` (copying only when needed).

    ``x`` may be a NumPy array, a torch tensor or anything ``numpy.asarray``
    accepts. ``dtype`` optionally converts the element type as well.
    """
    backend, torch_device = parse_device(device)
    if backend == "numpy":
        if is_torch_array(x):
            x = x.detach().cpu().numpy()
        x = np.asarray(x)
        target = _numpy_dtype(dtype)
        return x if target is None or x.dtype == target else x.astype(target)
    torch = _torch()
    if not is_torch_array(x):
        x = torch.from_numpy(np.require(np.asarray(x), requirements="C"))
    return x.to(device=torch_device, dtype=torch_dtype(dtype))


def greater(x, value):
    """``x > value`` as 1 (true) or 0 (false) in ``x``'s dtype: ``xp.astype(x > value, x.dtype)``.

    torch writes the numbers straight from the comparison (``torch.gt(x, value, out=...)``): a boolean tensor
    converted to floats costs seven times as much on a CPU (37 us instead of 5 us for 128 x 256 float32).
    """
    if is_tensor(x):
        torch = _torch()
        return torch.gt(x, value, out=torch.empty_like(x))
    return namespace(x).astype(x > value, x.dtype)


def maximum(x, value):
    """``xp.maximum(x, value)`` for a Python number ``value``: ``x``'s dtype, NaN stays NaN.

    On torch this is ``x.clamp_min(value)``: the array-API wrapper first turns the number into a tensor and
    checks the type promotion, which takes longer than the operation (10 us instead of 4 us for 128 x 256).
    """
    if is_tensor(x):
        return x.clamp_min(value)
    return namespace(x).maximum(x, value)


def take_along_axis(x, indices, axis):
    """``xp.take_along_axis(x, indices, axis=axis)`` for indices already checked to lie in 0..n-1.

    On torch this is ``torch.take_along_dim``: the array-API wrapper first maps negative indices to positive
    ones, three more operations that checked indices do not need.
    """
    if is_tensor(x):
        return _torch().take_along_dim(x, indices, dim=axis)
    return namespace(x).take_along_axis(x, indices, axis=axis)


_CHUNK = 1 << 15  # elements per slice of an in-place NumPy update: the temporary stays in the cache


def add_scaled_(target, source, alpha):
    """``target += alpha * source`` in place, without a temporary the size of ``target``.

    torch does it in one call (``add_(source, alpha=alpha)``); NumPy has no such call, so a large array is
    updated slice by slice, each slice's temporary small enough to stay in the cache.
    """
    if is_tensor(target):
        target.add_(source, alpha=alpha)
        return target
    if target.size <= _CHUNK or not (target.flags.c_contiguous and source.flags.c_contiguous):
        target += alpha * source
        return target
    flat_target, flat_source = target.reshape(-1), source.reshape(-1)
    for start in range(0, flat_target.size, _CHUNK):
        piece = flat_target[start : start + _CHUNK]
        piece += alpha * flat_source[start : start + _CHUNK]
    return target


def asarray(x, like=None):
    """Turn ``x`` into an array of the same kind, device and float dtype as ``like``."""
    if like is None or is_numpy_array(like):
        return x if is_numpy_array(x) else np.asarray(x)
    if type(x) is type(like) and x.device == like.device:
        return x
    return to(x, device_of(like))


def to_numpy(x):
    """A NumPy copy (or view) of an array or tensor, for plotting and printing."""
    return to(x, "cpu")
