"""A grading worker's prewarmed interpreter: imports once, then forks a fresh child for each student.

Started by the grader as ``python -I -B forkserver.py CONTROL_FD PRELOAD`` inside the same bubblewrap sandbox
as ``runner.py`` (no network, a read-only view of the system and Python, no view of the grader's files).
It imports what every notebook needs (NumPy, matplotlib, IPython, nnlib, and what the
instructor's cells import: PRELOAD, a JSON list of import statements) once and runs no student code
itself. For each student the grader sends, over the control socket, the student's user id and limits
with three file descriptors (requests in, replies out, output). This process forks; the child

1. switches to the student's own user id (when the sandbox runs as root),
2. enters new user, mount, PID, IPC and network namespaces and forks again. The grandchild is process 1
   of the new PID namespace (so when it ends, every process the student started ends with it). It gives
   the namespace an empty, size-limited ``/tmp`` and ``/dev/shm`` of its own and makes the rest of the
   filesystem read-only;
3. process 1 forks the student's process 2: the resource limits, one more user namespace (so the student
   cannot undo those mounts), then ``runner.serve_job`` runs the notebook exactly as a freshly started
   runner would.

Nothing one student writes is seen by the next: files only in its own tmpfs, no shared memory, no
sockets (own network namespace), and no process of it survives its end. This process is made
non-dumpable, so no student process can read or write its memory through ``/proc``.
"""

import ctypes
import gc
import json
import os
import socket
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rlimits  # noqa: E402
import runner  # noqa: E402

sys.path.pop(0)

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME = 1 << 14, 1 << 18, 1 << 21
ST_RELATIME = 4096  # statvfs' flag for relatime (the other ST_ flags equal their MS_ twins)
PR_SET_DUMPABLE = 4
#: Exit status of the intermediate child when the sandbox for a student could not be set up.
SETUP_FAILED = 70

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
_libc.unshare.argtypes = [ctypes.c_int]
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


def _call(name, *args):
    if getattr(_libc, name)(*args) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{name}{args[:2]}: {os.strerror(error)}")


def _dumpable(flag):
    _call("prctl", PR_SET_DUMPABLE, int(flag), 0, 0, 0)


def _new_user_namespace(flags=0):
    """Enter a new user namespace (and the namespaces in ``flags``), keeping the same user and group id."""
    uid, gid = os.getuid(), os.getgid()
    _dumpable(True)  # /proc/self/uid_map belongs to root while the process is not dumpable
    _call("unshare", CLONE_NEWUSER | flags)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as file:
            file.write(text)


def _remount_readonly(path):
    flags = os.statvfs(path).f_flag
    keep = flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME)
    if flags & ST_RELATIME:
        keep |= MS_RELATIME
    _call("mount", None, path.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | keep, None)


def _fresh_filesystem(tmp_bytes):
    """Private, empty /tmp and /dev/shm; / and /dev read-only; an /etc/passwd naming this user."""
    _call("mount", b"none", b"/", None, MS_REC | MS_PRIVATE, None)
    for path in ("/", "/dev"):
        _remount_readonly(path)
    for path in ("/tmp", "/dev/shm"):
        if os.path.isdir(path):
            options = f"size={tmp_bytes},mode=1777".encode()
            _call("mount", b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options)
    os.chdir("/")
    passwd = "/tmp/.passwd"
    with open(passwd, "w") as file:
        file.write(
            f"root:x:0:0::/root:/bin/false\nstudent:x:{os.getuid()}:{os.getgid()}::/tmp/home:/bin/false\n"
        )
    _call("mount", passwd.encode(), b"/etc/passwd", None, MS_BIND, None)
    _remount_readonly("/etc/passwd")
    os.unlink(passwd)
    for folder in ("/tmp/home", "/tmp/work", "/tmp/mpl"):
        os.makedirs(folder, exist_ok=True)


