"""The class report: one self-contained HTML page (``DIR/report.html``) about a graded batch.

Built from the results the batch already has (one :class:`Submission` per graded notebook, with the
outcome of every test cell and the checks that failed), never from sentences in the grade table. Per
module it shows the distribution of total scores; per test cell the mean score, the share of students with
full marks and the cell's discrimination; the checks that failed most often with the feedback students
got; flagged and unreadable submissions; written answers still to grade by hand; and how long grading took.

Discrimination is the Pearson correlation, over the module's graded submissions, between a test cell's
score and the *rest* of the module's automatic score (the total of the other test cells). Leaving the cell
out of the total keeps a cell worth many points from correlating with itself. A cell that every student
fails, or whose discrimination is negative (the stronger students do worse on it), is called out as
possibly broken.

Figures are drawn with matplotlib's Agg backend and embedded as base64 PNG with an alt text that states
their numbers; the page loads nothing from the network. Everything that comes from a student (ids, feedback
quoting their values, code) is HTML-escaped.
"""

import base64
import collections
import dataclasses
import html
import io
import math
import statistics
from pathlib import Path

import nbformat

from autograder import similarity

#: Failed checks listed per module in the report.
TOP_FAILED_CHECKS = 10
#: Different feedback messages shown per failed check.
MESSAGES_PER_CHECK = 3


@dataclasses.dataclass
class FailedCheck:
    """One check of a test cell that did not pass, with the feedback the student got."""

    title: str
    message: str = ""
    hint: str = ""


@dataclasses.dataclass
class CellOutcome:
    """The automatic score of one test cell of one submission."""

    grade_id: str
    score: float
    points: float
    failed: list = dataclasses.field(default_factory=list)  # of FailedCheck
    error: str = ""  # why the cell scored nothing when no check ran (a crash, a timeout, not reached)


@dataclasses.dataclass
class Submission:
    """One graded (or ungradeable) notebook: what the report needs of the batch's result."""

    student: str
    module: str
    status: str  # "graded" or "ungradeable"
    score: float  # total, written answers graded by hand included
    max_score: float
    cells: dict = dataclasses.field(default_factory=dict)  # grade_id -> CellOutcome
    reason: str = ""
    flags: list = dataclasses.field(default_factory=list)
    manual_pending: float = 0.0
    seconds: float = 0.0
    answers: dict = dataclasses.field(default_factory=dict)  # grade_id -> the student's code (answer cells)

    @classmethod
    def from_result(cls, result, row):
        """From a grading result (:func:`autograder.grading.grade_job`) and its grade-table row."""
        cells = {}
        for gid, test in result.get("tests", {}).items():
            failed = [
                FailedCheck(str(p.get("title", "")), str(p.get("message") or ""), str(p.get("hint") or ""))
                for p in test.get("parts", [])
                if not p.get("passed")
            ]
            cells[gid] = CellOutcome(
                grade_id=gid,
                score=float(test["score"]),
                points=float(test["points"]),
                failed=failed,
                error=str(test.get("error") or ""),
            )
        answers = {}
        if result["status"] == "graded" and result.get("notebook"):
            answers = similarity.answer_cells(nbformat.reads(result["notebook"], as_version=4))
        return cls(
            student=result["student"],
            module=result["module"],
            status=result["status"],
            score=float(row["score"]),
            max_score=float(row["max_score"]),
            cells=cells,
            reason=str(result.get("reason") or row.get("reason") or ""),
            flags=[f["message"] if isinstance(f, dict) else str(f) for f in result.get("flags", [])],
            manual_pending=float(row.get("manual_pending") or 0),
            seconds=float(result.get("seconds") or 0),
            answers=answers,
        )

    @property
    def auto_score(self):
        return sum(c.score for c in self.cells.values())


# -- statistics ----------------------------------------------------------------------------------------


def correlation(x, y):
    """Pearson's r of two equally long sequences; None when either is constant or shorter than 3."""
    n = len(x)
    if n != len(y):
        raise ValueError(f"correlation needs two sequences of the same length, got {n} and {len(y)}")
    if n < 3:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 1e-12 * max(1.0, mx * mx) * n or syy <= 1e-12 * max(1.0, my * my) * n:
        return None
    return sxy / math.sqrt(sxx * syy)


