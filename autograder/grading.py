"""Grading one submission: the job a worker runs.

:func:`grade_job` takes a plain dictionary (the submitted bytes, the source
and release notebooks, the limits, the student's variant seed) and returns a
plain dictionary (scores per test cell, the reason points were lost, the
autograded notebook). It never touches the gradebook, so jobs can run in any
process or on any Dask worker; the coordinator alone writes grades.

It only orchestrates: :mod:`autograder.submission` reads and rebuilds the
notebook, a :class:`~autograder.boundary.Session` runs the student's code
behind the trust boundary and reports typed events, :mod:`autograder.trusted`
runs the instructor's tests here, and
:mod:`autograder.feedback_notebook` writes what the student and the
formgrader see.
"""

import json
import time

import nbformat

import nbchecks as checks
from autograder import submission
from autograder.boundary import CellRan, Limits, SandboxStopped, Session
from autograder.boundary.isolation import prewarm
from autograder.feedback_notebook import autograded_notebook, stream
from autograder.markup import inert_markdown, inert_text
from autograder.trusted import import_ahead, instructor_imports, run_test_cell

CELL_OUTPUT_LIMIT = 10_000  # characters of one cell's output kept in the autograded notebook
NOTEBOOK_OUTPUT_LIMIT = 200_000  # characters of all cells' output kept, per notebook
TAMPER_TOLERANCE = 1e-6


def _truncate(text, limit=CELL_OUTPUT_LIMIT):
    return text if len(text) <= limit else text[:limit] + f"\n... [{len(text) - limit} more characters cut]\n"


def _error_text(error):
    """A sentence for an error the sandbox reported from a cell (a dict of plain data)."""
    if not isinstance(error, dict):
        return "This cell raised an error."
    if str(error.get("type")) == "GradingTimeout":
        return "This cell ran past its time limit and was stopped."
    return checks.describe_error(
        error.get("type"), error.get("message"), error.get("line"), error.get("code")
    )


def tamper_message(flag):
    """The sentence shown for a tampering flag (the flag itself is data: grade id and both fractions)."""
    return (
        f"possible tampering: in your notebook the visible checks of '{flag['grade_id']}' reported "
        f"{min(flag['kernel'], 1.0) * 100:.0f}% but the grader's own run of the same checks gave "
        f"{flag['grader'] * 100:.0f}% (this can also come from code that gives different answers each run)"
    )


def _not_graded(gid, points, why):
    return {
        "grade_id": gid,
        "points": points,
        "score": 0.0,
        "parts": [],
        "report": f"Not graded: {why}",
        "error": why,
    }


def _unreadable_result(job, reason, release_nb):
    tests = {}
    for cell in release_nb.cells:
        if submission.is_test(cell):
            gid = submission.grade_id(cell)
            tests[gid] = _not_graded(gid, float(submission.nbgrader_meta(cell).get("points", 0)), reason)
    notebook = nbformat.from_dict(json.loads(job["release"]))
    for cell in notebook.cells:
        if submission.is_test(cell):
            points = tests[submission.grade_id(cell)]["points"]
            cell["outputs"] = [stream(f"Not graded: {reason}\n\nScore for this cell: 0 / {points:g}\n")]
    notebook.cells.insert(
        0, nbformat.v4.new_markdown_cell(f"**This notebook could not be graded.** {inert_text(reason)}")
    )
    notebook.cells[0]["id"] = "grader-note"
    return {
        "student": job["student"],
        "module": job["module"],
        "status": "ungradeable",
        "reason": reason,
        "tests": tests,
        "notes": [],
        "flags": [],
        "notebook": nbformat.writes(notebook),
        "seconds": 0.0,
        "peak_memory": 0,
    }


def warm_up(mode, sources=()):
    """Make a new grading process ready for its first notebook; return when it is.

    Starts its fork server (bubblewrap), which imports once what the instructor's cells of the source
    notebooks ``sources`` (their texts) import, then imports here what their tests and the autograded
    notebook need. One after the other: two threads importing the same packages can break their imports.
    """
    try:
        statements = instructor_imports(sources)
    except Exception:  # noqa: BLE001 - only an optimisation: a broken source fails its own notebooks
        statements = []
    prewarm(mode, statements)
    import_ahead(statements)
    inert_markdown("*ready*")  # loads nbconvert's markdown renderer


def safe_grade_job(job):
    """:func:`grade_job`, but a failure of the grader itself becomes a row, never an aborted batch."""
    try:
        return grade_job(job)
    except Exception as error:  # noqa: BLE001 - the batch must go on
        release_nb = nbformat.reads(job["release"], as_version=4)
        reason = (
            f"internal grader error ({type(error).__name__}: {str(error)[:300]}); please tell your instructor"
        )
        return _unreadable_result(job, reason, release_nb)


