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
