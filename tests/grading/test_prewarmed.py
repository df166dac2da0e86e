"""Students graded one after another by the same prewarmed fork server stay apart.

Each test runs plain code cells as one student, then as the next, in one grading process (so both are
children of the same fork server), and checks that nothing of the first reaches the second or outlives it.
"""

import dataclasses
import os
import sys
import time

import psutil
import pytest

from autograder.boundary import Limits, SandboxStopped, Session, isolation, prewarmed

pytestmark = pytest.mark.skipif(
    isolation.bwrap_path() is None or not isolation.bwrap_works(), reason="bubblewrap is not usable here"
)
UNDER_TMP = [p for p in [sys.prefix, *isolation._runtime_paths()] if p == "/tmp" or p.startswith("/tmp/")]
needs_server = pytest.mark.skipif(
    bool(UNDER_TMP),
    reason=f"the fork server is not used when Python or the course lies under /tmp: {UNDER_TMP}",
)


def run_cells(*sources, mode="bwrap"):
    """Run ``sources`` as one student's code cells; return (outputs, errors, the sandbox)."""
    steps = [{"kind": "code", "index": i, "source": source} for i, source in enumerate(sources)]
    outputs, errors = [], []
    with Session(Limits(), mode, steps, cell_count=len(steps), test_ids=[]) as session:
        for event in session.events():
            outputs.append(event.output)
            errors.append(event.error)
    return outputs, errors, session.sandbox


def server_process():
    server = prewarmed._SERVERS.get(isolation._FORK_SERVER_KEY)
    assert server is not None and server.alive(), "expected the grading process to have a running fork server"
    return server


@pytest.fixture(autouse=True)
def _prewarm_on(monkeypatch):
    monkeypatch.setenv("GRADER_PREWARM", "1")


@needs_server
def test_the_second_student_runs_in_a_child_of_the_same_fork_server():
    first = run_cells("import os; print(os.getpid())")[2]
    server = server_process()
    second = run_cells("import os; print(os.getpid())")[2]
    assert isinstance(first.process, prewarmed.Child) and isinstance(second.process, prewarmed.Child)
    assert server_process() is server, "expected the fork server to be reused for the next student"


WRITE_EVERYWHERE = """
import dataclasses
import os
written = []
folders = ["/tmp", "/tmp/work", "/tmp/home", "/dev/shm", "/", "/etc", "/dev", "/grader", os.path.dirname(os.__file__)]
for folder in folders:
    try:
        with open(os.path.join(folder, "left-by-the-first-student"), "w") as f:
            f.write("hello")
        written.append(folder)
    except OSError:
        pass
print(written)
"""

LOOK_EVERYWHERE = """
import dataclasses
import os
found = []
for folder, _, files in os.walk("/"):
    if folder.startswith(("/proc", "/sys")):
        continue
    found += [os.path.join(folder, f) for f in files if f == "left-by-the-first-student"]
print(found)
"""


@needs_server
def test_no_file_written_by_one_student_is_seen_by_the_next():
    outputs, errors, _ = run_cells(WRITE_EVERYWHERE)
    assert errors == [None], errors
    written = eval(outputs[0])  # noqa: S307 - our own cell's printed list
    assert "/tmp" in written and "/dev/shm" in written, (
        f"expected /tmp and /dev/shm to be writable: {written}"
    )
    assert not set(written) & {"/", "/etc", "/dev", "/grader"}, (
        f"wrote outside the scratch folders: {written}"
    )
    outputs, errors, _ = run_cells(LOOK_EVERYWHERE)
    assert errors == [None], errors
    assert outputs[0].strip() == "[]", f"the next student found the first one's files: {outputs[0]}"


SURVIVORS = """
import os, subprocess, time
subprocess.Popen(["sleep", "987"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(986)
    os._exit(0)
time.sleep(0.2)
print("started")
"""


def sleepers():
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if cmdline[:2] == ["sleep", "987"] or "time.sleep(986)" in " ".join(cmdline):
            found.append(process.pid)
    return found


@needs_server
def test_no_process_of_a_student_outlives_its_grading():
    outputs, errors, _ = run_cells(SURVIVORS)
    assert errors == [None] and outputs == ["started\n"], (outputs, errors)
    server = server_process()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (sleepers() or psutil.Process(server.host_pid).children()):
        time.sleep(0.05)
    assert sleepers() == [], "a background process of the student is still running after its grading"
    assert psutil.Process(server.host_pid).children() == [], "the fork server still has a child"


ATTACK_THE_SERVER = """
import os, signal
touched, killed = [], 0
me = os.readlink("/proc/self")
for entry in os.listdir("/proc"):
    if not entry.isdigit() or entry == me:
        continue
    try:
        with open(f"/proc/{entry}/mem", "rb") as mem:
            touched.append(entry)
    except OSError:
        pass
for pid in range(1, 400):
    if pid == os.getpid():
        continue
    try:
        os.kill(pid, signal.SIGKILL)
        killed += 1
    except OSError:
        pass
print(os.getpid(), touched, killed)
"""


@needs_server
def test_a_student_can_neither_signal_nor_read_the_fork_server():
    run_cells("pass")
    server = server_process()
    outputs, errors, _ = run_cells(ATTACK_THE_SERVER)
    assert errors == [None], errors
    pid, touched, killed = outputs[0].split(" ", 2)
    assert pid == "2", f"expected the student to be process 2 of its own PID namespace, got {pid}"
    assert touched.strip() == "[]", f"the student could open the memory of other processes: {touched}"
    assert server.alive() and server_process() is server, "the student's code stopped the fork server"
    outputs, errors, _ = run_cells("print('still grading')")
    assert outputs == ["still grading\n"], outputs


