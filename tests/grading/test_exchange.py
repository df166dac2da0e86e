"""nbgrader's exchange, round trip, with real Unix users: what docs/instructors.md section 8 tells instructors.

An instructor and three students (one right, one wrong, one late) are made with useradd; the exchange is a
temporary folder that everyone may write to (as ``chmod 777 /srv/nbgrader/exchange`` in the guide). The
instructor releases the fixture module, each student fetches it, fills it in, validates and submits; the
due date passes before the late student submits. The instructor collects, grades with
``python -m autograder grade``, writes and releases the feedback; each student fetches theirs and sees their
own score and no one else's. On the way: the modes nbgrader gives the exchange's folders, and that no
student can list the inbound folder, read a classmate's work or find a classmate's feedback.

Every command is run as its user with ``runuser``, in the order of the guide. Skipped, with the reason,
where users cannot be made (not root).
"""

import csv
import datetime
import re
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from autograder.course import CONFIG_FILE
from tests import unix_users
from tests.grading.attacks import MODULE, Fixture
from tests.grading.conftest import FIXTURE

pytestmark = [pytest.mark.slow, pytest.mark.grading]

COURSE_ID = "nn4nlp"
PYTHON = sys.executable
WRONG_RELU = "def relu(z):\n    return z"


class Term:
    """The people and folders of one term."""

    def __init__(self, base):
        self.base = base
        self.exchange = base / "exchange"
        self.teacher = unix_users.User("teacher", base)
        self.students = {role: unix_users.User(role, base) for role in ("right", "wrong", "late")}
        self.repo = self.teacher.home / "course"

    def users(self):
        return [self.teacher, *self.students.values()]

    def teach(self, *command, **kwargs):
        """A command of the guide, as the instructor, in the repository."""
        env = {"JUPYTER_CONFIG_PATH": str(self.repo / "autograder"), "NN4NLP_ROOT": str(self.repo)}
        return self.teacher.run(*command, env=env, cwd=self.repo, **kwargs)

    def learn(self, role, *command, **kwargs):
        """A command, as a student, in their home (the students' config stands in for /etc/jupyter)."""
        env = {"JUPYTER_CONFIG_PATH": str(self.base / "student-config")}
        return self.students[role].run(*command, env=env, **kwargs)


def _config(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("c = get_config()\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    path.chmod(0o644)
    path.parent.chmod(0o755)


def _fill(term, role, fixture):
    """The student's answers, written into the notebook they fetched (as they would type them)."""
    path = term.students[role].home / MODULE / f"{MODULE}.ipynb"
    notebook = nbformat.read(str(path), as_version=4)
    answers = dict(fixture.answers)
    if role == "wrong":
        answers["relu"] = WRONG_RELU
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in answers:
            cell.source = answers[meta["grade_id"]]
    nbformat.write(notebook, str(path))
    term.students[role].give(path)


@pytest.fixture(scope="module")
def term():
    unix_users.skip_unless_users_can_be_made()
    base = Path(tempfile.mkdtemp(prefix="exchange-term-", dir="/tmp"))
    base.chmod(0o755)
    made = None
    try:
        made = Term(base)
        made.exchange.mkdir()
        made.exchange.chmod(0o777)  # sudo mkdir -p /srv/nbgrader/exchange && sudo chmod 777 ...
        _config(base / "student-config" / "nbgrader_config.py", [
            f"c.CourseDirectory.course_id = {COURSE_ID!r}",
            f"c.Exchange.root = {str(made.exchange)!r}",
        ])  # fmt: skip
        shutil.copytree(FIXTURE / "solutions", made.repo / "solutions")
        (made.repo / "autograder").mkdir()
        shutil.copy(CONFIG_FILE, made.repo / "autograder" / CONFIG_FILE.name)
        _config(
            made.teacher.home / ".jupyter" / "nbgrader_config.py",
            [f"c.Exchange.root = {str(made.exchange)!r}"],
        )
        made.teacher.give(made.teacher.home)
        made.teacher.home.chmod(0o700)
        yield made
    finally:
        for user in made.users() if made else []:
            user.remove()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def round_trip(term):
    """The whole term, command for command as in docs/instructors.md; returns what each step printed."""
    said = {}
    term.teach(PYTHON, "-m", "autograder", "release", "--modules", MODULE)
    said["release"] = term.teach(PYTHON, "-m", "nbgrader", "release_assignment", MODULE).stdout
    fixture = Fixture(term.repo)
    for role in term.students:
        term.learn(role, PYTHON, "-m", "nbgrader", "fetch_assignment", MODULE)
        _fill(term, role, fixture)
        said[f"validate {role}"] = term.learn(
            role, PYTHON, "-m", "nbgrader", "validate", f"{MODULE}/{MODULE}.ipynb", check=False
        ).stdout
    for role in ("right", "wrong"):
        term.learn(role, PYTHON, "-m", "nbgrader", "submit", MODULE)
    # The due date has whole seconds: round up past the last on-time submission, then wait until it has passed.
    due = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=1)).replace(microsecond=0)
    term.teach(
        PYTHON, "-m", "nbgrader", "db", "assignment", "add", MODULE, f"--duedate={due:%Y-%m-%d %H:%M:%S} UTC"
    )
    time.sleep(max(0.0, (due - datetime.datetime.now(datetime.UTC)).total_seconds()) + 1.0)
    term.learn("late", PYTHON, "-m", "nbgrader", "submit", MODULE)
    said["inbound"] = sorted(p.name for p in (term.exchange / COURSE_ID / "inbound").iterdir())
    listed = term.teach(PYTHON, "-m", "nbgrader", "list", "--inbound")
    said["list"] = listed.stdout + listed.stderr  # nbgrader prints the list through its log
    term.teach(PYTHON, "-m", "nbgrader", "collect", MODULE)
    said["grade"] = term.teach(
        PYTHON, "-m", "autograder", "grade", "grading/submitted", "--modules", MODULE
    ).stdout
    term.teach(PYTHON, "-m", "autograder", "feedback", "--modules", MODULE)
    term.teach(PYTHON, "-m", "nbgrader", "release_feedback", MODULE)
    for role in term.students:
        term.learn(role, PYTHON, "-m", "nbgrader", "fetch_feedback", MODULE)
    term.teach(PYTHON, "-m", "autograder", "export")
    return said


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_students_validate_before_they_submit(term, round_trip):
    assert "Success! Your notebook passes all the tests." in round_trip["validate right"]
    assert "Success!" not in round_trip["validate wrong"] and "relu" in round_trip["validate wrong"]


