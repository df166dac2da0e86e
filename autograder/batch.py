"""Grading a class: find the submissions, run the jobs, record grades, write reports.

Jobs run in a local pool of N grading processes (``jobs=N``; one by one for
``jobs=1``) or on an existing Dask cluster (``scheduler="tcp://host:port"``).
Whatever the executor, only this process writes the gradebook, the CSV files
and the feedback, and the results are the same.
"""

import concurrent.futures
import contextlib
import multiprocessing
import os
import re
import sys
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from autograder import class_report, gradebook, report, variants
from autograder.boundary.isolation import Limits, resolve_mode
from autograder.course import CourseError, course_directory, modules, nbgrader_config, source_path
from autograder.feedback_notebook import cap_feedback
from autograder.grading import safe_grade_job
from autograder.release import register
from autograder.startup import pool_worker
from autograder.submission import Unreadable, read_submission_bytes

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")


def _show(path):
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def discover(submissions, names=None):
    """``(student, module, folder)`` for each submission, and one-line problems for what was skipped."""
    root = Path(submissions)
    if not root.is_dir():
        raise CourseError(
            f"{_show(root)}: folder not found; expected SUBMISSIONS/<student>/<module>/<module>.ipynb"
        )
    known = modules()
    found, problems = [], []
    for student_dir in sorted(root.iterdir()):
        if student_dir.name.startswith("."):
            continue
        if student_dir.is_symlink() or not student_dir.is_dir():
            problems.append(f"{_show(student_dir)}: skipped; expected a folder named after a student")
            continue
        if not STUDENT_ID.match(student_dir.name):
            problems.append(
                f"{_show(student_dir)}: skipped; a student id may contain only letters, digits and . _ @ + -"
            )
            continue
        for module_dir in sorted(student_dir.iterdir()):
            if module_dir.name.startswith("."):
                continue
            if module_dir.name not in known:
                problems.append(
                    f"{_show(module_dir)}: unknown module {module_dir.name!r}; expected one of: {', '.join(known)}"
                )
                continue
            if module_dir.is_symlink() or not module_dir.is_dir():
                problems.append(
                    f"{_show(module_dir)}: skipped; expected a folder holding {module_dir.name}.ipynb"
                )
                continue
            if names and module_dir.name not in names:
                continue
            found.append((student_dir.name, module_dir.name, module_dir))
    return found, problems


def _locate(folder, module):
    expected = folder / f"{module}.ipynb"
    if os.path.lexists(expected):
        return expected, [], None
    candidates = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if len(candidates) == 1:
        note = f"Your notebook was named '{candidates[0].name}' instead of '{module}.ipynb'; it was graded anyway."
        return candidates[0], [note], None
    if not candidates:
        return None, [], f"no notebook found in {_show(folder)}; expected {module}.ipynb"
    listed = ", ".join(p.name for p in candidates)
    return None, [], f"{_show(folder)} holds {len(candidates)} notebooks ({listed}) but no {module}.ipynb"


# Written by nbgrader's collect/submit beside the notebook: the submission time and the secret that
# names the student's feedback in the exchange. Both are carried to the autograded copy, as nbgrader does.
NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")


def _nbgrader_files(folder):
    found = {}
    for name in NBGRADER_FILES:
        try:
            found[name] = read_submission_bytes(folder / name, limit=4096).decode("utf-8").strip()
        except (Unreadable, UnicodeDecodeError):
            continue
    return found


def make_job(student, module, folder, source, release, out, limits, sandbox, secret=None):
    path, notes, error = _locate(folder, module)
    metadata = _nbgrader_files(folder)
    data = None
    if error is None:
        try:
            data = read_submission_bytes(path)
        except Unreadable as problem:
            error = str(problem)
    if data is not None:
        copy = Path(out) / "submitted" / student / module / f"{module}.ipynb"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
        for name, text in metadata.items():
            # As nbgrader wrote them, without a newline: release_feedback hashes the secret as it is.
            (copy.parent / name).write_text(text, encoding="utf-8")
    others = sorted(
        p.name
        for p in folder.iterdir()
        if (path is None or p.name != path.name) and p.name not in NBGRADER_FILES
    )
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        notes.append(f"Other files in your submission folder were ignored ({shown}).")
    return {
        "student": student,
        "module": module,
        "notebook": data,
        "read_error": error,
        "filename": path.name if path else f"{module}.ipynb",
        "source": source,
        "release": release,
        "limits": limits,
        "sandbox": sandbox,
        "notes": notes,
        "nbgrader_files": metadata,
        "variant": variants.seed(
            secret or variants.course_secret(out), student, module, metadata.get("timestamp.txt", "")
        ),
    }


#: Fresh grading processes that may die in a row on their first notebook before a batch gives up the rest.
FRESH_PROCESSES_LOST = 3


