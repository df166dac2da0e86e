"""Checks for the exercises: the code that runs in each notebook's test cells.

A test cell groups the checks of one exercise into *parts*. Each part passes or
fails on its own, so a function that is right on ordinary inputs but wrong on
extreme ones still earns the points for what it gets right::

    import numpy as np
    from nbchecks import Check, expect_close

    check = Check("sigmoid", points=3)
    with check.part("sigmoid(0) is 0.5"):
        expect_close(sigmoid(np.array([0.0])), [0.5], name="sigmoid([0])")
    with check.part("no overflow for z = [-1000, 1000]"):
        expect_close(
            sigmoid(np.array([-1000.0, 1000.0])),
            [0.0, 1.0],
            name="sigmoid([-1000, 1000])",
            mistakes=[([0.0, np.nan], "exp(1000) is inf and inf / inf is nan: only take exp of negative numbers.")],
        )
    check.score()

``check.score()`` prints a report for the student and returns the points
earned; nbgrader reads that number as the cell's partial credit. When the
course is graded, the same test code runs again in the grader's own process,
with extra hidden parts, and the grader's result is the one that counts.

The ``expect_*`` helpers compare exactly what a beginner needs compared: the
kind of value (array, number, list), its shape, its element type, NaNs, and
then the numbers, and they explain the first difference in plain words.
"""

import contextlib
import contextvars
import math
import re
import sys
import traceback
import warnings

import numpy as np

__all__ = [
    "Check",
    "CheckFailed",
    "expect_array",
    "expect_close",
    "expect_equal",
    "expect_scalar",
    "expect_shape",
    "expect_true",
    "fail",
    "caught_warnings",
    "describe_error",
    "fmt",
    "grading_variant",
    "hidden_rng",
    "is_grading",
    "recording",
]

PASS_MARK = "\u2713"  # check mark
FAIL_MARK = "\u2717"  # ballot x


_WRITTEN_HINT = re.compile(r"\n[ \t]*Hint: (.*)\Z", re.DOTALL)  # a "Hint: ..." line that ends a message


class CheckFailed(AssertionError):
    """A check did not pass; the message is written for the student.

    ``hint`` is the hint of a known mistake that the received value reproduces (see
    ``expect_close(..., mistakes=...)``), or None. A message written by hand may end
    with "Hint: ..." instead: that last part is then the hint (a hidden part shows only it).
    """

    def __init__(self, message, hint=None):
        super().__init__(message)
        if hint is None:
            written = _WRITTEN_HINT.search(str(message))
            hint = written.group(1).strip() or None if written else None
        self.hint = hint


# -- describing values -------------------------------------------------------


def _is_torch_tensor(x):
    return type(x).__module__.startswith("torch") and type(x).__name__ in ("Tensor", "Parameter")


def fmt(value, precision=4):
    """A short, readable rendering of a value for messages and part titles."""
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return _fmt_float(float(value), precision)
    if _is_torch_tensor(value):
        return "tensor(" + fmt(value.detach().cpu().numpy(), precision) + ")"
    if type(value) is np.ndarray and value.ndim == 0:
        return fmt(value.item(), precision)
    if type(value) is np.ndarray:
        if value.dtype.kind in "fc":
            text = np.array2string(
                value,
                precision=precision,
                separator=", ",
                threshold=24,
                edgeitems=3,
                suppress_small=True,
                floatmode="maxprec",
            )
        else:
            text = np.array2string(value, separator=", ", threshold=24, edgeitems=3)
        return " ".join(text.split()) if value.ndim <= 1 else text
    if isinstance(value, (list, tuple)):
        inner = ", ".join(fmt(v, precision) for v in value[:8])
        more = ", ..." if len(value) > 8 else ""
        return (
            ("[" + inner + more + "]")
            if isinstance(value, list)
            else ("(" + inner + more + ("," if len(value) == 1 else "") + ")")
        )
    if isinstance(value, str):
        return repr(value if len(value) <= 80 else value[:77] + "...")
    if isinstance(value, dict):
        items = list(value.items())[:6]
        return (
            "{"
            + ", ".join(f"{fmt(k)}: {fmt(v)}" for k, v in items)
            + (", ..." if len(value) > 6 else "")
            + "}"
        )
    return f"an object of type {_type_name(value)}"