def test_the_exchange_folders_have_the_modes_nbgrader_relies_on(term, round_trip):
    course = term.exchange / COURSE_ID
    assert _mode(course / "outbound") == 0o755  # everyone fetches
    assert _mode(course / "outbound" / MODULE / f"{MODULE}.ipynb") & 0o444 == 0o444
    assert _mode(course / "inbound") == 0o2733  # everyone submits, no one but the instructor lists
    assert _mode(course / "feedback") == 0o711  # feedback is found by its hash, never listed
    assert (course / "inbound").stat().st_uid == term.teacher.uid


def test_each_student_submitted_once_under_a_name_no_classmate_can_guess(term, round_trip):
    names = round_trip["inbound"]
    assert len(names) == 3
    for role, user in term.students.items():
        (name,) = [n for n in names if n.startswith(f"{user.name}+{MODULE}+")]
        assert re.fullmatch(rf"{re.escape(user.name)}\+{MODULE}\+[^+]+\+[A-Za-z0-9_=-]{{12}}", name), name
        assert user.name in round_trip["list"], role


def test_no_student_can_list_the_inbound_folder_or_read_a_classmates_work(term, round_trip):
    inbound = term.exchange / COURSE_ID / "inbound"
    right = term.students["right"]
    listing = term.learn("wrong", "ls", inbound, check=False)
    assert listing.returncode != 0 and "Permission denied" in listing.stderr
    # Without the listing, the random part of the folder's name is unknowable; the known part finds nothing.
    guess = term.learn("wrong", "sh", "-c", f"ls -d {inbound}/{right.name}+{MODULE}+*", check=False)
    assert guess.returncode != 0 and right.name not in guess.stdout
    for path in (right.home / MODULE / f"{MODULE}.ipynb", term.repo / "grading" / "submitted"):
        attempt = term.learn("wrong", "cat", path, check=False)
        assert attempt.returncode != 0 and "Permission denied" in attempt.stderr, path


def test_the_grades_are_right_wrong_and_late(term, round_trip):
    with open(term.repo / "grading" / "grades.csv", encoding="utf-8") as handle:
        rows = {r["student"]: r for r in csv.DictReader(handle)}
    names = {role: user.name for role, user in term.students.items()}
    assert {rows[names[r]]["score"] for r in ("right", "late")} == {"5.0"}  # 3 + 2; the written point waits
    assert rows[names["wrong"]]["score"] == "3.0" and "relu" in rows[names["wrong"]]["reason"]
    with open(term.repo / "grading" / "nbgrader_grades.csv", encoding="utf-8") as handle:
        export = {r["student_id"]: r for r in csv.DictReader(handle)}
    for role, name in names.items():
        late = export[name]["timestamp"] > export[name]["duedate"]
        assert late == (role == "late"), (role, export[name]["timestamp"], export[name]["duedate"])


def test_each_student_fetches_their_own_feedback_and_no_one_elses(term, round_trip):
    scores = {"right": "5.0", "wrong": "3.0", "late": "5.0"}
    for role, user in term.students.items():
        pages = sorted((user.home / MODULE / "feedback").glob("*/*.html"))
        assert [p.name for p in pages] == [f"{MODULE}.html"], (role, pages)
        text = pages[0].read_text(encoding="utf-8")
        assert f"{MODULE} (Score: {scores[role]} / 6.0)" in text, role
        others = [u.name for r, u in term.students.items() if r != role]
        assert not any(name in text for name in others), role
        assert pages[0].stat().st_uid == user.uid
    listing = term.learn("right", "ls", term.exchange / COURSE_ID / "feedback", check=False)
    assert listing.returncode != 0 and "Permission denied" in listing.stderr
