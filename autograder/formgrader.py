"""The formgrader's Autograde button, graded by the course's sandboxed grader.

nbgrader's formgrader (and ``nbgrader autograde``) run its ``Autograde`` converter, which would execute
the student's notebook in the server's own process, with the instructor's rights. The course's
nbgrader_config.py swaps two of its parts for the ones below, so that the button does what
``python -m autograder grade`` does for that one submission:

- :class:`CourseGraderExporter` never parses the submitted notebook (the course's grader reads it). nbgrader
  creates it before it removes the previous autograded notebook; then it checks that the grading folders
  are the course's and that the bubblewrap sandbox works (without one it refuses with a message), and,
  for one named submission (the button), already grades it (:func:`grade_submission`), so that any
  failure leaves the previous grades and notebook in place.
- :func:`grade_submission` grades ``submitted/<student>/<module>/`` in the sandbox with the batch's own
  functions, records the scores in the gradebook as a batch does (hand-entered scores and comments are
  kept) and refreshes that student's rows of grades.csv and cells.csv.
- :class:`CourseGrading` hands the autograded notebook to nbgrader, which writes the same file again
  (submissions named by a pattern, as in ``nbgrader autograde MODULE``, are graded here, one by one).

:func:`refresh_grades_csv` brings the score and ``manual_pending`` columns of grades.csv up to date with
the gradebook after grading by hand (``python -m autograder feedback`` calls it).
"""

import csv
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor

from autograder import gradebook, report
from autograder.batch import STUDENT_ID, make_job
from autograder.boundary.isolation import Limits, resolve_mode
from autograder.course import modules, source_path
from autograder.grading import safe_grade_job
from autograder.release import register


class FormgraderRefusal(RuntimeError):
    """The button cannot grade here; nothing was changed."""


def grading_folder(coursedir):
    """The course's grading folder behind ``coursedir``, or :class:`FormgraderRefusal` if its layout differs."""
    root = Path(coursedir.root)
    out = (root / coursedir.autograded_directory).resolve().parent
    submitted = (root / coursedir.submitted_directory).resolve()
    database = Path(coursedir.db_url.removeprefix("sqlite:///")).resolve()
    if submitted != out / "submitted" or database != gradebook.db_path(out).resolve():
        raise FormgraderRefusal(
            "the formgrader's folders are not the course's grading folder (expected submitted/, autograded/ "
            f"and gradebook.db side by side in {out}); grade with `python -m autograder grade` instead"
        )
    return out


class CourseGraderExporter(NotebookExporter):
    """nbgrader's exporter for Autograde: checks before anything is removed, and never parses submissions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coursedir = getattr(self.parent, "coursedir", None)
        if coursedir is None:
            raise FormgraderRefusal("the course's Autograde exporter runs only inside nbgrader's Autograde")
        self.grading_folder = grading_folder(coursedir)
        try:
            self.sandbox = resolve_mode("auto")
        except RuntimeError as problem:
            raise FormgraderRefusal(
                f"Autograde refused, nothing was changed: {problem}. Grade in a terminal with "
                "`python -m autograder grade` (see docs/instructors.md)"
            ) from None
        self.graded = {}
        student, module = coursedir.student_id, coursedir.assignment_id
        folder = self.grading_folder / "submitted" / student / module
        if STUDENT_ID.match(student) and module in modules() and folder.is_dir():
            # One submission (the formgrader's button): graded and recorded now, before nbgrader removes
            # the previous autograded notebook, so that a failure leaves everything as it was.
            try:
                self.graded[student, module] = grade_submission(
                    student, module, self.grading_folder, self.sandbox
                )
            except Exception as error:
                raise FormgraderRefusal(
                    f"grading {student}/{module} failed ({type(error).__name__}: {error}); the previous "
                    "grades and autograded notebook were kept. Grade it with `python -m autograder grade`"
                ) from error

    def from_filename(self, filename, resources=None, **kw):
        # The submission is read by the course's grader, with its limits; nbgrader gets a placeholder.
        return self.from_notebook_node(nbformat.v4.new_notebook(), resources, **kw)


class CourseGrading(Preprocessor):
    """Autograde's preprocessor: the course's sandboxed grading of one submission."""

    enabled = True  # nbconvert registers configured preprocessors disabled unless they say otherwise

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        exporter = self.parent
        key = (info["student"], info["assignment"])
        result = exporter.graded.pop(key, None) or grade_submission(
            *key, exporter.grading_folder, exporter.sandbox
        )
        return nbformat.reads(result["notebook"], as_version=4), resources


def grade_submission(student, module, out, sandbox, limits=None):
    """Grade ``out/submitted/<student>/<module>/`` as a batch would; record it and return the result."""
    out = Path(out)
    folder = out / "submitted" / student / module
    releases = register([module], out=out)
    source = source_path(module).read_text(encoding="utf-8")
    job = make_job(student, module, folder, source, releases[module], out, vars(limits or Limits()), sandbox)
    result = safe_grade_job(job)
    result["nbgrader_files"] = job["nbgrader_files"]
    gradebook.backup(out)
    notebook = gradebook.autograded_path(out, student, module)
    previous = notebook.read_bytes() if notebook.is_file() else None
    try:
        scores = gradebook.record(result, out)
    except Exception:
        if previous is not None:  # the gradebook kept the previous grades: so does the notebook
            notebook.write_bytes(previous)
        raise
    _replace_rows(out / "grades.csv", report.GRADES_COLUMNS, [report.summarise(result, scores)])
    _replace_rows(out / "cells.csv", report.CELLS_COLUMNS, list(report.cell_rows(result)), (student, module))
    return result


def _read_rows(path):
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _replace_rows(path, columns, rows, key=None):
    """Put ``rows`` in place of the rows of the same student and module in the CSV file ``path``."""
    key = key or (rows[0]["student"], rows[0]["module"])
    kept = [r for r in _read_rows(path) if (r["student"], r["module"]) != key]
    merged = sorted(kept + rows, key=lambda r: (r["module"], r["student"]))
    report.write_csv(path, columns, merged)


def refresh_grades_csv(out):
    """Update ``score`` and ``manual_pending`` of grades.csv from the gradebook (hand-entered scores).

    Returns the number of rows that changed. Rows whose submission the gradebook lacks stay as they are.
    """
    from nbgrader.api import Gradebook, MissingEntry

    path = Path(out) / "grades.csv"
    rows = _read_rows(path)
    if not rows or not gradebook.db_path(out).is_file():
        return 0
    changed = 0
    with Gradebook(gradebook.db_url(out), gradebook.COURSE_ID) as gb:
        for row in rows:
            try:
                submission = gb.find_submission(row["module"], row["student"])
            except MissingEntry:
                continue
            grades = [g for notebook in submission.notebooks for g in notebook.grades]
            pending = sum(g.max_score for g in grades if g.manual_score is None and g.auto_score is None)
            score = round(sum(g.score for g in grades), 2)
            if float(row["score"] or 0) != score or float(row["manual_pending"] or 0) != pending:
                row["score"], row["manual_pending"] = score, pending
                row["reason"] = _pending_reason(row["reason"], pending)
                changed += 1
    if changed:
        report.write_csv(path, report.GRADES_COLUMNS, rows)
    return changed


def _pending_reason(reason, pending):
    parts = [p for p in reason.split("; ") if p and not p.endswith("to grade by hand")]
    if pending:
        parts.append(f"{report.points_text(pending)} to grade by hand")
    return "; ".join(parts)