@dataclasses.dataclass
class CellStats:
    grade_id: str
    points: float
    students: int
    mean: float
    full_marks: float  # share of students with every point
    zero: float  # share of students with no point
    discrimination: float | None
    broken_reasons: list

    @property
    def possibly_broken(self):
        return bool(self.broken_reasons)


@dataclasses.dataclass
class CheckStats:
    grade_id: str
    title: str
    count: int
    messages: list  # (message, hint, how many students got it), most frequent first


@dataclasses.dataclass
class ModuleStats:
    module: str
    submissions: list  # every Submission of the module, sorted by student
    graded: list  # those that were graded (the statistics are over these)
    max_score: float
    cells: list  # CellStats, in the notebook's order of grade ids
    failed_checks: list  # CheckStats, most frequent first

    @property
    def totals(self):
        return [s.score for s in self.graded]


def cell_stats(graded, grade_id):
    """Statistics of one test cell over the graded submissions that have it."""
    having = [s for s in graded if grade_id in s.cells]
    points = max(s.cells[grade_id].points for s in having)
    scores = [s.cells[grade_id].score for s in having]
    rest = [s.auto_score - s.cells[grade_id].score for s in having]
    n = len(scores)
    full = sum(1 for v in scores if v >= points - 1e-9) / n
    zero = sum(1 for v in scores if v <= 1e-9) / n
    discrimination = correlation(scores, rest)
    reasons = []
    if points > 0 and zero == 1.0:
        reasons.append(f"every student scored 0 (all {n})")
    if discrimination is not None and discrimination < 0:
        reasons.append(f"negative discrimination ({discrimination:.2f})")
    return CellStats(grade_id, points, n, sum(scores) / n, full, zero, discrimination, reasons)


def check_stats(graded):
    """The checks that failed, counted over students, with the different feedback messages they got."""
    counts = collections.Counter()
    messages = collections.defaultdict(collections.Counter)
    for submission in graded:
        for gid, cell in submission.cells.items():
            seen = set()
            failures = cell.failed or (
                [FailedCheck("(the test cell itself)", cell.error)] if cell.error else []
            )
            for check in failures:
                key = (gid, check.title)
                if key in seen:
                    continue
                seen.add(key)
                counts[key] += 1
                messages[key][(check.message.strip(), check.hint.strip())] += 1
    result = []
    for (gid, title), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        shown = [(m, h, c) for (m, h), c in messages[(gid, title)].most_common(MESSAGES_PER_CHECK)]
        result.append(CheckStats(gid, title, count, shown))
    return result


def module_stats(submissions):
    """:class:`ModuleStats` per module, in module order."""
    by_module = collections.defaultdict(list)
    for s in submissions:
        by_module[s.module].append(s)
    result = []
    for module in sorted(by_module):
        subs = sorted(by_module[module], key=lambda s: s.student)
        graded = [s for s in subs if s.status == "graded"]
        order = []
        for s in subs:
            order.extend(gid for gid in s.cells if gid not in order)
        cells = [cell_stats(graded, gid) for gid in order if any(gid in s.cells for s in graded)]
        result.append(
            ModuleStats(
                module=module,
                submissions=subs,
                graded=graded,
                max_score=max((s.max_score for s in subs), default=0.0),
                cells=cells,
                failed_checks=check_stats(graded),
            )
        )
    return result


# -- figures -------------------------------------------------------------------------------------------


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _bins(max_score, count=10):
    top = max(max_score, 1e-9)
    width = top / count
    return [i * width for i in range(count + 1)]


def histogram_counts(totals, max_score, count=10):
    """Students per score band: ``[(low, high, n)]``; the last band includes the maximum."""
    edges = _bins(max_score, count)
    bands = []
    for i in range(count):
        low, high = edges[i], edges[i + 1]
        last = i == count - 1
        n = sum(1 for t in totals if low - 1e-9 <= t and (t <= high + 1e-9 if last else t < high - 1e-9))
        bands.append((low, high, n))
    return bands


