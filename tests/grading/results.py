"""Reading what a grading run wrote: the CSV files, the autograded notebooks and nbgrader's gradebook."""

import csv
import html.parser
from pathlib import Path

import nbformat


def grades(out):
    with open(Path(out) / "grades.csv", encoding="utf-8") as handle:
        return {(r["student"], r["module"]): r for r in csv.DictReader(handle)}


def cells(out):
    result = {}
    with open(Path(out) / "cells.csv", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            result.setdefault((r["student"], r["module"]), {})[r["grade_id"]] = float(r["score"])
    return result


def gradebook_rows(out):
    """(student, assignment, grade_id) -> (auto_score, manual_score) for every grade in nbgrader's gradebook."""
    import warnings

    from nbgrader.api import Gradebook

    warnings.filterwarnings("ignore", message=".*not in session.*")
    rows = {}
    with Gradebook(f"sqlite:///{Path(out) / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        rows[(submission.student.id, assignment.name, grade.name)] = (
                            grade.auto_score,
                            grade.manual_score,
                        )
    return rows


def autograded_text(out, student, module):
    """The text of every output in the autograded notebook (not the cells' code), and the file's size."""
    path = Path(out) / "autograded" / student / module / f"{module}.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    parts = [output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])]
    return "\n".join(parts), path.stat().st_size


class LiveParts(html.parser.HTMLParser):
    """Everything in a page that a browser would run or load: scripts, handlers, URLs, frames."""

    def __init__(self):
        super().__init__()
        self.live = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag in ("script", "style")
        if tag in ("iframe", "embed", "object", "frame"):
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("href", "src", "action", "formaction", "xlink:href"):
                self.live.append(f"{name}={value}")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.live.append(data)


def live_parts(page):
    """Every script, event handler, URL and frame in an HTML page (what a browser would run or load)."""
    parser = LiveParts()
    parser.feed(page)
    return parser.live