def _fmt_float(x, precision=4):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = f"{x:.{precision + 2}g}"
    return text


def _kind_of(value):
    """How a beginner would name the type of ``value``."""
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return "a True/False value"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "a single number"
    if type(value) is np.ndarray:
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, np.ndarray):
        return f"an array of type {type(value).__name__} (a subclass of the NumPy array)"
    if _is_torch_tensor(value):
        return f"a torch tensor of shape {tuple(value.shape)}"
    if isinstance(value, list):
        return "a Python list"
    if isinstance(value, tuple):
        return f"a tuple of {len(value)} values"
    if isinstance(value, dict):
        return "a dictionary"
    if isinstance(value, str):
        return "a string"
    return f"an object of type {_type_name(value)}"


def _type_name(value):
    """The type's name; for the grader's proxies, the name the type has in the notebook."""
    if type(value).__name__ == "RemoteObject":
        return value.remote_type
    return type(value).__name__


# -- the expect_* helpers -----------------------------------------------------

_NUMBER_TYPES = (int, float, np.integer, np.floating)


def _as_expected_array(expected):
    if _is_torch_tensor(expected):
        return expected.detach().cpu().numpy()
    return np.asarray(expected)


def _none_message(name):
    return f"{name} is None. Did you forget to `return` the result at the end of your function?"


def expect_array(received, *, shape=None, kind="numeric", name="your result"):
    """Check that ``received`` is a plain NumPy array (optionally of ``shape``).

    ``kind`` is ``"numeric"`` (integers or floats), ``"float"``, ``"int"``,
    ``"bool"`` or ``None`` (anything). Returns the array.
    """
    if received is None:
        raise CheckFailed(_none_message(name))
    if type(received) is not np.ndarray:
        hint = ""
        if isinstance(received, (list, tuple)):
            hint = " Turn it into an array with np.array(...)."
        elif _is_torch_tensor(received):
            hint = " Convert it with .detach().numpy(), or use NumPy functions instead of torch ones."
        elif isinstance(received, _NUMBER_TYPES):
            hint = (
                " The result should keep one value per input: check that your function works on a whole array"
                " at once and does not sum or average over an axis by mistake."
            )
        raise CheckFailed(f"{name} should be a NumPy array, but it is {_kind_of(received)}.{hint}")
    if shape is not None and tuple(received.shape) != tuple(shape):
        raise CheckFailed(
            f"{name} has shape {tuple(received.shape)} but should have shape {tuple(shape)}."
            + _shape_hint(tuple(received.shape), tuple(shape))
        )
    _check_dtype_kind(received, kind, name)
    return received


def _shape_hint(got, want):
    if len(got) == len(want) == 2 and got == want[::-1]:
        return " It looks transposed: check the order of the factors in your matrix product (or add .T)."
    if got == () and want != ():
        return " You returned a single number; the result should keep one value per input."
    if len(got) == len(want) + 1 and 1 in got:
        return " There is an extra axis of length 1: check for a stray keepdims=True or reshape."
    if len(got) + 1 == len(want) and 1 in want:
        return " An axis of length 1 is missing: use keepdims=True or reshape."
    return ""


_KIND_NAMES = {
    "float": ("f", "floating-point numbers"),
    "int": ("iu", "integers"),
    "numeric": ("fiu", "numbers"),
    "bool": ("b", "True/False values"),
}


def _check_dtype_kind(array, kind, name):
    if kind is None:
        return
    allowed, words = _KIND_NAMES[kind]
    if array.dtype.kind not in allowed:
        hint = ""
        if array.dtype.kind == "b" and "f" in allowed:
            hint = " Convert True/False to numbers, e.g. with .astype(float)."
        elif array.dtype.kind == "O":
            hint = " An 'object' array usually means the values were not all numbers of the same kind."
        elif array.dtype.kind in "iu" and kind == "float":
            hint = " Integer division or an integer array somewhere lost the fractions; use floats."
        raise CheckFailed(f"{name} should contain {words}, but its dtype is {array.dtype}.{hint}")


def expect_scalar(received, *, name="your result"):
    """Check that ``received`` is one real number (Python or NumPy); return it as a float."""
    if received is None:
        raise CheckFailed(_none_message(name))
    if isinstance(received, (bool, np.bool_)) or not isinstance(received, _NUMBER_TYPES):
        if type(received) is np.ndarray and received.size == 1 and received.dtype.kind in "fiu":
            return float(received.reshape(()))
        raise CheckFailed(f"{name} should be a single number, but it is {_kind_of(received)}.")
    return float(received)


