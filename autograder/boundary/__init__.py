"""The trust boundary: everything that starts, feeds, reads or limits the student's process.

- :mod:`~autograder.boundary.isolation`: :class:`Limits` and :class:`Sandbox` (bubblewrap or a plain
  child process; resource limits, the watchdog, killing);
- :mod:`~autograder.boundary.sandbox.wire`: the plain-data codec and the framing, used on both sides;
- :mod:`~autograder.boundary.sandbox.runner`: the file the sandbox executes (not imported by the grader);
- :mod:`~autograder.boundary.prewarmed`: one prewarmed fork server per grading process, which runs
  ``sandbox/forkserver.py`` and forks a fresh, namespaced child per notebook;
- :mod:`~autograder.boundary.remote`: :class:`Connection` and the proxies for the student's objects;
- :mod:`~autograder.boundary.session`: :class:`Session`, the typed events the grader acts on.

Nothing outside this package talks to the student's process.
"""

from autograder.boundary.isolation import Limits, Sandbox, SandboxStopped, bwrap_works, resolve_mode
from autograder.boundary.session import CellRan, KernelReport, Session, TestReached

__all__ = [
    "CellRan",
    "KernelReport",
    "Limits",
    "Sandbox",
    "SandboxStopped",
    "Session",
    "TestReached",
    "bwrap_works",
    "resolve_mode",
]
