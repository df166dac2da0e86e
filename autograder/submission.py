"""Reading a submitted notebook safely and deciding what to run.

A submission is read as bytes (never following a symbolic link), parsed
strictly, and then *reconstructed* on the instructor's source notebook: the
cells come in the source's order, with the student's code in the answer cells
and the instructor's version of every locked cell and test cell. Cells the
student deleted, duplicated, reordered, retyped or whose nbgrader metadata
they edited therefore cannot change what is graded or how many points it is
worth; each such change is written down as a note for the student.
"""

import copy
import errno
import json
import os
import stat

import nbformat

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
SKIP_TAG = "grader-skip"


class Unreadable(Exception):
    """The submission cannot be graded; the message says why, for the student."""


# -- reading ---------------------------------------------------------------------


def read_submission_bytes(path, limit=MAX_NOTEBOOK_BYTES):
    """The bytes of a submitted notebook, refusing links, folders, pipes and huge files.

    The file is opened once, without following a symbolic link and without blocking (a FIFO
    or a device swapped in cannot hold the batch), then checked and read on that descriptor:
    what is checked is what is read.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Unreadable(f"{path}: no notebook was submitted") from None
    except OSError as error:
        if error.errno == errno.ELOOP or os.path.islink(path):
            raise Unreadable(f"{path}: is a symbolic link; submit the notebook file itself") from None
        raise Unreadable(f"{path}: could not be opened ({error.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"{path}: is not a regular file")
        if info.st_size > limit:
            raise Unreadable(_too_large(path, info.st_size, limit))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:  # it grew while it was read
        raise Unreadable(_too_large(path, size, limit))
    return b"".join(chunks)


def _too_large(path, size, limit):
    return (
        f"{path}: is {size / 2**20:.0f} MB; a notebook may be at most {limit / 2**20:.0f} MB "
        f"(clear large outputs with Edit > Clear Outputs of All Cells and save again)"
    )


def parse_notebook(data, name="notebook"):
    """Parse notebook bytes into an nbformat v4 notebook, or raise Unreadable."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unreadable(f"{name}: is not UTF-8 text (byte {error.start} cannot be read)") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise Unreadable(
            f"{name}: is not a valid notebook file "
            f"(JSON error at line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise Unreadable(f"{name}: is not a valid notebook file (nested too deeply)") from None
    if not isinstance(raw, dict) or "nbformat" not in raw:
        raise Unreadable(f"{name}: is JSON but not a Jupyter notebook (no 'nbformat' field)")
    major = raw.get("nbformat")
    if major not in (3, 4):
        raise Unreadable(f"{name}: has notebook format {major!r}; expected format 4 (or 3)")
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # noqa: BLE001 - nbformat raises many kinds
        raise Unreadable(
            f"{name}: could not be read as a notebook ({type(error).__name__}: {str(error)[:200]})"
        ) from None
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise Unreadable(f"{name}: has no list of cells")
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise Unreadable(f"{name}: cell {index + 1} is not a code, markdown or raw cell")
        if not isinstance(cell.get("source", ""), str):
            raise Unreadable(f"{name}: cell {index + 1} has no text")
    return notebook, (["Your notebook was in the old format 3 and was converted."] if major == 3 else [])


# -- nbgrader metadata -------------------------------------------------------------


def nbgrader_meta(cell):
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def grade_id(cell):
    value = nbgrader_meta(cell).get("grade_id")
    return value if isinstance(value, str) else None


def is_test(cell):
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.get("cell_type") == "code"


def is_answer(cell):
    return bool(nbgrader_meta(cell).get("solution"))


def is_locked(cell):
    meta = nbgrader_meta(cell)
    return bool(meta.get("locked")) and not meta.get("solution")


def tags(cell):
    value = cell.get("metadata", {}).get("tags", [])
    return value if isinstance(value, list) else []


# -- reconstruction ----------------------------------------------------------------


