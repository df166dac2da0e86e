"""Where the course lives and how nbgrader sees it.

One nbgrader assignment per module: ``solutions/<module>/<module>.ipynb`` is the
instructor source and ``course/<module>/<module>.ipynb`` the student release.
"""

import os
import re
import sys
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

PACKAGE = Path(__file__).resolve().parent
REPO = Path(os.environ.get("NN4NLP_ROOT", PACKAGE.parent)).resolve()
SOLUTIONS = REPO / "solutions"
COURSE = REPO / "course"
SAMPLE_CLASS = PACKAGE / "sample_class"
DEFAULT_OUT = REPO / "grading"
CONFIG_FILE = PACKAGE / "nbgrader_config.py"

MODULE_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


class CourseError(Exception):
    """A problem with the course layout or a command's arguments (shown as one line)."""


def modules():
    """The course modules, in order (folders of solutions/ holding <name>/<name>.ipynb)."""
    if not SOLUTIONS.is_dir():
        raise CourseError(f"{SOLUTIONS}: folder not found; expected the instructor notebooks here")
    return sorted(
        p.name for p in SOLUTIONS.iterdir() if MODULE_NAME.match(p.name) and (p / f"{p.name}.ipynb").is_file()
    )


def check_module(name):
    known = modules()
    if name not in known:
        raise CourseError(f"unknown module {name!r}; expected one of: {', '.join(known)}")
    return name


def source_path(module):
    return SOLUTIONS / module / f"{module}.ipynb"


def release_path(module, release_dir=COURSE):
    return Path(release_dir) / module / f"{module}.ipynb"


def _tools_on_path():
    """nbgrader runs helper programs (alembic) by name: find them beside this Python."""
    tools = os.path.dirname(sys.executable)
    if tools not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = tools + os.pathsep + os.environ.get("PATH", "")


def nbgrader_config(out=DEFAULT_OUT, release_dir=COURSE):
    """nbgrader's configuration, from autograder/nbgrader_config.py, with the output folders moved to ``out``."""
    _tools_on_path()
    loader = PyFileConfigLoader(CONFIG_FILE.name, path=str(CONFIG_FILE.parent))
    config = loader.load_config()
    out = Path(out).resolve()
    config.CourseDirectory.root = str(REPO)
    config.CourseDirectory.source_directory = str(SOLUTIONS)
    config.CourseDirectory.release_directory = str(Path(release_dir).resolve())
    config.CourseDirectory.submitted_directory = str(out / "submitted")
    config.CourseDirectory.autograded_directory = str(out / "autograded")
    config.CourseDirectory.feedback_directory = str(out / "feedback")
    config.CourseDirectory.db_url = f"sqlite:///{out / 'gradebook.db'}"
    config.merge(Config({"Application": {"log_level": "WARN"}}))
    return config


def course_directory(config):
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=config)
