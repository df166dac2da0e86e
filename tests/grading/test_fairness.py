"""Fairness against independent cases (issue 11), graded in one batch of the fixture module.

- feedback never shows a hidden part's title, inputs or expected values, only "a further check of
  `name` failed" and the hint of a mistake the value reproduced;
- hidden inputs differ per student: outputs hard-coded from one student's hidden inputs gain nothing
  for a classmate;
- provided helpers come from the instructor's notebook: redefining one changes nothing;
- a student's markup is inert in the autograded notebook and the feedback HTML.
"""

import re

import nbformat
import numpy as np
import pytest

import nbchecks
from autograder import variants
from autograder.boundary.isolation import bwrap_works
from tests.grading import results
from tests.grading.attacks import HIDDEN_TEXT, MODULE, Fixture

pytestmark = [pytest.mark.slow, pytest.mark.grading]

SECRET = "0123456789abcdef" * 4
WRONG_SIGMOID = "def sigmoid(z):\n    return z"
VISIBLE_RELU_OUTPUTS = {(-1.0, 0.0, 2.0): [0.0, 0.0, 2.0], (-3.0, 0.5, 4.0): [0.0, 0.5, 4.0]}
MARKUP = """My answer: layers collapse.

<script>alert("XSS-script")</script>
<img src=x onerror='alert("XSS-onerror")'>
<body onload='alert("XSS-onload")'>
[a link](javascript:alert("XSS-link"))
[ref]: javascript:alert("XSS-ref")

[by reference][ref]
<a href="javascript:alert('XSS-anchor')">anchor</a>
<iframe src="https://example.org/XSS-iframe"></iframe>
<svg><script>alert("XSS-svg")</script><circle onload='alert("XSS-circle")'/></svg>
![picture](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoJ1hTUy1kYXRhJyk+)
<a href="data:text/html,<script>alert('XSS-data')</script>">data link</a>
<style>body { background: url("javascript:alert('XSS-style')") }</style>
"""


def hidden_relu_inputs(student):
    """The random hidden inputs of test_relu for ``student``, as the grader draws them."""
    with nbchecks.grading_variant(variants.seed(SECRET, student, MODULE)):
        z = nbchecks.hidden_rng("relu").normal(size=6).round(6)
    z[:2] = [-abs(z[0]) - 0.1, abs(z[1]) + 0.1]  # as the fixture's test does
    return z


def recording_relu(recorded):
    """A relu that knows only the outputs for inputs it has seen (hard-coded), zeros otherwise."""
    table = {tuple(float(x) for x in k): list(v) for k, v in recorded.items()}
    return (
        "import numpy as np\n"
        f"RECORDED = {table!r}\n"
        "def relu(z):\n"
        "    z = np.asarray(z, dtype=float)\n"
        "    key = tuple(float(x) for x in z.ravel())\n"
        "    if key in RECORDED:\n"
        "        return np.array(RECORDED[key]).reshape(z.shape)\n"
        "    return np.zeros_like(z)\n"
    )


def class_notebooks():
    alice = hidden_relu_inputs("alice")
    from_alice = dict(VISIBLE_RELU_OUTPUTS)
    from_alice[tuple(alice)] = list(np.maximum(0.0, alice))
    copied = {"relu": recording_relu(from_alice)}
    return {
        "wrong": ({"sigmoid": WRONG_SIGMOID, "relu": "def relu(z):\n    return z"}, "solution"),
        "alice": (copied, "solution"),
        "bob": (copied, "solution"),
        "visible-only": ({"relu": recording_relu(VISIBLE_RELU_OUTPUTS)}, "solution"),
        "own-helper": (
            {
                "relu": "import numpy as np\n"
                "def make_inputs():\n    return np.array([-1.0, -2.0, -3.0])\n"
                "def relu(z):\n    return np.zeros_like(np.asarray(z, dtype=float))\n"
            },
            "solution",
        ),
        "no-effort-relu": (
            {"relu": "import numpy as np\ndef relu(z):\n    return np.zeros_like(z)\n"},
            "solution",
        ),
        "markup": ({"written_why": MARKUP}, "solution"),
    }