def expect_shape(received, shape, *, name="your result"):
    """Check the shape of an array (or tensor) without looking at its values."""
    if received is None:
        raise CheckFailed(_none_message(name))
    got = getattr(received, "shape", None)
    if got is None or not isinstance(tuple(got), tuple):
        raise CheckFailed(
            f"{name} should be an array of shape {tuple(shape)}, but it is {_kind_of(received)}."
        )
    if tuple(got) != tuple(shape):
        raise CheckFailed(
            f"{name} has shape {tuple(got)} but should have shape {tuple(shape)}."
            + _shape_hint(tuple(got), tuple(shape))
        )


def _close_report(received, expected, rtol, atol, name):
    """Explain the first place where ``received`` and ``expected`` differ, or return None."""
    r = received.astype(np.float64) if received.dtype.kind != "c" else received
    e = expected.astype(np.float64) if expected.dtype.kind != "c" else expected
    r_nan, e_nan = np.isnan(r), np.isnan(e)
    bad_nan = r_nan & ~e_nan
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(r - e)
        tolerance = atol + rtol * np.abs(e)
        same_inf = np.isinf(r) & np.isinf(e) & (np.sign(r) == np.sign(e))
        ok = (diff <= tolerance) | same_inf | (r_nan & e_nan)
    if bool(np.all(ok)):
        return None
    where = tuple(int(i) for i in np.argwhere(~ok)[0])
    position = f" at position {list(where)}" if r.ndim else ""
    count = int(np.size(ok) - np.count_nonzero(ok))
    also = f" ({count} of {ok.size} entries differ)" if ok.size > 1 else ""
    if bool(np.any(bad_nan)):
        nan_at = tuple(int(i) for i in np.argwhere(bad_nan)[0])
        return (
            f"{name} contains nan ('not a number'){' at position ' + str(list(nan_at)) if r.ndim else ''}. "
            f"Expected {fmt(expected)}, got {fmt(received)}. A nan usually comes from inf - inf, "
            f"0 * inf or 0 / 0, often after exp() of a large number overflowed."
        )
    wrong_inf = np.isinf(r) & ~np.isinf(e)
    if bool(np.any(wrong_inf & (r > 0))):
        return (
            f"{name} contains inf (infinity): expected {fmt(expected)}, got {fmt(received)}. "
            f"Something overflowed - look for exp() of a large number or a division by zero."
        )
    if bool(np.any(wrong_inf)):
        return (
            f"{name} contains -inf (minus infinity): expected {fmt(expected)}, got {fmt(received)}. "
            f"A -inf usually comes from np.log(0): look for the log of a count or probability that can be 0."
        )
    exp_v = e[where] if e.ndim else e
    got_v = r[where] if r.ndim else r
    precision = 4
    while fmt(exp_v, precision) == fmt(got_v, precision) and precision < 14:
        precision += 2  # show enough digits to see the difference
    return (
        f"{name} is not right{position}: expected {fmt(exp_v, precision)}, got {fmt(got_v, precision)}{also}.\n"
        f"      expected: {fmt(expected)}\n      received: {fmt(received)}"
    )


def expect_close(received, expected, *, rtol=1e-5, atol=1e-8, name="your result", mistakes=()):
    """Check that ``received`` equals ``expected`` up to floating-point error.

    ``expected`` is a number, a list or a NumPy array (or a torch tensor, in
    which case ``received`` must be a torch tensor). ``received`` must be the
    same kind of thing, with the same shape, and every entry within
    ``atol + rtol * |expected|``. Float32 and float64 both pass.

    ``mistakes``: pairs ``(value, hint)``, the value a known mistake gives and the
    hint that names it. When the check fails and ``received`` is close to one of
    those values, its hint is added to the message; otherwise no hint is shown,
    only what was expected and what came back.
    """
    try:
        _expect_close(received, expected, rtol, atol, name)
    except CheckFailed as failure:
        hint = failure.hint or _matching_hint(received, mistakes, rtol, atol)
        if hint is None or failure.hint:
            raise
        fail(str(failure), hint)


