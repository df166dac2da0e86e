"""Writing grading results into nbgrader's gradebook, and backing it up.

Only the coordinating process calls these functions, one submission at a
time, so the gradebook is never written by a student's code or by two
processes at once. Each submission's grades are committed in one transaction:
a failure leaves the previous grades of that student untouched.
"""

import datetime
import shutil
import warnings
from pathlib import Path

import nbformat

from autograder import submission

COURSE_ID = "nn4nlp"


def spare_nbgrader_a_subprocess():
    """Let nbgrader learn its database schema version in this process when it creates a gradebook.

    nbgrader stamps each new gradebook with the newest revision of its schema, which it asks of the
    ``alembic heads`` command in a child process: seconds on a small machine, at the start of every
    grading run into a fresh folder. alembic's Python API gives the same answer in a tenth of a second.
    """
    import nbgrader.api

    if getattr(nbgrader.api.get_alembic_version, "in_process", False):
        return

    def get_alembic_version():
        from alembic.script import ScriptDirectory
        from nbgrader.dbutil import ALEMBIC_DIR

        return ScriptDirectory(ALEMBIC_DIR).get_current_head()

    get_alembic_version.in_process = True
    nbgrader.api.get_alembic_version = get_alembic_version


def db_path(out):
    return Path(out) / "gradebook.db"


def db_url(out):
    return f"sqlite:///{db_path(out).resolve()}"


def backup(out):
    """Copy the gradebook to ``out/backups/`` (before a batch); return the copy's path or None."""
    source = db_path(out)
    if not source.exists():
        return None
    folder = Path(out) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"gradebook-{stamp}.db"
    shutil.copy2(source, target)
    return target


def backups(out):
    folder = Path(out) / "backups"
    return sorted(folder.glob("gradebook-*.db")) if folder.is_dir() else []


def restore(out, which=None):
    """Put a backup back in place of the gradebook (the newest one unless ``which`` is given)."""
    available = backups(out)
    if which is None:
        if not available:
            raise FileNotFoundError(f"{Path(out) / 'backups'}: no gradebook backups found")
        chosen = available[-1]
    else:
        chosen = Path(which)
        if not chosen.is_file():
            raise FileNotFoundError(
                f"{chosen}: no such backup; available: {', '.join(p.name for p in available) or 'none'}"
            )
    shutil.copy2(chosen, db_path(out))
    return chosen


def autograded_path(out, student, module):
    return Path(out) / "autograded" / student / module / f"{module}.ipynb"


def record(result, out):
    """Store one graded submission: the autograded notebook and the gradebook rows.

    Returns ``{grade_id: {"score", "points", "manual"}}`` for every graded
    cell; the score of a written answer that still needs a grader is ``None``.
    """
    from nbgrader import utils
    from nbgrader.api import Gradebook, MissingEntry

    student, module = result["student"], result["module"]
    notebook = nbformat.reads(result["notebook"], as_version=4)
    path = autograded_path(out, student, module)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    extra = result.get("nbgrader_files") or {}
    for name, text in extra.items():
        # Without a newline: nbgrader's release_feedback hashes the secret as it is.
        (path.parent / name).write_text(text, encoding="utf-8")
    timestamp = _timestamp(extra.get("timestamp.txt"))
    scores = {}
    # nbgrader 0.9's session handling makes SQLAlchemy 2 warn about autoflush; the rows are right.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    with Gradebook(db_url(out), COURSE_ID) as gb:
        commit = gb.db.commit
        # nbgrader commits after every change; flushing instead makes the submission one transaction,
        # committed (and synced to disk) once at the end.
        gb.db.commit = gb.db.flush
        try:
            gb.update_or_create_student(student)
            try:
                gb.find_submission(module, student)
            except MissingEntry:
                gb.add_submission(module, student)
            if timestamp is not None:
                gb.update_or_create_submission(module, student, timestamp=timestamp)
            for cell in notebook.cells:
                meta = submission.nbgrader_meta(cell)
                gid = meta.get("grade_id")
                if not gid:
                    continue
                if meta.get("grade"):
                    grade = gb.find_grade(gid, module, module, student)
                    if gid in result["tests"]:
                        grade.auto_score = float(result["tests"][gid]["score"])
                    elif result["status"] != "graded":
                        grade.auto_score = 0.0
                    else:
                        grade.auto_score, _ = utils.determine_grade(cell)
                    grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
                    scores[gid] = {
                        "score": grade.manual_score if grade.manual_score is not None else grade.auto_score,
                        "points": float(meta.get("points", 0)),
                        "manual": bool(meta.get("solution")),
                    }
                if meta.get("solution"):
                    comment = gb.find_comment(gid, module, module, student)
                    unchanged = meta.get("checksum") == utils.compute_checksum(cell)
                    comment.auto_comment = "No response." if unchanged else None
            commit()
        except Exception:
            gb.db.rollback()
            raise
        finally:
            gb.db.commit = commit
    return scores


def _timestamp(text):
    """nbgrader's submission time from timestamp.txt, or None when absent or unreadable."""
    if not text:
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text)
    except (ValueError, TypeError, OverflowError):
        return None
