"""One hostile submission in a class: the grader's peak memory and the batch's time (run on demand).

    .venv/bin/python benchmarks/bench_hostile.py [--module 01_perceptron] [--students 30] [--jobs 2]
                                                 [--hostile cells frame items]

Builds the class of bench_grading.py (a third perfect, a third untouched, a third with mistakes), grades it
once as it is, then once more for each hostile submission added as one more student:

- ``cells``: 20,000 extra cells that each print a line (a 3 MB notebook);
- ``frame``: a cell that writes a frame header of 63 MB straight into the runner's pipe, then its body;
- ``items``: a cell that writes a 15 MB frame of 5 million tiny JSON values.

For each batch it prints the wall time, the peak memory of the grader (the CLI process and its worker
processes, sandboxes excluded: each sandbox has its own 3 GiB limit) and of the largest sandbox, sampled
every 50 ms with psutil, and the size of the hostile student's autograded notebook and feedback.
"""

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder.course import SAMPLE_CLASS  # noqa: E402
from benchmarks.bench_grading import build_class  # noqa: E402
from benchmarks.machine import describe  # noqa: E402

MiB = 2**20


def _frame_cell(header, body_expression):
    return (
        "import os, sys, struct\n"
        f"body = {body_expression}\n"
        f"os.write(int(sys.argv[4]), struct.pack('>I', {header}))\n"
        "view = memoryview(body)\n"
        "while view:\n"
        "    view = view[os.write(int(sys.argv[4]), view[:1 << 20]):]\n"
    )


def hostile_notebook(module, kind):
    notebook = nbformat.read(SAMPLE_CLASS / "ada" / module / f"{module}.ipynb", as_version=4)
    if kind == "cells":
        extra = [nbformat.v4.new_code_cell(f"print('line {k}: ' + 'x' * 120)") for k in range(20_000)]
    elif kind == "frame":
        extra = [nbformat.v4.new_code_cell(_frame_cell(63 * MiB, "b'[' + b'0,' * (31 * 2**20) + b'0]'"))]
    else:
        extra = [nbformat.v4.new_code_cell(_frame_cell(15 * MiB, "b'[' + b'0,' * (15 * 2**19 - 1) + b'0]'"))]
    notebook.cells[1:1] = extra
    return notebook


class PeakSampler:
    """Samples the resident memory of a process tree: the grader's own processes and the sandboxes."""

    def __init__(self, pid):
        self.root = psutil.Process(pid)
        self.grader = 0
        self.sandbox = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            grader, sandboxes = 0, {}
            try:
                for process in [self.root, *self.root.children(recursive=True)]:
                    try:
                        rss = process.memory_info().rss
                        line = " ".join(process.cmdline())
                    except psutil.Error:
                        continue
                    if "runner.py" in line or line.startswith(("bwrap", "/usr/bin/bwrap")):
                        sandboxes[process.pid] = rss
                    else:
                        grader += rss
            except psutil.Error:
                pass
            self.grader = max(self.grader, grader)
            self.sandbox = max([self.sandbox, *sandboxes.values()])
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.thread.join()


def grade(submissions, out, jobs):
    started = time.monotonic()
    command = [sys.executable, "-m", "autograder", "grade", submissions, "--out", out, "--jobs", str(jobs)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sampler = PeakSampler(process.pid)
    process.wait()
    sampler.stop()
    if process.returncode:
        raise SystemExit(f"grading failed with status {process.returncode}")
    return time.monotonic() - started, sampler.grader, sampler.sandbox


def size(path):
    return path.stat().st_size if path.exists() else 0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--module", default="01_perceptron")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--hostile", nargs="*", default=["cells", "frame", "items"])
    args = parser.parse_args()
    print(f"machine: {describe()}")
    print(f"class: {args.students} students of {args.module}, --jobs {args.jobs}, with feedback\n")
    print(
        f"{'batch':<22} {'seconds':>8} {'grader MiB':>11} {'sandbox MiB':>12} {'notebook MiB':>13} {'feedback MiB':>13}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as scratch:
        scratch = Path(scratch)
        submissions = scratch / "class"
        build_class(args.module, args.students, submissions)
        for kind in ["none", *args.hostile]:
            hostile = submissions / "zz-hostile"
            if hostile.exists():
                subprocess.run(["rm", "-rf", str(hostile)], check=True)
            if kind != "none":
                target = hostile / args.module / f"{args.module}.ipynb"
                target.parent.mkdir(parents=True)
                nbformat.write(hostile_notebook(args.module, kind), target)
            out = scratch / f"out-{kind}"
            seconds, grader, sandbox = grade(submissions, out, args.jobs)
            graded = out / "autograded" / "zz-hostile" / args.module / f"{args.module}.ipynb"
            feedback = out / "feedback" / "zz-hostile" / args.module / f"{args.module}.html"
            print(
                f"{'honest class' if kind == 'none' else '+ hostile ' + kind:<22} {seconds:8.1f} {grader / MiB:11.0f} "
                f"{sandbox / MiB:12.0f} {size(graded) / MiB:13.2f} {size(feedback) / MiB:13.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
