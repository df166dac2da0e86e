"""The quick start on a machine without bubblewrap, as root and as an ordinary user.

bubblewrap is hidden the honest way: every program on PATH stays reachable through a folder of links,
except ``bwrap``. Then:

- ``grade`` (real submissions) stops with a message that says what is missing, how to install it and which
  flag accepts the weaker mode, and grades nothing;
- ``grade --allow-unsandboxed`` grades with the strongest isolation left, says which in one line, and
  the student's code really runs as the user that line names;
- ``demo`` (the trusted sample class) grades without being asked, prints one line naming the isolation
  and how to get bubblewrap, and gives the grades written down in autograder/sample_class/expected/.

The ordinary user is made by the test (root only; skipped with the reason otherwise) and runs this very
Python and virtual environment, made readable to it where they sit in a folder only root can enter (see
tests/unix_users.py).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import nbformat
import pytest

from autograder.course import SAMPLE_CLASS, SOLUTIONS
from tests import unix_users
from tests.course_batches import Graded
from tests.grading import results
from tests.grading.attacks import MODULE, Fixture

pytestmark = [pytest.mark.slow, pytest.mark.grading]

DEMO_MODULE = "00_welcome"
WHOAMI = "import os\nprint('student code ran as uid', os.getuid())\n"
NOBODY = 65534


def path_without_bwrap(folder):
    """A PATH of one folder that links every program of the current PATH, except bwrap."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            target = os.path.join(directory, name)
            if name != "bwrap" and not (folder / name).exists() and os.access(target, os.X_OK):
                (folder / name).symlink_to(target)
    assert shutil.which("bwrap", path=str(folder)) is None
    return str(folder)


@pytest.fixture(scope="module")
def no_bwrap():
    """The PATH without bwrap, in a folder every user can read (pytest's own tmp_path is private)."""
    folder = Path(tempfile.mkdtemp(prefix="path-without-bwrap-", dir="/tmp"))
    folder.chmod(0o755)
    yield path_without_bwrap(folder / "bin")
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def small_class(course_root, tmp_path_factory):
    """Two students: right (model answers, and it prints its uid) and wrong (relu returns its input)."""
    folder = tmp_path_factory.mktemp("class")
    fixture = Fixture(course_root.root)
    answers = {
        "right": {"sigmoid": fixture.answers["sigmoid"] + "\n" + WHOAMI},
        "wrong": {"relu": "def relu(z):\n    return z"},
    }
    for student, answer in answers.items():
        path = folder / student / MODULE / f"{MODULE}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(fixture.notebook("solution", answer), str(path))
    return folder


def ran_as_uid(out):
    text, _ = results.autograded_text(out, "right", MODULE)
    line = next(line for line in text.splitlines() if "student code ran as uid" in line)
    return int(line.split()[-1])


def isolation_lines(text):
    return [line for line in text.splitlines() if line.startswith("Isolation:")]


def test_grading_real_submissions_without_bubblewrap_stops_and_names_the_flag(
    course_root, small_class, no_bwrap, tmp_path
):
    run = course_root.cli("grade", small_class, "--out", tmp_path / "out", check=False, PATH=no_bwrap)
    assert run.returncode == 2, run.stdout + run.stderr
    message = run.stderr.strip()
    assert message.startswith("error: no grading sandbox: bwrap was not found on PATH."), message
    assert "sudo apt install bubblewrap" in message and "--allow-unsandboxed" in message, message
    assert len(message.splitlines()) == 1, message
    assert not (tmp_path / "out" / "gradebook.db").exists(), "nothing may be graded without the sandbox"


def _python_readable_by_nobody():
    """Whether an unprivileged user can read the Python installation and nnlib (asked as that user)."""
    import nnlib

    folders = [
        os.path.realpath(sys.base_prefix),
        os.path.realpath(sys.prefix),
        os.path.dirname(nnlib.__file__),
    ]
    check = 'for f in "$@"; do test -r "$f" && test -x "$f" || exit 1; done'
    run = subprocess.run(
        [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            "sh",
            "-c",
            check,
            "_",
            *folders,
        ],
        capture_output=True,
        cwd="/",
        timeout=60,
    )
    return run.returncode == 0


