"""Plain-data messages between the trusted grader and the sandboxed notebook.

Values cross the boundary as JSON (never pickle). Only these kinds travel by
value, and the decoder rebuilds them as exact built-in types:

- None, bool, int, float (NaN and infinities included), str, bytes;
- list, tuple and dict (of values that travel);
- NumPy arrays and NumPy scalars of numeric or bool dtype (raw bytes, base64);
- torch tensors (as their values, dtype, shape and device name).

Anything else (a function, a class, a model object) stays where it lives and
is sent as a *handle*: ``{"$remote": id}`` from the sandbox, ``{"$ref": id}``
back to it, and ``{"$callback": id}`` for a function of the grader that the
notebook's code may call. Frames are length-prefixed JSON: the length is read
first and checked against the reader's limit (``MAX_FRAME`` from the grader,
``MAX_REPLY_FRAME`` from the sandbox) before a byte of the body is read, and a
body with more than ``MAX_ITEMS`` JSON values is refused before it is parsed, so
a hostile frame costs the reader at most its limit in memory. This module runs on both sides and imports only the
standard library and NumPy (torch only when a tensor is actually sent).
"""

import base64
import json
import math
import struct

import numpy as np

MAX_FRAME = 64 * 1024 * 1024  # grader -> sandbox (the job, the test inputs)
MAX_REPLY_FRAME = 16 * 1024 * 1024  # sandbox -> grader (events, results): what the grader parses
MAX_DEPTH = 40
MAX_ITEMS = 2_000_000

ARRAY_DTYPES = frozenset(
    "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 complex64 complex128".split()
)
TORCH_DTYPES = frozenset("bool int8 int16 int32 int64 uint8 float16 bfloat16 float32 float64".split())

_HEADER = struct.Struct(">I")


class WireError(ValueError):
    """A message that is not well-formed plain data."""


# -- framing ---------------------------------------------------------------------


