"""Grading throughput on a local Dask cluster of 1, 2 and 4 workers (a script run on demand, not a unit test).

    .venv/bin/python benchmarks/bench_scaling.py [--module 01_perceptron] [--students 10] [--workers 1 2 4]

Builds a class of N students for one module (as benchmarks/bench_grading.py does: a third perfect, a third
untouched, a third with mistakes) and grades it with `grade --scheduler` on a `distributed.LocalCluster` of
W single-threaded worker processes, for each W. For each it prints the wall time of the grading itself (from
the first job sent to the last result; building the release and starting the cluster are left out and shown
apart), notebooks per minute, the speed-up over one worker, and the peak memory of a worker: its own process
plus the sandboxes it starts, sampled every 0.2 s. Feedback rendering is left out (the same nbgrader step
afterwards, on the coordinator). The CPU model and the number of cores are printed with the figures.
"""

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_grading import REPO, build_class  # noqa: E402
from machine import cpu_model  # noqa: E402

MiB = 2**20


class TreeMemory:
    """Peak resident memory of each of some processes together with all their descendants."""

    def __init__(self, pids, every=0.2):
        import psutil

        self.psutil = psutil
        self.roots = {pid: psutil.Process(pid) for pid in pids}
        self.peak = dict.fromkeys(pids, 0)
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree_rss(self, root):
        total = 0
        try:
            processes = [root, *root.children(recursive=True)]
        except self.psutil.Error:
            return 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except self.psutil.Error:
                continue
        return total

    def _run(self):
        while not self._stop.is_set():
            for pid, root in self.roots.items():
                self.peak[pid] = max(self.peak[pid], self._tree_rss(root))
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def grade_on_cluster(submissions, out, workers):
    from distributed import Client, LocalCluster

    from autograder import batch

    started = time.monotonic()
    with LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        memory_limit=0,
    ) as cluster:
        with Client(cluster) as client:
            pids = list(client.run(os.getpid).values())
        cluster_seconds = time.monotonic() - started
        marks = {}

        def progress(text):
            if text.startswith("grading "):
                marks["first_job"] = time.monotonic()
            elif text.strip().startswith("graded "):
                marks["last_result"] = time.monotonic()

        with TreeMemory(pids) as memory:
            before = time.monotonic()
            rows, problems = batch.grade(
                submissions,
                out,
                scheduler=cluster.scheduler_address,
                feedback=False,
                echo=lambda *_: None,
                progress=progress,
            )
            total = time.monotonic() - before
    if problems:
        raise RuntimeError(f"grading reported problems: {problems}")
    return {
        "notebooks": len(rows),
        "grading_s": marks["last_result"] - marks["first_job"],
        "setup_s": marks["first_job"] - before,
        "total_s": total,
        "cluster_s": cluster_seconds,
        "peak_worker_mib": max(memory.peak.values()) / MiB,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--module", default="01_perceptron")
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    os.chdir(REPO)
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}")
    try:
        print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    except OSError:
        pass
    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as scratch:
        scratch = Path(scratch)
        submissions = scratch / "submissions"
        kinds = build_class(args.module, args.students, submissions)
        counts = {k: kinds.count(k) for k in sorted(set(kinds))}
        print(f"class: {args.students} students of {args.module} ({counts})\n", flush=True)
        results = {}
        for workers in args.workers:
            results[workers] = grade_on_cluster(submissions, scratch / f"out{workers}", workers)
            r = results[workers]
            print(
                f"  {workers} worker(s): {r['grading_s']:.1f} s grading, {r['setup_s']:.1f} s release build, "
                f"{r['cluster_s']:.1f} s cluster start",
                flush=True,
            )
        base = results[args.workers[0]]
        print(
            f"\n{'workers':>7} {'grading s':>10} {'s/notebook':>11} {'notebooks/min':>14} "
            f"{'speed-up':>9} {'peak MiB/worker':>16}"
        )
        for workers, r in results.items():
            rate = 60 * r["notebooks"] / r["grading_s"]
            print(
                f"{workers:>7} {r['grading_s']:10.1f} {r['grading_s'] / r['notebooks']:11.2f} {rate:14.1f} "
                f"{base['grading_s'] / r['grading_s']:9.2f} {r['peak_worker_mib']:16.0f}"
            )
        try:
            print(f"\nload average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        except OSError:
            pass


if __name__ == "__main__":
    main()