def _expect_close(received, expected, rtol, atol, name):
    if received is None:
        raise CheckFailed(_none_message(name))
    expected_is_tensor = _is_torch_tensor(expected)
    want = _as_expected_array(expected)
    if expected_is_tensor:
        if not _is_torch_tensor(received):
            raise CheckFailed(f"{name} should be a torch tensor, but it is {_kind_of(received)}.")
        got = received.detach().cpu().numpy()
        if tuple(got.shape) != tuple(want.shape):
            raise CheckFailed(
                f"{name} has shape {tuple(got.shape)} but should have shape {tuple(want.shape)}."
                + _shape_hint(tuple(got.shape), tuple(want.shape))
            )
    elif want.ndim == 0 and not isinstance(expected, np.ndarray):
        got = np.asarray(expect_scalar(received, name=name))
    else:
        got = expect_array(received, shape=want.shape, kind="numeric", name=name)
    if want.dtype.kind not in "fiucb":
        raise TypeError(f"expect_close needs numbers to compare, not {want.dtype}")
    problem = _close_report(got, want.astype(np.float64), rtol, atol, name)
    if problem:
        raise CheckFailed(problem)


def _matching_hint(received, mistakes, rtol, atol):
    """The hint of the first known mistake whose value ``received`` reproduces, or None."""
    if not mistakes:
        return None
    try:
        got = np.asarray(
            received.detach().cpu().numpy() if _is_torch_tensor(received) else received, dtype=float
        )
    except (TypeError, ValueError):
        return None
    for value, hint in mistakes:
        wrong = _as_expected_array(value)
        if wrong.shape == got.shape and _close_report(got, wrong.astype(np.float64), rtol, atol, "") is None:
            return hint
    return None


def expect_equal(received, expected, *, name="your result", mistakes=()):
    """Check exact equality: integers, strings, True/False, lists, dicts or integer arrays.

    ``mistakes``: pairs ``(value, hint)`` as in :func:`expect_close`; a hint is shown
    only when ``received`` equals the value of that known mistake.
    """
    try:
        _expect_equal(received, expected, name)
    except CheckFailed as failure:
        hint = next((hint for value, hint in mistakes if _equals(received, value)), None)
        if hint is None:
            raise
        fail(str(failure), hint)


def _equals(received, value):
    try:
        _expect_equal(received, value, "")
    except CheckFailed:
        return False
    return True


def _expect_equal(received, expected, name):
    if received is None and expected is not None:
        raise CheckFailed(_none_message(name))
    if type(expected) is np.ndarray:
        got = expect_array(received, shape=expected.shape, kind=None, name=name)
        if expected.dtype.kind in "iub" and got.dtype.kind not in "iubf":
            raise CheckFailed(f"{name} should contain numbers, but its dtype is {got.dtype}.")
        same = got == expected
        if not bool(np.all(same)):
            where = tuple(int(i) for i in np.argwhere(~same)[0]) if got.ndim else ()
            at = f" at position {list(where)}" if got.ndim else ""
            raise CheckFailed(
                f"{name} is not right{at}: expected {fmt(expected[where] if where else expected)}, "
                f"got {fmt(got[where] if where else got)}.\n      expected: {fmt(expected)}\n      received: {fmt(got)}"
            )
        return
    if isinstance(expected, bool):
        if not isinstance(received, (bool, np.bool_)):
            raise CheckFailed(f"{name} should be True or False, but it is {_kind_of(received)}.")
        if bool(received) != expected:
            raise CheckFailed(f"{name} should be {expected}, but it is {bool(received)}.")
        return
    if isinstance(expected, (int, np.integer)):
        if isinstance(received, (bool, np.bool_)) or not isinstance(received, _NUMBER_TYPES):
            raise CheckFailed(
                f"{name} should be the whole number {expected}, but it is {_kind_of(received)}."
            )
        if float(received) != float(expected):
            raise CheckFailed(f"{name} should be {expected}, but it is {fmt(received)}.")
        return
    if type(received) is not type(expected):
        raise CheckFailed(f"{name} should be {_kind_of(expected)}, but it is {_kind_of(received)}.")
    if isinstance(expected, (list, tuple)):
        if len(received) != len(expected):
            raise CheckFailed(f"{name} should have {len(expected)} items, but it has {len(received)}.")
        for i, (r, e) in enumerate(zip(received, expected, strict=True)):
            _expect_equal(r, e, f"item {i} of {name}")
        return
    if isinstance(expected, dict):
        missing = [k for k in expected if k not in received]
        extra = [k for k in received if k not in expected]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing keys {fmt(missing)}")
            if extra:
                parts.append(f"unexpected keys {fmt(extra)}")
            raise CheckFailed(f"{name} has " + " and ".join(parts) + ".")
        for key, value in expected.items():
            _expect_equal(received[key], value, f"{name}[{key!r}]")
        return
    if received != expected:
        raise CheckFailed(f"{name} should be {fmt(expected)}, but it is {fmt(received)}.")


