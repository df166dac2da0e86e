"""Grades for learning platforms: files that Canvas's and Moodle's gradebook import accept.

The grades come from nbgrader's gradebook (automatic and hand-entered scores alike). A roster maps each
nbgrader student id to the platform's ids; every student the gradebook or the roster knows ends up either
in the file or in the report printed beside it, never silently dropped. Late submissions follow one
stated policy:

- ``none``: nbgrader's late-submission plugin with ``penalty_method = 'none'``: the score stands;
- ``zero``: nbgrader's plugin with ``penalty_method = 'zero'``: a late submission scores 0;
- ``per-day:P``: the course's own: P % of the module's points off per started day late, never below 0.

A submission is late when its time (nbgrader's ``timestamp.txt``, kept by ``grade``) is after the module's
due date (``nbgrader db assignment add MODULE --duedate=...``) plus the student's extension (nbgrader's
per-submission ``extension`` in the gradebook, or a row of the ``--extensions`` file, which wins).
"""

import csv
import dataclasses
import datetime
import math
import os
import re
import warnings
from pathlib import Path

from autograder import gradebook
from autograder.course import CourseError

FORMATS = ("csv", "canvas", "moodle")
ROSTER_COLUMNS = (
    "nbgrader_id",
    "name",
    "canvas_id",
    "sis_user_id",
    "sis_login_id",
    "section",
    "email",
    "idnumber",
    "username",
)
#: Canvas's gradebook import: these five columns, then one per assignment; the second row gives the points.
CANVAS_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "    Points Possible"
CANVAS_IDS = ("canvas_id", "sis_user_id", "sis_login_id")
#: Moodle's CSV grade import maps one identifier column to a user field ("Map from" / "Map to").
MOODLE_IDS = {"email": "Email address", "idnumber": "ID number", "username": "Username"}
EXTENSION_COLUMNS = ("nbgrader_id", "module", "days")
DAY = 24 * 3600


@dataclasses.dataclass(frozen=True)
class LatePolicy:
    """How a late submission's score changes: 'none', 'zero' or 'per-day' (``percent`` per started day)."""

    method: str = "none"
    percent: float = 0.0

    @classmethod
    def parse(cls, text):
        text = (text or "none").strip()
        if text in ("none", "zero"):
            return cls(text)
        match = re.fullmatch(r"per-day:(\d+(?:\.\d+)?)", text)
        if match and 0 < float(match.group(1)) <= 100:
            return cls("per-day", float(match.group(1)))
        raise CourseError(
            f"late policy {text!r} not understood; expected 'none', 'zero' or 'per-day:P' with P a percentage "
            f"of the module's points taken off per started day late (for example per-day:10)"
        )

    def describe(self):
        if self.method == "none":
            return (
                "late submissions keep their score (nbgrader's late-submission plugin, penalty_method 'none')"
            )
        if self.method == "zero":
            return "late submissions score 0 (nbgrader's late-submission plugin, penalty_method 'zero')"
        return (
            f"{self.percent:g}% of the module's points off per started day late, never below 0 "
            f"(the course's own policy)"
        )

    def penalty(self, student, score, max_score, seconds_late):
        """Points taken off ``score``."""
        if seconds_late <= 0:
            return 0.0
        if self.method in ("none", "zero"):
            from nbgrader.plugins import LateSubmissionPlugin

            plugin = LateSubmissionPlugin(penalty_method=self.method)
            plugin.log.disabled = True
            return float(plugin.late_submission_penalty(student, score, seconds_late) or 0.0)
        days = math.ceil(seconds_late / DAY)
        return min(score, days * self.percent / 100 * max_score)


@dataclasses.dataclass
class Entry:
    """One student's grade for one module, as exported."""

    raw: float
    penalty: float
    max_score: float
    seconds_late: float
    pending: bool  # written answers not graded yet (counted as 0)

    @property
    def score(self):
        return max(0.0, self.raw - self.penalty)


@dataclasses.dataclass
class Report:
    """What an export did: the file, the late policy, and every student who needs a look."""

    path: Path
    policy: str
    notes: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)
    students: int = 0
    modules: tuple = ()


def _read_csv(path, what, allowed, required):
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"{path}: {what} not found")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c.strip() for c in reader.fieldnames or []]
        unknown = [c for c in columns if c not in allowed]
        missing = [c for c in required if c not in columns]
        if unknown or missing:
            problem = f"unknown column(s) {', '.join(unknown)}" if unknown else f"no column {missing[0]}"
            raise CourseError(f"{path}: {problem}; a {what} has the columns {', '.join(allowed)}")
        rows = []
        for number, row in enumerate(reader, start=2):
            rows.append((number, {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}))
    return rows


