"""The class report (DIR/report.html): statistics checked against NumPy on synthetic results, possibly broken
test cells called out, student text made inert, the page self-contained; and the report of the graded sample
class agrees with its cells.csv."""

import csv
import html.parser
import re

import numpy as np
import pytest

from autograder import class_report
from autograder.class_report import CellOutcome, FailedCheck, Submission

MODULE = "01_perceptron"
POINTS = {"test_a": 2.0, "test_b": 3.0, "test_c": 1.0}


def _submission(student, scores, module=MODULE, **extra):
    cells = {
        gid: CellOutcome(
            gid, score, POINTS[gid], failed=[] if score == POINTS[gid] else [FailedCheck(f"{gid} check")]
        )
        for gid, score in scores.items()
    }
    total = sum(scores.values())
    return Submission(student, module, "graded", total, sum(POINTS.values()), cells, **extra)


def _random_class(n=12, seed=0):
    rng = np.random.default_rng(seed)
    ability = rng.uniform(0, 1, n)
    students = []
    for i in range(n):
        scores = {
            gid: float(np.round(points * np.clip(ability[i] + rng.normal(0, 0.25), 0, 1), 1))
            for gid, points in POINTS.items()
        }
        students.append(_submission(f"s{i:02d}", scores))
    return students


class Tables(html.parser.HTMLParser):
    """Every <table> of a page as a list of rows of cell texts, and every <img> with its attributes."""

    def __init__(self, text):
        super().__init__()
        self.tables, self.images, self._cell = [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def cell_table(page, module):
    """{grade_id: row} from the test-cell table of ``module``'s section of the page."""
    section = page.split(f'id="module-{module}"', 1)[1].split("</section>", 1)[0]
    for table in Tables(section).tables:
        if table and table[0][:2] == ["test cell", "points"]:
            header = table[0]
            return {row[0]: dict(zip(header, row, strict=True)) for row in table[1:]}
    raise AssertionError(f"no test-cell table in the section of {module}")


# -- statistics against NumPy ------------------------------------------------------------------------


def test_cell_statistics_match_numpy():
    students = _random_class()
    (stats,) = class_report.module_stats(students)
    scores = {gid: np.array([s.cells[gid].score for s in students]) for gid in POINTS}
    total = sum(scores.values())
    for cell in stats.cells:
        mine = scores[cell.grade_id]
        assert cell.mean == pytest.approx(mine.mean())
        assert cell.full_marks == pytest.approx(np.mean(mine == POINTS[cell.grade_id]))
        assert cell.zero == pytest.approx(np.mean(mine == 0))
        expected = np.corrcoef(mine, total - mine)[0, 1]
        assert cell.discrimination == pytest.approx(expected, abs=1e-12)
    assert stats.totals == pytest.approx(list(total))


def test_histogram_counts_every_student_once():
    totals = [0.0, 0.5, 3.0, 3.0, 5.9, 6.0]
    bands = class_report.histogram_counts(totals, 6.0, count=6)
    assert [n for *_, n in bands] == [2, 0, 0, 2, 0, 2]
    assert sum(n for *_, n in bands) == len(totals)


def test_correlation_is_undefined_for_a_constant_or_tiny_sample():
    assert class_report.correlation([1, 1, 1], [0, 1, 2]) is None
    assert class_report.correlation([0, 1], [0, 1]) is None
    with pytest.raises(ValueError, match="same length"):
        class_report.correlation([0, 1, 2], [0, 1])


# -- possibly broken cells ---------------------------------------------------------------------------


def test_a_cell_every_student_fails_is_called_out():
    students = [
        _submission(f"s{i}", {"test_a": a, "test_b": b, "test_c": 0.0})
        for i, (a, b) in enumerate([(2, 3), (1, 3), (0, 1), (2, 0)])
    ]
    (stats,) = class_report.module_stats(students)
    broken = {c.grade_id: c for c in stats.cells if c.possibly_broken}
    assert list(broken) == ["test_c"]
    assert "every student scored 0" in broken["test_c"].broken_reasons[0]
    page = class_report.render(students)
    warning = page.split('class="warning"', 1)[1].split("</div>", 1)[0]
    assert "test_c" in warning and "test_a" not in warning
    assert cell_table(page, MODULE)["test_c"]["full marks"] == "0%"


def test_negative_discrimination_is_called_out():
    # test_c is passed only by the students who do worst on the rest of the module.
    rows = [(2, 3, 0), (2, 2, 0), (1, 2, 0), (1, 1, 1), (0, 1, 1), (0, 0, 1)]
    students = [
        _submission(f"s{i}", {"test_a": a, "test_b": b, "test_c": c}) for i, (a, b, c) in enumerate(rows)
    ]
    (stats,) = class_report.module_stats(students)
    by_id = {c.grade_id: c for c in stats.cells}
    c = np.array([r[2] for r in rows], dtype=float)
    rest = np.array([r[0] + r[1] for r in rows], dtype=float)
    assert by_id["test_c"].discrimination == pytest.approx(np.corrcoef(c, rest)[0, 1])
    assert by_id["test_c"].discrimination < 0 and by_id["test_c"].possibly_broken
    assert not by_id["test_a"].possibly_broken and not by_id["test_b"].possibly_broken
    assert "negative discrimination" in class_report.render(students)


# -- failed checks, flagged, unreadable, manual grading ----------------------------------------------


def _result(student, tests, status="graded", **extra):
    return {"student": student, "module": MODULE, "status": status, "tests": tests, **extra}


def _test(gid, score, points, failed=()):
    parts = [{"title": "shape", "passed": True, "message": "", "hint": ""}]
    parts += [{"title": t, "passed": False, "message": m, "hint": h} for t, m, h in failed]
    return {"grade_id": gid, "score": score, "points": points, "parts": parts, "error": None}


def test_submissions_are_read_from_the_grading_results():
    wrong = ("sigmoid(-1000)", "expected 0, got nan", "Use np.exp(-abs(z)).")
    results = [
        _result("ana", {"test_sigmoid": _test("test_sigmoid", 2, 2)}, seconds=3.0),
        _result("bo", {"test_sigmoid": _test("test_sigmoid", 1, 2, [wrong])}, seconds=5.0),
        _result(
            "cy", {"test_sigmoid": _test("test_sigmoid", 1, 2, [wrong])}, flags=["possible tampering: x"]
        ),
        _result("di", {"test_sigmoid": _test("test_sigmoid", 0, 2)}, status="ungradeable", reason="not JSON"),
    ]
    rows = [
        {"score": 3, "max_score": 4, "manual_pending": 2},
        {"score": 1, "max_score": 4, "manual_pending": 2},
        {"score": 1, "max_score": 4, "manual_pending": 0},
        {"score": 0, "max_score": 4, "manual_pending": 0},
    ]
    subs = [Submission.from_result(r, row) for r, row in zip(results, rows, strict=True)]
    (stats,) = class_report.module_stats(subs)
    assert [s.student for s in stats.graded] == ["ana", "bo", "cy"]
    (check,) = stats.failed_checks
    assert (check.grade_id, check.title, check.count) == ("test_sigmoid", "sigmoid(-1000)", 2)
    assert check.messages == [("expected 0, got nan", "Use np.exp(-abs(z)).", 2)]
    page = class_report.render(subs, wall_seconds=75)
    tables = Tables(page).tables
    flagged = next(t for t in tables if any("possible tampering" in c for r in t for c in r))
    assert [r[0] for r in flagged[1:]] == ["cy"]
    unreadable = next(t for t in tables if any("not JSON" in c for r in t for c in r))
    assert [r[0] for r in unreadable[1:]] == ["di"]
    manual = next(t for t in tables if t[0] == ["module", "submissions", "points pending"])
    assert manual[1] == [MODULE, "2", "4"]
    assert "1 min 15 s" in page and "slowest 5.0 s (bo/01_perceptron)" in page


# -- the page: escaped, self-contained, figures described ---------------------------------------------

ATTACK = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_student_text_is_escaped():
    students = _random_class(6)
    students[0].cells["test_a"] = CellOutcome(
        "test_a", 0.0, 2.0, failed=[FailedCheck(ATTACK, message=ATTACK, hint=ATTACK)]
    )
    students[1].flags = [f"possible tampering: {ATTACK}"]
    students[2].status, students[2].reason = "ungradeable", f"cannot read {ATTACK}"
    page = class_report.render(students)
    assert "<img src=x" not in page and "<script" not in page
    # the title, the message, the hint, the flag and the reason: all shown, as text
    assert (
        page.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;") == 5
    )


def test_page_is_self_contained_with_described_figures():
    students = _random_class(8)
    page = class_report.render(students, wall_seconds=12)
    links = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert links and all(link.startswith(("data:image/png;base64,", "#")) for link in links)
    assert "<link" not in page and "<script" not in page and "@import" not in page
    images = Tables(page).images
    assert len(images) == 2
    for image in images:
        assert len(image["alt"]) > 40
    histogram = images[0]["alt"]
    bands = class_report.histogram_counts([s.score for s in students], 6.0)
    for low, high, n in bands:
        if n:
            assert f"{low:g} to {high:g}: {n}" in histogram
    assert "8 graded students" in histogram
    means = images[1]["alt"]
    (stats,) = class_report.module_stats(students)
    for cell in stats.cells:
        assert f"{cell.grade_id}: {100 * cell.mean / cell.points:.0f}%" in means


# -- the graded sample class -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.grading
def test_report_of_the_sample_class_agrees_with_cells_csv():
    from tests.test_sample_class import graded

    result = graded()
    page = (result.out / "report.html").read_text(encoding="utf-8")
    with open(result.out / "cells.csv", encoding="utf-8") as handle:
        cells = list(csv.DictReader(handle))
    graded_rows = {(r["student"], r["module"]) for r in result.rows.values() if r["status"] == "graded"}
    for module in sorted({c["module"] for c in cells}):
        table = cell_table(page, module)
        by_cell = {}
        for c in cells:
            if c["module"] == module and (c["student"], module) in graded_rows:
                by_cell.setdefault(c["grade_id"], []).append((float(c["score"]), float(c["max_score"])))
        assert set(table) == set(by_cell), module
        for gid, scores in by_cell.items():
            values = np.array([s for s, _ in scores])
            assert float(table[gid]["mean score"]) == pytest.approx(values.mean(), abs=0.005), (module, gid)
            assert table[gid]["students"] == str(len(values))
            assert table[gid]["full marks"] == f"{100 * np.mean(values >= scores[0][1]):.0f}%"
    flagged = {(r["student"], r["module"]) for r in result.rows.values() if r["flags"]}
    unreadable = {(r["student"], r["module"]) for r in result.rows.values() if r["status"] != "graded"}
    assert flagged and unreadable
    for student, module in flagged | unreadable:
        assert f"<tr><td>{student}</td><td>{module}</td>" in page
    assert "Written answers still to grade" in page
    assert len(Tables(page).images) == 2 * len({m for _, m in graded_rows})
    assert (result.out / "similarity.csv").read_text(encoding="utf-8").startswith("module,student_a")