def expect_true(condition, message, *, hint=None):
    """Pass when ``condition`` is really ``True``; otherwise fail with ``message``.

    ``hint`` names the known mistake that makes ``condition`` false; write the
    condition so that only that mistake fails it (it is shown even for a hidden check).
    """
    if not isinstance(condition, (bool, np.bool_)):
        raise CheckFailed(f"{message} (the check got {_kind_of(condition)} instead of True/False)")
    if not bool(condition):
        fail(message, hint)


def fail(message, hint=None):
    """Fail the current part with ``message``, and the ``hint`` of the known mistake it detected (if any)."""
    raise CheckFailed(message + (f"\n      Hint: {hint}" if hint else ""), hint=hint)


# -- parts, checks and reports --------------------------------------------------

_current_part = contextvars.ContextVar("nnlib_checks_current_part", default=None)
_variant = contextvars.ContextVar("nbchecks_variant", default=None)
_recorder = contextvars.ContextVar("nnlib_checks_recorder", default=None)


@contextlib.contextmanager
def caught_warnings():
    """Collect the warnings raised by the code in the block, as 'Category: message' strings.

    Use it in your own kernel to see what a function warns about, for example::

        with caught_warnings() as found:
            sigmoid(np.array([-1000.0, 1000.0]))
        print(found)

    The list is filled when the block ends. It is feedback only: when the course is
    graded, warnings never cost points (stability is judged on the values your code
    returns), and the grader never fills this list from the sandbox.
    """
    found = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield found
    finally:
        found[:0] = [f"{w.category.__name__}: {w.message}" for w in caught]


def note_warning(text):
    """Show a warning raised by student code elsewhere as a note of the current part (used by the grader).

    A note costs nothing: it never makes a part fail.
    """
    part = _current_part.get()
    if part is None:
        return
    category, _, message = str(text).partition(": ")
    note = _warning_note(category, message)
    if len(part.result.notes) < 3 and note not in part.result.notes:
        part.result.notes.append(note)


def _warning_note(category, message):
    """One warning as a note: what was raised, and that it costs nothing."""
    return (
        f"Note: a {category} was raised ({str(message)[:160]}). It costs nothing (only the values count), "
        "but it is worth knowing why."
    )


def current_timeout():
    """The time limit (seconds) of the part being run, or None (used by the grader)."""
    part = _current_part.get()
    return None if part is None else part.timeout


@contextlib.contextmanager
def grading_variant(seed):
    """Run test code as the grader does: hidden inputs drawn from ``seed`` (used by the grader).

    The grader derives ``seed`` from the student and the module, so every student gets
    hidden inputs of their own, the same at every regrade. Inside the block, reports
    also leave out the reminder that more checks run when the notebook is graded.
    """
    token = _variant.set(int(seed))
    try:
        yield
    finally:
        _variant.reset(token)


def hidden_rng(name):
    """A NumPy generator for the random inputs of a hidden check called ``name``.

    In a student's own kernel it is seeded from ``name`` alone; when the course is
    graded, from ``name`` and the student's own variant (see :func:`grading_variant`),
    so hidden inputs differ from one student to the next and the references are
    computed from the same draws.
    """
    import zlib

    variant = _variant.get()
    words = [zlib.crc32(name.encode("utf-8"))] + ([] if variant is None else [variant])
    return np.random.default_rng(words)


def is_grading():
    """True while the grader runs the test code (see :func:`grading_variant`)."""
    return _variant.get() is not None


@contextlib.contextmanager
def recording():
    """Collect every :class:`Check` created inside the block (used by the grader)."""
    created = []
    token = _recorder.set(created)
    try:
        yield created
    finally:
        _recorder.reset(token)