def _init(request, fds):
    """Process 1 of the student's PID namespace: set up its filesystem, run the student as process 2, wait.

    The student's code is not process 1 itself: process 1 of a namespace ignores the signals its own
    namespace sends it (``os.kill(os.getpid(), SIGKILL)`` would do nothing). When this process ends, the
    kernel ends every other process of the namespace. Never returns.
    """
    try:
        _fresh_filesystem(request["limits"]["tmp_bytes"])
        _dumpable(False)
        student = os.fork()
        if student == 0:
            _run_student(request, *fds)
        for fd in fds:
            os.close(fd)
        while True:
            pid, status = os.wait()  # also reaps the student's orphans, as an init does
            if pid == student:
                os._exit(_exit_code(status))
    except BaseException:  # noqa: BLE001 - the grader sees the exit status and the output
        traceback.print_exc()
        os._exit(SETUP_FAILED)


def _run_student(request, fd_in, fd_out, output):
    """Process 2: the limits, one more user namespace, then the notebook. Never returns."""
    code = 1
    try:
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        rlimits.apply(request["limits"])
        _new_user_namespace()  # from here on the mounts of process 1 can no longer be changed
        if os.getuid() == 0 and request["uid"] >= 0:
            raise SystemExit("could not drop root privileges")
        if "probe" in request:  # the grader's trial run: every step above worked; is Python still in view?
            os._exit(0 if all(os.path.exists(path) for path in request["probe"]) else 1)
        # What a freshly started runner would see (``runner.py UID GID FD_IN FD_OUT``).
        sys.argv = ["/grader/runner.py", str(request["uid"]), str(request["uid"]), str(fd_in), str(fd_out)]
        runner.serve_job(fd_in, fd_out)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001 - reported through the output the grader keeps
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001, S110 - exiting anyway
                pass
        os._exit(code)


def _exit_code(status):
    """The status as bubblewrap reports it: the exit code, or 128 + N for death by signal N."""
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _student(request, fds, control):
    """The forked child: the student's user id and namespaces, then process 1 for the notebook."""
    control.close()
    try:
        os.setsid()
        uid = request["uid"]
        if uid >= 0 and os.getuid() == 0:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
        _new_user_namespace(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET)
        _dumpable(False)  # the student's processes may not touch this one through /proc
        child = os.fork()
        if child == 0:
            _init(request, fds)
        for fd in fds:
            os.close(fd)
        _, status = os.waitpid(child, 0)
        os._exit(_exit_code(status))
    except BaseException as error:  # noqa: BLE001
        try:
            os.write(fds[2], f"grader: could not set up the sandbox: {error}\n".encode())
        finally:
            os._exit(SETUP_FAILED)


def _preload(statements):
    """Load once here, instead of once per student, what nearly every notebook imports.

    ``statements``: the import statements of the instructor's cells of the notebooks to be graded.
    """
    import IPython.core.interactiveshell  # noqa: F401
    import matplotlib
    import numpy

    matplotlib.use("Agg")
    import matplotlib.font_manager  # noqa: F401
    import matplotlib.pyplot  # noqa: F401

    for name in ("nnlib", "nbchecks", "nn4nlp"):
        try:
            __import__(name)
        except ImportError:
            pass
    for statement in statements:
        try:
            exec(compile(statement, "<preloaded>", "exec"), {})  # noqa: S102 - the instructor's imports
        except Exception:  # noqa: BLE001, S112 - the student's run imports it again and reports a failure
            continue
    try:
        from nnlib.backend import namespace

        namespace(numpy.zeros(1))  # nnlib's first call on a NumPy array loads its array-API layer
    except Exception:  # noqa: BLE001, S110 - as above
        pass


def main():
    control = socket.socket(fileno=int(sys.argv[1]))
    runner.prepare()
    _preload(json.loads(sys.argv[2]) if len(sys.argv) > 2 else [])
    # Out of the garbage collector's sight: a collection in a student's process would otherwise visit, and
    # so copy, every page of what was loaded here.
    gc.freeze()
    _dumpable(False)
    control.send(json.dumps({"ready": os.getpid()}).encode())
    while True:
        message, fds, _, _ = socket.recv_fds(control, 65536, 3)
        if not message:
            return
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"error": f"expected 3 file descriptors, received {len(fds)}"}).encode())
            continue
        child = os.fork()
        if child == 0:
            _student(json.loads(message), fds, control)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"started": child}).encode())
        _, status = os.waitpid(child, 0)
        control.send(json.dumps({"exited": _exit_code(status)}).encode())


if __name__ == "__main__":
    main()
