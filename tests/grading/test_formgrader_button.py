"""The formgrader's Autograde button, without a browser: nbgrader's API on a class graded by the CLI.

The button calls ``NbGraderAPI.autograde``; with the course's nbgrader_config.py that grades through the
course's sandboxed grader (autograder/formgrader.py). A class of module 01 (the sample class's ada, the
model answers, ben, the untouched release, and gus, who tampers with the visible checks) is graded once
with ``python -m autograder grade``; then the button must give the same grades, notebook and flags, keep
what was graded by hand, keep a hostile submission in the sandbox, turn an unreadable one into a row,
and refuse without a sandbox before anything is removed.
"""

import csv
import json
import secrets
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

from autograder import gradebook
from autograder.boundary import isolation
from autograder.course import SAMPLE_CLASS, course_directory, nbgrader_config
from autograder.formgrader import FormgraderRefusal, grading_folder, refresh_grades_csv

pytestmark = [
    pytest.mark.slow,
    pytest.mark.grading,
    # nbgrader 0.9's own session handling makes SQLAlchemy 2 warn while it autogrades; the rows are right.
    pytest.mark.filterwarnings("ignore:.*not in session"),
]

MODULE = "01_perceptron"
WRITTEN = "written_xor"
EXPECTED = tomllib.loads((SAMPLE_CLASS / "expected" / f"{MODULE}.toml").read_text(encoding="utf-8"))


def _api(out):
    from nbgrader.apps.api import NbGraderAPI

    config = nbgrader_config(out)
    return NbGraderAPI(coursedir=course_directory(config), config=config)


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {(r["student"], r["module"]): r for r in csv.DictReader(handle)}


def _cell_rows(out, student):
    with open(out / "cells.csv", newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["student"] == student]


