"""Running a test cell in the grader's own process.

The instructor's test code (hidden tests included) runs here, never in the
student's process. The names it takes from the student's notebook are
:class:`~autograder.remote.RemoteObject` proxies or plain data rebuilt by the
wire codec, and the references it compares with are computed here. The cell's
score is the share of :class:`nbchecks.Check` parts that passed, times the
cell's points; parts written inside ``### BEGIN HIDDEN TESTS`` regions are
marked hidden so the grader can also tell what the student could see.
"""

import builtins
import contextlib
import io
import symtable

import nbchecks as checks

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


def _weighted(parts):
    total = sum(p["weight"] for p in parts)
    return (sum(p["weight"] for p in parts if p["passed"]) / total) if total > 0 else None


def run_test_cell(connection, code, grade_id, points):
    """Run one test cell against the student's sandbox; return a plain-data result."""
    namespace = {"__name__": "__grader__", "__builtins__": builtins}
    error = None
    with contextlib.redirect_stdout(io.StringIO()), checks.recording() as created:
        try:
            for name in free_names(code):
                namespace[name] = connection.lookup(name)
            exec(compile(code, f"<test {grade_id}>", "exec"), namespace)  # noqa: S102 - instructor's code
        except Exception as exc:  # noqa: BLE001 - any failure of the cell counts against it
            describe = getattr(exc, "student_message", None)
            error = describe() if callable(describe) else f"The test stopped with {type(exc).__name__}: {exc}"
    hidden = hidden_lines(code)
    parts = []
    for check in created:
        for result in check.results:
            parts.append(
                {
                    "check": check.name,
                    "title": str(result.title),
                    "weight": float(result.weight),
                    "passed": bool(result.passed),
                    "message": result.message,
                    "hint": result.hint,
                    "hidden": result.line in hidden,
                    "notes": list(result.notes),
                }
            )
    fraction = _weighted(parts)
    if error is not None or fraction is None:
        fraction = 0.0 if error is not None or created else 1.0
    visible = _weighted([p for p in parts if not p["hidden"]])
    report = "\n".join(check.report() for check in created)
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
