"""Runs one student notebook inside the grading sandbox.

Started by the grader as ``python -I -B runner.py UID GID FD_IN FD_OUT`` inside bubblewrap
(or, as a fallback, as a plain child process). It reads the job from file
descriptor FD_IN and writes events to FD_OUT, both as frames of
``wire``. Nothing here is trusted by the grader: whatever this process (and
the student's code in it) sends back is checked as plain data on the other
side. This file therefore stays small and does only three things:

1. drop root privileges (when started as root) before any student code runs;
2. execute the notebook's code cells in order in an IPython shell,
   reporting each cell's (truncated) output;
3. at every test cell, run the student-visible version of that test (what the
   student's own kernel would report) and then answer the grader's requests
   (look up a name, call a function, read an attribute...) until told to go on.
"""

import builtins
import io
import itertools
import os
import signal
import sys
import time
import traceback
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wire  # noqa: E402

sys.path.pop(0)

MAX_TEXT = 20_000


class GradingTimeout(BaseException):
    """Raised in the student's code when a cell or a call runs past its time limit."""


class BoundedText(io.TextIOBase):
    """A text stream that keeps at most ``limit`` characters and counts the rest."""

    def __init__(self, limit=MAX_TEXT):
        self.limit = limit
        self.parts = []
        self.size = 0
        self.dropped = 0

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self):
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n... [{self.dropped} more characters of output were cut]\n"
        return text


def reseed(seed):
    """Seed the global random generators the student's code may draw from (those already imported).

    Called before the notebook's own run of a test cell and again before the grader's run of it, so a
    function that uses ``np.random.random`` or ``random.random`` gives the same answers in both runs: its
    grade is reproducible and it is not mistaken for tampering.
    """
    # numpy.random is loaded lazily, on first use: seed it whenever NumPy itself is loaded.
    for loaded, module, function in (
        ("random", "random", "seed"),
        ("numpy", "numpy.random", "seed"),
        ("torch", "torch", "manual_seed"),
    ):
        try:
            if loaded in sys.modules or loaded == "random":
                __import__(module)
                getattr(sys.modules[module], function)(seed)
        except Exception:  # noqa: BLE001 - the student's code may have replaced it; nothing is trusted here
            pass


def drop_privileges(uid, gid):
    if os.getuid() != 0 or uid < 0:
        return
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("could not drop root privileges")


def _on_alarm(signum, frame):
    raise GradingTimeout()


def set_timer(seconds):
    """Interrupt the student's code after ``seconds``, then every second, in case it catches the first one."""
    seconds = max(0.0, float(seconds or 0))
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0 if seconds else 0.0)


def student_location(tb, cell_names):
    """(line, code) of the innermost traceback frame that lies in a notebook cell."""
    for frame in reversed(traceback.extract_tb(tb)):
        if frame.filename in cell_names or frame.filename.startswith("<ipython-input"):
            return frame.lineno, (frame.line or "").strip()[:200]
    return None, ""


def describe_error(error, cell_names):
    if isinstance(error, SyntaxError):
        return {
            "type": "SyntaxError",
            "message": str(error.msg)[:500],
            "line": error.lineno,
            "code": (error.text or "").strip()[:200],
        }
    line, code = student_location(error.__traceback__, cell_names)
    try:
        message = str(error)[:500]
    except BaseException:  # noqa: BLE001 - a hostile __str__ must not break the runner
        message = "(the error message could not be shown)"
    kind = "GradingTimeout" if isinstance(error, GradingTimeout) else type(error).__name__
    return {"type": kind[:80], "message": message, "line": line, "code": code}


