"""The sample class shipped in autograder/sample_class/: every student gets the grades written down by hand in
autograder/sample_class/expected/<module>.toml, the table and the files are complete, and each kind of outcome
(perfect, untouched, mistakes, a crash, a broken file, tampering) shows with a clear reason."""

import csv
import shutil
import tomllib

import pytest

from autograder.course import SAMPLE_CLASS, modules
from tests.course_batches import grade_tree

pytestmark = [pytest.mark.slow, pytest.mark.grading]
EXPECTED_DIR = SAMPLE_CLASS / "expected"


def _expected():
    cases = []
    for module in modules():
        path = EXPECTED_DIR / f"{module}.toml"
        if path.exists():
            for student, cells in tomllib.loads(path.read_text(encoding="utf-8")).items():
                cases.append((module, student, cells))
    return cases


EXPECTED = _expected()


def _copy_sample_class(folder):
    shutil.copytree(SAMPLE_CLASS, folder, ignore=shutil.ignore_patterns("expected"))


def graded():
    return grade_tree("sample-class", _copy_sample_class, feedback=True)


def test_every_module_has_expected_grades():
    missing = [m for m in modules() if not (EXPECTED_DIR / f"{m}.toml").exists()]
    assert not missing, f"write the expected grades of the sample class for {missing}"


def test_every_sample_notebook_has_expected_grades():
    submitted = {(p.parent.name, p.parent.parent.name) for p in SAMPLE_CLASS.glob("*/*/*.ipynb")}
    written = {(m, s) for m, s, _ in EXPECTED}
    assert submitted <= written, f"no expected grades for {sorted(submitted - written)}"


@pytest.mark.parametrize(
    ("module", "student", "expected"), EXPECTED, ids=[f"{s}-{m}" for m, s, _ in EXPECTED]
)
def test_sample_student_gets_the_written_down_grades(module, student, expected):
    result = graded()
    row = result.rows[(student, module)]
    expected = dict(expected)
    status = expected.pop("status", "graded")
    reason = expected.pop("reason_contains", None)
    flagged = expected.pop("flagged", False)
    assert row["status"] == status, (
        f"{student}/{module}: status {row['status']!r}, expected {status!r} ({row['reason']})"
    )
    if reason:
        assert reason.lower() in row["reason"].lower(), (
            f"{student}/{module}: reason {row['reason']!r} lacks {reason!r}"
        )
    assert bool(row["flags"]) == flagged, (
        f"{student}/{module}: flags {row['flags']!r}, expected flagged={flagged}"
    )
    received = {gid: score for gid, (score, _, _) in result.cells(student, module).items()}
    assert received == pytest.approx(expected), f"{student}/{module}: got {received}, expected {expected}"


def test_grades_csv_and_feedback_are_complete():
    result = graded()
    with open(result.out / "grades.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {"student", "module", "score", "max_score", "reason"} <= set(rows[0])
    assert len(rows) == len(list(SAMPLE_CLASS.glob("*/*/*.ipynb")))
    for row in rows:
        feedback = result.out / "feedback" / row["student"] / row["module"] / f"{row['module']}.html"
        assert feedback.is_file(), f"no feedback for {row['student']}/{row['module']}"
        if float(row["score"]) < float(row["max_score"]):
            assert row["reason"], f"{row['student']}/{row['module']} lost points without a reason"
    assert not result.problems, result.problems
