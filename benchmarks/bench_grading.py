"""Grading throughput (a script run on demand, not a unit test).

    .venv/bin/python benchmarks/bench_grading.py [--module 01_perceptron] [--students 30]

Builds a class of N students for one module from the shipped sample class (ada all right, ben the untouched
release, chen with mistakes, in turn) and grades it three ways on this machine:

1. `python -m autograder grade --jobs 1` (sandboxed, trusted checks),
2. the same with `--jobs 2`,
3. plain `nbgrader autograde` on the same submissions (one unsandboxed kernel per notebook; no trusted checks).

Prints seconds per graded notebook, notebooks per minute, and how many times as many notebooks a minute (1) and
(2) grade as (3). Feedback rendering is left out of all three (it is the same nbgrader step afterwards).
`--phases N` first grades N of the notebooks one by one in this process and prints where their time goes.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder.course import SAMPLE_CLASS, nbgrader_config, release_path, source_path  # noqa: E402
from benchmarks.machine import describe  # noqa: E402

# Sample-class students who have every module: all right (ada), the untouched release (ben), with mistakes (chen).
MODELS = ("ada", "ben", "chen")


def build_class(module, students, folder):
    """N submissions of `module` copied in turn from the sample-class students above."""
    sources = [(name, SAMPLE_CLASS / name / module / f"{module}.ipynb") for name in MODELS]
    missing = [str(path) for _, path in sources if not path.is_file()]
    if missing:
        raise SystemExit(
            f"bench_grading: expected the shipped notebooks {missing}; is autograder/sample_class/ complete?"
        )
    kinds = []
    for i in range(students):
        kind, source = sources[i % len(sources)]
        target = folder / f"student{i:03d}" / module / f"{module}.ipynb"
        target.parent.mkdir(parents=True)
        shutil.copyfile(source, target)
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


def where_the_time_goes(module, submissions, count):
    """Mean seconds per notebook in each phase of grading, over the first ``count`` notebooks of the class."""
    from autograder.batch import make_job
    from autograder.boundary import isolation
    from autograder.grading import grade_job, warm_up

    marks = []
    sandbox = isolation.Sandbox
    originals = {name: getattr(sandbox, name) for name in ("start", "receive", "close")}

    def timed_method(name):
        def method(self, *args, **kwargs):
            result = originals[name](self, *args, **kwargs)
            label = (result.get("event") or "reply") if name == "receive" else name
            marks.append((label, time.perf_counter()))
            return result

        return method

    source, release = source_path(module).read_text(), release_path(module).read_text()
    # As each grading process does before its first notebook.
    warm_up(isolation.resolve_mode("auto"), [source])
    totals = {}
    folders = sorted(submissions.iterdir())[:count]
    try:
        for name in originals:
            setattr(sandbox, name, timed_method(name))
        for folder in folders:
            with tempfile.TemporaryDirectory() as out:
                job = make_job(folder.name, module, folder / module, source, release, out, {}, "auto", "x")
                marks.clear()
                started = time.perf_counter()
                grade_job(job)
                ended = time.perf_counter()
            previous = started
            for label, moment in marks:
                totals[label] = totals.get(label, 0.0) + moment - previous
                previous = moment
            totals["after the sandbox"] = totals.get("after the sandbox", 0.0) + ended - previous
    finally:
        for name, method in originals.items():
            setattr(sandbox, name, method)
    names = {
        "start": "starting the sandbox",
        "ready": "its interpreter and runner up",
        "cell": "running the notebook's cells",
        "test": "test cells in the notebook's kernel",
        "reply": "the grader's checks (calls into the sandbox)",
        "done": "last reply to the end of the run",
        "close": "closing the sandbox",
        "after the sandbox": "writing the autograded notebook",
    }
    print(
        f"where the time goes (mean of {len(folders)} notebooks, graded one by one in a warmed-up process):"
    )
    for label, seconds in totals.items():
        print(f"  {names.get(label, label):<46} {seconds / len(folders):6.3f} s")
    print(f"  {'total':<46} {sum(totals.values()) / len(folders):6.3f} s\n")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--module", default="01_perceptron")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument(
        "--phases", type=int, default=0, metavar="N", help="first show where N notebooks' time goes"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        scratch = Path(scratch)
        submissions = scratch / "submissions"
        kinds = build_class(args.module, args.students, submissions)
        counts = {k: kinds.count(k) for k in sorted(set(kinds))}
        print(f"machine: {describe()}")
        print(f"class: {args.students} students of {args.module} ({counts})\n")
        if args.phases:
            where_the_time_goes(args.module, submissions, args.phases)
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
        plain = results["plain nbgrader autograde"]
        print()
        for jobs in (1, 2):
            print(
                f"autograder --jobs {jobs} grades {plain / results[f'autograder --jobs {jobs}']:.1f}x as many "
                "notebooks a minute as plain nbgrader one at a time"
            )


if __name__ == "__main__":
    main()
