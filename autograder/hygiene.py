"""Notebook hygiene: what a committed course notebook may and may not carry.

The notebooks in ``solutions/`` and ``course/`` are committed *clean*: no outputs, no execution counts,
no saved widget state and no run timings, so that diffs show only what an author changed and a student
never opens a notebook that looks already run. What they must keep is just as important: nbgrader's
cell metadata (grade ids, points, locks) and a unique id on every cell, which nbgrader and the grader
use to match a student's cells with the source.

:func:`notebook_problems` is the one place these rules live; the test suite
(``tests/test_hygiene.py``) and the pre-commit hook (``.pre-commit-config.yaml``) both call it::

    python -m autograder.hygiene solutions/*/*.ipynb course/*/*.ipynb   # exit 1 and a list if unclean
    python -m autograder.hygiene --fix course/01_perceptron/01_perceptron.ipynb   # strip outputs in place

Only the standard library is used, so the hook runs in any Python 3.11 without this project installed.
"""

import argparse
import json
import sys
from pathlib import Path

#: Notebook-level metadata that records a run rather than the notebook (ipywidgets' saved state).
RUN_METADATA = ("widgets",)
#: Cell-level metadata that records a run (JupyterLab's "record timing", the ExecuteTime extension).
RUN_CELL_METADATA = ("execution", "ExecuteTime")


def _load(notebook):
    if isinstance(notebook, dict):
        return notebook
    return json.loads(Path(notebook).read_text(encoding="utf-8"))


def _where(index, cell):
    cell_id = cell.get("id")
    return f"cell {index + 1}" + (f" (id {cell_id!r})" if cell_id else "")


def notebook_problems(notebook):
    """What keeps a notebook from being committed, as sentences; an empty list when it is clean.

    ``notebook``: a path or an already parsed notebook (the JSON as a dict). Checks that no code cell has
    outputs or an execution count, that no run records (saved widget state, cell timings) are stored, that
    every cell has a non-empty id and ids are unique, and that nbgrader's grade ids are unique.
    """
    try:
        nb = _load(notebook)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"cannot be read as a notebook: {error}"]
    problems = []
    cells = nb.get("cells")
    if not isinstance(cells, list):
        return ["has no list of cells"]
    for key in RUN_METADATA:
        if key in nb.get("metadata", {}):
            problems.append(f"notebook metadata keeps {key!r} from a run (saved widget state); remove it")
    seen_ids, seen_grade_ids = {}, {}
    for index, cell in enumerate(cells):
        where = _where(index, cell)
        if cell.get("cell_type") == "code":
            if cell.get("outputs"):
                problems.append(f"{where}: has {len(cell['outputs'])} output(s)")
            if cell.get("execution_count") is not None:
                problems.append(f"{where}: has execution count {cell['execution_count']}")
        metadata = cell.get("metadata", {})
        for key in RUN_CELL_METADATA:
            if key in metadata:
                problems.append(f"{where}: metadata keeps {key!r} (run timings)")
        cell_id = cell.get("id")
        if not cell_id:
            problems.append(f"cell {index + 1}: has no id (nbformat 4.5 gives every cell one)")
        elif cell_id in seen_ids:
            problems.append(f"{where}: has the same id as cell {seen_ids[cell_id] + 1}")
        else:
            seen_ids[cell_id] = index
        grade_id = (metadata.get("nbgrader") or {}).get("grade_id")
        if grade_id:
            if grade_id in seen_grade_ids:
                first = seen_grade_ids[grade_id] + 1
                problems.append(f"{where}: nbgrader grade_id {grade_id!r} is also used by cell {first}")
            else:
                seen_grade_ids[grade_id] = index
    return problems


def strip_outputs(path):
    """Remove outputs, execution counts and run records from the notebook at ``path``, in place.

    Everything else (nbgrader metadata, cell ids, tags) is kept. The file is written the way nbformat
    writes it (one-space indent, sorted keys), so the diff shows only what was removed. Returns whether
    the file changed.
    """
    path = Path(path)
    before = path.read_text(encoding="utf-8")
    nb = json.loads(before)
    for key in RUN_METADATA:
        nb.get("metadata", {}).pop(key, None)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in RUN_CELL_METADATA:
            cell.get("metadata", {}).pop(key, None)
    after = json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m autograder.hygiene",
        description="Check that notebooks carry no outputs, execution counts or run records, and keep "
        "unique cell ids (exit 1 and a list of problems if not).",
    )
    parser.add_argument("notebooks", nargs="+", type=Path, help="notebook files to check")
    parser.add_argument("--fix", action="store_true", help="strip outputs and run records in place first")
    args = parser.parse_args(argv)
    failed = False
    for path in args.notebooks:
        if args.fix and path.is_file() and strip_outputs(path):
            print(f"{path}: stripped outputs")
        for problem in notebook_problems(path):
            print(f"{path}: {problem}")
            failed = True
    if failed:
        print("Clear them: in JupyterLab, Edit > Clear Outputs of All Cells and save; or run")
        print("`python -m autograder.hygiene --fix NOTEBOOK`. Cell ids and nbgrader metadata must stay.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