@needs_server
def test_a_killed_student_does_not_take_the_fork_server_with_it():
    run_cells("pass")
    server = server_process()
    with pytest.raises(SandboxStopped):
        run_cells("import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    with pytest.raises(SandboxStopped) as stopped:
        run_cells("import os; os._exit(3)")
    assert "status 3" in stopped.value.reason
    assert server_process() is server
    outputs, _, _ = run_cells("print(6 * 7)")
    assert outputs == ["42\n"]


def test_each_student_gets_a_user_id_of_its_own_when_grading_as_root():
    if os.getuid() != 0:
        pytest.skip("user ids per sandbox are given only when grading as root")
    ids = {run_cells("import os; print(os.getuid())")[0][0] for _ in range(3)}
    assert len(ids) == 3 and "0\n" not in ids, f"expected three different unprivileged user ids, got {ids}"


def test_without_prewarming_the_same_code_runs_in_a_fresh_sandbox(monkeypatch):
    monkeypatch.setenv("GRADER_PREWARM", "0")
    outputs, errors, sandbox = run_cells("import os; print(os.path.exists('/tmp/work'))")
    assert outputs == ["True\n"] and errors == [None]
    assert not isinstance(sandbox.process, prewarmed.Child)


def test_a_fork_server_that_cannot_start_falls_back_to_a_fresh_sandbox(monkeypatch):
    monkeypatch.setattr(prewarmed, "_SERVERS", {})
    monkeypatch.setattr(prewarmed, "_BROKEN", set())
    monkeypatch.setattr(
        isolation.Sandbox, "_fork_server_command", lambda self, fd, folder, **_: (["/bin/false"], None, "/")
    )
    outputs, errors, sandbox = run_cells("print('graded anyway')")
    assert outputs == ["graded anyway\n"] and errors == [None]
    assert not isinstance(sandbox.process, prewarmed.Child)
    assert isolation._FORK_SERVER_KEY in prewarmed._BROKEN


@needs_server
def test_a_second_notebook_graded_at_the_same_time_in_this_process_gets_a_fresh_sandbox():
    run_cells("pass")
    steps = [{"kind": "code", "index": 0, "source": "print('first')"}]
    with Session(Limits(), "bwrap", steps, cell_count=1, test_ids=[]) as first:
        events = first.events()
        assert next(events).output == "first\n"
        outputs, errors, second = run_cells("print('second')")
        assert outputs == ["second\n"] and errors == [None]
        assert isinstance(first.sandbox.process, prewarmed.Child)
        assert not isinstance(second.process, prewarmed.Child), (
            "expected a fresh sandbox while the server is busy"
        )


def test_a_fork_server_whose_trial_child_fails_is_not_used(monkeypatch):
    monkeypatch.setattr(prewarmed, "_BROKEN", set())
    sandbox = isolation.Sandbox(Limits(), "bwrap")
    try:
        limits = {
            **dataclasses.asdict(sandbox.limits),
            "tmp_bytes": "not a size",
        }  # its /tmp cannot be mounted
        assert prewarmed.server("trial", sandbox._fork_server_command, sandbox._uid, limits, []) is None
        assert "trial" in prewarmed._BROKEN and "trial" not in prewarmed._SERVERS
        good = dataclasses.asdict(sandbox.limits)
        assert prewarmed.server("trial", sandbox._fork_server_command, sandbox._uid, good, []) is None, (
            "a server that failed its trial in this process should not be started again"
        )
    finally:
        sandbox._tmp.cleanup()


def test_a_fork_server_is_not_used_when_the_fresh_tmp_would_hide_python(folder_under_tmp, monkeypatch):
    monkeypatch.setattr(prewarmed, "_BROKEN", set())
    real = isolation._runtime_paths()
    monkeypatch.setattr(isolation, "_runtime_paths", lambda: [*real, str(folder_under_tmp)])
    sandbox = isolation.Sandbox(Limits(), "bwrap")
    try:
        limits = dataclasses.asdict(sandbox.limits)
        needed = [sys.executable, *isolation._runtime_paths()]
        assert prewarmed.server("tmp", sandbox._fork_server_command, sandbox._uid, limits, needed) is None, (
            f"a student's fresh /tmp hides {folder_under_tmp}, so the fork server should not be used"
        )
    finally:
        sandbox._tmp.cleanup()


@needs_server
def test_the_fork_server_imports_the_instructor_s_imports_once_for_every_student(monkeypatch):
    monkeypatch.setattr(prewarmed, "_SERVERS", {})
    monkeypatch.setattr(prewarmed, "_BROKEN", set())
    preload = ["import nnlib.functional", "import no_such_module_anywhere", "from json import no_such_name"]
    try:
        isolation.prewarm("bwrap", preload)
        server = server_process()
        names = "('nnlib.functional', 'no_such_module_anywhere')"
        look = f"import sys; print(sorted(m for m in {names} if m in sys.modules))"
        for _ in range(2):
            outputs, errors, sandbox = run_cells(look, "import nnlib.functional as F; print(F.relu)")
            assert isinstance(sandbox.process, prewarmed.Child)
            assert outputs[0] == "['nnlib.functional']\n", (
                f"expected the student's process to start with nnlib.functional loaded, got {outputs[0]!r}"
            )
            assert errors == [None, None] and "function relu" in outputs[1]
        assert server_process() is server, "statements that cannot be imported should not stop the server"
    finally:
        prewarmed.forget(isolation._FORK_SERVER_KEY)
