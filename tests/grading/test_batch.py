"""Batches: the same grades whatever the executor, idempotent re-grading, backups, and the command line."""

import csv
import os
import shutil

import nbformat
import pytest

from autograder import batch
from autograder.boundary import Limits
from tests.grading import results
from tests.grading.attacks import MODULE, Fixture

pytestmark = [pytest.mark.slow, pytest.mark.grading]

CLASS = {
    "ana": None,
    "bo": {"sigmoid": "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"},
    "cy": {"relu": "def relu(z):\n    return z"},
    "di": {"sigmoid": "def sigmoid(z):\n    return z", "relu": "def relu(z):\n    return abs(z)"},
}


@pytest.fixture(scope="module")
def small_class(course_root, tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    fixture = Fixture(course_root.root)
    for student, answers in CLASS.items():
        path = folder / student / MODULE / f"{MODULE}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(fixture.notebook("solution", answers), str(path))
    (folder / "ana" / MODULE / "timestamp.txt").write_text("2026-11-20 17:04:59.123456 UTC\n")
    (folder / "ana" / MODULE / "submission_secret.txt").write_text("a1b2c3\n")
    return folder


@pytest.fixture(scope="module")
def graded_once(course_root, small_class, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "out"
    run = course_root.cli("grade", small_class, "--out", out, "--jobs", "1")
    return out, run


def test_table_lists_every_student_with_score_and_reason(graded_once):
    out, run = graded_once
    for student in CLASS:
        assert student in run.stdout
    assert "3/6" in run.stdout.replace(" ", "") or "2/6" in run.stdout.replace(" ", "")
    rows = results.grades(out)
    assert rows[("ana", MODULE)]["score"] == "5.0" and rows[("ana", MODULE)]["max_score"] == "6.0"
    assert rows[("ana", MODULE)]["reason"] == "1 point to grade by hand"
    # bo's naive sigmoid overflows (a RuntimeWarning) at z = -1000 but returns the right values: noise
    # never costs points, stability is judged on values.
    assert (
        rows[("bo", MODULE)]["score"] == "5.0"
        and rows[("bo", MODULE)]["reason"] == "1 point to grade by hand"
    )
    assert (out / "feedback" / "bo" / MODULE / f"{MODULE}.html").is_file()


def test_parallel_jobs_give_the_same_grades(course_root, small_class, graded_once, tmp_path):
    serial, _ = graded_once
    course_root.cli("grade", small_class, "--out", tmp_path / "out", "--jobs", "2")
    assert results.cells(tmp_path / "out") == results.cells(serial)
    assert results.gradebook_rows(tmp_path / "out") == results.gradebook_rows(serial)


def test_dask_cluster_gives_the_same_grades(course_root, small_class, graded_once, tmp_path):
    distributed = pytest.importorskip("distributed")
    serial, _ = graded_once
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        course_root.cli(
            "grade", small_class, "--out", tmp_path / "out", "--scheduler", cluster.scheduler_address
        )
    assert results.cells(tmp_path / "out") == results.cells(serial)


def test_regrading_is_idempotent_and_backed_up(course_root, small_class, graded_once, tmp_path):
    serial, _ = graded_once
    out = tmp_path / "out"
    shutil.copytree(serial, out)
    first = results.gradebook_rows(out)
    course_root.cli("grade", small_class, "--out", out, "--jobs", "2")
    assert results.gradebook_rows(out) == first
    assert results.cells(out) == results.cells(serial)
    assert len(list((out / "backups").glob("gradebook-*.db"))) >= 1


def test_restore_puts_the_backup_back(course_root, small_class, graded_once, tmp_path):
    serial, _ = graded_once
    out = tmp_path / "out"
    shutil.copytree(serial, out)
    before = results.gradebook_rows(out)
    worse = tmp_path / "worse"
    fixture = Fixture(course_root.root)
    path = worse / "ana" / MODULE / f"{MODULE}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(fixture.notebook("release"), str(path))
    course_root.cli("grade", worse, "--out", out)
    assert results.gradebook_rows(out)[("ana", MODULE, "test_sigmoid")][0] == 0.0
    run = course_root.cli("restore", "--out", out)
    assert "Restored" in run.stdout
    assert results.gradebook_rows(out) == before


def test_export_and_feedback_commands(course_root, graded_once, tmp_path):
    serial, _ = graded_once
    out = tmp_path / "out"
    shutil.copytree(serial, out)
    shutil.rmtree(out / "feedback")
    course_root.cli("feedback", "--out", out)
    assert (out / "feedback" / "ana" / MODULE / f"{MODULE}.html").is_file()
    course_root.cli("export", "--out", out, "--to", tmp_path / "export.csv")
    with open(tmp_path / "export.csv", encoding="utf-8") as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert rows["ana"]["assignment"] == MODULE and rows["ana"]["timestamp"].startswith("2026-11-20 17:04:59")
    for name, text in (
        ("timestamp.txt", "2026-11-20 17:04:59.123456 UTC"),
        ("submission_secret.txt", "a1b2c3"),
    ):
        assert (out / "autograded" / "ana" / MODULE / name).read_text().strip() == text
    assert "ignored" not in results.grades(out)[("ana", MODULE)]["notes"]


def test_without_bubblewrap_the_fallback_grades_or_refuses_clearly(
    course_root, small_class, graded_once, tmp_path
):
    from autograder.boundary.isolation import _readable_by_others, _runtime_paths

    serial, _ = graded_once
    run = course_root.cli(
        "grade", small_class, "--out", tmp_path / "out", "--sandbox", "none", "--jobs", "2", check=False
    )
    if os.getuid() == 0 and not all(_readable_by_others(p) for p in _runtime_paths()):
        assert run.returncode == 2 and "install bubblewrap" in run.stderr, run.stderr
    else:
        assert run.returncode == 0, run.stderr
        assert results.cells(tmp_path / "out") == results.cells(serial)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["grade", "does-not-exist"],
            "does-not-exist: folder not found; expected SUBMISSIONS/<student>/<module>/<module>.ipynb",
        ),
        (["release", "--modules", "99_nope"], "unknown module '99_nope'; expected one of: 90_fixture"),
        (["restore", "--out", "empty-grading-folder"], "no gradebook backups found"),
        (["export", "--out", "empty-grading-folder"], "no gradebook yet"),
    ],
)
def test_bad_input_gets_a_one_line_error(course_root, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    run = course_root.cli(*args, check=False)
    assert run.returncode == 2, run.stdout + run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], run.stderr


