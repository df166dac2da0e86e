"""Grading one submission: the job a worker runs.

:func:`grade_job` takes a plain dictionary (the submitted bytes, the source
and release notebooks, the limits) and returns a plain dictionary (scores per
test cell, the reason points were lost, the autograded notebook). It never
touches the gradebook, so jobs can run in any process or on any Dask worker;
the coordinator alone writes grades.
"""

import json
import time

import nbformat

from autograder import submission
from autograder.isolation import Limits, Sandbox, SandboxStopped
from autograder.remote import Connection
from autograder.trusted import run_test_cell

CELL_OUTPUT_LIMIT = 10_000
TAMPER_TOLERANCE = 1e-6


def _stream(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def _truncate(text, limit=CELL_OUTPUT_LIMIT):
    return text if len(text) <= limit else text[:limit] + f"\n... [{len(text) - limit} more characters cut]\n"


def _error_text(error):
    if not isinstance(error, dict):
        return "This cell raised an error."
    kind = str(error.get("type", "Error"))[:80]
    if kind == "GradingTimeout":
        return "This cell ran past its time limit and was stopped."
    text = f"This cell raised {kind}: {str(error.get('message', ''))[:300]}"
    if type(error.get("line")) is int:
        text += f" (line {error['line']}"
        text += f": {str(error.get('code'))[:120]})" if error.get("code") else ")"
    return text


def _kernel_fraction(kernel, points):
    """What the student's own kernel would have reported for the visible test (0..1)."""
    if not isinstance(kernel, dict) or kernel.get("raised") is not False:
        return 0.0
    value = kernel.get("value")
    if value is None:
        return 1.0
    if type(value) not in (int, float) or points <= 0:
        return 0.0
    return float(value) / points


def _unreadable_result(job, reason, release_nb):
    tests = {}
    for cell in release_nb.cells:
        if submission.is_test(cell):
            gid = submission.grade_id(cell)
            points = float(submission.nbgrader_meta(cell).get("points", 0))
            tests[gid] = {
                "grade_id": gid,
                "points": points,
                "score": 0.0,
                "parts": [],
                "report": f"Not graded: {reason}",
                "error": reason,
            }
    notebook = nbformat.from_dict(json.loads(job["release"]))
    for cell in notebook.cells:
        if submission.is_test(cell):
            points = tests[submission.grade_id(cell)]["points"]
            cell["outputs"] = [_stream(f"Not graded: {reason}\n\nScore for this cell: 0 / {points:g}\n")]
    notebook.cells.insert(
        0, nbformat.v4.new_markdown_cell(f"**This notebook could not be graded.** {reason}")
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
    limits = Limits(**job.get("limits", {}))
    outputs = {}
    tests = {}
    flags = []
    first_error = None
    stopped = None
    peak = 0
    sandbox = Sandbox(limits, mode=job.get("sandbox", "auto"))
    try:
        sandbox.start(
            {
                "cells": plan.steps,
                "cell_timeout": limits.cell_timeout,
                "test_timeout": limits.test_timeout,
                "call_timeout": limits.call_timeout,
            }
        )
        connection = Connection(sandbox)
        while True:
            event = sandbox.receive(timeout=limits.cell_timeout + 30)
            kind = event.get("event")
            if kind == "ready":
                continue
            if kind == "cell":
                index = event.get("index")
                if type(index) is not int or not 0 <= index < len(plan.cells):
                    raise SandboxStopped(
                        "the notebook's process sent a message about a cell that does not exist"
                    )
                text = _truncate(str(event.get("output", "")))
                if event.get("error") is not None:
                    text += (
                        ("\n" if text and not text.endswith("\n") else "")
                        + _error_text(event["error"])
                        + "\n"
                    )
                    if first_error is None:
                        first_error = (index, event["error"])
                outputs[index] = text
            elif kind == "test":
                gid = event.get("grade_id")
                if gid not in plan.tests or gid in tests:
                    raise SandboxStopped("the notebook's process reported a test cell out of order")
                spec = plan.tests[gid]
                result = run_test_cell(connection, spec["code"], gid, spec["points"])
                visible = result["visible_fraction"]
                reported = _kernel_fraction(event.get("kernel"), spec["points"])
                # The notebook's score is rounded to 0.01 points: allow for that before suspecting anything.
                slack = TAMPER_TOLERANCE + 0.0051 / max(spec["points"], 1e-9)
                if visible is not None and reported > visible + slack:
                    flag = (
                        f"possible tampering: in your notebook the visible checks of '{gid}' reported "
                        f"{min(reported, 1.0) * 100:.0f}% but the grader's own run of the same checks gave "
                        f"{visible * 100:.0f}% (this can also come from code that gives different answers each run)"
                    )
                    flags.append(flag)
                    result["flag"] = flag
                tests[gid] = result
                sandbox.send({"op": "resume"})
            elif kind == "done":
                break
            else:
                raise SandboxStopped("the notebook's process sent an unknown message")
    except SandboxStopped as error:
        stopped = error.reason
    finally:
        sandbox.close()
        peak = sandbox.peak_memory
    for gid, spec in plan.tests.items():
        if gid not in tests:
            why = (
                f"your notebook's code stopped before this test ({stopped})"
                if stopped
                else "this test was not reached"
            )
            tests[gid] = {
                "grade_id": gid,
                "points": spec["points"],
                "score": 0.0,
                "parts": [],
                "report": f"Not graded: {why}.",
                "error": why,
            }
    notebook = _autograded_notebook(source_nb, plan, outputs, tests, notes, stopped)
    return {
        "student": job["student"],
        "module": job["module"],
        "status": "graded",
        "reason": None,
        "stopped": stopped,
        "first_error": _describe_first_error(plan, first_error),
        "answered": plan.answered,
        "answer_cells": plan.answer_cells,
        "tests": tests,
        "notes": notes,
        "flags": flags,
        "notebook": nbformat.writes(notebook),
        "seconds": round(time.monotonic() - started, 2),
        "peak_memory": peak,
        "sandbox": sandbox.mode,
    }


def _describe_first_error(plan, first_error):
    if first_error is None:
        return None
    index, error = first_error
    cell = plan.cells[index]
    gid = submission.grade_id(cell)
    where = f"cell '{gid}'" if gid else f"cell {index + 1}"
    return f"{where}: " + _error_text(error).replace("This cell raised", "raised", 1)


def _autograded_notebook(source_nb, plan, outputs, tests, notes, stopped):
    notebook = nbformat.v4.new_notebook(metadata=source_nb.metadata)
    notebook.cells = plan.cells
    for index, text in outputs.items():
        cell = notebook.cells[index]
        if cell.get("cell_type") == "code" and text:
            cell["outputs"] = [_stream(text)]
    for gid, result in tests.items():
        index = plan.tests[gid]["index"]
        lines = [result["report"]]
        if result.get("flag"):
            lines.append("\n" + result["flag"])
        lines.append(f"\nScore for this cell: {result['score']:g} / {result['points']:g}")
        notebook.cells[index]["outputs"] = [_stream("\n".join(lines) + "\n")]
    banner = []
    if stopped:
        banner.append(f"Your notebook's code stopped while it was being graded: {stopped}.")
    banner.extend(notes)
    if banner:
        note = nbformat.v4.new_markdown_cell(
            "**Notes from the grader**\n\n" + "\n".join(f"- {n}" for n in banner)
        )
        note["id"] = "grader-notes"
        notebook.cells.insert(0, note)
    return notebook
