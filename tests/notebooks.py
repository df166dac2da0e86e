"""Building student notebooks from the course's own notebooks, for tests and the sample class."""

import re

import nbformat

from autograder import submission
from autograder.course import modules, release_path, source_path

SOLUTION_MARKERS = re.compile(r"^[ \t]*(###|#)? ?(BEGIN|END) SOLUTION.*\n?", re.MULTILINE)


def solution_text(source):
    """The instructor's answer with the BEGIN/END SOLUTION marker lines removed."""
    return SOLUTION_MARKERS.sub("", source)


def read(path):
    return nbformat.read(str(path), as_version=4)


def solutions(module):
    """grade_id -> the model answer of every answer cell of the module."""
    return {
        submission.grade_id(c): solution_text(c.source)
        for c in read(source_path(module)).cells
        if submission.is_answer(c)
    }


def student_notebook(module, answers=None, base="solution"):
    """The release notebook with answer cells filled in.

    ``base="solution"`` starts from the model answers (a perfect student),
    ``base="release"`` from the untouched stubs; ``answers`` (grade_id -> code)
    then replaces single cells.
    """
    notebook = read(release_path(module))
    filled = solutions(module) if base == "solution" else {}
    filled.update(answers or {})
    for cell in notebook.cells:
        gid = submission.grade_id(cell)
        if gid in filled and submission.is_answer(cell):
            cell.source = filled[gid]
    return notebook


def with_mistake(module, mistake):
    answers = {mistake.cell: mistake.code, **dict(mistake.also_cells)}
    return student_notebook(module, answers)


def write(notebook, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return path


def committed_notebooks():
    """Every notebook of solutions/ and course/ as ``(id, path)``, the id like ``"course/01_perceptron"``."""
    return [
        (f"{kind}/{module}", path)
        for module in modules()
        for kind, path in (("solutions", source_path(module)), ("course", release_path(module)))
        if path.is_file()
    ]