def test_unknown_module_folder_is_reported_and_the_rest_graded(course_root, small_class, tmp_path):
    folder = tmp_path / "subs"
    shutil.copytree(small_class, folder)
    (folder / "ana" / "99_unknown").mkdir()
    run = course_root.cli("grade", folder, "--out", tmp_path / "out")
    assert "unknown module '99_unknown'; expected one of: 90_fixture" in run.stdout
    assert len(results.grades(tmp_path / "out")) == len(CLASS)


def test_help_lists_the_commands(course_root):
    run = course_root.cli("--help")
    for command in ("release", "grade", "feedback", "export", "restore", "demo"):
        assert command in run.stdout


def test_a_new_gradebook_gets_the_schema_version_alembic_reports(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import nbgrader.api
    import nbgrader.dbutil
    from nbgrader.api import Gradebook

    from autograder.gradebook import spare_nbgrader_a_subprocess

    alembic = Path(sys.executable).parent / "alembic"
    with nbgrader.dbutil._temp_alembic_ini(f"sqlite:///{tmp_path / 'unused.db'}") as ini:
        heads = subprocess.run(
            [alembic, "-c", ini, "heads"], capture_output=True, text=True, check=True
        ).stdout
    expected = heads.split()[0]
    spare_nbgrader_a_subprocess()
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        stamped = gb.db.execute(nbgrader.api.text("SELECT version_num FROM alembic_version")).scalar()
    assert stamped == expected, f"the new gradebook is stamped {stamped!r}; `alembic heads` says {expected!r}"


def _class_with_a_test_that_ends_the_grader(course_root, folder, ending, odd=("odd",)):
    """Jobs for the students ``odd``, then four others; the instructor's test of relu runs ``ending`` in the
    grader for each student of ``odd``."""
    root = course_root.root
    source = nbformat.read(str(root / "solutions" / MODULE / f"{MODULE}.ipynb"), as_version=4)
    for cell in source.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_relu":
            cell.source = f"import os\nif float(relu(-5.0)) == 123.0:\n    {ending}\n" + cell.source
    release = (root / "course" / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8")
    fixture = Fixture(root)
    answers = {name: {"relu": "def relu(z):\n    return 123.0"} for name in odd}
    answers.update({"ana": None, "bo": None, "cy": None, "di": None})
    jobs = []
    for student, answer in answers.items():
        path = folder / student / MODULE / f"{MODULE}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(fixture.notebook("solution", answer), str(path))
        jobs.append(
            batch.make_job(
                student,
                MODULE,
                path.parent,
                nbformat.writes(source),
                release,
                folder / "out",
                vars(Limits()),
                "auto",
                "k",
            )
        )
    return jobs


def _assert_the_others_graded_in_full(graded):
    for student in ("ana", "bo", "cy", "di"):
        scores = {gid: (t["score"], t["points"]) for gid, t in graded[student]["tests"].items()}
        assert graded[student]["status"] == "graded" and all(s == p for s, p in scores.values()), (
            f"expected {student}'s model answers to be graded in full, got {scores}"
        )


def test_a_grading_process_that_dies_costs_one_notebook_not_the_ones_waiting(course_root, tmp_path):
    jobs = _class_with_a_test_that_ends_the_grader(course_root, tmp_path, "os._exit(3)")
    graded = {r["student"]: r for r in batch.execute(jobs, workers=2)}
    assert sorted(graded) == sorted(j["student"] for j in jobs), (
        f"expected one row per student, got {sorted(graded)}"
    )
    odd = graded["odd"]
    assert odd["status"] == "ungradeable" and "internal grader error" in odd["reason"], odd["reason"]
    _assert_the_others_graded_in_full(graded)


def test_a_test_that_calls_sys_exit_fails_its_cell_only(course_root, tmp_path):
    jobs = _class_with_a_test_that_ends_the_grader(course_root, tmp_path, "raise SystemExit(5)")
    graded = {r["student"]: r for r in batch.execute(jobs, workers=2)}
    odd = graded["odd"]["tests"]["test_relu"]
    assert graded["odd"]["status"] == "graded" and odd["score"] == 0.0 and "SystemExit" in odd["report"], odd
    _assert_the_others_graded_in_full(graded)


def test_a_batch_gives_up_after_fresh_grading_processes_keep_dying(course_root, tmp_path):
    odd = ("odd1", "odd2", "odd3", "odd4", "odd5")
    jobs = _class_with_a_test_that_ends_the_grader(course_root, tmp_path, "os._exit(3)", odd)
    graded = {r["student"]: r for r in batch.execute(jobs, workers=2)}
    assert sorted(graded) == sorted(j["student"] for j in jobs), (
        f"expected one row per student, got {sorted(graded)}"
    )
    reasons = {name: str(graded[name]["reason"]) for name in graded}
    given_up = sorted(name for name, reason in reasons.items() if "kept ending" in reason)
    assert all(graded[name]["status"] == "ungradeable" for name in odd), reasons
    expected = sorted(j["student"] for j in jobs[batch.FRESH_PROCESSES_LOST :])
    assert given_up == expected, (
        f"expected the notebooks after the {batch.FRESH_PROCESSES_LOST} tried in fresh processes to be given up "
        f"({expected}), got {given_up}"
    )