def test_grading_with_the_flag_uses_the_strongest_isolation_left_and_says_which(
    course_root, small_class, no_bwrap, tmp_path
):
    out = tmp_path / "out"
    run = course_root.cli("grade", small_class, "--out", out, "--allow-unsandboxed", PATH=no_bwrap)
    lines = isolation_lines(run.stderr)
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("Isolation: no sandbox (bwrap was not found on PATH); student code runs as ")
    assert "use it only for notebooks you trust" in lines[0] and "sudo apt install bubblewrap" in lines[0]
    uid = ran_as_uid(out)
    if os.getuid() != 0:
        assert uid == os.getuid() and "runs as you" in lines[0], lines[0]
    elif _python_readable_by_nobody():
        assert uid not in (0, os.getuid()) and "as an unprivileged user" in lines[0], (uid, lines[0])
    else:
        assert uid == 0 and "runs as root (the unprivileged user cannot read " in lines[0], (uid, lines[0])
    rows = results.grades(out)
    assert rows[("right", MODULE)]["score"] == "5.0", rows  # 3 + 2 points; the written answer waits
    assert results.cells(out)[("wrong", MODULE)] == {"test_sigmoid": 3.0, "test_relu": 0.0}


def _course_copy(base):
    """The course's solutions/ in a folder of its own: the demo's release writes course/ there."""
    base.mkdir(mode=0o755, exist_ok=True)
    shutil.copytree(SOLUTIONS, base / "solutions")
    return base


def _expected_demo_grades():
    return tomllib.loads((SAMPLE_CLASS / "expected" / f"{DEMO_MODULE}.toml").read_text(encoding="utf-8"))


def _check_demo(run, out):
    assert run.returncode == 0, run.stdout + run.stderr
    lines = isolation_lines(run.stdout)
    assert len(lines) == 1 and run.stdout.startswith(lines[0]), run.stdout
    assert lines[0].startswith("Isolation: no sandbox (bwrap was not found on PATH); student code runs as ")
    assert "fine for this trusted sample class" in lines[0], lines[0]
    assert lines[0].endswith(
        "For the full sandbox, install the bubblewrap package (sudo apt install bubblewrap)."
    )
    assert "error:" not in run.stdout + run.stderr, run.stdout + run.stderr
    graded = Graded(out, [], [])
    for student, expected in _expected_demo_grades().items():
        received = {gid: score for gid, (score, _, _) in graded.cells(student, DEMO_MODULE).items()}
        assert received == pytest.approx(expected), f"{student}: {received}, expected {expected}"
    return lines[0]


def _demo_command(python, out):
    return [python, "-m", "autograder", "demo", "--modules", DEMO_MODULE, "--out", str(out)]


def test_demo_without_bubblewrap_grades_the_sample_class_and_says_how(no_bwrap, tmp_path):
    root = _course_copy(tmp_path / "course")
    out = tmp_path / "grading"
    env = dict(os.environ, NN4NLP_ROOT=str(root), PATH=no_bwrap, PYTHONUNBUFFERED="1")
    run = subprocess.run(
        _demo_command(sys.executable, out), capture_output=True, text=True, env=env, timeout=900
    )
    line = _check_demo(run, out)
    if os.getuid() == 0:
        assert "runs as root" in line or "as an unprivileged user" in line, line


# -- as an ordinary user -----------------------------------------------------------------------------------


@pytest.fixture
def ordinary_user():
    unix_users.skip_unless_users_can_be_made()
    base = Path(tempfile.mkdtemp(prefix="ordinary-user-", dir="/tmp"))
    base.chmod(0o755)
    user = unix_users.User("demo", base)
    try:
        yield user
    finally:
        user.remove()
        shutil.rmtree(base, ignore_errors=True)


def test_demo_without_bubblewrap_as_an_ordinary_user(ordinary_user, no_bwrap):
    user = ordinary_user
    root = _course_copy(user.home / "course")
    out = user.home / "grading"
    user.give(root)
    env = {"PATH": no_bwrap, "NN4NLP_ROOT": str(root)}
    probe = user.run(sys.executable, "-c", "import autograder, nbgrader, nnlib", env=env, check=False)
    if probe.returncode != 0:
        pytest.skip(
            f"an ordinary user cannot run this Python and its packages: {probe.stderr.strip()[-300:]}"
        )
    run = user.run(*_demo_command(sys.executable, out), env=env, check=False, timeout=900)
    line = _check_demo(run, out)
    assert "student code runs as you (it can read your files and use the network)" in line, line
    assert all(p.stat().st_uid == user.uid for p in out.rglob("*")), "files written as another user"
