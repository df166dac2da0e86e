"""The course notebooks: fresh release, clean files, and solutions that run top to bottom."""

import ast
import time

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import submission
from autograder.course import modules, release_path, source_path
from autograder.release import stale_modules

MODULES = modules()


def test_every_module_has_a_release():
    missing = [m for m in MODULES if not release_path(m).is_file()]
    assert not missing, (
        f"course/ lacks the student notebooks of {missing}; run `python -m autograder release`"
    )


def test_release_is_up_to_date_with_solutions():
    stale = stale_modules(MODULES)
    assert stale == [], f"course/ is stale for {stale}: run `python -m autograder release` and commit course/"


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_solution_notebook_runs_top_to_bottom(module, tmp_path):
    notebook = nbformat.read(str(source_path(module)), as_version=4)
    client = NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    started = time.monotonic()
    client.execute()
    seconds = time.monotonic() - started
    errors = [
        (i, o.get("ename"), o.get("evalue"))
        for i, c in enumerate(notebook.cells)
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors, f"{module}: cells raised {errors}"
    assert seconds < 300, f"{module} took {seconds:.0f} s to run; the budget is 60 s on the CI machine"


@pytest.mark.parametrize("module", MODULES)
def test_test_cells_declare_the_points_of_their_checks(module):
    """Check("...", points=N) in each test cell matches the cell's nbgrader points."""
    import re

    for cell in nbformat.read(str(source_path(module)), as_version=4).cells:
        if submission.is_test(cell):
            declared = [float(x) for x in re.findall(r"Check\([^)]*points=([0-9.]+)", cell.source)]
            points = float(submission.nbgrader_meta(cell)["points"])
            assert declared, f"{module}/{submission.grade_id(cell)}: a test cell must use nbchecks.Check"
            assert sum(declared) == points, (
                f"{module}/{submission.grade_id(cell)}: Check(points=...) adds up to {sum(declared)} "
                f"but the cell is worth {points} points"
            )


def _answer_names(nb, with_assignments=False):
    """The functions and classes the answer cells define (and, if asked, the names they assign)."""
    names = set()
    for cell in nb.cells:
        if submission.is_answer(cell) and cell.cell_type == "code":
            for node in ast.parse(cell.source).body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    names.add(node.name)
                elif with_assignments and isinstance(node, ast.Assign):
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


@pytest.mark.parametrize("module", MODULES)
def test_test_cells_only_use_names_the_student_defines(module):
    """Test code imports what it needs; every other name must come from an answer cell."""
    from autograder.trusted import free_names

    nb = nbformat.read(str(source_path(module)), as_version=4)
    defined = _answer_names(nb, with_assignments=True)
    for cell in nb.cells:
        if submission.is_test(cell):
            extra = set(free_names(cell.source)) - defined
            assert not extra, (
                f"{module}/{submission.grade_id(cell)} uses {sorted(extra)} without importing or defining them; "
                f"test cells may only take names from answer cells"
            )


def _guarded_by_a_catch_all(handler):
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    catch_all = ("Exception", "BaseException")
    return handler.type is None or any(isinstance(k, ast.Name) and k.id in catch_all for k in kinds)


def _unguarded_calls(source, student_names):
    """Names of student functions and classes that ``source`` uses outside a ``try`` that catches everything."""
    tree = ast.parse(source)
    own = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(_guarded_by_a_catch_all(h) for h in node.handlers):
            guarded.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return sorted(
        {
            n.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in student_names - own
            if id(n) not in guarded
        }
    )


@pytest.mark.parametrize("module", MODULES)
def test_locked_cells_survive_a_wrong_answer(module):
    """A locked cell that runs the student's code catches any error from it (not only NotImplementedError), so a
    wrong answer (a shape error, a TypeError) never stops Run All in the middle of the notebook."""
    nb = nbformat.read(str(source_path(module)), as_version=4)
    student_names = _answer_names(nb)
    unguarded = {
        submission.grade_id(cell) or cell.get("id"): _unguarded_calls(cell.source, student_names)
        for cell in nb.cells
        if cell.cell_type == "code" and not submission.is_answer(cell) and not submission.is_test(cell)
    }
    unguarded = {cell: names for cell, names in unguarded.items() if names}
    assert not unguarded, (
        f"{module}: these locked cells call the student's code outside a try/except Exception: {unguarded}"
    )
