"""Time and peak memory of each solution notebook, run headless (a script run on demand).

    .venv/bin/python benchmarks/bench_notebooks.py [--modules 01_perceptron ...]

Each notebook runs top to bottom in a fresh kernel (nbclient), as `jupyter nbconvert --execute` would.
Peak memory is the highest resident set size of the kernel process and its children, sampled every
50 ms. Budget per notebook (issue: Binder gives 1 to 2 GB): at most 60 s and 1.5 GiB on the 2-core CI machine.
"""

import argparse
import os
import platform
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from autograder.course import modules, source_path  # noqa: E402

BUDGET_SECONDS = 60
BUDGET_BYTES = 1.5 * 1024**3


class PeakMemory:
    def __init__(self, pid):
        self.process = psutil.Process(pid)
        self.peak = 0
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self):
        while self.running:
            try:
                rss = sum(p.memory_info().rss for p in [self.process, *self.process.children(recursive=True)])
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak


def run(module):
    notebook = nbformat.read(str(source_path(module)), as_version=4)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": "/tmp"}}
    )
    started = time.monotonic()
    with client.setup_kernel():
        monitor = PeakMemory(client.km.provisioner.process.pid)
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        peak = monitor.stop()
    return time.monotonic() - started, peak


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--modules", nargs="+", default=None)
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"{'module':<22} {'seconds':>8} {'peak MiB':>9}  within budget")
    worst = 0
    for module in args.modules or modules():
        seconds, peak = run(module)
        ok = seconds <= BUDGET_SECONDS and peak <= BUDGET_BYTES
        worst |= not ok
        print(f"{module:<22} {seconds:8.1f} {peak / 2**20:9.0f}  {'yes' if ok else 'NO'}", flush=True)
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main())