def read_roster(path):
    """``{nbgrader_id: {column: value}}`` from the roster CSV (columns: ROSTER_COLUMNS, nbgrader_id first)."""
    roster = {}
    for number, row in _read_csv(path, "roster", ROSTER_COLUMNS, ("nbgrader_id",)):
        sid = row.get("nbgrader_id", "")
        if not sid:
            raise CourseError(f"{path}, line {number}: empty nbgrader_id")
        if sid in roster:
            raise CourseError(f"{path}, line {number}: student {sid!r} is listed twice")
        roster[sid] = row
    return roster


def read_extensions(path):
    """``{(student, module): timedelta}`` from an extensions CSV (columns nbgrader_id, module, days)."""
    extensions = {}
    for number, row in _read_csv(path, "extensions file", EXTENSION_COLUMNS, EXTENSION_COLUMNS):
        try:
            days = float(row["days"])
        except ValueError:
            days = -1
        if not row["nbgrader_id"] or not row["module"] or not days >= 0:
            raise CourseError(
                f"{path}, line {number}: expected a student id, a module and a number of days >= 0, "
                f"got {row['nbgrader_id']!r}, {row['module']!r}, {row['days']!r}"
            )
        extensions[(row["nbgrader_id"], row["module"])] = datetime.timedelta(days=days)
    return extensions


def collect(out, names=None, policy=LatePolicy(), extensions=None):
    """Read the gradebook: ``(modules, max_scores, {(student, module): Entry}, notes)``."""
    from nbgrader.api import Gradebook

    extensions = extensions or {}
    warnings.filterwarnings("ignore", message=".*not in session.*")
    entries, max_scores, notes = {}, {}, []
    with Gradebook(gradebook.db_url(out), gradebook.COURSE_ID) as gb:
        assignments = {a.name: a for a in gb.assignments}
        unknown = [n for n in names or [] if n not in assignments]
        if unknown:
            raise CourseError(
                f"module {unknown[0]!r} is not in the gradebook; it has: {', '.join(sorted(assignments)) or 'none'}"
            )
        chosen = sorted(names or [n for n, a in assignments.items() if a.submissions])
        for module in chosen:
            assignment = assignments[module]
            max_scores[module] = float(assignment.max_score)
            for submission in assignment.submissions:
                student = submission.student.id
                due = assignment.duedate
                if due is not None:
                    due = due + extensions.get(
                        (student, module), submission.extension or datetime.timedelta(0)
                    )
                late = 0.0
                if due is not None and submission.timestamp is not None:
                    late = max(0.0, (submission.timestamp - due).total_seconds())
                elif due is not None:
                    notes.append(f"no submission time for {student}/{module}: counted as on time")
                raw = float(submission.score)
                entries[(student, module)] = Entry(
                    raw=raw,
                    penalty=policy.penalty(student, raw, max_scores[module], late),
                    max_score=max_scores[module],
                    seconds_late=late,
                    pending=bool(submission.needs_manual_grade),
                )
    return chosen, max_scores, entries, notes


def _number(value):
    return f"{round(value, 2):g}"


def _late_words(seconds):
    days, rest = divmod(int(seconds), DAY)
    hours = rest // 3600
    parts = ([f"{days} day{'s' if days != 1 else ''}"] if days else []) + [f"{hours} h"]
    return " ".join(parts) if days or hours else f"{int(seconds // 60)} min"