def _grades(out, student):
    """{grade_id: (auto_score, manual_score)} from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(gradebook.db_url(out), gradebook.COURSE_ID) as gb:
        notebook = gb.find_submission_notebook(MODULE, MODULE, student)
        return {g.name: (g.auto_score, g.manual_score) for g in notebook.grades}


def _set_manual(out, student, grade_id, score, comment):
    """What the formgrader does when a score and a comment are entered."""
    from nbgrader.api import Gradebook

    with Gradebook(gradebook.db_url(out), gradebook.COURSE_ID) as gb:
        grade = gb.find_grade(grade_id, MODULE, MODULE, student)
        grade.manual_score = score
        grade.needs_manual_grade = False
        gb.find_comment(grade_id, MODULE, MODULE, student).manual_comment = comment
        gb.db.commit()


def _autograded(out, student):
    return gradebook.autograded_path(out, student, MODULE)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A grading folder holding module 01 of ada, ben and gus, graded by ``python -m autograder grade``."""
    root = tmp_path_factory.mktemp("formgrader-button")
    for student in ("ada", "ben", "gus"):
        shutil.copytree(SAMPLE_CLASS / student / MODULE, root / "submitted" / student / MODULE)
    out = root / "grading"
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(root / "submitted"), "--out", str(out)]
        + ["--modules", MODULE, "--no-feedback"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_the_button_regrades_like_the_cli_and_keeps_the_hand_grading(graded):
    before_rows = _rows(graded / "grades.csv")
    before_cells = (graded / "cells.csv").read_text(encoding="utf-8")
    before_notebook = nbformat.read(str(_autograded(graded, "ada")), as_version=4)
    _set_manual(graded, "ada", WRITTEN, 1.5, "Clear answer; say why a line cannot separate XOR.")
    before_grades = _grades(graded, "ada")

    outcome = _api(graded).autograde(MODULE, "ada")

    assert outcome["success"], outcome.get("error")
    after_grades = _grades(graded, "ada")
    assert after_grades == before_grades
    # The independent reference: the sample class's expected scores per test cell.
    assert {gid: after_grades[gid][0] for gid in EXPECTED["ada"]} == EXPECTED["ada"]
    assert after_grades[WRITTEN][1] == 1.5
    after_notebook = nbformat.read(str(_autograded(graded, "ada")), as_version=4)
    assert after_notebook.cells == before_notebook.cells
    rows = _rows(graded / "grades.csv")
    assert rows[("ben", MODULE)] == before_rows[("ben", MODULE)]
    ada, was = rows[("ada", MODULE)], before_rows[("ada", MODULE)]
    assert {k: ada[k] for k in ("score", "max_score", "flags", "notes", "status")} == {
        "score": str(float(sum(EXPECTED["ada"].values()) + 1.5)),
        "max_score": was["max_score"],
        "flags": was["flags"],
        "notes": was["notes"],
        "status": "graded",
    }
    assert (graded / "cells.csv").read_text(encoding="utf-8") == before_cells
    # nbgrader would have made it read-only; the next `grade` must be able to rewrite it.
    assert _autograded(graded, "ada").stat().st_mode & 0o200


def test_the_button_flags_tampering_as_the_cli_does(graded):
    row = _rows(graded / "grades.csv")[("gus", MODULE)]
    cells = _cell_rows(graded, "gus")
    notebook = nbformat.read(str(_autograded(graded, "gus")), as_version=4)
    grades = _grades(graded, "gus")
    assert EXPECTED["gus"]["flagged"] and "tampering" in row["flags"]

    outcome = _api(graded).autograde(MODULE, "gus")

    assert outcome["success"], outcome.get("error")
    after = _rows(graded / "grades.csv")[("gus", MODULE)]
    assert {k: v for k, v in after.items() if k != "seconds"} == {
        k: v for k, v in row.items() if k != "seconds"
    }
    assert _cell_rows(graded, "gus") == cells
    assert nbformat.read(str(_autograded(graded, "gus")), as_version=4).cells == notebook.cells
    assert _grades(graded, "gus") == grades


def test_an_unreadable_submission_becomes_a_row_not_an_error(graded):
    folder = graded / "submitted" / "dan" / MODULE
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_text('{"cells": [', encoding="utf-8")

    outcome = _api(graded).autograde(MODULE, "dan")

    assert outcome["success"], outcome.get("error")
    row = _rows(graded / "grades.csv")[("dan", MODULE)]
    assert row["status"] == "ungradeable" and float(row["score"]) == 0.0
    assert "could not be graded" in _autograded(graded, "dan").read_text(encoding="utf-8")
    assert all(auto == 0.0 for gid, (auto, _) in _grades(graded, "dan").items() if gid != WRITTEN)


def test_grades_csv_follows_what_was_graded_by_hand(graded):
    before = _rows(graded / "grades.csv")[("ben", MODULE)]
    assert float(before["manual_pending"]) == 2.0 and "to grade by hand" in before["reason"]

    _set_manual(graded, "ben", WRITTEN, 1.0, "A start: now compare the four points of XOR.")
    assert refresh_grades_csv(graded) == 1

    after = _rows(graded / "grades.csv")[("ben", MODULE)]
    assert float(after["manual_pending"]) == 0.0
    assert float(after["score"]) == float(before["score"]) + 1.0
    assert "to grade by hand" not in after["reason"]
    assert refresh_grades_csv(graded) == 0


def _hostile_notebook(escape, secret_file):
    notebook = json.loads((SAMPLE_CLASS / "ada" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8"))
    attack = (
        "import pathlib\n"
        f"for target in [pathlib.Path({str(escape)!r})]:\n"
        "    try:\n"
        "        target.write_text('escaped')\n"
        "    except OSError as error:\n"
        "        print('write refused:', type(error).__name__)\n"
        f"for source in ['/etc/hostname', {str(secret_file)!r}]:\n"
        "    try:\n"
        "        print('STOLEN<' + open(source).read().strip() + '>')\n"
        "    except OSError as error:\n"
        "        print('read refused:', type(error).__name__)\n"
    )
    first_answer = next(
        c for c in notebook["cells"] if c["cell_type"] == "code" and c["metadata"]["nbgrader"].get("solution")
    )
    first_answer["source"] = attack + "".join(first_answer["source"])
    return json.dumps(notebook)


def test_a_hostile_submission_graded_through_the_button_stays_in_the_sandbox(graded, tmp_path):
    escape = tmp_path / "escaped.txt"
    secret_file = tmp_path / "instructor-secret.txt"
    token = secrets.token_hex(16)
    secret_file.write_text(token, encoding="utf-8")
    hostname = (
        Path("/etc/hostname").read_text(encoding="utf-8").strip() if Path("/etc/hostname").is_file() else ""
    )
    # As nbgrader's collect leaves it: only in submitted/, never graded by the CLI.
    folder = graded / "submitted" / "mal" / MODULE
    folder.mkdir(parents=True)
    (folder / f"{MODULE}.ipynb").write_text(_hostile_notebook(escape, secret_file), encoding="utf-8")

    outcome = _api(graded).autograde(MODULE, "mal")

    assert outcome["success"], outcome.get("error")
    assert not escape.exists()
    written = _autograded(graded, "mal").read_text(encoding="utf-8")
    assert "write refused" in written  # the attack ran, in the sandbox
    assert token not in written and token not in (graded / "cells.csv").read_text(encoding="utf-8")
    assert f"STOLEN<{hostname}>" not in written
    # Its answers are the model answers: it earns what ada earns, no more.
    grades = _grades(graded, "mal")
    assert {gid: grades[gid][0] for gid in EXPECTED["ada"]} == EXPECTED["ada"]
    assert _rows(graded / "grades.csv")[("mal", MODULE)]["status"] == "graded"


def test_without_a_sandbox_the_button_refuses_before_removing_anything(graded, monkeypatch):
    notebook = _autograded(graded, "ada").read_bytes()
    grades = _grades(graded, "ada")
    rows = (graded / "grades.csv").read_bytes()
    monkeypatch.setattr(isolation, "bwrap_problem", lambda: "bubblewrap (bwrap) is not installed")

    outcome = _api(graded).autograde(MODULE, "ada")

    assert not outcome["success"]
    assert "nothing was changed" in outcome["error"] and "python -m autograder grade" in outcome["error"]
    assert _autograded(graded, "ada").read_bytes() == notebook
    assert _grades(graded, "ada") == grades
    assert (graded / "grades.csv").read_bytes() == rows


def test_a_failure_to_save_the_grades_leaves_everything_as_it_was(graded, monkeypatch):
    import sqlite3

    notebook = _autograded(graded, "ada").read_bytes()
    grades = _grades(graded, "ada")
    rows = (graded / "grades.csv").read_bytes()

    def locked(result, out):
        gradebook.autograded_path(out, result["student"], result["module"]).write_text("{}", encoding="utf-8")
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(gradebook, "record", locked)

    outcome = _api(graded).autograde(MODULE, "ada")

    assert not outcome["success"]
    assert "database is locked" in outcome["error"] and "were kept" in outcome["error"]
    assert _autograded(graded, "ada").read_bytes() == notebook
    assert _grades(graded, "ada") == grades
    assert (graded / "grades.csv").read_bytes() == rows


def test_folders_other_than_the_courses_are_refused(graded, tmp_path):
    config = nbgrader_config(graded)
    config.CourseDirectory.db_url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    with pytest.raises(FormgraderRefusal, match="python -m autograder grade"):
        grading_folder(course_directory(config))
    assert grading_folder(course_directory(nbgrader_config(graded))) == graded.resolve()
