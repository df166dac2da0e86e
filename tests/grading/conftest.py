"""A tiny fixture course (tests/fixtures/course) released into a temporary root, and a way to run the CLI on it."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "course"


class CourseRoot:
    def __init__(self, root):
        self.root = root

    def env(self, **extra):
        env = dict(os.environ, NN4NLP_ROOT=str(self.root), PYTHONUNBUFFERED="1")
        env.update(extra)
        return env

    def cli(self, *args, check=True, **env):
        result = subprocess.run(
            [sys.executable, "-m", "autograder", *map(str, args)],
            capture_output=True,
            text=True,
            env=self.env(**env),
            timeout=1800,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"autograder {' '.join(map(str, args))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result


@pytest.fixture(scope="session")
def course_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("fixture-course")
    shutil.copytree(FIXTURE / "solutions", root / "solutions")
    course = CourseRoot(root)
    course.cli("release", "--out", root / "grading")
    return course


@pytest.fixture
def folder_under_tmp():
    """An empty folder under /tmp that every user can enter, removed afterwards."""
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="course-under-tmp-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)
