"""Running a test cell in the grader's own process.

The instructor's test code (hidden tests included) runs here, never in the
student's process. The names it takes from the student's notebook are
:class:`~autograder.boundary.remote.RemoteObject` proxies or plain data rebuilt by the
wire codec, and the references it compares with are computed here. Names the
instructor's notebook provides (the def, class and import statements of its
locked cells) are taken from the instructor's source, run here, never from the
student's namespace. The code runs inside :func:`nbchecks.grading_variant`, so
hidden inputs drawn from :func:`nbchecks.hidden_rng` are the student's own.

The cell's score is the share of :class:`nbchecks.Check` parts that passed
(supporting parts count only with a value part of the same check), times the
cell's points. Parts written inside ``### BEGIN HIDDEN TESTS`` regions are
hidden: what leaves this module says only "a further check of `name`
passed/failed", with the hint of a known mistake the value reproduced.
"""

import ast
import builtins
import contextlib
import io
import symtable
import traceback

import nbformat

import nbchecks as checks
from autograder import submission

BEGIN_HIDDEN = "BEGIN HIDDEN TESTS"
END_HIDDEN = "END HIDDEN TESTS"


def free_names(code):
    """Names a cell reads but neither defines nor imports (nor finds in builtins)."""
    table = symtable.symtable(code, "<test>", "exec")
    defined = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    wanted = set()

    def visit(scope):
        for symbol in scope.get_symbols():
            if symbol.is_referenced() and (symbol.is_global() or scope is table) and not symbol.is_imported():
                wanted.add(symbol.get_name())
        for child in scope.get_children():
            visit(child)

    visit(table)
    return sorted(n for n in wanted - defined if not hasattr(builtins, n))


def hidden_lines(code):
    """Line numbers (1-based) that lie inside hidden-test regions."""
    hidden, inside = set(), False
    for number, line in enumerate(code.splitlines(), start=1):
        if BEGIN_HIDDEN in line:
            inside = True
        if inside:
            hidden.add(number)
        if END_HIDDEN in line:
            inside = False
    return hidden


# -- provided code ------------------------------------------------------------------


def _literal_assignment(node):
    if not isinstance(node, ast.Assign) or not all(isinstance(t, ast.Name) for t in node.targets):
        return False
    try:
        ast.literal_eval(node.value)
    except ValueError:
        return False
    return True


def provided_statements(sources):
    """The statements of locked cells the grader runs itself: imports, defs, classes, constant assignments.

    ``sources`` are the instructor's locked, non-test code cells before a test cell. Anything else in
    them (a computation, a plot) is left out: it may be slow or depend on the student's answers.
    """
    kept = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # IPython syntax (magics): nothing of it is provided
        for node in tree.body:
            if isinstance(
                node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
            ) or _literal_assignment(node):
                kept.append(node)
    return kept


def instructor_imports(notebooks):
    """The import statements, as text, of the instructor's locked and test cells in these source notebooks.

    ``notebooks`` are the notebooks' texts. Statements are listed once each, in order of appearance.
    """
    cells = [
        cell.source
        for text in notebooks
        for cell in nbformat.reads(text, as_version=4).cells
        if cell.cell_type == "code" and (submission.is_locked(cell) or submission.is_test(cell))
    ]
    imports = (node for node in provided_statements(cells) if isinstance(node, (ast.Import, ast.ImportFrom)))
    return list(dict.fromkeys(ast.unparse(node) for node in imports))


def import_ahead(statements):
    """Run these import statements here (see :func:`instructor_imports`), skipping any that fail.

    A grading process does this before its first notebook, so that the first test does not wait for
    matplotlib and friends; a test that needs a module that could not be imported reports it.
    """
    for statement in statements:
        try:
            exec(compile(statement, "<imported ahead>", "exec"), {})  # noqa: S102 - the instructor's imports
        except Exception:  # noqa: BLE001, S112 - only an optimisation
            continue


def _provide(namespace, statements):
    """Run the instructor's provided statements in the grader's namespace; return the names they define."""
    defined = set()
    for node in statements:
        module = ast.Module(body=[node], type_ignores=[])
        try:
            exec(compile(module, "<provided by the notebook>", "exec"), namespace)  # noqa: S102 - instructor's code
        except Exception:  # noqa: BLE001, S112 - a helper the grader cannot build is left to the test to miss
            continue
        defined |= {name for name in namespace if name != "__builtins__"}
    return defined


# -- scoring -----------------------------------------------------------------------


def _weighted(parts):
    """Share of the weight earned; supporting parts count only with a passing value part of their check."""
    total = sum(p["weight"] for p in parts)
    if total <= 0:
        return None
    values_pass = {p["check_index"] for p in parts if p["passed"] and not p["supporting"]}
    earned = sum(
        p["weight"] for p in parts if p["passed"] and (not p["supporting"] or p["check_index"] in values_pass)
    )
    return earned / total


def _part(index, check, result, hidden):
    """What leaves the grader about one part: hidden parts lose their title, message and notes."""
    secret = result.line in hidden
    return {
        "check": check.name,
        "check_index": index,
        "title": check.public_title(result, hidden),
        "weight": float(result.weight),
        "passed": bool(result.passed),
        "supporting": bool(result.supporting),
        "message": "\n".join(line.strip() for line in checks._hidden_part_lines(result))
        if secret
        else result.message,
        "hint": result.matched_hint,
        "hidden": secret,
        "notes": [] if secret else list(result.notes),
    }


def _cell_error(exc, grade_id, hidden):
    """The student's sentence for an error that stopped the test code itself (outside any part)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == f"<test {grade_id}>"]
    if frames and frames[-1].lineno in hidden:
        return "A further check stopped with an error in your code."
    describe = getattr(exc, "student_message", None)
    return describe() if callable(describe) else f"The test stopped with {type(exc).__name__}: {exc}"


def run_test_cell(connection, code, grade_id, points, *, variant=0, provided=()):
    """Run one test cell against the student's sandbox; return a plain-data result.

    ``variant``: the student's seed for hidden inputs. ``provided``: the instructor's locked code
    cells before this test, whose imports, functions and classes the test gets from here.
    """
    namespace = {"__name__": "__grader__", "__builtins__": builtins}
    error = None
    hidden = hidden_lines(code)
    statements = provided_statements(provided)
    with (
        contextlib.redirect_stdout(io.StringIO()),
        checks.recording() as created,
        checks.grading_variant(variant),
    ):
        try:
            trusted = _provide(namespace, statements)
            wanted = set(free_names(code))
            for node in statements:
                wanted |= set(free_names(ast.unparse(node)))
            for name in sorted(wanted - trusted):
                namespace[name] = connection.lookup(name)
            exec(compile(code, f"<test {grade_id}>", "exec"), namespace)  # noqa: S102 - instructor's code
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure of the cell counts against it
            error = _cell_error(exc, grade_id, hidden)
        report = "\n".join(check.report(hidden_lines=hidden) for check in created)
    parts = [
        _part(index, check, result, hidden) for index, check in enumerate(created) for result in check.results
    ]
    fraction = _weighted(parts)
    if error is not None or fraction is None:
        fraction = 0.0 if error is not None or created else 1.0
    visible = _weighted([p for p in parts if not p["hidden"]])
    if error:
        report = (report + "\n" if report else "") + error
    return {
        "grade_id": grade_id,
        "points": float(points),
        "score": round(float(points) * fraction, 2),
        "fraction": fraction,
        "visible_fraction": visible,
        "parts": parts,
        "report": report,
        "error": error,
    }