class Plan:
    """What to execute, in order, and the notebook to keep as the autograded copy."""

    def __init__(self):
        self.cells = []  # nbformat cells for the autograded notebook
        self.steps = []  # what the sandbox runs: dicts with index, kind, source, grade_id
        # grade_id -> {"code": hidden-included code, "points": float, "index": int,
        #              "provided": the instructor's locked code cells before it}
        self.tests = {}
        self.provided = []  # the source's locked code cells so far (not answers, not tests)
        self.student_cells = set()  # indices of cells whose text the student wrote
        self.notes = []
        self.answered = 0
        self.answer_cells = 0


def _index_student_cells(student_cells):
    by_grade, by_id, duplicates = {}, {}, []
    for position, cell in enumerate(student_cells):
        gid = grade_id(cell)
        if gid is not None:
            if gid in by_grade:
                duplicates.append(gid)
            else:
                by_grade[gid] = position
        cid = cell.get("id")
        if isinstance(cid, str) and cid not in by_id:
            by_id[cid] = position
    return by_grade, by_id, duplicates


def _match(source_cell, by_grade, by_id, used):
    gid = grade_id(source_cell)
    for position in (by_grade.get(gid) if gid else None, by_id.get(source_cell.get("id"))):
        if position is not None and position not in used:
            return position
    return None


def build_plan(student_nb, source_nb, release_nb):
    """Reconstruct the submission on the source notebook; return a :class:`Plan`."""
    plan = Plan()
    student_cells = list(student_nb.get("cells", []))
    source_cells = source_nb.cells
    release_cells = release_nb.cells
    if len(source_cells) != len(release_cells):
        raise RuntimeError("the release is out of date: rebuild it with `python -m autograder release`")
    by_grade, by_id, duplicates = _index_student_cells(student_cells)
    for gid in sorted(set(duplicates)):
        plan.notes.append(f"Your notebook has more than one copy of cell '{gid}'; the first copy was graded.")
    used = set()
    matches = []
    for source_cell in source_cells:
        position = _match(source_cell, by_grade, by_id, used)
        if position is not None:
            used.add(position)
        matches.append(position)

    # Student-added cells go after the nearest matched cell that precedes them in the student's notebook.
    extras_after = {}
    last_matched_source = -1
    position_to_source = {pos: i for i, pos in enumerate(matches) if pos is not None}
    for position, cell in enumerate(student_cells):
        if position in position_to_source:
            last_matched_source = position_to_source[position]
        elif position not in used and grade_id(cell) is None:
            extras_after.setdefault(last_matched_source, []).append(cell)

    def add_extras(after):
        for cell in extras_after.get(after, []):
            _add_student_cell(plan, cell)

    add_extras(-1)
    for i, (source_cell, release_cell) in enumerate(zip(source_cells, release_cells, strict=True)):
        student_cell = student_cells[matches[i]] if matches[i] is not None else None
        _add_cell(plan, source_cell, release_cell, student_cell)
        add_extras(i)
    _stop_after_the_last_test(plan)
    return plan


def _stop_after_the_last_test(plan):
    """Leave out the cells after the last test cell: they cannot change a grade, and running them (the closing
    demos and figures of a module) took up to half of a notebook's grading time."""
    tests = [k for k, step in enumerate(plan.steps) if step["kind"] == "test"]
    if tests:
        del plan.steps[tests[-1] + 1 :]


def _add_student_cell(plan, cell):
    new = copy.deepcopy(cell)
    new["metadata"] = {}
    new["outputs"] = [] if new.get("cell_type") == "code" else new.get("outputs")
    if new.get("cell_type") != "code":
        new.pop("outputs", None)
        new.pop("execution_count", None)
    else:
        new["execution_count"] = None
    index = len(plan.cells)
    plan.cells.append(new)
    plan.student_cells.add(index)
    if new.get("cell_type") == "code":
        plan.steps.append({"index": index, "kind": "code", "source": new.get("source", "")})


