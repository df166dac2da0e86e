"""The same layers on NumPy arrays, torch CPU tensors and CUDA tensors give the same numbers.

CUDA cases carry ``pytest.mark.gpu`` and are reported as skipped on machines without a GPU.
"""

import subprocess
import sys

import numpy as np
import pytest
import torch

import nnlib
from nnlib import nn


def build_model():
    """Every layer of nnlib.nn with fixed seeds, so two calls build identical models."""
    return nn.Sequential(
        nn.Linear(6, 16, bias=False, seed=0),  # a bias before BatchNorm would get a zero gradient
        nn.BatchNorm1d(16),
        nn.ReLU(),
        nn.Dropout(0.3, seed=1),
        nn.Linear(16, 12, seed=2),
        nn.Tanh(),
        nn.Linear(12, 10, seed=3),
        nn.LeakyReLU(0.1),
        nn.Linear(10, 8, seed=4),
        nn.Sigmoid(),
        nn.Linear(8, 4, seed=5),
        nn.Softmax(dim=1),
    )


def run(model, x, g, steps=3):
    """A few forward/backward passes (train mode), then one in eval mode.

    Returns every output, input gradient and parameter gradient, then the running statistics.
    """
    results = []
    for _ in range(steps):
        model.zero_grad()
        results.append(model(x))
        results.append(model.backward(g))
        results.extend(p.grad for p in model.parameters())
    model.eval()
    results.append(model(x))
    results.append(model.backward(g))
    model.train()
    return [*results, model[1].running_mean, model[1].running_var]


def test_numpy_and_torch_paths_agree(devices, assert_close):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((9, 6))
    g = rng.standard_normal((9, 4))
    reference = run(build_model(), x, g)

    model = build_model().to(devices)
    got = run(model, nnlib.to(x, devices), nnlib.to(g, devices))
    assert all(type(t) is torch.Tensor for t in got) == (devices != "cpu")
    for i, (ours, ref) in enumerate(zip(got, reference, strict=True)):
        assert_close(ours, ref, rtol=1e-12, what=f"result {i} on {devices}")
    assert nnlib.backend.device_of(model[1].running_mean) == nnlib.backend.device_of(model[0].weight.data)


def test_embedding_bag_on_devices(devices, assert_close):
    indices = np.array([[1, 2, 3], [4, 4, 0]])
    g = np.random.default_rng(1).standard_normal((2, 5))
    ref = nn.EmbeddingBag(6, 5, seed=0)
    out = ref(indices)
    ref.backward(g)
    layer = nn.EmbeddingBag(6, 5, seed=0).to(devices)
    assert_close(layer(nnlib.to(indices, devices)), out, rtol=1e-12, what="output")
    layer.backward(nnlib.to(g, devices))
    assert_close(layer.weight.grad, ref.weight.grad, rtol=1e-12, what="weight.grad")


def test_float32_on_devices(devices):
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2, seed=1))
    model.to(devices, "float32")
    out = model(nnlib.to(np.ones((5, 3)), devices, "float32"))
    grad = model.backward(nnlib.to(np.ones((5, 2)), devices, "float32"))
    names = {str(a.dtype).replace("torch.", "") for a in (out, grad, *(p.grad for p in model.parameters()))}
    assert names == {"float32"}, f"dtypes {names}, expected float32 only"


def test_default_dtype_per_device():
    assert nn.Linear(2, 2, device="torch:cpu").weight.dtype == torch.float32
    assert nn.Linear(2, 2, device="cpu").weight.dtype == np.float64


@pytest.mark.gpu
def test_cuda_layers_default_to_float32_on_the_gpu(cuda_device):
    layer = nn.Linear(3, 2, device=cuda_device)
    assert layer.weight.data.is_cuda and layer.weight.dtype == torch.float32
    out = layer(torch.ones(4, 3, device=cuda_device))
    layer.backward(torch.ones_like(out))
    assert out.is_cuda and layer.weight.grad.is_cuda


def test_input_on_the_wrong_device_is_explained():
    layer = nn.Linear(3, 2).to("torch:cpu")
    with pytest.raises(
        TypeError, match=r"on device 'cpu' but the layer's parameters are on 'torch:cpu'.*nnlib.to"
    ):
        layer(np.ones((1, 3)))