class PartResult:
    """What one part of a check found."""

    __slots__ = (
        "title",
        "weight",
        "passed",
        "message",
        "line",
        "notes",
        "supporting",
        "matched_hint",
        "raised",
    )

    def __init__(self, title, weight, line, supporting=False):
        self.title = title
        self.weight = weight
        self.line = line
        self.supporting = supporting
        self.passed = False
        self.message = ""
        self.notes = []
        self.matched_hint = None  # the hint of a known mistake the value reproduced
        self.raised = None  # the kind of error the student's code raised, if that is why it failed


def describe_error(kind, message="", line=None, code=None):
    """The one place that turns an error of the student's code into a sentence for the student.

    ``kind`` is the exception's class name, ``message`` its text, ``line`` and ``code``
    the line of the student's cell where it happened (when known). The student's kernel
    (through :class:`Check`), the grading sandbox's reports and the grader all use it.
    """
    kind = str(kind or "Error")[:80]
    message = str(message or "").strip()
    first = message.splitlines()[0][:300] if message else ""
    where = ""
    if type(line) is int:
        where = f" (line {line} of your cell" + (f": `{str(code)[:120]}`" if code else "") + ")"
    if kind == "GradingTimeout":
        return (
            "Your code took too long (it ran past the time limit for this check). "
            "Look for a loop that never ends."
        )
    if kind == "ResultTooLarge":
        return "Your function returned a result far too large to check: " + message[:200]
    if kind == "NotImplementedError":
        return (
            "This function is not written yet: it still raises NotImplementedError. "
            "Replace `raise NotImplementedError()` with your code and run that cell again."
        )
    if kind == "NameError":
        return (
            f"Your code used a name that is not defined ({first}). Run the cell that defines it "
            f"(and the cells above it) first, and check the spelling."
        )
    if kind == "RecursionError":
        return "Your code called itself without end (RecursionError)." + where
    if kind == "MemoryError":
        return "Your code ran out of memory (MemoryError)." + where
    if kind == "SystemExit":
        return "Your code called exit() or sys.exit(); a function should return its result instead."
    return f"Your code raised {kind}" + (f": {first}" if first else "") + "." + where


def _describe_exception(error, tb):
    """Turn an exception raised by the student's code into a beginner's sentence."""
    student = getattr(error, "student_message", None)
    if callable(student):
        return student()
    line, code = _student_location(tb)
    if isinstance(error, NameError):
        message = (
            f"name '{getattr(error, 'name', None)}' is not defined" if getattr(error, "name", None) else error
        )
    else:
        message = error
    return describe_error(type(error).__name__, str(message), line, code)


def _student_location(tb):
    """(line, code) of the innermost frame in notebook code, or (None, None)."""
    frames = traceback.extract_tb(tb) if tb is not None else []
    for frame in reversed(frames):
        name = frame.filename
        if name.startswith("<ipython-input") or "ipykernel_" in name or name.startswith("<cell"):
            return frame.lineno, (frame.line or "").strip()
    return None, None


class _Part:
    def __init__(self, check, result, timeout):
        self.check = check
        self.result = result
        self.timeout = timeout
        self._token = None
        self._warnings = None
        self._stderr = None

    def __enter__(self):
        self._token = _current_part.set(self)
        self._warnings = warnings.catch_warnings(record=True)
        self._caught = self._warnings.__enter__()
        warnings.simplefilter("always")
        # Anything the student's code writes to stderr during a check goes to
        # stdout instead: nbgrader treats any stderr output as a failure.
        self._stderr = contextlib.redirect_stderr(sys.stdout)
        self._stderr.__enter__()
        return self

    def __exit__(self, exc_type, error, tb):
        self._stderr.__exit__(None, None, None)
        self._warnings.__exit__(None, None, None)
        _current_part.reset(self._token)
        result = self.result
        for caught in self._caught[: max(0, 3 - len(result.notes))]:
            result.notes.append(_warning_note(caught.category.__name__, caught.message))
        if exc_type is None:
            result.passed = True
            return False
        if not issubclass(exc_type, Exception) and exc_type is not SystemExit:
            return False  # KeyboardInterrupt, or the grader's time limit: stop the whole test
        result.passed = False
        if isinstance(error, CheckFailed):
            result.message = str(error)
            result.matched_hint = error.hint
        elif isinstance(error, AssertionError) and str(error):
            result.message = str(error)
        else:
            result.message = _describe_exception(error, tb)
            result.raised = getattr(error, "kind", None) or type(error).__name__
        return True


