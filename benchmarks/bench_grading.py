"""Grading throughput (a script run on demand, not a unit test).

    .venv/bin/python benchmarks/bench_grading.py [--module 01_perceptron] [--students 30]

Builds a class of N students for one module (a third perfect, a third untouched, a third with mistakes from
tests/mistakes/) and grades it three ways on this machine:

1. `python -m autograder grade --jobs 1` (sandboxed, trusted checks),
2. the same with `--jobs 2`,
3. plain `nbgrader autograde` on the same submissions (one unsandboxed kernel per notebook; no trusted checks).

Prints seconds per graded notebook, notebooks per minute, and the overhead of (1) against (3). Feedback
rendering is left out of all three (it is the same nbgrader step afterwards).
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder.course import nbgrader_config  # noqa: E402
from tests import mistakes, notebooks  # noqa: E402


def build_class(module, students, folder):
    corpus, _ = mistakes.load(module)
    kinds = []
    for i in range(students):
        if i % 3 == 0:
            nb, kind = notebooks.student_notebook(module), "perfect"
        elif i % 3 == 1:
            nb, kind = notebooks.student_notebook(module, base="release"), "untouched"
        else:
            mistake = corpus[(i // 3) % len(corpus)] if corpus else None
            nb = notebooks.with_mistake(module, mistake) if mistake else notebooks.student_notebook(module)
            kind = "mistake"
        notebooks.write(nb, folder / f"student{i:03d}" / module / f"{module}.ipynb")
        kinds.append(kind)
    return kinds


def timed(command, **kwargs):
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.monotonic() - started


def plain_nbgrader(module, submissions, scratch):
    """nbgrader's own autograde of the same class, with the course's nbgrader configuration."""
    from traitlets.config import Config

    out = scratch / "nbgrader"
    shutil.copytree(submissions, out / "submitted")
    config = nbgrader_config(out)
    config.merge(Config({"Execute": {"timeout": 120}}))
    (out / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        + "".join(f"c.CourseDirectory.{k} = {v!r}\n" for k, v in config.CourseDirectory.items())
        + "c.Execute.timeout = 120\n"
        + "c.ClearSolutions.code_stub = {'python': '# YOUR CODE HERE\\nraise NotImplementedError()'}\n"
    )
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "nbgrader", "generate_assignment", module, "--force"],
        cwd=out,
        env=env,
        check=True,
        capture_output=True,
    )
    return timed([bin_dir / "nbgrader", "autograde", module, "--force"], cwd=out, env=env)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--module", default="01_perceptron")
    parser.add_argument("--students", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        scratch = Path(scratch)
        submissions = scratch / "submissions"
        kinds = build_class(args.module, args.students, submissions)
        counts = {k: kinds.count(k) for k in sorted(set(kinds))}
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"class: {args.students} students of {args.module} ({counts})\n")
        results = {}
        for jobs in (1, 2):
            out = scratch / f"out{jobs}"
            results[f"autograder --jobs {jobs}"] = timed(
                [
                    sys.executable,
                    "-m",
                    "autograder",
                    "grade",
                    submissions,
                    "--out",
                    out,
                    "--jobs",
                    str(jobs),
                    "--no-feedback",
                ],
                cwd=REPO,
            )
        results["plain nbgrader autograde"] = plain_nbgrader(args.module, submissions, scratch)
        n = args.students
        print(f"{'how':<28} {'total s':>8} {'s/notebook':>11} {'notebooks/min':>14}")
        for how, seconds in results.items():
            print(f"{how:<28} {seconds:8.1f} {seconds / n:11.2f} {60 * n / seconds:14.1f}")
        overhead = results["autograder --jobs 1"] / results["plain nbgrader autograde"] - 1
        print(
            f"\noverhead of sandboxed, trusted grading vs plain nbgrader (both one at a time): {overhead:+.0%}"
        )


if __name__ == "__main__":
    main()