def execute(jobs, workers=1, scheduler=None, pool=None):
    """Yield results as jobs finish, on the chosen executor (``pool``: one from :func:`local_pool`).

    A grading process that dies (the student's code runs in a sandbox, so this takes a fault of the grader
    or of the instructor's tests) costs the notebook it was grading, not the ones still waiting: they are
    graded again, one at a time, each time in a fresh process after a loss. After
    :data:`FRESH_PROCESSES_LOST` fresh processes in a row die on their first notebook, the rest is given up.
    """
    if scheduler:
        yield from _execute_dask(jobs, scheduler)
    elif pool is None and (workers <= 1 or len(jobs) <= 1):
        for job in jobs:
            yield safe_grade_job(job)
    else:
        sandbox = jobs[0].get("sandbox", "auto")
        with contextlib.ExitStack() as stack:
            if pool is None:
                pool = stack.enter_context(local_pool(workers, sandbox, {job["source"] for job in jobs}))
            lost = yield from _in_pool(pool, jobs)
        in_a_row = 0
        while lost and in_a_row < FRESH_PROCESSES_LOST:
            with local_pool(1, sandbox, {job["source"] for job in lost}) as spare:
                rest = yield from _one_at_a_time(spare, lost)
            in_a_row = in_a_row + 1 if rest and len(rest) == len(lost) - 1 else 0
            lost = rest
        for job in lost:
            yield _grader_error(job, "grading processes kept ending, so this notebook was not graded")


def _in_pool(pool, jobs):
    """Yield the results of ``jobs`` graded in ``pool``; return the jobs lost when one of its processes died."""
    futures = {pool.submit(safe_grade_job, job): index for index, job in enumerate(jobs)}
    lost = []
    for future in concurrent.futures.as_completed(futures):
        job = jobs[futures[future]]
        try:
            yield future.result()
        except BrokenProcessPool:
            lost.append(futures[future])
        except (Exception, SystemExit) as error:  # noqa: BLE001 - one row, not the batch
            yield _grader_error(job, type(error).__name__)
    return [jobs[index] for index in sorted(lost)]


def _one_at_a_time(pool, jobs):
    """Yield results of ``jobs`` graded one by one in ``pool`` until its process dies; return the jobs after that."""
    for index, job in enumerate(jobs):
        try:
            result = pool.submit(safe_grade_job, job).result()
        except BrokenProcessPool:
            yield _grader_error(job, "the grading process ended while grading this notebook")
            return jobs[index + 1 :]
        except (Exception, SystemExit) as error:  # noqa: BLE001 - one row, not the batch
            result = _grader_error(job, type(error).__name__)
        yield result
    return []


def _grader_error(job, what):
    return safe_grade_job(
        dict(job, read_error=f"internal grader error ({what}); please tell your instructor")
    )


def local_pool(workers, sandbox, sources=()):
    """A pool of ``workers`` grading processes, started now, each warming up (see :func:`grading.warm_up`).

    ``sources``: the texts of the source notebooks whose submissions the pool will grade.
    """
    context = multiprocessing.get_context("spawn")
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=pool_worker, initargs=(sandbox, tuple(sources))
    )
    for _ in range(workers):
        pool.submit(int)  # each submission starts a worker while none is idle
    return pool


@contextlib.contextmanager
def _warmed_up(workers, scheduler, sandbox, sources):
    """Start the grading processes while the gradebook is being prepared.

    Even one worker is a process of its own: it warms up (:func:`grading.warm_up`) while this process
    registers the release, and it grades the next notebook while this one records the last. ``sources``:
    the texts of the source notebooks to be graded (none: nothing to start). Yields ``(pool, let_go)``:
    the local pool of grading processes (None for a Dask cluster), and a function to call after the last
    notebook, so that the processes end while the reports are written. They have ended when the block
    is left.
    """
    sources = tuple(sources)
    if not sources or scheduler:
        yield None, lambda: None
        return
    pool = local_pool(max(workers, 1), sandbox, sources)
    ending = threading.Thread(target=pool.shutdown, kwargs={"cancel_futures": True})
    try:
        yield pool, ending.start
    finally:
        if ending.ident is None:
            ending.start()
        ending.join()


def _execute_dask(jobs, scheduler):
    from distributed import Client, as_completed

    with Client(scheduler, timeout="30s") as client:
        futures = client.map(safe_grade_job, jobs, pure=False)
        for future in as_completed(futures):
            yield future.result()