class Check:
    """The checks of one exercise, worth ``points`` in total.

    Use :meth:`part` for each property to check and :meth:`score` at the end.
    """

    def __init__(self, name, points):
        if not (isinstance(points, (int, float)) and points > 0):
            raise ValueError(f"Check({name!r}) needs a positive number of points, got {points!r}.")
        self.name = name
        self.points = points
        self.results = []
        self.notes = []
        recorder = _recorder.get()
        if recorder is not None:
            recorder.append(self)

    def part(self, title, *, weight=1, timeout=None, supporting=False):
        """A context manager for one part: it passes unless the block raises.

        ``weight`` sets the part's share of the points; ``timeout`` (seconds)
        bounds each call into the student's code when the course is graded.
        A part has no hint of its own, since it would show for any failure: a
        hint belongs to a known mistake's value (``mistakes=`` of the
        ``expect_*`` helpers, ``expect_true(..., hint=)``, ``fail(message, hint)``).
        ``supporting=True`` marks a part that a no-effort answer can pass on its
        own (a shape, a dtype, an edge case whose answer is 0): it earns its
        weight only when a value part (one not supporting) of the same check
        passes too.
        """
        frame = sys._getframe(1)
        result = PartResult(title, float(weight), frame.f_lineno, supporting=bool(supporting))
        self.results.append(result)
        return _Part(self, result, timeout)

    def note(self, text):
        """Add a remark to the report that costs nothing (e.g. a warning worth knowing about)."""
        self.notes.append(str(text)[:300])

    @property
    def fraction(self):
        """Share of the weight that passed, between 0 and 1.

        Supporting parts count only when at least one value part passed.
        """
        total = sum(r.weight for r in self.results)
        if total <= 0:
            return 0.0
        values_pass = any(r.passed and not r.supporting for r in self.results)
        return sum(r.weight for r in self.results if r.passed and (values_pass or not r.supporting)) / total

    @property
    def earned(self):
        return round(self.points * self.fraction, 2)

    def public_title(self, result, hidden_lines=frozenset()):
        """The part's title as the student may see it: hidden parts never show their inputs."""
        if result.line in hidden_lines:
            return f"a further check of `{self.name}` " + ("passed" if result.passed else "failed")
        return str(result.title)

    def report(self, hidden_lines=frozenset()):
        """The student-facing report, as text.

        Parts written on ``hidden_lines`` (the grader's hidden tests) are shown as "a
        further check of `name` passed/failed", with the hint of a known mistake when the
        value reproduced one: never their title, inputs or expected values.
        """
        lines = []
        passed = sum(1 for r in self.results if r.passed)
        lines.append(
            f"{self.name}: {passed} of {len(self.results)} checks passed "
            f"({_fmt_points(self.earned)} of {_fmt_points(self.points)} points)"
        )
        values_pass = any(r.passed and not r.supporting for r in self.results)
        for r in self.results:
            lines.append(f"  {PASS_MARK if r.passed else FAIL_MARK} {self.public_title(r, hidden_lines)}")
            if r.line in hidden_lines:
                lines.extend(_hidden_part_lines(r))
                continue
            if r.passed and r.supporting and not values_pass:
                lines.append("      (this part counts once a check of the values passes)")
            if not r.passed:
                for text in r.message.splitlines() or ["(no message)"]:
                    lines.append(f"      {text.strip() if text.startswith('      ') else text}")
            for note in r.notes:
                lines.append(f"      {note}")
        for note in self.notes:
            lines.append(f"  Note: {note}")
        if self.results and passed == len(self.results):
            more = "" if is_grading() else " More checks run when your notebook is graded."
            lines.append("  Well done!" + more)
        return "\n".join(lines)

    def score(self):
        """Print the report and return the points earned (nbgrader's partial credit)."""
        print(self.report())
        return float(self.earned)


def _hidden_part_lines(result):
    """What the report says under a failed hidden part: the kind of error, or a matched hint."""
    if result.passed:
        return []
    if result.raised:
        return [f"      Your code raised {result.raised} on the grader's inputs."]
    if result.matched_hint:
        return [f"      Hint: {result.matched_hint}"]
    return []


def _fmt_points(x):
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")