def score_figure(stats):
    """The distribution of total scores: (base64 PNG, alt text)."""
    from matplotlib.figure import Figure  # no pyplot: drawn by the Agg canvas, no window, no global state

    bands = histogram_counts(stats.totals, stats.max_score)
    figure = Figure(figsize=(6, 2.6))
    axes = figure.subplots()
    axes.bar(
        [(lo + hi) / 2 for lo, hi, _ in bands],
        [n for *_, n in bands],
        width=(bands[0][1] - bands[0][0]) * 0.9,
        color="#3b6ea5",
    )
    axes.set_xlabel(f"total score (out of {stats.max_score:g})")
    axes.set_ylabel("students")
    axes.set_xlim(0, max(stats.max_score, 1e-9))
    axes.yaxis.get_major_locator().set_params(integer=True)
    described = "; ".join(f"{lo:g} to {hi:g}: {n}" for lo, hi, n in bands if n)
    alt = (
        f"Histogram of the total scores of {len(stats.totals)} graded students in {stats.module}, "
        f"out of {stats.max_score:g} points. Students per score band: {described or 'none'}."
    )
    return _png(figure), alt


def cell_figure(stats):
    """The mean score of each test cell as a share of its points: (base64 PNG, alt text)."""
    from matplotlib.figure import Figure

    names = [c.grade_id for c in stats.cells]
    shares = [100 * c.mean / c.points if c.points else 0.0 for c in stats.cells]
    figure = Figure(figsize=(6, 0.4 + 0.32 * max(len(names), 1)))
    axes = figure.subplots()
    colors = ["#b03a2e" if c.possibly_broken else "#3b6ea5" for c in stats.cells]
    axes.barh(range(len(names)), shares, color=colors)
    axes.set_yticks(range(len(names)), names)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("mean score, % of the cell's points (red: possibly broken)")
    described = "; ".join(f"{n}: {s:.0f}%" for n, s in zip(names, shares, strict=True))
    alt = f"Bar chart of the mean score of each test cell of {stats.module}, in % of its points: {described}."
    return _png(figure), alt


# -- the page ------------------------------------------------------------------------------------------