def write_frame(stream, message, limit=MAX_FRAME):
    """Serialise ``message`` (already encoded plain data) and write one frame of at most ``limit`` bytes."""
    data = json.dumps(message, allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(data) > limit:
        raise WireError(f"message of {len(data)} bytes is larger than the limit of {limit} bytes")
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_exactly(stream, size):
    chunks = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(stream, limit=MAX_FRAME):
    """Read one frame (its length is checked against ``limit`` before the body is read); parse it."""
    (size,) = _HEADER.unpack(read_exactly(stream, _HEADER.size))
    if size > limit:
        raise WireError(f"frame of {size} bytes is larger than the limit of {limit} bytes")
    return parse_frame(read_exactly(stream, size))


def _reject_constant(name):
    raise WireError(f"invalid JSON constant {name}")


def parse_frame(data):
    """Parse a frame's body as strict JSON, refusing bodies with more than ``MAX_ITEMS`` values unparsed."""
    # Every JSON value but the first follows a comma or opens a list/object: counting those bytes
    # bounds the number of objects json.loads would build (commas inside strings only over-count).
    if data.count(b",") + data.count(b"[") + data.count(b"{") > MAX_ITEMS:
        raise WireError("message has too many items")
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise WireError(f"malformed frame: {error}") from None


# -- encoding --------------------------------------------------------------------


def _b64(raw):
    return base64.b64encode(raw).decode("ascii")


def _float(x):
    if math.isnan(x):
        return {"$float": "nan"}
    if math.isinf(x):
        return {"$float": "inf" if x > 0 else "-inf"}
    return x


def _is_torch_tensor(value):
    cls = type(value)
    return cls.__module__.startswith("torch") and cls.__name__ in ("Tensor", "Parameter")


def encode(value, handle=None, depth=0):
    """Encode ``value`` as JSON-able plain data.

    ``handle(value)`` is called for anything that does not travel by value and
    must return a dict such as ``{"$remote": 3, "type": "Linear"}``. Without
    ``handle``, such values raise :class:`WireError`. Only exact types travel by
    value (a subclass of ``list`` or of ``numpy.ndarray`` becomes a handle).
    """
    if depth > MAX_DEPTH:
        raise WireError("value is nested too deeply")
    cls = type(value)
    if value is None or cls is bool or cls is str:
        return value
    if cls is int:
        return value if abs(value) < 2**53 else {"$int": str(value)}
    if cls is float:
        return _float(value)
    if cls is bytes:
        return {"$bytes": _b64(value)}
    if cls is list:
        return [encode(v, handle, depth + 1) for v in value]
    if cls is tuple:
        return {"$tuple": [encode(v, handle, depth + 1) for v in value]}
    if cls is dict:
        return {
            "$dict": [[encode(k, handle, depth + 1), encode(v, handle, depth + 1)] for k, v in value.items()]
        }
    if cls is np.ndarray and value.dtype.name in ARRAY_DTYPES:
        contiguous = np.ascontiguousarray(value).astype(value.dtype.newbyteorder("<"), copy=False)
        return {
            "$nd": {"dtype": value.dtype.name, "shape": list(value.shape), "b64": _b64(contiguous.tobytes())}
        }
    if isinstance(value, np.generic) and cls.__module__ == "numpy" and np.dtype(cls).name in ARRAY_DTYPES:
        little = np.asarray(value).astype(np.dtype(cls).newbyteorder("<"))
        return {"$np": {"dtype": np.dtype(cls).name, "b64": _b64(little.tobytes())}}
    if _is_torch_tensor(value) and str(value.dtype).replace("torch.", "") in TORCH_DTYPES:
        return _encode_tensor(value)
    if handle is None:
        raise WireError(f"a value of type {cls.__name__} cannot be sent by value")
    return handle(value)


def _encode_tensor(tensor):
    import torch

    dtype = str(tensor.dtype).replace("torch.", "")
    data = tensor.detach().to("cpu")
    if dtype == "bfloat16":
        data = data.to(torch.float32)
    array = np.ascontiguousarray(data.numpy())
    return {
        "$tensor": {
            "dtype": dtype,
            "shape": list(tensor.shape),
            "b64": _b64(array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()),
            "device": str(tensor.device),
            "requires_grad": bool(tensor.requires_grad),
        }
    }


# -- decoding --------------------------------------------------------------------


class _Budget:
    """Counts decoded items so that a hostile message cannot explode in memory."""

    def __init__(self):
        self.items = 0

    def take(self, n=1):
        self.items += n
        if self.items > MAX_ITEMS:
            raise WireError("message has too many items")


def _bytes(text):
    if type(text) is not str:
        raise WireError("expected base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise WireError("invalid base64 data") from None


def _shape(raw):
    if type(raw) is not list or len(raw) > 32 or any(type(n) is not int or n < 0 for n in raw):
        raise WireError("invalid array shape")
    return tuple(raw)


def _array(spec, readonly, dtypes=ARRAY_DTYPES):
    if type(spec) is not dict or set(spec) - {"dtype", "shape", "b64", "device", "requires_grad"}:
        raise WireError("invalid array description")
    name = spec.get("dtype")
    if type(name) is not str or name not in dtypes:
        raise WireError(f"unsupported array dtype {name!r}")
    shape = _shape(spec.get("shape"))
    dtype = np.dtype("float32" if name == "bfloat16" else name).newbyteorder("<")
    raw = _bytes(spec.get("b64"))
    count = math.prod(shape)
    if len(raw) != count * dtype.itemsize:
        raise WireError("array data does not match its shape and dtype")
    array = np.frombuffer(raw, dtype=dtype).astype(dtype.newbyteorder("="), copy=True).reshape(shape)
    if readonly:
        array.flags.writeable = False
    return array


def decode(obj, resolve=None, readonly=True, depth=0, budget=None):
    """Rebuild a value encoded by :func:`encode`, strictly.

    ``resolve(tag, payload)`` turns handles (``$remote``, ``$ref``,
    ``$callback``) into objects; without it handles raise :class:`WireError`.
    Decoded NumPy arrays are read-only when ``readonly`` is true.
    """
    budget = budget or _Budget()
    budget.take()
    if depth > MAX_DEPTH:
        raise WireError("value is nested too deeply")
    cls = type(obj)
    if obj is None or cls in (bool, str, int):
        return obj
    if cls is float:
        if not math.isfinite(obj):
            raise WireError("non-finite float outside a $float tag")
        return obj
    if cls is list:
        return [decode(v, resolve, readonly, depth + 1, budget) for v in obj]
    if cls is not dict or len(obj) == 0:
        raise WireError(f"unexpected JSON value of type {cls.__name__}")
    return _decode_tagged(obj, resolve, readonly, depth, budget)


def _decode_tagged(obj, resolve, readonly, depth, budget):
    """A ``{"$tag": payload}`` object: a value plain JSON cannot hold, a tuple or dict, or a handle."""
    tag = next(iter(obj))
    payload = obj[tag]
    if tag == "$float":
        if payload not in ("nan", "inf", "-inf") or len(obj) != 1:
            raise WireError("invalid $float")
        return float(payload)
    if tag == "$int":
        if type(payload) is not str or len(payload) > 4000 or not payload.lstrip("-").isdigit():
            raise WireError("invalid $int")
        return int(payload)
    if tag == "$bytes":
        return _bytes(payload)
    if tag == "$tuple":
        if type(payload) is not list:
            raise WireError("invalid $tuple")
        return tuple(decode(v, resolve, readonly, depth + 1, budget) for v in payload)
    if tag == "$dict":
        return _decode_dict(payload, resolve, readonly, depth, budget)
    if tag == "$nd":
        array = _array(payload, readonly)
        budget.take(array.size // 64)
        return array
    if tag == "$np":
        return _np_scalar(payload)
    if tag == "$tensor":
        return _tensor(payload)
    if tag in ("$remote", "$ref", "$callback"):
        if resolve is None:
            raise WireError(f"unexpected handle {tag}")
        return resolve(tag, obj)
    raise WireError(f"unknown tag {tag!r}")


def _decode_dict(payload, resolve, readonly, depth, budget):
    """A ``$dict`` payload: a list of [key, value] pairs, whose keys may not be handles."""
    if type(payload) is not list:
        raise WireError("invalid $dict")
    result = {}
    for pair in payload:
        if type(pair) is not list or len(pair) != 2:
            raise WireError("invalid $dict entry")
        key = decode(pair[0], None, True, depth + 1, budget)
        if type(key) not in (str, int, float, bool, tuple) and key is not None:
            raise WireError("unhashable dict key")
        result[key] = decode(pair[1], resolve, readonly, depth + 1, budget)
    return result


def _np_scalar(payload):
    if type(payload) is not dict or set(payload) != {"dtype", "b64"}:
        raise WireError("invalid $np")
    scalar = _array({"dtype": payload["dtype"], "shape": [], "b64": payload["b64"]}, False)
    return scalar[()]


def _tensor(spec):
    import torch

    array = _array(spec, readonly=False, dtypes=TORCH_DTYPES)
    device = spec.get("device", "cpu")
    if type(device) is not str:
        raise WireError("invalid tensor device")
    tensor = torch.from_numpy(array)
    if spec.get("dtype") == "bfloat16":
        tensor = tensor.to(torch.bfloat16)
    if spec.get("requires_grad") is True and tensor.is_floating_point():
        tensor.requires_grad_(True)
    return tensor
