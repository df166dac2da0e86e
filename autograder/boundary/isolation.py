"""Starting, watching and stopping the sandbox that runs a student's code.

The student's notebook runs in its own process (``autograder/boundary/sandbox/runner.py``)
with, when bubblewrap is available:

- no network (its own network namespace), its own PID, IPC and UTS namespaces;
- a private filesystem view: read-only system folders, the Python installation
  and nnlib, and an empty, size-limited ``/tmp``; nothing of ``solutions/``,
  the hidden tests, the gradebook, grading outputs or other students' files;
- when the grader runs as root, an unprivileged user id of its own (a fresh id
  per sandbox, so process limits are per sandbox);
- limits on memory, CPU time, wall time, processes, open files, file size and
  the output it can send back.

Without bubblewrap (``--sandbox none``, or ``auto`` where ``bwrap`` is missing
and the instructor passed ``--allow-unsandboxed``) the same runner starts as a
plain child process with the same resource limits, a clean environment and an
empty working folder, and, when the grader runs as root, under an unprivileged
user id (or, accepted explicitly, as root when that user cannot read Python).
That fallback does NOT hide the filesystem (world-readable files such as
``solutions/`` can be read) and does NOT cut the network; see docs/grading.md.
"""

import dataclasses
import functools
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from autograder.boundary import prewarmed
from autograder.boundary.sandbox import rlimits, wire

RUNNER = Path(__file__).resolve().parent / "sandbox"
GiB = 1024**3
MiB = 1024**2
EVENT_BACKLOG = 4


@dataclasses.dataclass
class Limits:
    """Resource limits for one graded notebook."""

    memory_bytes: int = 3 * GiB
    cpu_seconds: int = 600
    wall_seconds: float = 600.0
    cell_timeout: float = 60.0
    test_timeout: float = 20.0
    call_timeout: float = 10.0
    processes: int = 64
    open_files: int = 256
    file_bytes: int = 64 * MiB
    tmp_bytes: int = 256 * MiB
    output_bytes: int = 64 * 1024