def test_import_nnlib_does_not_import_heavy_packages():
    code = (
        "import sys, numpy as np, nnlib, nnlib.nn as nn\n"
        "m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Dropout(0.1), nn.Linear(3, 1))\n"
        "m.backward(m(np.ones((4, 2))))\n"
        "print(sorted(k for k in ('torch', 'matplotlib', 'ipywidgets', 'tqdm') if k in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", f"imported: {result.stdout.strip()}, expected none of them"


# -- the device picker: one for nnlib and for the course's torch code --------------------------------------


@pytest.mark.parametrize(
    ("cuda", "mps", "dtype", "expected"),
    [
        (True, False, None, "cuda"),
        (True, True, None, "cuda"),  # CUDA is preferred when a machine has both
        (False, True, None, "mps"),
        (False, True, "float32", "mps"),
        (False, True, "float64", "cpu"),  # MPS holds no float64: the CPU, not a crash
        (False, True, torch.float64, "cpu"),
        (True, False, torch.float64, "cuda"),
        (False, False, None, "cpu"),
    ],
)
def test_torch_device_fallback_order(cuda, mps, dtype, expected):
    assert nnlib.backend.torch_device(dtype, cuda_available=cuda, mps_available=mps) == expected


def test_torch_device_asks_torch_when_no_flags_are_given(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert nnlib.backend.torch_device() == "mps"
    assert nnlib.backend.torch_device("float64") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert nnlib.backend.torch_device() == "cuda"


def test_nnlib_device_follows_the_same_picker_and_its_override(monkeypatch):
    monkeypatch.delenv(nnlib.backend.DEVICE_ENV, raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert nnlib.device() == "cpu"  # for nnlib "cpu" is NumPy
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert nnlib.device() == "mps"
    assert nnlib.device(dtype="float64") == "cpu"
    monkeypatch.setenv(nnlib.backend.DEVICE_ENV, "torch:cpu")
    assert nnlib.device() == "torch:cpu"


@pytest.mark.parametrize("shape", [(3, 4), (300, 500), (1 << 16,)])
@pytest.mark.parametrize("kind", ["numpy", "torch"])
def test_add_scaled_updates_in_place_like_the_plain_formula(shape, kind):
    from nnlib import backend

    rng = np.random.default_rng(0)
    target, source = rng.normal(size=shape).astype(np.float32), rng.normal(size=shape).astype(np.float32)
    expected = target - np.float32(0.1) * source
    if kind == "torch":
        target, source = torch.from_numpy(target), torch.from_numpy(source)
    before = target.__array_interface__["data"][0] if kind == "numpy" else target.data_ptr()
    out = backend.add_scaled_(target, source, -0.1)
    after = out.__array_interface__["data"][0] if kind == "numpy" else out.data_ptr()
    assert out is target and before == after  # the same array, updated in place
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-6, atol=1e-7)
    assert np.asarray(out).dtype == np.float32


def test_an_owned_gradient_is_kept_and_a_borrowed_one_copied():
    grad = np.ones((2, 3))
    borrowed, owned = nn.Parameter(np.zeros((2, 3))), nn.Parameter(np.zeros((2, 3)))
    borrowed.accumulate_grad(grad)
    owned.accumulate_grad(grad, owned=True)
    assert borrowed.grad is not grad and owned.grad is grad
    borrowed.accumulate_grad(grad)
    np.testing.assert_array_equal(grad, np.ones((2, 3)))  # the caller's array is untouched
    np.testing.assert_array_equal(borrowed.grad, 2 * np.ones((2, 3)))


@pytest.mark.parametrize("kind", ["numpy", "torch"])
def test_greater_gives_numbers_of_the_inputs_dtype_like_astype(kind):
    from nnlib import backend

    values = np.array([[-1.0, 0.0, -0.0, 2.0], [np.nan, np.inf, -np.inf, 1e-30]], dtype=np.float32)
    expected = (values > 0).astype(np.float32)  # NaN > 0 is false, as in torch's ReLU backward
    x = torch.from_numpy(values).T if kind == "torch" else values.T  # not contiguous
    out = backend.greater(x, 0)
    assert type(out) is type(x) and out.dtype == x.dtype and tuple(out.shape) == (4, 2)
    np.testing.assert_array_equal(np.asarray(out), expected.T)


def test_namespace_is_remembered_per_type_and_still_refuses_non_arrays():
    from array_api_compat import array_namespace

    from nnlib import backend

    for x in (np.ones(2), torch.ones(2), np.ones(2, dtype=np.float32), torch.ones(2, dtype=torch.int64)):
        assert backend.namespace(x) is array_namespace(x)
    assert backend.namespace(np.ones(2), np.ones(3)) is array_namespace(np.ones(2))
    for bad in ([1.0, 2.0], 3.0, "abc"):
        with pytest.raises(TypeError):
            backend.namespace(bad)
    with pytest.raises(TypeError):
        backend.namespace(np.ones(2), torch.ones(2))  # two libraries at once


def test_an_input_of_another_dtype_or_kind_is_still_refused():
    layer = nn.Linear(3, 2, dtype="float32").to("torch:cpu")
    with pytest.raises(TypeError, match=r"expected input of dtype torch.float32 .*got torch.float64"):
        layer(torch.ones(1, 3, dtype=torch.float64))
    with pytest.raises(TypeError, match=r"on device 'cpu' but the layer's parameters are on 'torch:cpu'"):
        layer(np.ones((1, 3), dtype=np.float32))
    numpy_layer = nn.Linear(3, 2, dtype="float32")
    with pytest.raises(TypeError, match=r"expected input of dtype float32 .*got float64"):
        numpy_layer(np.ones((1, 3)))
    assert numpy_layer(np.ones((1, 3), dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("kind", ["numpy", "torch"])
def test_maximum_and_take_along_axis_agree_with_the_array_api(kind):
    from array_api_compat import array_namespace

    from nnlib import backend

    values = np.array([[-1.0, -0.0, 0.0, 2.0], [np.nan, np.inf, -np.inf, -3.0]], dtype=np.float32)
    index = np.array([[3], [0]])
    if kind == "torch":
        values, index = torch.from_numpy(values), torch.from_numpy(index)
    xp = array_namespace(values)
    for ours, theirs in [
        (backend.maximum(values, 0.0), xp.maximum(values, 0.0)),
        (backend.take_along_axis(values, index, 1), xp.take_along_axis(values, index, axis=1)),
    ]:
        assert type(ours) is type(theirs) and ours.dtype == theirs.dtype
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
        signs = np.signbit(np.asarray(ours)), np.signbit(np.asarray(theirs))
        np.testing.assert_array_equal(*signs)  # -0.0 stays -0.0
