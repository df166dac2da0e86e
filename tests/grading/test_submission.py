"""Reading submissions strictly, and rebuilding them on the source notebook."""

import json
import os

import nbformat
import pytest

from autograder import authoring as a
from autograder.submission import Unreadable, build_plan, parse_notebook, read_submission_bytes
from autograder.trusted import free_names, hidden_lines, import_ahead, instructor_imports


def _course():
    source = nbformat.v4.new_notebook(
        cells=[
            a.markdown("intro", "# Title"),
            a.code("setup", "import numpy as np"),
            a.answer("f", "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"),
            a.tests("test_f", 2, "check = 1\n### BEGIN HIDDEN TESTS\nhidden = 2\n### END HIDDEN TESTS"),
            a.code("demo", "print('slow')", skip_when_grading=True),
            a.written("written_q", 1, "Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"),
        ]
    )
    release = nbformat.reads(nbformat.writes(source), as_version=4)
    release.cells[2].source = "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    release.cells[3].source = "check = 1"
    release.cells[5].source = "YOUR ANSWER HERE"
    return source, release


def _student(release, change=None):
    student = nbformat.reads(nbformat.writes(release), as_version=4)
    student.cells[2].source = "def f(x):\n    return 2 * x"
    if change:
        change(student)
    return student


def test_plan_uses_the_students_answers_and_the_instructors_everything_else():
    source, release = _course()

    def tamper(nb):
        nb.cells[1].source = "import os; os.system('rm -rf /')"  # a locked cell
        nb.cells[3].source = "pass"  # the test cell

    plan = build_plan(_student(release, tamper), source, release)
    steps = {s["index"]: s for s in plan.steps}
    assert [s["kind"] for s in plan.steps] == ["code", "code", "test"]  # the grader-skip demo is not run
    assert steps[1]["source"] == "import numpy as np"
    assert steps[2]["source"] == "def f(x):\n    return 2 * x"
    assert steps[3]["source"] == "check = 1"
    assert "hidden = 2" in plan.tests["test_f"]["code"] and plan.tests["test_f"]["points"] == 2.0
    assert plan.answered == 1 and plan.answer_cells == 2
    assert any("Test cell 'test_f' was changed" in n for n in plan.notes)


def test_student_cells_are_kept_in_place_and_unknown_grade_cells_are_dropped():
    source, release = _course()

    def add(nb):
        nb.cells.insert(3, nbformat.v4.new_code_cell("helper = 1", id="mine"))
        fake = nbformat.v4.new_code_cell(
            "x = 1", id="fake", metadata={"nbgrader": {"grade": True, "grade_id": "bonus", "points": 99}}
        )
        nb.cells.append(fake)

    plan = build_plan(_student(release, add), source, release)
    sources = [c.source for c in plan.cells]
    assert sources.index("helper = 1") == sources.index("def f(x):\n    return 2 * x") + 1
    assert "x = 1" not in sources and "bonus" not in plan.tests


def test_missing_duplicated_and_retyped_cells_are_noted():
    source, release = _course()

    def damage(nb):
        wrong = nbformat.from_dict(json.loads(json.dumps(nb.cells[2])))
        wrong.id = "copy"
        wrong.source = "def f(x):\n    return None"
        nb.cells.insert(0, wrong)
        nb.cells[-1].cell_type = "raw"
        del nb.cells[4]  # the test cell

    plan = build_plan(_student(release, damage), source, release)
    text = " ".join(plan.notes)
    assert "more than one copy of cell 'f'" in text
    assert "Test cell 'test_f' was missing" in text
    assert "changed from markdown to raw" in text
    assert any(s.get("grade_id") == "f" and "return None" in s["source"] for s in plan.steps)