class SandboxStopped(Exception):
    """The sandboxed process ended, was killed, or broke the protocol."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def bwrap_path():
    return shutil.which("bwrap")


#: How to get bubblewrap, for messages.
INSTALL_BWRAP = "install the bubblewrap package (sudo apt install bubblewrap)"
#: The command-line flag with which an instructor accepts grading without bubblewrap.
ALLOW_FLAG = "--allow-unsandboxed"
#: Without bubblewrap, as root, when the unprivileged user cannot read the Python installation: the
#: student's code runs as the grader's own user. Only chosen when the weaker mode was accepted explicitly.
SAME_USER = "none-same-user"
MODES = ("auto", "bwrap", "none", SAME_USER)


def bwrap_problem():
    """None when bubblewrap can be used here, otherwise why not (a few words)."""
    if not bwrap_path():
        return "bwrap was not found on PATH"
    if not bwrap_works():
        return f"{bwrap_path()} cannot create the sandbox's namespaces on this machine"
    return None


def resolve_mode(mode, allow_unsandboxed=False):
    """The isolation to use: 'bwrap', 'none' or 'none-same-user', for a requested mode.

    ``auto`` is bubblewrap where it works. Without it, ``auto`` stops with a clear message unless
    ``allow_unsandboxed`` (the instructor's explicit ``--allow-unsandboxed``), and then falls back to
    ``none``. ``none`` as root runs the student's code under a fresh unprivileged user id; when that user
    cannot read the Python installation, it stops too, unless ``allow_unsandboxed``, and then runs the
    code as the grader's own user (``none-same-user``).
    """
    if mode not in MODES:
        raise ValueError(f"sandbox mode must be 'auto', 'bwrap' or 'none', not {mode!r}")
    if mode == SAME_USER:
        return mode
    if mode == "bwrap" and bwrap_problem():
        raise RuntimeError(f"{bwrap_problem()}; {INSTALL_BWRAP} or use --sandbox none")
    if mode == "auto":
        if bwrap_problem() is None:
            return "bwrap"
        if not allow_unsandboxed:
            raise RuntimeError(
                f"no grading sandbox: {bwrap_problem()}. Without it, student code could read your files "
                f"and use the network. To grade safely, {INSTALL_BWRAP} and grade again; or, for "
                f"notebooks you trust, pass {ALLOW_FLAG} to grade with resource limits only"
            )
        mode = "none"
    if mode == "none" and os.getuid() == 0:
        hidden = unreadable_runtime_path()
        if hidden:
            if allow_unsandboxed:
                return SAME_USER
            raise RuntimeError(
                f"without bubblewrap, student code runs as an unprivileged user, who cannot read {hidden}; "
                f"{INSTALL_BWRAP}, install Python where other users can read it, or, "
                f"for notebooks you trust, pass {ALLOW_FLAG} to run them as root"
            )
    return mode


def unreadable_runtime_path():
    """The first part of the Python installation or nnlib that other users cannot read, or None."""
    return next((p for p in _runtime_paths() if not _readable_by_others(p)), None)


def describe(mode, trusted=False):
    """One line for the instructor: which isolation ``mode`` gives and, without bubblewrap, how to get it."""
    if mode == "bwrap":
        return "Isolation: bubblewrap sandbox (student code runs with no network and no view of your files)."
    why = bwrap_problem() or "--sandbox none"
    if mode == SAME_USER:
        who = f"as root (the unprivileged user cannot read {unreadable_runtime_path()})"
    elif os.getuid() == 0:
        who = "as an unprivileged user but can read world-readable files and use the network"
    else:
        who = "as you (it can read your files and use the network)"
    fine = "fine for this trusted sample class" if trusted else "use it only for notebooks you trust"
    return (
        f"Isolation: no sandbox ({why}); student code runs {who}, with resource limits only: {fine}. "
        f"For the full sandbox, {INSTALL_BWRAP}."
    )


def _runtime_paths():
    import nbchecks
    import nn4nlp
    import nnlib

    return [
        os.path.realpath(sys.base_prefix),
        os.path.realpath(sys.prefix),
        *(os.path.dirname(os.path.realpath(package.__file__)) for package in (nnlib, nn4nlp, nbchecks)),
    ]


def _readable_by_others(path):
    """True when a user with no special rights can enter every folder up to ``path`` and read it."""
    import stat

    current = Path(path)
    for folder in [*reversed(current.parents), current]:
        try:
            mode = folder.stat().st_mode
        except OSError:
            return False
        if not mode & stat.S_IXOTH:
            return False
    return bool(current.stat().st_mode & stat.S_IROTH)


_BWRAP_OK = None


def bwrap_works():
    """True when bubblewrap can create the namespaces we need on this machine."""
    global _BWRAP_OK
    if bwrap_path() is None:
        return False
    if _BWRAP_OK is None:
        command = [bwrap_path(), *_system_binds(), "--unshare-all", "--die-with-parent", "true"]
        if os.getuid() != 0:
            command.insert(1, "--unshare-user")
        try:
            _BWRAP_OK = subprocess.run(command, capture_output=True, timeout=20).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            _BWRAP_OK = False
    return _BWRAP_OK


def _system_binds():
    args = ["--perms", "0755", "--dir", "/etc"]
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives"):
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return args


def _python_binds():
    """The Python installation, the virtual environment, nnlib, nn4nlp and nbchecks, read-only."""
    paths = set(_runtime_paths()) | {sys.prefix}
    paths = sorted(p for p in paths if os.path.exists(p))
    args = []
    # bwrap would create the missing parent folders with mode 0700, which the
    # sandbox's unprivileged user could not enter.
    parents = sorted({str(a) for p in paths for a in Path(p).parents if str(a) != "/"}, key=len)
    for parent in parents:
        if not parent.startswith(("/usr", "/bin", "/lib", "/sbin")) and parent not in paths:
            args += ["--perms", "0755", "--dir", parent]
    for path in paths:
        args += ["--ro-bind", path, path]
    return args


def _free_uid():
    """An unused user id for one sandbox (only meaningful when running as root)."""
    busy = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                busy.add(os.stat(f"/proc/{entry}").st_uid)
            except OSError:
                pass
    while True:
        uid = random.SystemRandom().randrange(200_000, 900_000)
        if uid not in busy:
            return uid


def _matplotlib_cache():
    """The grader's matplotlib font cache, built once, shared read-only."""
    try:
        import matplotlib

        os.environ.setdefault("MPLBACKEND", "Agg")
        import matplotlib.font_manager  # noqa: F401 - builds the cache if needed

        return matplotlib.get_cachedir()
    except Exception:  # noqa: BLE001 - only an optimisation
        return None


#: The fork server of this process: one per grading process, for bubblewrap.
_FORK_SERVER_KEY = "bwrap"


def prewarm(mode, preload=()):
    """Start this process's fork server now (bubblewrap only), so the first notebook does not wait for it.

    ``preload``: import statements (text) the fork server runs once, for every student after it.
    """
    try:
        sandbox = Sandbox(Limits(), mode)
    except (RuntimeError, ValueError):
        return  # the first notebook reports it
    try:
        sandbox.fork_server(preload)
    finally:
        sandbox._tmp.cleanup()


class Sandbox:
    """One running notebook in its sandbox, with a message channel to it."""

    def __init__(self, limits, mode="auto"):
        self.limits = limits
        self.mode = resolve_mode(mode)
        self.process = None
        # Bounded: a sandbox that writes frames faster than the grader reads them waits on its pipe,
        # so at most EVENT_BACKLOG frames of at most wire.MAX_REPLY_FRAME bytes are held here.
        self.events = queue.Queue(maxsize=EVENT_BACKLOG)
        self.stopped_reason = None
        self.peak_memory = 0
        self._tmp = tempfile.TemporaryDirectory(prefix="grader-")
        self._stdout_tail = bytearray()
        self._uid = _free_uid() if os.getuid() == 0 and self.mode != SAME_USER else -1
        self._threads = []
        self._closing = False

    # -- starting --------------------------------------------------------------
    def _environment(self):
        bwrap = self.mode == "bwrap"
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": "/tmp/home" if bwrap else os.path.join(self._tmp.name, "home"),
            "GRADER_WORKDIR": "/tmp/work" if bwrap else os.path.join(self._tmp.name, "work"),
            "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "NUMEXPR_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            "NNLIB_DEVICE": "cpu",
            "TQDM_DISABLE": "1",
            "VIRTUAL_ENV": sys.prefix,
        }

    def _command(self, fd_in, fd_out):
        runner = [
            sys.executable,
            "-I",
            "-B",
            "RUNNER",
            str(self._uid),
            str(self._uid),
            str(fd_in),
            str(fd_out),
        ]
        if self.mode != "bwrap":
            runner[3] = str(RUNNER / "runner.py")
            return runner, self._environment(), self._tmp.name
        runner[3] = "/grader/runner.py"
        return self._bwrap_args(self._uid, self._tmp.name) + runner, None, "/"

    def _bwrap_args(self, uid, folder):
        """bubblewrap and its options, up to and including the ``--`` before the command to run."""
        env = self._environment()
        mpl = _matplotlib_cache()
        if mpl:
            env["MPLCONFIGDIR"] = "/tmp/mpl"
        args = [bwrap_path(), "--clearenv"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        # The empty /tmp comes first: binds made later land inside it, so a course or a virtual
        # environment that lives under /tmp stays visible instead of being covered by the tmpfs.
        args += ["--size", str(self.limits.tmp_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
        args += _system_binds() + _python_binds()
        args += ["--ro-bind", str(RUNNER), "/grader"]
        args += ["--proc", "/proc", "--dev", "/dev"]
        if mpl:
            args += ["--perms", "1777", "--dir", "/tmp/mpl"]
            for name in os.listdir(mpl):
                if name.startswith("fontlist") and name.endswith(".json"):
                    args += ["--ro-bind", os.path.join(mpl, name), f"/tmp/mpl/{name}"]
        passwd = Path(folder, "passwd")
        passwd.write_text(f"root:x:0:0::/root:/bin/false\nstudent:x:{uid}:{uid}::/tmp/home:/bin/false\n")
        args += ["--ro-bind", str(passwd), "/etc/passwd"]
        args += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        args += ["--die-with-parent", "--new-session", "--hostname", "grader"]
        if os.getuid() == 0:
            # No user namespace: the runner starts as root with only these two
            # capabilities and switches to the sandbox's own user id at once.
            args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        else:
            args += ["--unshare-user"]
        return args + ["--chdir", "/tmp", "--"]

    def start(self, job):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.process = self._fork_prewarmed(to_child_r, from_child_w)
        if self.process is None:
            self.process = self._popen(to_child_r, from_child_w)
        os.close(to_child_r)
        os.close(from_child_w)
        self._to_child = os.fdopen(to_child_w, "wb", buffering=0)
        self._from_child = os.fdopen(from_child_r, "rb", buffering=0)
        self._spawn(self._read_frames)
        self._spawn(self._drain_output)
        self._spawn(self._watch)
        self.send(job)

    def _fork_prewarmed(self, fd_in, fd_out):
        """A child of this grading process's prewarmed fork server (bubblewrap only), or None."""
        server = self.fork_server()
        if server is None:
            return None
        output_r, output_w = os.pipe()
        try:
            child = server.spawn(self._uid, dataclasses.asdict(self.limits), fd_in, fd_out, output_w)
        except prewarmed.Busy:  # another notebook of this process is being graded: start a fresh sandbox
            os.close(output_r)
            return None
        finally:
            os.close(output_w)
        if child is None:
            os.close(output_r)
            prewarmed.forget(_FORK_SERVER_KEY)
            return None
        child.stdout = os.fdopen(output_r, "rb", buffering=0)
        return child

    def fork_server(self, preload=()):
        """This process's prewarmed fork server (started when needed), or None where it cannot run.

        A server started here first runs the import statements ``preload``.
        """
        if self.mode != "bwrap" or not prewarmed.wanted():
            return None
        limits = dataclasses.asdict(self.limits)
        needed = [sys.executable, *_runtime_paths()]
        command = functools.partial(self._fork_server_command, preload=list(preload))
        return prewarmed.server(_FORK_SERVER_KEY, command, self._uid, limits, needed)

    def _fork_server_command(self, control_fd, folder, preload=()):
        server = [
            sys.executable,
            "-I",
            "-B",
            "/grader/forkserver.py",
            str(control_fd),
            json.dumps(list(preload)),
        ]
        return self._bwrap_args(self._uid, folder) + server, None, "/"

    def _popen(self, to_child_r, from_child_w):
        command, env, cwd = self._command(to_child_r, from_child_w)
        if self.mode != "bwrap":
            for key in ("HOME", "GRADER_WORKDIR"):
                os.makedirs(env[key], exist_ok=True)
                if self._uid >= 0:
                    os.chown(env[key], self._uid, self._uid)
            if self._uid >= 0:
                os.chown(self._tmp.name, self._uid, self._uid)
        return subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(to_child_r, from_child_w),
            preexec_fn=functools.partial(rlimits.apply, dataclasses.asdict(self.limits)),
            start_new_session=True,
        )

    def _spawn(self, target):
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self._threads.append(thread)

    # -- background threads ----------------------------------------------------
    def _read_frames(self):
        try:
            while True:
                self._queue(("frame", wire.read_frame(self._from_child, limit=wire.MAX_REPLY_FRAME)))
        except wire.WireError as error:
            self.kill(f"the notebook's process sent something that is not a valid message ({error})")
            self._queue(("stopped", None))
        except (EOFError, OSError, ValueError):
            self._queue(("stopped", None))

    def _queue(self, item):
        """Hand a frame to the grader, waiting while the backlog is full (until the sandbox is closed)."""
        while not self._closing:
            try:
                self.events.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _drain_output(self):
        limit = self.limits.output_bytes
        stream = self.process.stdout
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                return
            room = limit - len(self._stdout_tail)
            if room > 0:
                self._stdout_tail += chunk[:room]

    def _watch(self):
        """Kill the sandbox when it runs out of wall time or memory."""
        deadline = time.monotonic() + self.limits.wall_seconds
        import psutil

        try:
            root = psutil.Process(self.process.pid)
        except psutil.Error:
            return
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                self.kill(f"it ran for more than {int(self.limits.wall_seconds)} seconds in total")
                return
            try:
                rss = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
            except psutil.Error:
                rss = 0
            self.peak_memory = max(self.peak_memory, rss)
            if rss > self.limits.memory_bytes:
                self.kill(f"it used more than {self.limits.memory_bytes / GiB:.1f} GiB of memory")
                return
            time.sleep(0.2)

    # -- talking ---------------------------------------------------------------
    def send(self, message):
        if self.stopped_reason:
            raise SandboxStopped(self.stopped_reason)
        try:
            wire.write_frame(self._to_child, message)
        except (BrokenPipeError, OSError):
            raise SandboxStopped(self._ended_reason()) from None

    def receive(self, timeout, late=None):
        """The next frame from the sandbox, or SandboxStopped (with ``late`` as the reason after ``timeout``)."""
        if self.stopped_reason and self.events.empty():
            raise SandboxStopped(self.stopped_reason)
        try:
            kind, frame = self.events.get(timeout=timeout)
        except queue.Empty:
            self.kill(late or f"it did not answer within {timeout:.0f} seconds")
            raise SandboxStopped(self.stopped_reason) from None
        if kind == "stopped":
            reason = self._ended_reason()
            self.stopped_reason = self.stopped_reason or reason
            self.events.put(("stopped", None))
            raise SandboxStopped(self.stopped_reason)
        if type(frame) is not dict:
            self.kill("the notebook's process sent a malformed message")
            raise SandboxStopped(self.stopped_reason)
        return frame

    def _ended_reason(self):
        if self.stopped_reason:
            return self.stopped_reason
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill("it stopped answering")
            return self.stopped_reason
        if code > 128 and code - 128 in signal.Signals._value2member_map_:
            code = -(code - 128)  # bubblewrap exits with 128 + N when its child dies of signal N
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            if name == "SIGXCPU":
                return f"it used more than {self.limits.cpu_seconds} seconds of CPU time"
            if name == "SIGSEGV":
                return "it crashed (segmentation fault)"
            if name == "SIGKILL":
                return "it was killed (SIGKILL), for example by os.kill or by running out of memory"
            return f"it was stopped by signal {name}"
        if code == 0:
            return "it exited early (for example by calling os._exit or sys.exit outside a cell)"
        return f"it exited early with status {code}"

    def output_tail(self):
        return bytes(self._stdout_tail).decode("utf-8", "replace")

    # -- stopping --------------------------------------------------------------
    def kill(self, reason):
        if self.stopped_reason is None:
            self.stopped_reason = reason
        if isinstance(self.process, prewarmed.Child):
            self.process.kill()
        elif self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self._uid >= 0:
            _kill_user(self._uid)

    def close(self):
        if self.process is not None:
            # Everything the grader needs has arrived by now: kill at once rather than wait for the
            # interpreter's own shutdown (tenths of a second per notebook with NumPy and matplotlib loaded).
            reason = self.stopped_reason
            self.kill("closed")
            self.stopped_reason = reason
            self._closing = True  # lets the frame reader give up a frame nobody will read
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            for stream in (self._to_child, self._from_child, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        self._tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _kill_user(uid):
    """Kill every process that runs under ``uid`` (the sandbox's own user id)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                os.kill(int(entry), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass
