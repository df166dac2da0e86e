"""``python -m autograder``: build the release, grade a class, give feedback, export grades."""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from autograder.course import DEFAULT_OUT, SAMPLE_CLASS, CourseError, check_module

GiB = 1024**3


def _modules(args):
    return [check_module(m) for m in args.modules] if args.modules else None


def cmd_release(args):
    from autograder.release import release, stale_modules

    names = _modules(args)
    if args.check:
        stale = stale_modules(names)
        if stale:
            print(
                f"error: course/ is out of date for: {', '.join(stale)}; run `python -m autograder release`"
            )
            return 1
        print("course/ is up to date with solutions/")
        return 0
    for path in release(names, out=args.out):
        print(f"wrote {os.path.relpath(path)}")
    return 0


def _limits(args):
    from autograder.boundary.isolation import Limits

    limits = Limits()
    if args.cell_timeout:
        limits.cell_timeout = args.cell_timeout
    if args.call_timeout:
        limits.call_timeout = args.call_timeout
        limits.test_timeout = 2 * args.call_timeout
    if args.notebook_timeout:
        limits.wall_seconds = args.notebook_timeout
        limits.cpu_seconds = int(args.notebook_timeout)
    if args.memory_gb:
        limits.memory_bytes = int(args.memory_gb * GiB)
    return limits


def _isolation(args, trusted=False):
    """The sandbox mode to grade with; says on stderr (on stdout for the demo) when it is not bubblewrap."""
    from autograder.boundary.isolation import describe, resolve_mode

    mode = resolve_mode(args.sandbox, allow_unsandboxed=trusted or args.allow_unsandboxed)
    if trusted or mode != "bwrap":
        print(describe(mode, trusted=trusted), file=sys.stdout if trusted else sys.stderr, flush=True)
    return mode


def cmd_grade(args):
    from autograder.batch import grade

    sandbox = _isolation(args)
    rows, problems = grade(
        args.submissions,
        args.out,
        workers=args.jobs,
        scheduler=args.scheduler,
        names=_modules(args),
        sandbox=sandbox,
        limits=_limits(args),
        feedback=not args.no_feedback,
    )
    return 1 if problems and not rows else 0


def cmd_feedback(args):
    from autograder.batch import generate_feedback
    from autograder.formgrader import refresh_grades_csv

    names = _modules(args) or sorted(
        p.name for p in (Path(args.out) / "autograded").glob("*/*") if p.is_dir()
    )
    problems = generate_feedback(args.out, sorted(set(names)))
    if refresh_grades_csv(args.out):
        print(f"Hand-entered scores copied into {os.path.relpath(Path(args.out) / 'grades.csv')}")
    for problem in problems:
        print(f"error: {problem}")
    print(
        f"Feedback written to {os.path.relpath(Path(args.out) / 'feedback')}/<student>/<module>/<module>.html"
    )
    return 1 if problems else 0


def cmd_export(args):
    from autograder.export import export, summary

    report = export(
        args.out,
        args.format,
        to=args.to,
        roster=args.roster,
        names=args.modules,  # checked against the gradebook, which may hold modules no longer in the course
        late=args.late,
        extensions=args.extensions,
        moodle_id=args.moodle_id,
        percent=args.percent,
        missing_as_zero=args.missing_as_zero,
    )
    for line in summary(report, args.format):
        print(line)
    return 1 if report.errors else 0


def cmd_restore(args):
    from autograder import gradebook

    chosen = gradebook.restore(args.out, args.backup)
    print(f"Restored {os.path.relpath(gradebook.db_path(args.out))} from {os.path.relpath(chosen)}")
    return 0


def cmd_demo(args):
    from autograder.batch import grade
    from autograder.release import release

    # The sample class is the course's own, trusted: without bubblewrap it is graded with the strongest
    # isolation there is, and one line says which.
    sandbox = _isolation(args, trusted=True)
    print("Building the student release (course/) from solutions/ ...", flush=True)
    release(_modules(args), out=args.out)
    print(f"Grading the sample class in {os.path.relpath(SAMPLE_CLASS)} ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="sample-class-") as folder:
        # The students' folders only: expected/ holds the grades the tests expect, not a student.
        submissions = shutil.copytree(
            SAMPLE_CLASS, Path(folder) / "submitted", ignore=shutil.ignore_patterns("expected")
        )
        grade(
            submissions,
            args.out,
            workers=args.jobs,
            names=_modules(args),
            sandbox=sandbox,
            limits=_limits(args),
        )
    return 0


def _output_options(p, out=True):
    """--out and --modules, shared by the commands that read or write a grading folder."""
    if out:
        p.add_argument(
            "--out",
            type=Path,
            default=DEFAULT_OUT,
            help="folder for everything grading writes (default: grading/)",
        )
    p.add_argument("--modules", nargs="+", metavar="MODULE", help="only these modules (default: all)")


def _grading_options(p):
    """How notebooks are run: parallel jobs, isolation and limits (grade and demo)."""
    p.add_argument("--jobs", type=int, default=1, help="notebooks graded at once on this machine (default 1)")
    p.add_argument(
        "--sandbox",
        choices=("auto", "bwrap", "none"),
        default="auto",
        help="how to isolate student code (default auto: bubblewrap when available)",
    )
    p.add_argument("--cell-timeout", type=float, help="seconds a notebook cell may run (default 60)")
    p.add_argument(
        "--call-timeout", type=float, help="seconds one check may wait for the student's code (default 10)"
    )
    p.add_argument("--notebook-timeout", type=float, help="seconds a whole notebook may take (default 600)")
    p.add_argument("--memory-gb", type=float, help="memory limit per notebook in GiB (default 3)")


def _add_release(sub):
    p = sub.add_parser("release", help="build course/ from solutions/ (the student notebooks)")
    _output_options(p)
    p.add_argument(
        "--check", action="store_true", help="only check that course/ is up to date (exit 1 if not)"
    )
    p.set_defaults(run=cmd_release)


def _add_grade(sub):
    p = sub.add_parser(
        "grade", help="grade SUBMISSIONS/<student>/<module>/<module>.ipynb and print the grade table"
    )
    p.add_argument("submissions", type=Path, help="folder in nbgrader's submitted layout")
    _output_options(p)
    _grading_options(p)
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="run the jobs on a Dask cluster, e.g. tcp://10.0.0.5:8786"
    )
    p.add_argument(
        "--allow-unsandboxed",
        action="store_true",
        help="where bubblewrap is not usable, grade anyway with resource limits only (student code can read "
        "files and use the network; as root, it may even run as root): only for notebooks you trust",
    )
    p.add_argument("--no-feedback", action="store_true", help="do not write HTML feedback")
    p.set_defaults(run=cmd_grade)


def _add_feedback(sub):
    p = sub.add_parser(
        "feedback", help="(re)write HTML feedback, e.g. after grading by hand in the formgrader"
    )
    _output_options(p)
    p.set_defaults(run=cmd_feedback)


def _add_export(sub):
    p = sub.add_parser(
        "export", help="export the grades: nbgrader's CSV, or Canvas's or Moodle's gradebook import"
    )
    _output_options(p)
    p.add_argument(
        "--format",
        choices=("csv", "canvas", "moodle"),
        default="csv",
        help="csv: nbgrader's own table (default); canvas, moodle: the platform's gradebook import file",
    )
    p.add_argument("--to", type=Path, help="CSV file to write (default: OUT/<format>_grades.csv)")
    p.add_argument(
        "--roster",
        type=Path,
        help="CSV mapping nbgrader ids to the platform's: nbgrader_id, name, canvas_id, sis_user_id, "
        "sis_login_id, section, email, idnumber, username (canvas and moodle)",
    )
    p.add_argument(
        "--moodle-id",
        choices=("email", "idnumber", "username"),
        default="email",
        help="the roster column Moodle finds its users by (default email)",
    )
    p.add_argument(
        "--late",
        default="none",
        metavar="POLICY",
        help="none (default: the score stands), zero, or per-day:P (P%% of the points off per started day late)",
    )
    p.add_argument("--extensions", type=Path, help="CSV of per-student extensions: nbgrader_id, module, days")
    p.add_argument("--percent", action="store_true", help="export percentages (0-100) instead of points")
    p.add_argument(
        "--missing-as-zero",
        action="store_true",
        help="a roster student without a submission gets 0 (default: left blank, which the platform ignores)",
    )
    p.set_defaults(run=cmd_export)


def _add_restore(sub):
    p = sub.add_parser("restore", help="put a gradebook backup back (the newest unless BACKUP is given)")
    p.add_argument("backup", nargs="?", type=Path, help="a file in OUT/backups/")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="grading folder (default: grading/)")
    p.set_defaults(run=cmd_restore)


def _add_demo(sub):
    p = sub.add_parser("demo", help="build the release and grade the sample class (what `make demo` runs)")
    _output_options(p)
    _grading_options(p)
    p.set_defaults(run=cmd_demo)


def parser():
    top = argparse.ArgumentParser(
        prog="python -m autograder",
        description="Build the student release, grade a class in a sandbox, write feedback and export grades.",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_release, _add_grade, _add_feedback, _add_export, _add_restore, _add_demo):
        add(sub)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (CourseError, FileNotFoundError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
