"""Building the student release (course/) from the instructor source (solutions/) with nbgrader."""

import logging
import tempfile
from pathlib import Path

from autograder.course import COURSE, DEFAULT_OUT, course_directory, modules, nbgrader_config


def _quiet_nbgrader():
    for name in ("traitlets", "nbgrader", "GenerateAssignment", "GenerateFeedback"):
        logging.getLogger(name).setLevel(logging.ERROR)


def release(names=None, out=DEFAULT_OUT, release_dir=COURSE):
    """Generate ``release_dir/<module>/<module>.ipynb`` for each module and register it in the gradebook.

    Returns the paths written. The gradebook (``out/gradebook.db``) learns each
    module's cells and points, which grading needs.
    """
    from nbgrader.converters import GenerateAssignment

    from autograder.gradebook import spare_nbgrader_a_subprocess

    _quiet_nbgrader()
    spare_nbgrader_a_subprocess()
    names = list(names or modules())
    Path(out).mkdir(parents=True, exist_ok=True)
    config = nbgrader_config(out, release_dir)
    written = []
    for name in names:
        coursedir = course_directory(config)
        coursedir.assignment_id = name
        converter = GenerateAssignment(coursedir=coursedir, config=config)
        converter.force = True
        converter.create_assignment = True
        converter.log.setLevel(logging.ERROR)
        converter.start()
        written.append(Path(release_dir) / name / f"{name}.ipynb")
    return written


def register(names=None, out=DEFAULT_OUT):
    """Make sure the gradebook in ``out`` knows the modules, without touching course/.

    Returns ``{module: release notebook text}`` from that fresh build, so that
    grading always compares a submission with a release that matches the source.
    """
    names = list(names or modules())
    with tempfile.TemporaryDirectory(prefix="release-") as scratch:
        paths = release(names, out=out, release_dir=scratch)
        return {name: path.read_text(encoding="utf-8") for name, path in zip(names, paths, strict=True)}


def stale_modules(names=None):
    """Modules whose committed release differs from a fresh build (empty when course/ is up to date)."""
    names = list(names or modules())
    stale = []
    with tempfile.TemporaryDirectory(prefix="release-check-") as scratch:
        scratch = Path(scratch)
        release(names, out=scratch / "grading", release_dir=scratch / "course")
        for name in names:
            fresh = scratch / "course" / name
            committed = COURSE / name
            fresh_files = {p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*") if p.is_file()}
            committed_files = (
                {p.relative_to(committed): p.read_bytes() for p in committed.rglob("*") if p.is_file()}
                if committed.is_dir()
                else {}
            )
            if fresh_files != committed_files:
                stale.append(name)
    return stale
