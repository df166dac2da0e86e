"""The plain-data codec between the sandbox and the grader: exact round trips, and strict refusals."""

import io
import json
import math

import numpy as np
import pytest

from autograder.boundary.sandbox import wire


def roundtrip(value, **kwargs):
    return wire.decode(json.loads(json.dumps(wire.encode(value), allow_nan=False)), **kwargs)


@pytest.mark.parametrize(
    "value",
    [None, True, 0, -7, 2**70, 1.5, "text", b"\x00\xff", [1, [2, "x"]], (1, 2.5), {"a": 1, 3: (None,)}, ()],
)
def test_plain_values_round_trip_with_their_exact_types(value):
    back = roundtrip(value)
    assert back == value and type(back) is type(value)


def test_special_floats_round_trip():
    back = roundtrip([math.nan, math.inf, -math.inf])
    assert math.isnan(back[0]) and back[1] == math.inf and back[2] == -math.inf


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "uint8", "bool", "complex128"])
def test_arrays_round_trip_read_only(dtype):
    array = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    back = roundtrip(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == (3, 4)
    assert np.array_equal(back, array)
    assert not back.flags.writeable
    assert roundtrip(array, readonly=False).flags.writeable


def test_numpy_scalars_keep_their_type():
    for value in (np.float32(1.25), np.int16(-3), np.bool_(True)):
        back = roundtrip(value)
        assert type(back) is type(value) and back == value


def test_torch_tensors_round_trip():
    torch = pytest.importorskip("torch")
    tensor = torch.arange(6, dtype=torch.float32).reshape(2, 3).requires_grad_(True)
    back = roundtrip(tensor)
    assert type(back) is torch.Tensor and back.dtype == torch.float32 and back.requires_grad
    assert torch.equal(back.detach(), tensor.detach())


def test_subclasses_and_objects_become_handles():
    class MyList(list):
        pass

    class MyArray(np.ndarray):
        pass

    seen = []

    def handle(value):
        seen.append(value)
        return {"$remote": len(seen), "type": type(value).__name__}

    encoded = wire.encode(
        [MyList([1]), np.zeros(2).view(MyArray), object(), np.array([object()])], handle=handle
    )
    assert [e["type"] for e in encoded] == ["MyList", "MyArray", "object", "ndarray"]
    with pytest.raises(wire.WireError, match="cannot be sent by value"):
        wire.encode(object())


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"$nd": {"dtype": "object", "shape": [1], "b64": ""}}, "unsupported array dtype"),
        ({"$nd": {"dtype": "float64", "shape": [3], "b64": "AAAAAAAAAAA="}}, "does not match"),
        ({"$nd": {"dtype": "float64", "shape": [-1], "b64": ""}}, "invalid array shape"),
        ({"$float": "1e999"}, r"invalid \$float"),
        ({"$unknown": 1}, "unknown tag"),
        ({"$remote": 1}, "unexpected handle"),
        ({"$dict": [[[1], 2]]}, "unhashable"),
        ({"$bytes": "not base64!"}, "invalid base64"),
        ({}, "unexpected JSON value"),
    ],
)
def test_malformed_values_are_refused(message, error):
    with pytest.raises(wire.WireError, match=error):
        wire.decode(message)


def test_deep_nesting_and_item_floods_are_refused():
    deep = []
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(wire.WireError, match="nested too deeply"):
        wire.decode(deep)
    with pytest.raises(wire.WireError, match="too many items"):
        wire.decode([0] * (wire.MAX_ITEMS + 1))


def test_frames_round_trip_and_reject_oversize_and_garbage():
    stream = io.BytesIO()
    wire.write_frame(stream, {"op": "call", "args": [1, 2]})
    stream.seek(0)
    assert wire.read_frame(stream) == {"op": "call", "args": [1, 2]}
    with pytest.raises(wire.WireError, match="larger than the limit"):
        wire.read_frame(io.BytesIO((wire.MAX_FRAME + 1).to_bytes(4, "big")))
    with pytest.raises(wire.WireError, match="malformed frame"):
        wire.read_frame(io.BytesIO((3).to_bytes(4, "big") + b"{x}"))
    with pytest.raises(wire.WireError, match="invalid JSON constant"):
        wire.read_frame(io.BytesIO((3).to_bytes(4, "big") + b"NaN"))
    with pytest.raises(EOFError):
        wire.read_frame(io.BytesIO(b"\x00\x00"))
