"""nbgrader's formgrader in headless Chromium, on a class graded by the course's grader.

A copy of the course in a temporary folder grades two students of module 01 (the sample class's ada, the
model answers, and ben, the untouched release) with ``python -m autograder grade``; JupyterLab then starts
on that copy with the course's nbgrader config (as `make formgrader` does). In the browser, the instructor
opens Manual Grading, scores ada's written answer and leaves a comment; ``python -m autograder feedback``
then renders both into ada's feedback, and grades.csv counts the points. The Autograde button of Manage
Submissions grades through the course's sandboxed grader (autograder/formgrader.py): clicking it must give
the grades and the autograded notebook that the command line gave, and keep the hand-entered score.

Shares the xdist group "browser" with the other browser tests; failures leave a screenshot, the console
log and the server log in test-artifacts/browser/.
"""

import csv
import os
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

from autograder import gradebook
from autograder.course import CONFIG_FILE, COURSE, SAMPLE_CLASS, SOLUTIONS
from tests.browser.conftest import LAB_SETTINGS, start_lab, stop_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

MODULE = "01_perceptron"
STUDENTS = ("ada", "ben")
STUDENT = "ada"
WRITTEN = "written_xor"
SCORE = 1.5
COMMENT = "Good picture of the four points; now say why no single line separates them."
SAVE_SECONDS = 30
AUTOGRADE_MS = 300_000


def _autograder(*args, root):
    """``python -m autograder ARGS`` in ``root``, with none of the caller's Jupyter or course settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NN4NLP_"))}
    result = subprocess.run(
        [sys.executable, "-m", "autograder", *map(str, args)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"autograder {args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def lab(playwright_api, tmp_path_factory):
    """JupyterLab with the formgrader, on a course copy whose grading/ holds a class graded by the CLI."""
    root = tmp_path_factory.mktemp("formgrader")
    shutil.copytree(SOLUTIONS, root / "solutions")
    shutil.copytree(COURSE, root / "course")
    (root / "autograder").mkdir()
    # The config puts the grading folder beside its own folder: root/grading, never the repository's.
    shutil.copy(CONFIG_FILE, root / "autograder" / CONFIG_FILE.name)
    for student in STUDENTS:
        shutil.copytree(SAMPLE_CLASS / student / MODULE, root / "incoming" / student / MODULE)
    _autograder("grade", root / "incoming", "--out", root / "grading", "--modules", MODULE, root=root)
    server = start_lab(root, LAB_SETTINGS, ["--LabApp.news_url="])
    server.grading = root / "grading"
    yield server
    stop_lab(server)


def _grades_row(grading, student):
    with open(grading / "grades.csv", newline="", encoding="utf-8") as handle:
        return next(r for r in csv.DictReader(handle) if (r["student"], r["module"]) == (student, MODULE))


def _submission(grading, student):
    """{grade_id: (auto_score, manual_score)}, the comments by grade id, and the notebook's id."""
    from nbgrader.api import Gradebook

    with Gradebook(gradebook.db_url(grading), gradebook.COURSE_ID) as gb:
        notebook = gb.find_submission_notebook(MODULE, MODULE, student)
        scores = {g.name: (g.auto_score, g.manual_score) for g in notebook.grades}
        comments = {c.name: c.manual_comment for c in notebook.comments}
        return scores, comments, notebook.id


def test_a_written_answer_graded_in_the_formgrader_reaches_the_feedback_and_grades_csv(page, lab):
    grading = lab.grading
    before, ben = _grades_row(grading, STUDENT), _grades_row(grading, "ben")
    scores, _, submission_id = _submission(grading, STUDENT)
    assert scores[WRITTEN] == (None, None)
    points = float(before["manual_pending"])
    assert points > 0

    # Manual Grading > the module's notebook > the submission, as an instructor clicks through it.
    page.goto(f"{lab.url}/formgrader/gradebook/{MODULE}/{MODULE}")
    page.locator(f"a[href*='/formgrader/submissions/{submission_id}']").first.click()
    score_box = page.locator(f"input.score#{WRITTEN}")
    score_box.wait_for()
    # The inputs are in the page's HTML at once, but they save only once formgrade.js has fetched the grades
    # and comments and bound a view to each; a score typed before that is silently never sent. (Not
    # `formgrader.loaded`: offline, MathJax's CDN fails and init stops after binding, before setting it.)
    page.wait_for_function("() => window.formgrader?.grades?.loaded && window.formgrader?.comments?.loaded")
    score_box.fill(str(SCORE))
    score_box.press("Tab")
    comment_box = page.locator(f"textarea.comment#{WRITTEN}-comment")
    comment_box.fill(COMMENT)
    comment_box.press("Tab")

    deadline = time.monotonic() + SAVE_SECONDS
    while True:
        scores, comments, _ = _submission(grading, STUDENT)
        if scores[WRITTEN][1] == SCORE and comments.get(WRITTEN) == COMMENT:
            break
        assert time.monotonic() < deadline, f"the formgrader did not save: {scores[WRITTEN]}, {comments}"
        time.sleep(0.5)

    _autograder("feedback", "--out", grading, "--modules", MODULE, root=lab.root)

    html = (grading / "feedback" / STUDENT / MODULE / f"{MODULE}.html").read_text(encoding="utf-8")
    assert COMMENT in html
    assert f"(Score: {SCORE} / {points})" in html
    total = float(before["score"]) + SCORE
    assert f"(Score: {total} / {float(before['max_score'])})" in html
    after = _grades_row(grading, STUDENT)
    assert float(after["manual_pending"]) == float(before["manual_pending"]) - points == 0
    assert float(after["score"]) == total
    assert _grades_row(grading, "ben") == ben  # still waiting for its own grading by hand


def test_the_autograde_button_grades_in_the_sandbox_like_the_command_line(page, lab):
    grading = lab.grading
    path = gradebook.autograded_path(grading, STUDENT, MODULE)
    notebook = nbformat.read(str(path), as_version=4)
    scores, comments, _ = _submission(grading, STUDENT)
    row = _grades_row(grading, STUDENT)
    ben = _grades_row(grading, "ben")

    page.goto(f"{lab.url}/formgrader/manage_submissions/{MODULE}")
    student_row = page.locator("#main-table tr").filter(
        has=page.locator("td.student-id", has_text=re.compile(f"^{STUDENT}$"))
    )
    student_row.locator("td.autograde a").click()
    page.locator("#success-modal, #error-modal").wait_for(timeout=AUTOGRADE_MS)
    message = page.locator("#success-modal, #error-modal").inner_text()
    assert "Successfully autograded" in message, message

    assert _submission(grading, STUDENT)[:2] == (scores, comments)
    assert nbformat.read(str(path), as_version=4).cells == notebook.cells
    after = _grades_row(grading, STUDENT)
    assert {k: after[k] for k in ("score", "max_score", "flags", "notes", "status")} == {
        k: row[k] for k in ("score", "max_score", "flags", "notes", "status")
    }
    assert _grades_row(grading, "ben") == ben