@pytest.fixture(scope="module")
def graded(course_root, tmp_path_factory):
    if not bwrap_works():
        pytest.skip("bubblewrap is not available here")
    base = tmp_path_factory.mktemp("fairness")
    fixture = Fixture(course_root.root)
    for student, (answers, kind) in class_notebooks().items():
        notebook = fixture.notebook(kind, answers)
        if student == "markup":  # a cell of its own, a raw cell the page would copy as HTML, a hostile name
            extra = nbformat.v4.new_markdown_cell("<img src=x onerror=\"alert('XSS-extra')\">")
            raw = nbformat.v4.new_raw_cell(
                "<script>alert('XSS-raw')</script>", metadata={"format": "text/html"}
            )
            notebook.cells[1:1] = [extra, raw]
            name = "<img src=x onerror=alert('XSS-name')>.ipynb"
        else:
            name = f"{MODULE}.ipynb"
        path = base / "class" / student / MODULE / name
        path.parent.mkdir(parents=True)
        nbformat.write(notebook, str(path))
    out = base / "out"
    out.mkdir()
    (out / variants.SECRET_FILE).write_text(SECRET + "\n")
    course_root.cli("grade", base / "class", "--out", out, "--jobs", "2")
    return out


def feedback_html(out, student):
    return (out / "feedback" / student / MODULE / f"{MODULE}.html").read_text(encoding="utf-8")


def test_hidden_parts_show_neither_titles_nor_inputs_nor_expected_values(graded):
    text, _ = results.autograded_text(graded, "wrong", MODULE)
    assert "a further check of `sigmoid` failed" in text and "a further check of `relu` failed" in text
    assert "returned its input unchanged" in text, "the hint of the mistake the value reproduced is missing"
    random_inputs = [f"{x:.4f}"[:6] for x in hidden_relu_inputs("wrong")]
    everywhere = {
        "autograded notebook": (graded / "autograded" / "wrong" / MODULE / f"{MODULE}.ipynb").read_text(),
        "feedback": feedback_html(graded, "wrong"),
        "cells.csv": (graded / "cells.csv").read_text(),
        "grades.csv": (graded / "grades.csv").read_text(),
    }
    for where, content in everywhere.items():
        for secret in [*HIDDEN_TEXT, *random_inputs]:
            assert secret not in content, f"{where} shows {secret!r}, which only a hidden part knows"


def test_hard_coded_hidden_outputs_gain_nothing_for_a_classmate(graded):
    scores = results.cells(graded)
    # alice passes the random hidden part on her own recorded inputs (not the fixed matrix part)...
    assert scores[("alice", MODULE)]["test_relu"] == 1.5
    # ...bob submits the same notebook: his hidden inputs differ, so he scores like the visible-only copy
    assert scores[("bob", MODULE)]["test_relu"] == scores[("visible-only", MODULE)]["test_relu"] == 1.0


def test_variant_seeds_are_per_student_stable_and_keyed():
    first = variants.seed(SECRET, "alice", MODULE)
    assert first == variants.seed(SECRET, "alice", MODULE)
    assert first != variants.seed(SECRET, "bob", MODULE)
    assert first != variants.seed(SECRET, "alice", "01_perceptron")
    assert first != variants.seed("f" * 64, "alice", MODULE)
    assert not np.array_equal(hidden_relu_inputs("alice"), hidden_relu_inputs("bob"))


def test_a_redefined_provided_helper_changes_nothing(graded):
    scores = results.cells(graded)
    honest_zero = scores[("no-effort-relu", MODULE)]["test_relu"]
    assert scores[("own-helper", MODULE)]["test_relu"] == honest_zero == 0.0


def test_student_markup_is_inert_in_the_autograded_notebook_and_the_feedback(graded):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    notebook = nbformat.read(str(graded / "autograded" / "markup" / MODULE / f"{MODULE}.ipynb"), as_version=4)
    rendered = "\n".join(markdown2html_mistune(c.source) for c in notebook.cells if c.cell_type == "markdown")
    rendered += "\n".join(c.source for c in notebook.cells if c.cell_type == "raw")
    page = feedback_html(graded, "markup")
    for where, content in {"autograded notebook": rendered, "feedback": page}.items():
        live = results.live_parts(content)
        active = [part for part in live if "XSS" in part]
        assert not active, f"the student's markup is live in the {where}: {active}"
        unsafe = [p for p in live if re.match(r"(href|src)=\s*(javascript|data|vbscript):", p, re.I)]
        assert not unsafe, f"the {where} has script or data URLs: {unsafe}"
    assert "My answer: layers collapse." in page, "the student's own words must still be shown"
    assert results.grades(graded)[("markup", MODULE)]["status"] == "graded"


def test_a_new_submission_gets_new_hidden_inputs_and_a_regrade_the_same():
    first = variants.seed(SECRET, "alice", MODULE, "2026-11-20 17:04:59.123456 UTC")
    assert first == variants.seed(SECRET, "alice", MODULE, "2026-11-20 17:04:59.123456 UTC")
    assert first != variants.seed(SECRET, "alice", MODULE, "2026-11-21 09:00:00.000000 UTC")