def _add_cell(plan, source_cell, release_cell, student_cell):
    # The release cell carries nbgrader's checksums, which feedback and the formgrader use.
    cell = copy.deepcopy(release_cell)
    if cell.get("cell_type") == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    index = len(plan.cells)
    _note_edited_settings(plan, source_cell, student_cell)
    if is_test(source_cell):
        _fill_test(plan, index, cell, source_cell, release_cell, student_cell)
    elif is_answer(source_cell):
        _fill_answer(plan, index, cell, source_cell, release_cell, student_cell)
    elif cell.get("cell_type") == "code":
        _fill_code(plan, index, cell, source_cell, release_cell, student_cell)
    elif (
        student_cell is not None and not is_locked(source_cell) and source_cell.get("cell_type") == "markdown"
    ):
        _take_student_text(plan, index, cell, student_cell)
    plan.cells.append(cell)


def _note_edited_settings(plan, source_cell, student_cell):
    """A note when the student's copy of the cell has other nbgrader settings (they are never used)."""
    if student_cell is None:
        return
    student_settings = student_cell.get("metadata", {}).get("nbgrader")
    if student_settings in (None, source_cell.get("metadata", {}).get("nbgrader")):
        return
    meta_student = nbgrader_meta(student_cell)
    meta_source = nbgrader_meta(source_cell)
    if any(
        meta_student.get(k) != meta_source.get(k)
        for k in ("points", "grade", "solution", "locked", "grade_id")
    ):
        plan.notes.append(
            f"The grading settings of cell '{grade_id(source_cell)}' were edited in your notebook; "
            "the original ones were used."
        )


def _take_student_text(plan, index, cell, student_cell):
    cell["source"] = student_cell.get("source", "")
    plan.student_cells.add(index)


def _fill_test(plan, index, cell, source_cell, release_cell, student_cell):
    """The instructor's test, whatever the student's copy says; ``plan.tests`` keeps its hidden part."""
    gid = grade_id(source_cell)
    cell["source"] = release_cell.source
    if student_cell is None:
        plan.notes.append(f"Test cell '{gid}' was missing from your notebook; the original test was run.")
    elif student_cell.get("source") != release_cell.source:
        plan.notes.append(f"Test cell '{gid}' was changed in your notebook; the original test was run.")
    plan.tests[gid] = {
        "code": source_cell.source,
        "points": float(nbgrader_meta(source_cell).get("points", 0)),
        "index": index,
        "provided": tuple(plan.provided),
    }
    plan.steps.append({"index": index, "kind": "test", "source": release_cell.source, "grade_id": gid})


def _fill_answer(plan, index, cell, source_cell, release_cell, student_cell):
    """The student's answer, in the source's cell type; a missing one keeps the release's text."""
    gid = grade_id(source_cell)
    plan.answer_cells += 1
    if student_cell is None:
        plan.notes.append(
            f"The answer cell '{gid}' was missing from your notebook; it was graded as unanswered."
        )
        cell["source"] = release_cell.source
    else:
        if student_cell.get("cell_type") != source_cell.get("cell_type"):
            plan.notes.append(
                f"Cell '{gid}' was changed from {source_cell.get('cell_type')} to "
                f"{student_cell.get('cell_type')}; it was graded as {source_cell.get('cell_type')}."
            )
        _take_student_text(plan, index, cell, student_cell)
        if cell["source"] != release_cell.source:
            plan.answered += 1
    if cell.get("cell_type") == "code":
        plan.steps.append({"index": index, "kind": "code", "source": cell["source"], "grade_id": gid})


def _fill_code(plan, index, cell, source_cell, release_cell, student_cell):
    """A code cell that is neither a test nor an answer: the instructor's if locked, else the student's."""
    if is_locked(source_cell):
        cell["source"] = source_cell.source
        plan.provided.append(source_cell.source)
    elif student_cell is None:
        cell["source"] = release_cell.source
    else:
        _take_student_text(plan, index, cell, student_cell)
    if SKIP_TAG not in tags(source_cell):
        plan.steps.append({"index": index, "kind": "code", "source": cell["source"]})
