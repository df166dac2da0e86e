"""Helpers for writing course notebooks in Python (an alternative to nbgrader's toolbar in JupyterLab).

Each function returns an nbformat cell with the nbgrader metadata its role needs and a stable cell id::

    from autograder import authoring as a

    cells = [
        a.markdown("title", "# 01 The perceptron"),
        a.code("setup", "import numpy as np"),                     # read-only instructor code
        a.answer("sigmoid", "def sigmoid(z):\\n    ### BEGIN SOLUTION\\n    ...\\n    ### END SOLUTION"),
        a.tests("test_sigmoid", 3, "from nbchecks import Check\\n..."),
        a.written("discuss_bow", 2, "Why does ... ?", "=== BEGIN MARK SCHEME ===\\n..."),
    ]
    a.write_notebook(cells, "solutions/01_perceptron/01_perceptron.ipynb")

Rules the course's tests enforce are in docs/authoring.md.
"""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None, tags=None):
    nbgrader = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        nbgrader["points"] = points
    meta = {"nbgrader": nbgrader}
    if tags:
        meta["tags"] = list(tags)
    return meta


def markdown(cell_id, text):
    """Explanatory text (students may edit their copy; it is never graded)."""
    return new_markdown_cell(text.strip("\n"), id=cell_id)


def code(cell_id, source, *, skip_when_grading=False):
    """Read-only instructor code: setup, demos, figures, widgets.

    ``skip_when_grading`` tags a cell that only shows something (a widget, a
    long training demo) so the grader does not spend time running it; no graded
    function may depend on what such a cell defines.
    """
    tags = ["grader-skip"] if skip_when_grading else None
    return new_code_cell(source.strip("\n"), id=cell_id, metadata=_meta(cell_id, locked=True, tags=tags))


def answer(grade_id, source):
    """A code cell the student completes; the solution sits between BEGIN/END SOLUTION markers."""
    return new_code_cell(source.strip("\n"), id=grade_id, metadata=_meta(grade_id, solution=True))


def tests(grade_id, points, source):
    """An autograded test cell worth ``points``; hidden tests sit between BEGIN/END HIDDEN TESTS markers."""
    return new_code_cell(
        source.strip("\n"), id=grade_id, metadata=_meta(grade_id, grade=True, locked=True, points=points)
    )


def written(grade_id, points, answer_text="YOUR ANSWER HERE"):
    """A free-text answer graded by hand in the formgrader (markdown, with a ### BEGIN SOLUTION model answer)."""
    return new_markdown_cell(
        answer_text.strip("\n"),
        id=grade_id,
        metadata=_meta(grade_id, grade=True, solution=True, points=points),
    )


def write_notebook(cells, path, title=None):
    """Write the cells as an nbformat 4.5 notebook without outputs."""
    notebook = new_notebook(
        cells=list(cells), metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    )
    if title:
        notebook.metadata["title"] = title
    ids = [c["id"] for c in notebook.cells]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"cell ids must be unique; repeated: {duplicates}")
    nbformat.validate(notebook)
    nbformat.write(notebook, str(path))
    return path