e = html.escape

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 1rem auto; padding: 0 1rem; color: #1c1c1c; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.broken td { background: #fbe4e1; }
.warning { border-left: 4px solid #b03a2e; padding: 0.25rem 0.75rem; background: #fdf1ef; }
.note { border-left: 4px solid #3b6ea5; padding: 0.25rem 0.75rem; background: #eef3f9; }
pre { white-space: pre-wrap; margin: 0; font-size: 0.85rem; }
mark { background: #ffe38a; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem; }
.pair > div { border: 1px solid #bbb; padding: 0.25rem 0.5rem; overflow-x: auto; }
"""


def _num(x):
    return "—" if x is None else f"{x:.2f}"


def _pct(x):
    return f"{100 * x:.0f}%"


def _seconds(total):
    minutes, seconds = divmod(round(total), 60)
    return f"{minutes} min {seconds} s" if minutes else f"{total:.1f} s"


def _figure_html(png_alt, caption):
    png, alt = png_alt
    return (
        f'<figure><img src="data:image/png;base64,{png}" alt="{e(alt)}">'
        f"<figcaption>{e(caption)}</figcaption></figure>"
    )


def _module_section(stats):
    parts = [f'<section id="module-{e(stats.module)}"><h2>{e(stats.module)}</h2>']
    n_all, n_graded = len(stats.submissions), len(stats.graded)
    totals = stats.totals
    if totals:
        mean = sum(totals) / len(totals)
        parts.append(
            f"<p>{n_graded} of {n_all} submissions graded; mean total {mean:.2f} of {stats.max_score:g} "
            f"points (median {statistics.median(totals):g}).</p>"
        )
        parts.append(_figure_html(score_figure(stats), f"Total scores in {stats.module}."))
    else:
        parts.append(f"<p>None of the {n_all} submissions could be graded.</p>")
    broken = [c for c in stats.cells if c.possibly_broken]
    if broken:
        items = "".join(f"<li><b>{e(c.grade_id)}</b>: {e('; '.join(c.broken_reasons))}</li>" for c in broken)
        parts.append(
            '<div class="warning"><p><b>Possibly broken test cells</b>: check the test and the model answer '
            f"before trusting these scores.</p><ul>{items}</ul></div>"
        )
    if stats.cells:
        parts.append(
            "<h3>Test cells</h3><table><thead><tr><th>test cell</th><th>points</th><th>students</th>"
            "<th>mean score</th><th>full marks</th><th>no points</th><th>discrimination</th></tr></thead><tbody>"
        )
        for c in stats.cells:
            row_class = ' class="broken"' if c.possibly_broken else ""
            parts.append(
                f"<tr{row_class}><td>{e(c.grade_id)}</td><td class=num>{c.points:g}</td>"
                f"<td class=num>{c.students}</td><td class=num>{c.mean:.2f}</td>"
                f"<td class=num>{_pct(c.full_marks)}</td><td class=num>{_pct(c.zero)}</td>"
                f"<td class=num>{_num(c.discrimination)}</td></tr>"
            )
        parts.append("</tbody></table>")
        parts.append(_figure_html(cell_figure(stats), f"Mean score per test cell in {stats.module}."))
    if stats.failed_checks:
        parts.append(
            "<h3>Checks failed most often</h3><table><thead><tr><th>test cell</th><th>check</th>"
            "<th>students</th><th>feedback they got (how many)</th></tr></thead><tbody>"
        )
        for check in stats.failed_checks[:TOP_FAILED_CHECKS]:
            feedback = "".join(
                f"<li><pre>{e(m)}</pre>{f'<pre>Hint: {e(h)}</pre>' if h else ''} ({c})</li>"
                for m, h, c in check.messages
            )
            parts.append(
                f"<tr><td>{e(check.grade_id)}</td><td>{e(check.title)}</td>"
                f"<td class=num>{check.count}</td><td><ul>{feedback}</ul></td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</section>")
    return "".join(parts)


def _submission_list(title, rows, empty, why):
    if not rows:
        return f"<h2>{e(title)}</h2><p>{e(empty)}</p>"
    body = "".join(
        f"<tr><td>{e(s.student)}</td><td>{e(s.module)}</td><td>{e(why(s))}</td></tr>" for s in rows
    )
    return (
        f"<h2>{e(title)}</h2><table><thead><tr><th>student</th><th>module</th><th>why</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _manual_section(submissions):
    pending = collections.defaultdict(lambda: [0, 0.0])
    for s in submissions:
        if s.manual_pending:
            pending[s.module][0] += 1
            pending[s.module][1] += s.manual_pending
    if not pending:
        return "<h2>Grading by hand</h2><p>No written answer is waiting to be graded.</p>"
    body = "".join(
        f"<tr><td>{e(m)}</td><td class=num>{n}</td><td class=num>{p:g}</td></tr>"
        for m, (n, p) in sorted(pending.items())
    )
    return (
        "<h2>Grading by hand</h2><p>Written answers still to grade in the formgrader "
        "(<code>make formgrader</code>):</p><table><thead><tr><th>module</th><th>submissions</th>"
        f"<th>points pending</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _time_section(submissions, wall_seconds):
    times = sorted(s.seconds for s in submissions if s.status == "graded")
    if not times:
        return f"<h2>Grading time</h2><p>The batch took {_seconds(wall_seconds)}.</p>"
    slowest = max((s for s in submissions if s.status == "graded"), key=lambda s: s.seconds)
    return (
        f"<h2>Grading time</h2><p>The batch took {_seconds(wall_seconds)} of wall time for "
        f"{len(submissions)} notebooks. Per graded notebook: mean {sum(times) / len(times):.1f} s, "
        f"median {statistics.median(times):.1f} s, slowest {slowest.seconds:.1f} s "
        f"({e(slowest.student)}/{e(slowest.module)}).</p>"
    )


def render(submissions, wall_seconds=0.0, similarity_html=""):
    """The whole page, as a string."""
    stats = module_stats(submissions)
    flagged = [s for s in submissions if s.flags]
    unreadable = [s for s in submissions if s.status != "graded"]
    broken = [(m.module, c.grade_id) for m in stats for c in m.cells if c.possibly_broken]
    summary = (
        f"{len(submissions)} notebooks from {len({s.student for s in submissions})} students in "
        f"{len(stats)} module(s); {len(flagged)} flagged, {len(unreadable)} could not be graded, "
        f"{len(broken)} test cell(s) possibly broken."
    )
    toc = "".join(f'<li><a href="#module-{e(m.module)}">{e(m.module)}</a></li>' for m in stats)
    body = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Class report</title><style>{STYLE}</style></head><body>",
        "<h1>Class report</h1>",
        f"<p>{e(summary)}</p>",
        '<p class="note">Statistics are over the submissions that could be graded. <b>Discrimination</b> is '
        "the correlation between a test cell's score and the rest of the module's automatic score (the "
        "other test cells); near 0 means the cell does not tell stronger from weaker students, negative "
        "means stronger students do worse on it. A cell that every student fails, or with negative "
        "discrimination, is marked <b>possibly broken</b>. With few students these numbers are noisy.</p>",
        f"<nav><ul>{toc}</ul></nav>",
    ]
    body.extend(_module_section(m) for m in stats)
    body.append(
        _submission_list(
            "Flagged submissions (possible tampering)",
            flagged,
            "No submission was flagged.",
            lambda s: " | ".join(s.flags),
        )
    )
    body.append(
        '<p class="note">A flag means the student\'s own kernel reported more on the visible checks than the '
        "grader's run of the same checks. Open the autograded notebook before deciding: unseeded "
        "randomness can also cause it.</p>"
    )
    body.append(
        _submission_list(
            "Submissions that could not be graded",
            unreadable,
            "Every submission could be graded.",
            lambda s: s.reason,
        )
    )
    body.append(_manual_section(submissions))
    body.append(_time_section(submissions, wall_seconds))
    body.append(similarity_html)
    body.append("</body></html>")
    return "\n".join(body)


def _marked(code, spans):
    """``code`` escaped, with the stretches in ``spans`` wrapped in <mark>."""
    parts, at = [], 0
    for start, end in sorted(spans):
        start = max(start, at)
        if end <= start:
            continue
        parts.append(e(code[at:start]))
        parts.append(f"<mark>{e(code[start:end])}</mark>")
        at = end
    parts.append(e(code[at:]))
    return "".join(parts)


def similarity_section(results, threshold=similarity.THRESHOLD):
    """The similar pairs of every module, side by side (``results``: :class:`similarity.ModuleSimilarity`)."""
    parts = [
        '<section id="similarity"><h2>Similar answers</h2>',
        '<p class="warning"><b>A person must judge.</b> A high score means that two students\' own code in '
        "the same exercises is much alike once names, comments and spacing are ignored: a reason to look, "
        "never proof of copying. Correct answers to one exercise can look alike, and students may have "
        "worked together as allowed.</p>",
        f"<p>Only answer cells are compared, each with the same exercise of the other student; the code of "
        f"the released notebook never counts. Score: the share of both students' own code (in the exercises "
        f"compared) that also appears in the other's answer; pairs from {threshold:.0%} are listed. Matching "
        f"stretches are highlighted. The same list is in <code>similarity.csv</code>.</p>",
    ]
    for result in results:
        parts.append(f"<h3>{e(result.module)}</h3>")
        left_out = ", ".join(result.left_out) or "none"
        parts.append(
            f"<p>{result.students} students; exercises compared: {e(', '.join(result.compared) or 'none')}. "
            f"Left out as too short (similar answers are expected): {e(left_out)}.</p>"
        )
        if not result.pairs:
            parts.append("<p>No pair reached the threshold.</p>")
            continue
        for pair in result.pairs:
            parts.append(
                f"<details><summary><b>{e(pair.student_a)}</b> and <b>{e(pair.student_b)}</b>: "
                f"{pair.score:.0%} ({len(pair.exercises)} exercise(s))</summary>"
            )
            for match in pair.exercises:
                parts.append(
                    f"<p>{e(match.grade_id)}</p><div class=pair>"
                    f"<div><b>{e(pair.student_a)}</b><pre>{_marked(match.code_a, match.spans_a)}</pre></div>"
                    f"<div><b>{e(pair.student_b)}</b><pre>{_marked(match.code_b, match.spans_b)}</pre></div>"
                    "</div>"
                )
            parts.append("</details>")
    parts.append("</section>")
    return "".join(parts)


def find_similar(submissions, sources, releases, threshold=similarity.THRESHOLD):
    """Similar pairs per module; ``sources``/``releases`` map a module to its notebook's JSON text."""
    results = []
    for module in sorted({s.module for s in submissions}):
        answers = {s.student: s.answers for s in submissions if s.module == module and s.status == "graded"}
        source = nbformat.reads(sources[module], as_version=4)
        release = nbformat.reads(releases[module], as_version=4)
        results.append(similarity.compare_module(module, answers, source, release, threshold))
    return results


def write(out, submissions, sources, releases, wall_seconds=0.0):
    """Write ``out/report.html`` and ``out/similarity.csv``; return their paths."""
    results = find_similar(submissions, sources, releases)
    csv_path = similarity.write_csv(Path(out) / "similarity.csv", results)
    text = render(submissions, wall_seconds, similarity_section(results))
    path = Path(out) / "report.html"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path, csv_path