class Runner:
    def __init__(self, inp, out, job):
        self.inp = inp
        self.out = out
        self.job = job
        self.handles = {}
        self.ids = itertools.count(1)
        self.cell_names = set()
        self.shell = self._make_shell()

    # -- setup ----------------------------------------------------------------
    def _make_shell(self):
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False
        config.InteractiveShell.colors = "nocolor"
        config.InteractiveShell.autocall = 0
        shell = InteractiveShell.instance(config=config)
        shell.display_pub = _TextDisplay(parent=shell)
        shell.compile.cache = self._remember_cell_name(shell.compile.cache)
        return shell

    def _remember_cell_name(self, cache):
        def wrapped(transformed_code, number=0, raw_code=None):
            name = cache(transformed_code, number, raw_code)
            self.cell_names.add(name)
            return name

        return wrapped

    # -- messages -------------------------------------------------------------
    def send(self, message):
        wire.write_frame(self.out, message, limit=wire.MAX_REPLY_FRAME)

    def receive(self):
        return wire.read_frame(self.inp)

    def register(self, value):
        ident = next(self.ids)
        self.handles[ident] = value
        try:
            kind = type(value).__name__[:80]
        except BaseException:  # noqa: BLE001
            kind = "object"
        return {"$remote": ident, "type": kind, "callable": callable(value)}

    def encode(self, value):
        return wire.encode(value, handle=self.register)

    def resolve(self, tag, payload):
        if tag == "$ref":
            return self.handles[payload["$ref"]]
        if tag == "$callback":
            return self._callback(payload["$callback"])
        raise wire.WireError(f"unexpected handle {tag}")

    def decode(self, value):
        return wire.decode(value, resolve=self.resolve, readonly=False)

    def _callback(self, ident):
        runner = self

        def grader_function(*args, **kwargs):
            runner.send(
                {"callback": ident, "args": runner.encode(list(args)), "kwargs": runner.encode(kwargs)}
            )
            reply = runner.receive()
            if "ok" in reply:
                return runner.decode(reply["ok"])
            raise RuntimeError(str(reply.get("error", "the grader's function failed"))[:500])

        return grader_function

    # -- running cells --------------------------------------------------------
    def run_source(self, source, timeout, capture):
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = capture
        self.shell.display_pub.sink = capture
        set_timer(timeout)
        try:
            result = self.shell.run_cell(source, store_history=True, silent=False)
        finally:
            set_timer(0)
            sys.stdout, sys.stderr = stdout, stderr
        return result

    def run_code_cell(self, cell):
        capture = BoundedText()
        started = time.monotonic()
        result = self.run_source(cell["source"], self.job.get("cell_timeout", 60), capture)
        error = result.error_before_exec or result.error_in_exec
        self.send(
            {
                "event": "cell",
                "index": cell["index"],
                "output": capture.getvalue(),
                "error": describe_error(error, self.cell_names) if error is not None else None,
                "seconds": round(time.monotonic() - started, 3),
            }
        )

    def run_test_cell(self, cell):
        capture = BoundedText()
        reseed(cell["index"])
        result = self.run_source(cell["source"], self.job.get("test_timeout", 20), capture)
        error = result.error_before_exec or result.error_in_exec
        value = result.result
        number = float(value) if type(value) in (int, float) else None
        self.send(
            {
                "event": "test",
                "index": cell["index"],
                "grade_id": cell.get("grade_id"),
                "kernel": {
                    "raised": error is not None,
                    "value": number,
                    "error": describe_error(error, self.cell_names) if error is not None else None,
                    "output": capture.getvalue(),
                },
            }
        )
        reseed(cell["index"])  # the grader's own run of this test sees the same random numbers
        self.serve()

    # -- answering the grader ---------------------------------------------------
    def serve(self):
        while True:
            request = self.receive()
            op = request.get("op")
            if op == "resume":
                return
            reply = self.answer(op, request)
            try:
                self.send(reply)
            except wire.WireError as error:
                self.send(
                    {
                        "error": {
                            "type": "ResultTooLarge",
                            "message": f"the result is too large to check ({error})",
                        }
                    }
                )

    def answer(self, op, request):
        sink = BoundedText(limit=0)
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = sink
        set_timer(request.get("timeout") or self.job.get("call_timeout", 10))
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = self._perform(op, request)
            set_timer(0)
            reply = {"ok": self.encode(value)}
            if caught:
                reply["warnings"] = [f"{w.category.__name__}: {str(w.message)[:300]}" for w in caught[:5]]
            return reply
        except _Missing:
            set_timer(0)
            return {"missing": True}
        except BaseException as error:  # noqa: BLE001 - report anything the student's code raises
            set_timer(0)
            return {"error": describe_error(error, self.cell_names)}
        finally:
            set_timer(0)
            sys.stdout, sys.stderr = stdout, stderr

    def _perform(self, op, request):
        if op == "lookup":
            namespace = self.shell.user_ns
            name = request["name"]
            if name not in namespace:
                raise _Missing()
            return namespace[name]
        target = self.handles[request["target"]]
        if op == "call":
            args = self.decode(request.get("args", []))
            kwargs = self.decode(request.get("kwargs", {"$dict": []}))
            return target(*args, **kwargs)
        if op == "getattr":
            return getattr(target, request["name"])
        if op == "setattr":
            setattr(target, request["name"], self.decode(request["value"]))
            return None
        if op == "getitem":
            return target[self.decode(request["key"])]
        if op == "len":
            return len(target)
        if op == "list":
            limit = int(request.get("limit", 100_000))
            items = list(itertools.islice(iter(target), limit + 1))
            if len(items) > limit:
                raise ValueError(f"more than {limit} items")
            return items
        raise ValueError(f"unknown request {op!r}")

    # -- the whole notebook ----------------------------------------------------
    def run(self):
        for cell in self.job["cells"]:
            if cell["kind"] == "test":
                self.run_test_cell(cell)
            else:
                self.run_code_cell(cell)
        self.send({"event": "done"})
        self.serve()


