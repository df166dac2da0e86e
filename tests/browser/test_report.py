"""The class report (DIR/report.html) in headless Chromium: every figure loads, the console shows no error,
and the page asks for nothing beyond itself (no network).

The report is built from synthetic results of a small class, with a similar pair so that the side-by-side
section is on the page too. Chromium and Playwright come from tests/browser/conftest.py; JupyterLab is not
needed here.
"""

import numpy as np
import pytest

from autograder import class_report, similarity
from autograder.class_report import CellOutcome, FailedCheck, Submission
from autograder.course import release_path, source_path
from tests import notebooks

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MODULE = "01_perceptron"
ATTACK = "<img src=x onerror=\"console.error('escaped too little')\">"


def _class():
    rng = np.random.default_rng(1)
    students = []
    for i in range(9):
        cells = {}
        for gid, points in (("test_step", 2.0), ("test_relu", 3.0), ("test_train_perceptron", 4.0)):
            score = float(np.round(points * rng.uniform(), 1))
            failed = (
                [] if score == points else [FailedCheck("a check", f"expected 1, got {ATTACK}", "a hint")]
            )
            cells[gid] = CellOutcome(gid, score, points, failed)
        total = sum(c.score for c in cells.values())
        students.append(Submission(f"student{i}", MODULE, "graded", total, 11.0, cells, seconds=2.0 + i))
    students[0].flags = [f"possible tampering: {ATTACK}"]
    students.append(Submission("late", MODULE, "ungradeable", 0.0, 11.0, reason=f"not JSON {ATTACK}"))
    return students


def _similar_pairs():
    model = notebooks.solutions(MODULE)["train_perceptron"]
    renamed = model.replace("mistakes", "errors").replace("count", "wrong").replace("target", "label")
    answers = {"ann": {"train_perceptron": model}, "bob": {"train_perceptron": renamed + f"# {ATTACK}\n"}}
    source, release = notebooks.read(source_path(MODULE)), notebooks.read(release_path(MODULE))
    result = similarity.compare_module(MODULE, answers, source, release)
    assert result.pairs, "the planted pair should be reported"
    return [result]


def test_report_figures_load_without_console_errors(browser, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(
        class_report.render(_class(), 42.0, class_report.similarity_section(_similar_pairs())),
        encoding="utf-8",
    )
    context = browser.new_context()
    page = context.new_page()
    console, requested = [], []
    page.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    page.on("pageerror", lambda error: console.append(f"[pageerror] {error}"))
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        images = page.evaluate(
            """() => Array.from(document.images).map(i => ({
                complete: i.complete, width: i.naturalWidth, alt: i.alt, shown: i.getBoundingClientRect().width
            }))"""
        )
        marks = page.evaluate("() => document.querySelectorAll('mark').length")
        injected = page.evaluate("() => document.querySelectorAll('img[src=x]').length")
    finally:
        context.close()
    assert len(images) == 2
    for image in images:
        assert image["complete"] and image["width"] > 0 and image["shown"] > 0, image
        assert "Histogram" in image["alt"] or "Bar chart" in image["alt"]
    assert marks > 0, "the similar stretches should be highlighted"
    assert injected == 0, "student text became markup"
    assert not [line for line in console if line.startswith(("[error]", "[pageerror]"))], console
    assert all(url.startswith(("file:", "data:")) for url in requested), requested