def test_edited_grading_settings_do_not_count():
    source, release = _course()

    def edit(nb):
        nb.cells[3].metadata["nbgrader"]["points"] = 1000

    plan = build_plan(_student(release, edit), source, release)
    assert plan.tests["test_f"]["points"] == 2.0
    assert any("grading settings of cell 'test_f'" in n for n in plan.notes)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b"{not json", r"not a valid notebook file \(JSON error at line 1, column 2"),
        (b"[]", "not a Jupyter notebook"),
        (b'{"nbformat": 5, "cells": []}', "format 5"),
        (
            b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": 5}]}',
            "could not be read",
        ),
    ],
)
def test_unreadable_notebooks_say_why(data, message):
    with pytest.raises(Unreadable, match=message):
        parse_notebook(data, name="nb.ipynb")


def test_format_3_is_converted_with_a_note():
    source, release = _course()
    data = nbformat.writes(nbformat.convert(release, 3)).encode()
    notebook, notes = parse_notebook(data)
    assert notebook.nbformat == 4 and "format 3" in notes[0]


def test_reading_refuses_links_huge_files_and_missing_files(tmp_path):
    real = tmp_path / "real.ipynb"
    real.write_text("{}")
    link = tmp_path / "link.ipynb"
    link.symlink_to(real)
    with pytest.raises(Unreadable, match="symbolic link"):
        read_submission_bytes(link)
    huge = tmp_path / "huge.ipynb"
    with open(huge, "wb") as handle:
        handle.truncate(30 * 1024 * 1024)
    with pytest.raises(Unreadable, match="at most 20 MB"):
        read_submission_bytes(huge)
    with pytest.raises(Unreadable, match="no notebook was submitted"):
        read_submission_bytes(tmp_path / "absent.ipynb")
    os.mkfifo(tmp_path / "fifo.ipynb")
    with pytest.raises(Unreadable, match="not a regular file"):
        read_submission_bytes(tmp_path / "fifo.ipynb")
    assert read_submission_bytes(real) == b"{}"


def test_free_names_are_what_a_test_cell_takes_from_the_notebook():
    code = (
        "import numpy as np\nfrom x import y\nz = 1\ndef g(a):\n    return a + w + np.pi\n"
        "sigmoid(z) + [k for k in range(3)] + print(v)"
    )
    assert free_names(code) == ["sigmoid", "v", "w"]


def test_hidden_lines_cover_the_hidden_region_only():
    code = "a = 1\n### BEGIN HIDDEN TESTS\nb = 2\n### END HIDDEN TESTS\nc = 3"
    assert hidden_lines(code) == {2, 3, 4}


def test_instructor_imports_are_the_top_level_imports_of_locked_and_test_cells():
    source = nbformat.v4.new_notebook(
        cells=[
            a.code("setup", "import numpy as np\nfrom nnlib import data, plots\nx = 1"),
            a.answer(
                "f",
                "import student_module\ndef f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION",
            ),
            a.tests(
                "test_f",
                2,
                "import numpy as np\nfrom nbchecks import Check\ndef g():\n    import in_a_function\n"
                "### BEGIN HIDDEN TESTS\nfrom nbchecks import hidden_rng\n### END HIDDEN TESTS",
            ),
            a.code("magic", "%matplotlib inline\nimport after_a_magic"),
            a.markdown("words", "import in_markdown"),
        ]
    )
    second = nbformat.v4.new_notebook(cells=[a.code("setup", "import json as js, os.path")])
    found = instructor_imports([nbformat.writes(source), nbformat.writes(second)])
    assert found == [
        "import numpy as np",
        "from nnlib import data, plots",
        "from nbchecks import Check",
        "from nbchecks import hidden_rng",
        "import json as js, os.path",
    ], f"received {found}"


def test_importing_ahead_skips_what_cannot_be_imported():
    import sys

    sys.modules.pop("wave", None)
    import_ahead(["import no_such_module_for_the_grader", "from json import no_such_name", "import wave"])
    assert "wave" in sys.modules, "expected the statements after the failing ones to run"