def export(
    out,
    fmt,
    to=None,
    roster=None,
    names=None,
    late="none",
    extensions=None,
    moodle_id="email",
    percent=False,
    missing_as_zero=False,
):
    """Write the export; return a Report (its ``errors`` list students left out of the file)."""
    if fmt not in FORMATS:
        raise CourseError(f"export format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not gradebook.db_path(out).exists():
        raise CourseError(f"{gradebook.db_path(out)}: no gradebook yet; grade a class first")
    target = Path(to or Path(out) / ("nbgrader_grades.csv" if fmt == "csv" else f"{fmt}_grades.csv"))
    if fmt == "csv":
        if roster or extensions or late != "none" or percent or missing_as_zero:
            raise CourseError(
                "--format csv is nbgrader's own export (raw scores, due dates and submission times); "
                "--roster, --late, --extensions, --percent and --missing-as-zero apply to canvas and moodle"
            )
        return _nbgrader_csv(out, target)
    students = _platform_roster(roster, fmt, moodle_id)
    policy = LatePolicy.parse(late)
    modules, max_scores, entries, notes = collect(
        out, names, policy, read_extensions(extensions) if extensions else {}
    )
    report = Report(
        target, policy.describe(), notes=list(notes), students=len(students), modules=tuple(modules)
    )
    report.notes += _missing_notes(students, modules, entries, missing_as_zero)
    _review_entries(report, students, entries)
    grades = {
        sid: [_grade_text(entries.get((sid, m)), percent, missing_as_zero) for m in modules]
        for sid in students
    }
    if fmt == "canvas":
        points = [_number(100.0 if percent else max_scores[m]) for m in modules]
        header, rows = _canvas_table(students, modules, grades, points)
    else:
        header, rows = _moodle_table(students, modules, grades, moodle_id)
    _write_table(target, header, rows)
    return report


def _platform_roster(roster, fmt, moodle_id):
    """The roster a Canvas or Moodle export needs, checked for the ids that platform finds students by."""
    if roster is None:
        raise CourseError(
            f"--format {fmt} needs --roster FILE: a CSV with the columns nbgrader_id and the platform's ids "
            f"({', '.join(ROSTER_COLUMNS[1:])})"
        )
    if moodle_id not in MOODLE_IDS:
        raise CourseError(f"--moodle-id must be one of {', '.join(MOODLE_IDS)}, not {moodle_id!r}")
    students = read_roster(roster)
    _check_platform_ids(students, fmt, moodle_id, roster)
    return students


def _missing_notes(students, modules, entries, missing_as_zero):
    what = "0" if missing_as_zero else "left blank, so the platform keeps what it had"
    return [
        f"missing: {student} has no graded submission for {module} ({what})"
        for module in modules
        for student in students
        if (student, module) not in entries
    ]


def _review_entries(report, students, entries):
    """Errors for grades of students the roster lacks; notes for late and not yet hand-graded submissions."""
    for (student, module), entry in sorted(entries.items()):
        if student not in students:
            report.errors.append(
                f"{student} ({module}: {_number(entry.score)}/{_number(entry.max_score)}) is in the gradebook "
                f"but not in the roster, so NOT in {report.path.name}; add them to the roster"
            )
            continue
        if entry.seconds_late > 0:
            report.notes.append(
                f"late: {student}/{module} came {_late_words(entry.seconds_late)} after the due date: "
                f"{_number(entry.raw)} -> {_number(entry.score)} points"
            )
        if entry.pending:
            report.notes.append(
                f"not graded by hand yet: {student}/{module} (its written answers count as 0 until you grade them)"
            )


def _grade_text(entry, percent, missing_as_zero):
    """What the file shows for one student and module: the score (in % of the maximum if asked) or a blank."""
    if entry is None:
        return "0" if missing_as_zero else ""
    value = entry.score
    return _number(100 * value / entry.max_score if percent and entry.max_score else value)


def _canvas_table(students, modules, grades, points):
    """Canvas's layout: the header, a row of the points possible, then one row a student."""
    header = [*CANVAS_HEADER, *modules]
    rows = [[CANVAS_POINTS_ROW, "", "", "", "", *points]]
    for sid, row in students.items():
        identity = [row.get("name") or sid, *(row.get(c, "") for c in CANVAS_IDS), row.get("section", "")]
        rows.append([*identity, *grades[sid]])
    return header, rows


def _moodle_table(students, modules, grades, moodle_id):
    """Moodle's layout: the identifier column it maps users by, then one column a module."""
    header = [MOODLE_IDS[moodle_id], *modules]
    return header, [[row[moodle_id], *grades[sid]] for sid, row in students.items()]


def _write_table(target, header, rows):
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _check_platform_ids(students, fmt, moodle_id, path):
    if fmt == "canvas":
        lacking = [s for s, row in students.items() if not any(row.get(c) for c in CANVAS_IDS)]
        needed = "one of canvas_id, sis_user_id, sis_login_id"
    else:
        lacking = [s for s, row in students.items() if not row.get(moodle_id)]
        needed = moodle_id
        seen = {}
        for sid, row in students.items():
            other = seen.setdefault(row.get(moodle_id), sid)
            if row.get(moodle_id) and other != sid:
                raise CourseError(f"{path}: {other} and {sid} have the same {moodle_id} {row[moodle_id]!r}")
    if lacking:
        raise CourseError(
            f"{path}: {len(lacking)} student(s) without {needed}, which {fmt.capitalize()} needs to find them: "
            f"{', '.join(lacking[:10])}"
        )


def _nbgrader_csv(out, target):
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    plugin = CsvExportPlugin()
    plugin.to = str(target)
    with Gradebook(gradebook.db_url(out), gradebook.COURSE_ID) as gb:
        plugin.export(gb)
    return Report(target, "none applied: the file holds each submission's due date and time")


def summary(report, fmt):
    """The lines the command prints."""
    lines = [f"Late policy: {report.policy}."]
    lines += report.notes
    lines += [f"error: {e}" for e in report.errors]
    where = os.path.relpath(report.path)
    if fmt == "csv":
        lines.append(f"Exported nbgrader's grade table to {where}")
    else:
        how = {
            "canvas": "Canvas: Grades > Import, then check the preview",
            "moodle": "Moodle: Grades > Import > CSV file, identify users by the first column",
        }[fmt]
        lines.append(
            f"Wrote {report.students} students x {len(report.modules)} modules to {where} ({how})."
            + (f" {len(report.errors)} student(s) left out: see the errors above." if report.errors else "")
        )
    return lines
