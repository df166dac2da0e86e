"""Module 08 at SST-2's size: time and peak memory of the whole notebook (a script run on demand).

    .venv/bin/python benchmarks/bench_real_size.py [--train 67349] [--dev 872] [--words 12000]

We cannot download SST-2 here, so the script writes a stand-in in GLUE's format (``SST-2/train.tsv`` and
``dev.tsv``) with SST-2's numbers of texts, about 9 tokens per training text as in SST-2's phrases, and a
Zipf-distributed word list larger than the notebook's 5,000-word vocabulary; a word's sentiment decides the
label. Then it runs the module-08 solution notebook on it with ``NN4NLP_CORPUS=sst2`` in a fresh kernel
(offline: the proxy variables point at a closed port), and prints the wall time, the peak memory of the
kernel (sampled every 50 ms) and the slowest cells. Budget (issue 13): 5 minutes and 1.5 GiB on the
2-core machine.
"""

import argparse
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_notebooks import PeakMemory  # noqa: E402
from machine import cpu_model  # noqa: E402

from autograder.course import source_path  # noqa: E402

BUDGET_SECONDS = 300
BUDGET_BYTES = 1.5 * 1024**3


def stand_in_sst2(root, n_train, n_dev, n_words, seed=0):
    """Write ``root/SST-2/{train,dev}.tsv`` with SST-2's sizes; returns the folder."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    words = sorted({"".join(rng.choice(letters, rng.integers(3, 10))) for _ in range(n_words * 2)})[:n_words]
    words = np.array(rng.permutation(words))
    zipf = 1.0 / np.arange(1, n_words + 1) ** 1.07
    zipf /= zipf.sum()
    polarity = np.zeros(n_words)
    sentiment_ranks = rng.choice(np.arange(30, 3000), 800, replace=False)
    polarity[sentiment_ranks[:400]], polarity[sentiment_ranks[400:]] = 1.0, -1.0
    folder = Path(root) / "SST-2"
    folder.mkdir(parents=True, exist_ok=True)
    for name, n, mean_length in (("train", n_train, 8.4), ("dev", n_dev, 18.2)):
        lines = ["sentence\tlabel"]
        for _ in range(n):
            ids = rng.choice(n_words, 1 + rng.poisson(mean_length), p=zipf)
            score = polarity[ids].sum() + rng.normal(0, 0.5)
            lines.append(f"{' '.join(words[ids])} \t{int(score > 0)}")
        (folder / f"{name}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def machine():
    return f"CPU: {cpu_model()}, {os.cpu_count()} cores; NumPy {np.__version__}"


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--train", type=int, default=67_349, help="training texts (SST-2: 67,349)")
    parser.add_argument("--dev", type=int, default=872, help="test texts (SST-2's dev.tsv: 872)")
    parser.add_argument("--words", type=int, default=12_000, help="distinct words in the stand-in")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        stand_in_sst2(tmp, args.train, args.dev, args.words)
        print(f"stand-in corpus written in {time.monotonic() - started:.1f} s")
        os.environ.update(NN4NLP_CORPUS="sst2", NN4NLP_DATA=tmp)
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            os.environ[name] = f"http://127.0.0.1:{closed_port()}"
        notebook = nbformat.read(str(source_path("08_sentiment")), as_version=4)
        client = NotebookClient(
            notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": tmp}}
        )
        cell_seconds = []
        started = time.monotonic()
        with client.setup_kernel():
            monitor = PeakMemory(client.km.provisioner.process.pid)
            for index, cell in enumerate(notebook.cells):
                cell_started = time.monotonic()
                client.execute_cell(cell, index)
                cell_seconds.append((time.monotonic() - cell_started, cell.get("id")))
            peak = monitor.stop()
        seconds = time.monotonic() - started
    loaded = next(c for c in notebook.cells if c.get("id") == "load_data")
    print("".join(o.get("text", "") for o in loaded.outputs).splitlines()[0])
    for c in notebook.cells:
        if c.get("id") in ("bow_build", "results_table"):
            print("".join(o.get("text", "") for o in c.outputs).rstrip())
    ok = seconds <= BUDGET_SECONDS and peak <= BUDGET_BYTES
    print(f"whole notebook: {seconds:.0f} s, peak {peak / 2**20:.0f} MiB; within 5 min and 1.5 GiB: {ok}")
    print(
        "slowest cells:", ", ".join(f"{name} {s:.1f} s" for s, name in sorted(cell_seconds, reverse=True)[:6])
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
