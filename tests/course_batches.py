"""Grade corpora of notebooks once per test session and share the results between tests."""

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import nbformat

from autograder import batch
from tests import mistakes, notebooks

_ROOT = Path(tempfile.mkdtemp(prefix="course-batches-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)  # about 200 MB per test process otherwise
WORKERS = 2


class Graded:
    """Results of one batch: scores per test cell and the autograded notebooks."""

    def __init__(self, out, rows, problems):
        self.out = out
        self.rows = {(r["student"], r["module"]): r for r in rows}
        self.problems = problems

    def cells(self, student, module):
        """grade_id -> (score, points, report text) read from the autograded notebook."""
        path = self.out / "autograded" / student / module / f"{module}.ipynb"
        result = {}
        for cell in nbformat.read(str(path), as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
                text = "".join(o.get("text", "") for o in cell.get("outputs", []))
                score = None
                for line in text.splitlines():
                    if line.startswith("Score for this cell:"):
                        score = float(line.split(":")[1].split("/")[0])
                result[meta["grade_id"]] = (score, float(meta["points"]), text)
        return result


def grade_tree(name, build, feedback=False):
    """Build a submissions tree with ``build(folder)`` and grade it (cached by name)."""
    return _grade_tree(name, build, feedback)


@functools.cache
def _grade_tree(name, build, feedback):
    submissions = _ROOT / name / "submissions"
    out = _ROOT / name / "out"
    build(submissions)
    rows, problems = batch.grade(
        submissions, out, workers=WORKERS, feedback=feedback, echo=lambda *_: None, progress=lambda *_: None
    )
    return Graded(out, rows, problems)


@functools.cache
def module_corpus(module):
    """The perfect notebook, the untouched release, every mistake and every equivalent answer of ``module``, graded
    in one batch."""
    corpus, _ = mistakes.load(module)

    def build(folder):
        notebooks.write(notebooks.student_notebook(module), folder / "perfect" / module / f"{module}.ipynb")
        notebooks.write(
            notebooks.student_notebook(module, base="release"),
            folder / "untouched" / module / f"{module}.ipynb",
        )
        for mistake in corpus:
            notebooks.write(
                notebooks.with_mistake(module, mistake),
                folder / f"mistake-{mistake.name}" / module / f"{module}.ipynb",
            )
        for answer in mistakes.equivalents(module):
            notebooks.write(
                notebooks.with_mistake(module, answer),
                folder / f"equivalent-{answer.name}" / module / f"{module}.ipynb",
            )

    return grade_tree(f"corpus-{module}", build)
