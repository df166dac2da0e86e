"""`python -m autograder export`: Canvas's and Moodle's gradebook import files, from nbgrader's gradebook.

The gradebook is written with nbgrader's own API: two modules with due dates, graded cells (one of them a
written answer graded by hand) and five students:

- ana: on time, full marks in both modules;
- bo: 01_alpha 27 hours late (2 started days), 02_beta 2 hours late but with a 1-day extension;
- cy: 01_alpha on time, written answer not graded yet; no submission for 02_beta;
- zed: graded, but missing from the roster;
- dee: in the roster, never submitted.

Every expected number below is worked out by hand from those facts.
"""

import csv
import datetime
import os
import sys
import warnings

import pytest

from autograder import cli, gradebook

DUE = datetime.datetime(2026, 3, 14, 17, 0, 0)
HOUR = datetime.timedelta(hours=1)
#: module -> {grade cell: points}; written_* is graded by hand.
MODULES = {"01_alpha": {"test_a": 4.0, "test_b": 2.0, "written_a": 4.0}, "02_beta": {"test_c": 5.0}}
#: (student, module) -> (hours after the due date, {cell: score}); a score of None: not graded yet.
SUBMISSIONS = {
    ("ana", "01_alpha"): (-5, {"test_a": 4.0, "test_b": 2.0, "written_a": 4.0}),
    ("ana", "02_beta"): (-1, {"test_c": 5.0}),
    ("bo", "01_alpha"): (27, {"test_a": 4.0, "test_b": 1.0, "written_a": 3.0}),
    ("bo", "02_beta"): (2, {"test_c": 4.0}),
    ("cy", "01_alpha"): (-30, {"test_a": 2.0, "test_b": 2.0, "written_a": None}),
    ("zed", "01_alpha"): (-2, {"test_a": 1.0, "test_b": 0.0, "written_a": 1.0}),
}
ROSTER = [
    {
        "nbgrader_id": "ana",
        "name": "Ana Alves",
        "canvas_id": "101",
        "sis_user_id": "S1",
        "email": "ana@uni.example",
    },
    {
        "nbgrader_id": "bo",
        "name": "Bo Berg",
        "canvas_id": "102",
        "section": "Lab 2",
        "email": "bo@uni.example",
    },
    {"nbgrader_id": "cy", "name": "Cy Chen", "sis_login_id": "cchen", "email": "cy@uni.example"},
    {"nbgrader_id": "dee", "name": "Dee Diaz", "canvas_id": "104", "email": "dee@uni.example"},
]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """A grading folder whose gradebook holds the class above."""
    from nbgrader.api import Gradebook

    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]  # alembic
    warnings.filterwarnings("ignore", message=".*not in session.*")
    folder = tmp_path_factory.mktemp("grading")
    with Gradebook(gradebook.db_url(folder), gradebook.COURSE_ID) as gb:
        for module, cells in MODULES.items():
            gb.add_assignment(module, duedate=DUE)
            gb.add_notebook(module, module)
            for name, points in cells.items():
                gb.add_grade_cell(name, module, module, max_score=points, cell_type="code")
                if name.startswith("written"):
                    gb.add_solution_cell(name, module, module)
        for (student, module), (hours, scores) in SUBMISSIONS.items():
            gb.update_or_create_student(student)
            gb.add_submission(module, student, timestamp=DUE + hours * HOUR)
            for name, score in scores.items():
                grade = gb.find_grade(name, module, module, student)
                if name.startswith("written"):
                    grade.manual_score = score
                else:
                    grade.auto_score = score
                grade.needs_manual_grade = score is None
        gb.db.commit()
    return folder


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    columns = ["nbgrader_id", "name", "canvas_id", "sis_user_id", "sis_login_id", "section", "email"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(ROSTER)
    return path


@pytest.fixture
def extensions(tmp_path):
    path = tmp_path / "extensions.csv"
    path.write_text("nbgrader_id,module,days\nbo,02_beta,1\n", encoding="utf-8")
    return path


def run(capsys, *args):
    code = cli.main(["export", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_canvas_file_has_the_import_header_points_row_and_one_row_per_roster_student(
    out, roster, extensions, tmp_path, capsys
):
    target = tmp_path / "canvas.csv"
    code, stdout, _ = run(
        capsys, "--out", out, "--format", "canvas", "--roster", roster, "--late", "per-day:10",
        "--extensions", extensions, "--to", target,
    )  # fmt: skip
    rows = read_rows(target)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01_alpha", "02_beta"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "10", "5"]
    assert rows[2:] == [
        ["Ana Alves", "101", "S1", "", "", "10", "5"],
        # 8 points, 27 h late: 2 started days x 10 % of 10 points = 2 off. 02_beta: on time thanks to 1 day.
        ["Bo Berg", "102", "", "", "Lab 2", "6", "4"],
        # the written answer is not graded yet: 2 + 2; no 02_beta submission: blank (Canvas keeps its grade).
        ["Cy Chen", "", "", "cchen", "", "4", ""],
        ["Dee Diaz", "104", "", "", "", "", ""],
    ]
    # zed is graded but has no platform id: reported as an error, the command fails, nothing is silent.
    assert code == 1
    lines = stdout.splitlines()
    assert lines[0] == (
        "Late policy: 10% of the module's points off per started day late, never below 0 (the course's own policy)."
    )
    assert any(
        line.startswith("error: zed (01_alpha: 2/10) is in the gradebook but not in the roster")
        for line in lines
    )
    assert "late: bo/01_alpha came 1 day 3 h after the due date: 8 -> 6 points" in lines
    assert not any("bo/02_beta" in line and line.startswith("late") for line in lines)
    assert (
        "missing: cy has no graded submission for 02_beta (left blank, so the platform keeps what it had)"
        in lines
    )
    assert (
        "missing: dee has no graded submission for 01_alpha (left blank, so the platform keeps what it had)"
        in lines
    )
    assert any(line.startswith("not graded by hand yet: cy/01_alpha") for line in lines)
    assert lines[-1].startswith("Wrote 4 students x 2 modules to ")


def test_moodle_file_identifies_users_by_email_and_can_give_percentages(out, roster, tmp_path, capsys):
    target = tmp_path / "moodle.csv"
    code, stdout, _ = run(
        capsys, "--out", out, "--format", "moodle", "--roster", roster, "--late", "zero", "--percent",
        "--missing-as-zero", "--modules", "01_alpha", "02_beta", "--to", target,
    )  # fmt: skip
    assert code == 1  # zed again
    assert read_rows(target) == [
        ["Email address", "01_alpha", "02_beta"],
        ["ana@uni.example", "100", "100"],
        # nbgrader's 'zero' penalty: both of bo's submissions were late (no extension file this time).
        ["bo@uni.example", "0", "0"],
        ["cy@uni.example", "40", "0"],
        ["dee@uni.example", "0", "0"],
    ]
    assert "late submissions score 0 (nbgrader's late-submission plugin, penalty_method 'zero')" in stdout
    assert "missing: cy has no graded submission for 02_beta (0)" in stdout


def test_without_a_penalty_late_work_keeps_its_score_but_is_reported(out, roster, tmp_path, capsys):
    target = tmp_path / "canvas.csv"
    _, stdout, _ = run(capsys, "--out", out, "--format", "canvas", "--roster", roster, "--to", target)
    assert read_rows(target)[3][5:] == ["8", "4"]
    assert "late: bo/01_alpha came 1 day 3 h after the due date: 8 -> 8 points" in stdout
    assert "late: bo/02_beta came 2 h after the due date: 4 -> 4 points" in stdout


def test_an_extension_recorded_in_nbgraders_gradebook_counts(out, roster, tmp_path, capsys):
    from nbgrader.api import Gradebook

    copy = tmp_path / "grading"
    copy.mkdir()
    gradebook.db_path(copy).write_bytes(gradebook.db_path(out).read_bytes())
    with Gradebook(gradebook.db_url(copy), gradebook.COURSE_ID) as gb:
        gb.update_or_create_submission("01_alpha", "bo", extension=datetime.timedelta(days=2))
    run(
        capsys,
        "--out",
        copy,
        "--format",
        "canvas",
        "--roster",
        roster,
        "--late",
        "zero",
        "--to",
        tmp_path / "c.csv",
    )
    assert read_rows(tmp_path / "c.csv")[3][5:] == ["8", "0"]  # 01_alpha now on time; 02_beta still late


def test_everyone_in_the_roster_exports_cleanly(out, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "nbgrader_id,idnumber\nana,A1\nbo,B2\ncy,C3\nzed,Z9\n",
        encoding="utf-8",
    )
    code, stdout, _ = run(
        capsys, "--out", out, "--format", "moodle", "--moodle-id", "idnumber", "--roster", roster,
        "--modules", "01_alpha", "--to", tmp_path / "m.csv",
    )  # fmt: skip
    assert code == 0 and "error" not in stdout
    assert read_rows(tmp_path / "m.csv") == [
        ["ID number", "01_alpha"],
        ["A1", "10"],
        ["B2", "8"],
        ["C3", "4"],
        ["Z9", "2"],
    ]


def test_nbgraders_own_csv_is_still_the_default(out, tmp_path, capsys):
    code, stdout, _ = run(capsys, "--out", out, "--to", tmp_path / "nb.csv")
    assert code == 0
    with open(tmp_path / "nb.csv", encoding="utf-8") as handle:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(handle)}
    assert float(rows[("bo", "01_alpha")]["raw_score"]) == 8.0
    assert rows[("bo", "01_alpha")]["timestamp"].startswith("2026-03-15 20:00:00")


@pytest.mark.parametrize(
    ("roster_text", "args", "message"),
    [
        (
            "nbgrader_id,mail\nana,a@x\n",
            ["--format", "moodle"],
            "unknown column(s) mail; a roster has the columns",
        ),
        ("name\nAna\n", ["--format", "canvas"], "no column nbgrader_id"),
        (
            "nbgrader_id,canvas_id\nana,1\nana,2\n",
            ["--format", "canvas"],
            "line 3: student 'ana' is listed twice",
        ),
        (
            "nbgrader_id,email\nana,\n",
            ["--format", "canvas"],
            "1 student(s) without one of canvas_id, sis_user_id",
        ),
        (
            "nbgrader_id,email\nana,x@y\nbo,x@y\n",
            ["--format", "moodle"],
            "ana and bo have the same email 'x@y'",
        ),
        (
            "nbgrader_id,email\nana,x@y\n",
            ["--format", "moodle", "--late", "per-day"],
            "late policy 'per-day'",
        ),
        ("nbgrader_id,email\nana,x@y\n", ["--format", "csv"], "--format csv is nbgrader's own export"),
        (
            "nbgrader_id,email\nana,x@y\n",
            ["--format", "moodle", "--modules", "03_x"],
            "module '03_x' is not in",
        ),
    ],
)
def test_bad_input_gets_a_one_line_error(out, tmp_path, capsys, roster_text, args, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text, encoding="utf-8")
    code, stdout, stderr = run(capsys, "--out", out, "--roster", roster, *args, "--to", tmp_path / "x.csv")
    assert code == 2 and message in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1 and not (tmp_path / "x.csv").exists()


def test_a_platform_format_needs_a_roster(out, capsys):
    code, _, stderr = run(capsys, "--out", out, "--format", "canvas")
    assert code == 2 and "--format canvas needs --roster FILE" in stderr
