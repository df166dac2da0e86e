"""How the grader's command line ends: at once, with its output and exit handlers, unless a thread still runs."""

import subprocess
import sys

import pytest

ENDINGS = {
    "plain": "print('written', end='')\nexit_now(3)",
    "exit handlers": "import atexit\natexit.register(lambda: print('handler ran'))\nexit_now(0)",
    "a running thread": (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread finished'))).start()\n"
        "exit_now(4)"
    ),
}
EXPECTED = {
    "plain": ("written", 3),
    "exit handlers": ("handler ran\n", 0),
    "a running thread": ("thread finished\n", 4),
}


@pytest.mark.parametrize("case", ENDINGS)
def test_exit_now_keeps_the_output_the_exit_handlers_and_running_threads(case):
    code = "from autograder.startup import exit_now\n" + ENDINGS[case]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.stdout, done.returncode) == EXPECTED[case], (
        f"expected output {EXPECTED[case][0]!r} and exit status {EXPECTED[case][1]}, "
        f"got {done.stdout!r} and {done.returncode} (stderr: {done.stderr[-500:]})"
    )


def test_the_command_line_still_reports_its_exit_status():
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "restore", "--out", "/nonexistent/grading"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "no gradebook backups found" in done.stderr, (
        done.returncode,
        done.stderr,
    )
