"""nbgrader configuration for the course (used by `python -m autograder`, the formgrader and Validate).

JupyterLab finds this file when started with JUPYTER_CONFIG_PATH pointing at this folder
(`make lab`, `make formgrader` and Binder's `start` do that). Paths are relative to the repository.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

_repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_grading = os.environ.get("NN4NLP_GRADING_DIR", os.path.join(_repo, "grading"))

c.CourseDirectory.root = _repo
c.CourseDirectory.course_id = "nn4nlp"
# The instructor notebooks are the source; the generated student notebooks are the release.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "course"
# Everything grading writes lives in one git-ignored folder.
c.CourseDirectory.submitted_directory = os.path.join(_grading, "submitted")
c.CourseDirectory.autograded_directory = os.path.join(_grading, "autograded")
c.CourseDirectory.feedback_directory = os.path.join(_grading, "feedback")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_grading, "gradebook.db")

# What students see in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Validate (and plain `nbgrader autograde`) give each cell this many seconds: training cells in
# modules 05 to 08 take a few seconds on a laptop, and up to a minute on a busy Binder.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# The formgrader's Autograde button (and `nbgrader autograde`) grade through the course's sandboxed
# grader, as `python -m autograder grade` does, never by running student code in the server's process;
# without a working sandbox they refuse before anything is changed (autograder/formgrader.py).
c.Autograde.exporter_class = "autograder.formgrader.CourseGraderExporter"
c.Autograde.sanitize_preprocessors = []
c.Autograde.autograde_preprocessors = ["autograder.formgrader.CourseGrading"]
# nbgrader would make the autograded notebook read-only (444): `python -m autograder grade` rewrites it.
c.Autograde.permissions = 644