class _Missing(Exception):
    pass


def _make_text_display():
    from IPython.core.displaypub import DisplayPublisher

    class TextDisplay(DisplayPublisher):
        """Keeps the text form of displayed objects; pictures are only counted."""

        sink = None

        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            if self.sink is None:
                return
            if "text/plain" in data:
                self.sink.write(str(data["text/plain"])[:2000] + "\n")
            elif any(key.startswith("image/") for key in data):
                self.sink.write("[figure]\n")

        def clear_output(self, wait=False):
            pass

    return TextDisplay


def prepare():
    """Set up what every student's run shares: the time-out signal, no input(), the display hook."""
    signal.signal(signal.SIGALRM, _on_alarm)
    warnings.filterwarnings("ignore", message=".*non-interactive.*")
    builtins.input = _no_input
    global _TextDisplay
    _TextDisplay = _make_text_display()


def serve_job(fd_in, fd_out):
    """Read the job from ``fd_in``, run the notebook, and answer the grader on ``fd_out`` until it is done."""
    inp = open(fd_in, "rb", buffering=0)  # noqa: SIM115 - lives as long as the process
    out = open(fd_out, "wb", buffering=0)  # noqa: SIM115
    os.makedirs(os.environ.get("HOME", "/tmp/home"), exist_ok=True)
    workdir = os.environ.get("GRADER_WORKDIR")
    if workdir:
        os.makedirs(workdir, exist_ok=True)
        os.chdir(workdir)
    job = wire.read_frame(inp)
    runner = Runner(inp, out, job)
    runner.send({"event": "ready", "pid": os.getpid(), "uid": os.getuid()})
    try:
        runner.run()
    except (EOFError, BrokenPipeError):
        pass


def main():
    uid, gid, fd_in, fd_out = (int(arg) for arg in sys.argv[1:5])
    drop_privileges(uid, gid)
    prepare()
    serve_job(fd_in, fd_out)


def _no_input(prompt=""):
    raise EOFError("input() cannot be used in a graded notebook: there is no one to type an answer")


_TextDisplay = None

if __name__ == "__main__":
    main()
