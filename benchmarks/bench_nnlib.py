"""Speed of nnlib's layers against PyTorch (a script run on demand, not a unit test).

    .venv/bin/python benchmarks/bench_nnlib.py [--threads N] [--examples 10000] [--repeats 5]

Prints four tables:

1. One training epoch of the module-08 MLP (V -> 256 -> ReLU -> 256 -> ReLU -> 5 for V = 800
   and 5,000, batch 128, float32, softmax cross-entropy, plain SGD): nnlib on NumPy and nnlib on
   torch CPU tensors vs torch.nn + torch.optim on the same CPU. Target: nnlib <= 1.1x torch's time.
2. Linear forward + backward vs the three raw matrix multiplies it needs, on the
   same arrays. Target: >= 70% of the raw throughput.
3. ``import nnlib`` (and ``import nnlib.nn``) wall time in a fresh interpreter,
   median of several runs. Target: < 0.3 s.
4. On a CUDA machine: one training step of the MLP with nnlib on CUDA tensors,
   nnlib on NumPy and torch autograd on the GPU, batch sizes 64 to 8192.

Both libraries get the same number of threads (``--threads``, default: all
cores): OpenBLAS (NumPy) through OPENBLAS_NUM_THREADS, set before NumPy loads,
and torch through ``torch.set_num_threads``.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--threads", type=int, default=os.cpu_count(), help="BLAS/torch threads for both")
parser.add_argument("--examples", type=int, default=10_000, help="training examples in the epoch")
parser.add_argument("--repeats", type=int, default=5, help="rounds of timed runs (the best run is reported)")
ARGS = parser.parse_args()
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import numpy as np  # noqa: E402  (after the thread settings)
import torch  # noqa: E402
from machine import cpu_model  # noqa: E402

from nnlib import nn, optim  # noqa: E402

SIZES = (800, 256, 256, 5)
BATCH = 128
LR = 0.1


def best_times(fns, rounds, runs=3):
    """The best (smallest) wall time of each function.

    Each round runs every function ``runs`` times in a row, the first run
    untimed: NumPy's OpenBLAS threads and torch's OpenMP threads keep spinning
    for a while after their last job, so the first run after a switch of
    library competes with the other's idle threads. Repeating the rounds and
    taking the minimum keeps background load on a shared machine from
    favouring either library.
    """
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            fn()
            for _ in range(runs):
                start = time.perf_counter()
                fn()
                best[i] = min(best[i], time.perf_counter() - start)
    return best


def machine():
    print("## Machine")
    print(f"- CPU: {cpu_model()}, nproc = {os.cpu_count()}")
    print(f"- Python {platform.python_version()}, NumPy {np.__version__}, torch {torch.__version__}")
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    mkl = torch.backends.mkl.is_available()
    print(f"- NumPy BLAS: {blas['name']} {blas.get('version', '')}; torch BLAS: {'MKL' if mkl else 'other'}")
    print(
        f"- Threads: OPENBLAS_NUM_THREADS={ARGS.threads}, torch.get_num_threads()={torch.get_num_threads()}"
    )
    print()


# -- 1. the module-08 MLP, one epoch ----------------------------------------------------------
def nnlib_mlp(device="cpu", sizes=SIZES):
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(nn.Linear(n_in, n_out, dtype="float32", seed=i))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers).to(device)


def torch_twin(model, device="cpu"):
    layers = []
    for layer in model:
        if isinstance(layer, nn.Linear):
            twin = torch.nn.Linear(layer.in_features, layer.out_features)
            with torch.no_grad():
                twin.weight.copy_(torch.as_tensor(np.asarray(layer.weight.data)))
                twin.bias.copy_(torch.as_tensor(np.asarray(layer.bias.data)))
            layers.append(twin)
        else:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers).to(device)


def nnlib_epoch(model, x, y, batch=BATCH):
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=LR)
    for start in range(0, x.shape[0], batch):
        xb, yb = x[start : start + batch], y[start : start + batch]
        optimizer.zero_grad()
        criterion(model(xb), yb)
        model.backward(criterion.backward(), input_grad=False)  # the data needs no gradient
        optimizer.step()


def torch_epoch(model, x, y, batch=BATCH):
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    for start in range(0, x.shape[0], batch):
        xb, yb = x[start : start + batch], y[start : start + batch]
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()


def bench_mlp_epoch(vocab=SIZES[0]):
    sizes = (vocab, *SIZES[1:])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((ARGS.examples, vocab), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], ARGS.examples)
    ours, on_torch = nnlib_mlp(sizes=sizes), nnlib_mlp("torch:cpu", sizes=sizes)
    theirs = torch_twin(ours)
    x_t, y_t = torch.from_numpy(x), torch.from_numpy(y)
    # Same start, same data: after one epoch both models must agree (float32 rounding aside).
    nnlib_epoch(ours, x, y)
    torch_epoch(theirs, x_t, y_t)
    drift = max(
        float(np.max(np.abs(p.data - t.detach().numpy())))
        for p, t in zip(ours.parameters(), theirs.parameters(), strict=True)
    )
    t_ours, t_on_torch, t_torch = best_times(
        [
            lambda: nnlib_epoch(ours, x, y),
            lambda: nnlib_epoch(on_torch, x_t, y_t),
            lambda: torch_epoch(theirs, x_t, y_t),
        ],
        ARGS.repeats,
        runs=2,
    )
    print(
        f"## 1. MLP {' -> '.join(map(str, sizes))}, one epoch of {ARGS.examples} examples, batch {BATCH}, float32"
    )
    print(f"| library | epoch time (s, best of {2 * ARGS.repeats}) | ratio to torch |\n|---|---|---|")
    print(f"| nnlib (NumPy) | {t_ours:.3f} | {t_ours / t_torch:.2f}x (target <= 1.1x) |")
    print(f"| nnlib (torch CPU tensors) | {t_on_torch:.3f} | {t_on_torch / t_torch:.2f}x (target <= 1.1x) |")
    print(f"| torch.nn + torch.optim | {t_torch:.3f} | 1.00x |")
    print(f"(max |weight difference| after one identical epoch: {drift:.1e}; float32 rounding, amplified")
    print(" where a ReLU input within rounding of 0 takes the other branch in one library)\n")


# -- 2. Linear vs raw matrix multiplies ----------------------------------------------------------
def bench_linear():
    print("## 2. Linear forward + backward vs the raw matrix multiplies (float32, NumPy)")
    print("| batch x in -> out | raw matmuls (ms) | nnlib Linear (ms) | throughput vs raw |")
    print("|---|---|---|---|")
    rng = np.random.default_rng(1)
    for n, n_in, n_out in [(128, 800, 256), (128, 256, 256), (1024, 800, 256), (4096, 1024, 1024)]:
        layer = nn.Linear(n_in, n_out, dtype="float32", seed=0)
        w = layer.weight.data
        x = rng.standard_normal((n, n_in), dtype=np.float32)
        g = rng.standard_normal((n, n_out), dtype=np.float32)

        def raw(x=x, g=g, w=w):
            x @ w.T
            g @ w
            g.T @ x

        def ours(x=x, g=g, layer=layer):
            layer.zero_grad()
            layer(x)
            layer.backward(g)

        t_raw, t_ours = best_times([raw, ours], ARGS.repeats, runs=40 if n <= 1024 else 2)
        print(f"| {n} x {n_in} -> {n_out} | {1e3 * t_raw:.3f} | {1e3 * t_ours:.3f} | {t_raw / t_ours:.0%} |")
    print("(target >= 70%)\n")


# -- 3. import time ------------------------------------------------------------------------------
def import_seconds(statement, runs=7):
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout))
    return statistics.median(times)


def bench_import():
    print("## 3. Import time in a fresh interpreter (median of 7)")
    print("| statement | seconds |\n|---|---|")
    for statement in ("import numpy", "import nnlib", "import nnlib.nn"):
        print(f"| `{statement}` | {import_seconds(statement):.3f} |")
    print("(target: `import nnlib` < 0.3 s)\n")


# -- 4. GPU --------------------------------------------------------------------------------------
def gpu_row(batch, rng):
    """Times (s) of one training step at this batch size: nnlib on CUDA, nnlib on NumPy, torch on CUDA."""
    x = rng.standard_normal((batch, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], batch)
    on_gpu, on_cpu = nnlib_mlp("cuda"), nnlib_mlp()
    twin = torch_twin(on_cpu, "cuda")
    x_c, y_c = torch.from_numpy(x).cuda(), torch.from_numpy(y).cuda()

    def nnlib_gpu():
        nnlib_epoch(on_gpu, x_c, y_c, batch)
        torch.cuda.synchronize()

    def torch_gpu():
        torch_epoch(twin, x_c, y_c, batch)
        torch.cuda.synchronize()

    return best_times([nnlib_gpu, lambda: nnlib_epoch(on_cpu, x, y, batch), torch_gpu], ARGS.repeats, runs=10)


def bench_gpu():
    print("## 4. GPU: one training step (forward, backward, SGD) of the MLP, float32")
    if not torch.cuda.is_available():
        print("GPU figures: not measured (no GPU on this machine)\n")
        return
    print(f"device: {torch.cuda.get_device_name()}")
    print("| batch | nnlib CUDA (ms) | nnlib NumPy (ms) | torch autograd CUDA (ms) |\n|---|---|---|---|")
    rng = np.random.default_rng(2)
    for batch in (64, 256, 1024, 4096, 8192):
        t_gpu, t_cpu, t_torch = gpu_row(batch, rng)
        print(f"| {batch} | {1e3 * t_gpu:.2f} | {1e3 * t_cpu:.2f} | {1e3 * t_torch:.2f} |")
    print()


if __name__ == "__main__":
    torch.set_num_threads(ARGS.threads)
    machine()
    bench_mlp_epoch(800)
    bench_mlp_epoch(5000)
    bench_linear()
    bench_import()
    bench_gpu()