class _Run:
    """The state of one notebook's run: what its cells printed, the test results, the flags."""

    def __init__(self, plan, variant):
        self.plan = plan
        self.variant = variant
        self.outputs = {}
        self.tests = {}
        self.flags = []
        self.first_error = None
        self.stopped = None
        self.output_left = NOTEBOOK_OUTPUT_LIMIT

    def on_cell(self, event):
        text = self._kept_output(event.output)
        if event.error is not None:
            text += ("\n" if text and not text.endswith("\n") else "") + _error_text(event.error) + "\n"
            if self.first_error is None:
                self.first_error = (event.index, event.error)
        self.outputs[event.index] = text

    def _kept_output(self, text):
        """The cell's output, within its own limit and what is left of the notebook's."""
        if self.output_left <= 0:
            return (
                "[output not kept: this notebook's cells already printed more than the grader keeps]\n"
                if text
                else ""
            )
        text = _truncate(text, min(CELL_OUTPUT_LIMIT, self.output_left))
        self.output_left -= len(text)
        return text

    def on_test(self, event, connection):
        gid = event.grade_id
        spec = self.plan.tests[gid]
        result = run_test_cell(
            connection, spec["code"], gid, spec["points"], variant=self.variant, provided=spec["provided"]
        )
        visible = result["visible_fraction"]
        reported = event.kernel.fraction(spec["points"])
        # The notebook's score is rounded to 0.01 points: allow for that before suspecting anything.
        slack = TAMPER_TOLERANCE + 0.0051 / max(spec["points"], 1e-9)
        if visible is not None and reported > visible + slack:
            flag = {"grade_id": gid, "kernel": reported, "grader": visible}
            flag["message"] = tamper_message(flag)
            self.flags.append(flag)
            result["flag"] = flag["message"]
        self.tests[gid] = result

    def fill_unreached(self):
        for gid, spec in self.plan.tests.items():
            if gid not in self.tests:
                why = (
                    f"your notebook's code stopped before this test ({self.stopped})"
                    if self.stopped
                    else "this test was not reached"
                )
                self.tests[gid] = _not_graded(gid, spec["points"], why + ".")


def _run_in_sandbox(run, limits, mode):
    """Run the plan behind the trust boundary, grading each test cell as it is reached; return the session."""
    plan = run.plan
    with Session(limits, mode, plan.steps, cell_count=len(plan.cells), test_ids=plan.tests) as session:
        try:
            for event in session.events():
                if isinstance(event, CellRan):
                    run.on_cell(event)
                else:
                    run.on_test(event, session.connection)
                    session.resume()
        except SandboxStopped as error:
            run.stopped = error.reason
    return session


def grade_job(job):
    """Grade one submission described by ``job``; return a plain-data result."""
    started = time.monotonic()
    source_nb = nbformat.reads(job["source"], as_version=4)
    release_nb = nbformat.reads(job["release"], as_version=4)
    if job.get("read_error"):
        return _unreadable_result(job, job["read_error"], release_nb)
    try:
        student_nb, notes = submission.parse_notebook(job["notebook"], name=job.get("filename", "notebook"))
    except submission.Unreadable as error:
        return _unreadable_result(job, str(error), release_nb)
    plan = submission.build_plan(student_nb, source_nb, release_nb)
    notes = list(job.get("notes", [])) + notes + plan.notes
    run = _Run(plan, job.get("variant", 0))
    session = _run_in_sandbox(run, Limits(**job.get("limits", {})), job.get("sandbox", "auto"))
    run.fill_unreached()
    notebook = autograded_notebook(source_nb, plan, run.outputs, run.tests, notes, run.stopped)
    return {
        "student": job["student"],
        "module": job["module"],
        "status": "graded",
        "reason": None,
        "stopped": run.stopped,
        "first_error": _describe_first_error(plan, run.first_error),
        "answered": plan.answered,
        "answer_cells": plan.answer_cells,
        "tests": run.tests,
        "notes": notes,
        "flags": run.flags,
        "notebook": notebook,
        "seconds": round(time.monotonic() - started, 2),
        "peak_memory": session.peak_memory,
        "sandbox": session.mode,
    }


def _describe_first_error(plan, first_error):
    if first_error is None:
        return None
    index, error = first_error
    cell = plan.cells[index]
    gid = submission.grade_id(cell)
    where = f"cell '{gid}'" if gid else f"cell {index + 1}"
    return f"{where}: " + _error_text(error)
