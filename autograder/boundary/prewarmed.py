"""One prewarmed interpreter per grading process, in its bubblewrap sandbox, that forks a child per student.

Starting a fresh interpreter and importing NumPy, matplotlib, IPython and nnlib again costs most of a
notebook's grading time. :class:`ForkServer` starts ``sandbox/forkserver.py`` once per grading process,
inside the same sandbox as a cold runner, and asks it for one child per student. What keeps students
apart (fresh namespaces, an empty /tmp, no surviving process) is set up by the fork server in each child;
see its docstring. Set ``GRADER_PREWARM=0`` to start a fresh sandbox per student instead.
"""

import json
import os
import queue
import socket
import subprocess
import tempfile
import threading
import time

import psutil

_SERVERS = {}
_BROKEN = set()
_STARTING = threading.Lock()


def wanted():
    return os.environ.get("GRADER_PREWARM", "1") != "0"


def server(key, start_command, uid, limits, needed_paths):
    """The running fork server for ``key``, or None when it cannot run here.

    Started when needed with the command, environment and folder that ``start_command(control_fd, folder)``
    returns; ``folder`` is a temporary folder that lives as long as the server. A trial child with user id
    ``uid`` and ``limits`` must get through every step of a student's setup and still see every path of
    ``needed_paths`` (Python and the course's packages), or the server is not used.
    """
    with _STARTING:
        current = _SERVERS.get(key)
        if current is not None and current.alive():
            return current
        if key in _BROKEN:
            return None
        try:
            current = ForkServer(start_command)
        except (OSError, RuntimeError):
            _BROKEN.add(key)
            return None
        try:
            current.probe(uid, limits, needed_paths)
        except (OSError, RuntimeError):
            current.stop()
            _BROKEN.add(key)
            return None
        _SERVERS[key] = current
        return current


def forget(key):
    """Stop the fork server for ``key`` (the next notebook starts a new one)."""
    current = _SERVERS.pop(key, None)
    if current is not None:
        current.stop()


class Busy(Exception):
    """The fork server is serving another student of this process."""


class ForkServer:
    """The fork server's process (bubblewrap and the prewarmed interpreter) and its control socket."""

    def __init__(self, start_command, timeout=120):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.control = ours
        self.replies = queue.Queue()
        self.child = None
        self._lock = threading.Lock()
        self.folder = tempfile.TemporaryDirectory(prefix="grader-forkserver-")
        try:
            command, env, cwd = start_command(theirs.fileno(), self.folder.name)
            self.process = subprocess.Popen(
                command,
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
            )
        finally:
            theirs.close()
        threading.Thread(target=self._read_replies, daemon=True).start()
        ready = self._reply(timeout)
        if "ready" not in ready:
            self.stop()
            raise RuntimeError(f"the fork server did not start: {ready}")
        self.host_pid = _host_pid(self.process.pid, ready["ready"]) or self.process.pid

    def _read_replies(self):
        while True:
            try:
                message = self.control.recv(65536)
            except OSError:
                message = b""
            if not message:
                self.replies.put({"gone": True})
                if self.child is not None:
                    self.child.exited(137)
                return
            reply = json.loads(message)
            if "exited" in reply and self.child is not None:
                self.child.exited(int(reply["exited"]))
                self.child = None
            else:
                self.replies.put(reply)

    def _reply(self, timeout):
        try:
            return self.replies.get(timeout=timeout)
        except queue.Empty:
            return {"gone": "no answer"}

    def probe(self, uid, limits, needed_paths):
        """Fork a trial child that sets up a student's namespaces, checks ``needed_paths`` and exits; raise if it fails.

        Where the kernel refuses a step (for example user namespaces inside the sandbox), or where the
        student's fresh /tmp would hide Python (a virtual environment under /tmp), every student would fail:
        better a fresh sandbox per notebook than a server that cannot serve.
        """
        read_end, write_end = os.pipe()
        try:
            child = self.spawn(uid, limits, write_end, write_end, write_end, probe=list(needed_paths))
        finally:
            os.close(write_end)
        try:
            code = child.wait(30) if child is not None else None
        except subprocess.TimeoutExpired:
            code = None
        finally:
            os.close(read_end)
        if code != 0:
            raise RuntimeError(f"the fork server's trial child failed (exit status {code})")

    def alive(self):
        return self.process.poll() is None

    def spawn(self, uid, limits, fd_in, fd_out, output, probe=None):
        """Fork a child for one student; return it as a :class:`Child`, or None if the server failed.

        With ``probe`` (a list of paths), the child only sets up and checks that it still sees those paths.
        Raises :class:`Busy` while another student of this process is being graded.
        """
        fields = {"uid": uid, "limits": limits}
        if probe is not None:
            fields["probe"] = probe
        request = json.dumps(fields).encode()
        child = Child(self)
        with self._lock:
            if self.child is not None:
                raise Busy()
            self.child = child
        try:
            socket.send_fds(self.control, [request], [fd_in, fd_out, output])
        except OSError:
            self.child = None
            return None
        reply = self._reply(30)
        if "started" not in reply:
            self.child = None
            return None
        child.inner_pid = reply["started"]
        return child

    def kill_children(self):
        """SIGKILL every process under the fork server: the one student it serves and all it started."""
        try:
            descendants = psutil.Process(self.host_pid).children(recursive=True)
        except psutil.Error:
            return
        for process in descendants:
            try:
                process.kill()
            except psutil.Error:
                pass

    def stop(self):
        try:
            os.killpg(self.process.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass
        self.control.close()
        self.process.wait()
        self.folder.cleanup()


class Child:
    """One student's process tree under the fork server, with the parts of ``subprocess.Popen`` a Sandbox uses."""

    def __init__(self, server):
        self.server = server
        self.inner_pid = None
        self._pid = None
        self.returncode = None
        self.stdout = None
        self._done = threading.Event()

    @property
    def pid(self):
        """This machine's id of the student's first process (looked up when first asked: the watchdog does)."""
        if self._pid is None:
            self._pid = _host_pid(self.server.host_pid, self.inner_pid) or self.server.host_pid
        return self._pid

    def exited(self, code):
        self.returncode = code
        self._done.set()

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        if not self._done.wait(timeout):
            raise subprocess.TimeoutExpired("student process", timeout)
        return self.returncode

    def kill(self):
        if self.returncode is None:
            self.server.kill_children()


def _host_pid(root_pid, inner_pid):
    """This machine's id of the process under ``root_pid`` whose id in the sandbox is ``inner_pid``."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            processes = psutil.Process(root_pid).children(recursive=True)
        except psutil.Error:
            return None
        for process in processes:
            try:
                with open(f"/proc/{process.pid}/status") as status:
                    line = next((x for x in status if x.startswith("NSpid:")), "")
            except OSError:
                continue
            ids = line.split()[1:]
            if len(ids) == 2 and int(ids[1]) == inner_pid:
                return process.pid
        time.sleep(0.005)
    return None