def generate_feedback(out, names):
    """HTML feedback per student and module, by nbgrader, from the autograded notebooks and the gradebook."""
    from nbgrader.converters import GenerateFeedback

    config = nbgrader_config(out)
    problems = []
    for name in names:
        coursedir = course_directory(config)
        coursedir.assignment_id = name
        converter = GenerateFeedback(coursedir=coursedir, config=config)
        converter.force = True
        try:
            converter.start()
        except Exception as error:  # noqa: BLE001
            problems.append(f"feedback for {name}: {type(error).__name__}: {error}")
        cap_feedback(Path(out) / "feedback", name)
    return problems


def grade(
    submissions,
    out,
    workers=1,
    scheduler=None,
    names=None,
    sandbox="auto",
    limits=None,
    feedback=True,
    echo=print,
    progress=None,
):
    """Grade every submission under ``submissions``; return (rows, problems)."""
    progress = progress or (lambda text: print(text, file=sys.stderr, flush=True))
    started = time.monotonic()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sandbox = resolve_mode(sandbox)
    found, problems = discover(submissions, names)
    for problem in problems:
        echo(f"error: {problem}")
    involved = sorted({module for _, module, _ in found})
    sources = {m: source_path(m).read_text(encoding="utf-8") for m in involved}
    with _warmed_up(workers, scheduler, sandbox, sources.values()) as (pool, let_go):
        releases = register(involved, out=out) if involved else {}
        saved = gradebook.backup(out)
        if saved:
            progress(f"gradebook backed up to {_show(saved)}")
        jobs = _make_jobs(found, sources, releases, out, limits, sandbox)
        progress(
            f"grading {len(jobs)} notebooks "
            f"({'dask at ' + scheduler if scheduler else f'{workers} worker(s)'}, sandbox: {sandbox})"
        )
        executor = (workers, scheduler, pool)
        rows, cells, submitted = _grade_and_record(jobs, out, executor, problems, echo, progress)
        let_go()
        if feedback and involved:
            for problem in generate_feedback(out, involved):
                _problem(problems, echo, problem)
        report.write_csv(
            out / "grades.csv", report.GRADES_COLUMNS, sorted(rows, key=lambda r: (r["module"], r["student"]))
        )
        report.write_csv(out / "cells.csv", report.CELLS_COLUMNS, cells)
        seconds = time.monotonic() - started
        try:
            class_report.write(out, submitted, sources, releases, wall_seconds=seconds)
        except Exception as error:  # noqa: BLE001 - the grades are saved; a failed report must not hide them
            _problem(problems, echo, f"class report: could not be written ({type(error).__name__}: {error})")
    _print_summary(echo, out, rows, seconds, feedback)
    return rows, problems


def _make_jobs(found, sources, releases, out, limits, sandbox):
    limit_values = vars(limits or Limits())
    secret = variants.course_secret(out)
    return [
        make_job(s, m, f, sources[m], releases[m], out, limit_values, sandbox, secret) for s, m, f in found
    ]


def _problem(problems, echo, text):
    """Record a problem of the run and show it at once."""
    problems.append(text)
    echo(f"error: {text}")


def _grade_and_record(jobs, out, executor, problems, echo, progress):
    """Run the jobs and save each result in the gradebook as it comes: ``(rows, cells, submissions)``.

    ``executor`` is ``(workers, scheduler, pool)`` as :func:`execute` takes them.
    """
    rows, cells, submitted = [], [], []
    carried = {(j["student"], j["module"]): j["nbgrader_files"] for j in jobs}
    for result in execute(jobs, *executor):
        result["nbgrader_files"] = carried.get((result["student"], result["module"]), {})
        try:
            scores = gradebook.record(result, out)
        except Exception as error:  # noqa: BLE001 - keep going; the gradebook kept its previous state
            where = f"{result['student']}/{result['module']}"
            _problem(problems, echo, f"{where}: could not save grades ({type(error).__name__}: {error})")
            continue
        rows.append(report.summarise(result, scores))
        submitted.append(class_report.Submission.from_result(result, rows[-1]))
        cells.extend(report.cell_rows(result))
        progress(f"  graded {result['student']}/{result['module']} in {result.get('seconds', 0):.1f} s")
    return rows, cells, submitted


def _print_summary(echo, out, rows, seconds, feedback):
    """The grade table and where every file the run wrote is."""
    echo(report.table(rows))
    echo("")
    echo(f"Graded {len(rows)} notebooks in {seconds:.0f} s.")
    echo(f"Grades:    {_show(out / 'grades.csv')} (per test cell: {_show(out / 'cells.csv')})")
    if feedback:
        echo(f"Feedback:  {_show(out / 'feedback')}/<student>/<module>/<module>.html")
    echo(f"Report:    {_show(out / 'report.html')} (similar answers: {_show(out / 'similarity.csv')})")
    echo(f"Gradebook: {_show(gradebook.db_path(out))} (nbgrader; backups in {_show(out / 'backups')})")
