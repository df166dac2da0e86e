"""One student's notebook running behind the trust boundary, as typed events.

A :class:`Session` starts the sandbox with the cells to run and yields what it
reports, checked and typed: :class:`CellRan` after each code cell and
:class:`TestReached` at each test cell, where the sandbox waits, answering the
grader's requests through :attr:`Session.connection`, until :meth:`Session.resume`.
Anything else the sandbox sends (a cell that does not exist, a test out of
order, an unknown message) stops it with :class:`SandboxStopped`.
"""

import dataclasses

from autograder.boundary.isolation import Sandbox, SandboxStopped
from autograder.boundary.remote import Connection


@dataclasses.dataclass(frozen=True)
class CellRan:
    """A code cell ran; ``error`` is the sandbox's plain-data description of what it raised, or None."""

    index: int
    output: str
    error: dict | None


@dataclasses.dataclass(frozen=True)
class KernelReport:
    """What the student's own kernel reported for the visible version of a test cell."""

    raised: bool
    value: object  # the number the cell returned (its points), None when it returned nothing

    @classmethod
    def from_event(cls, kernel):
        if not isinstance(kernel, dict):
            return cls(raised=True, value=None)
        return cls(raised=kernel.get("raised") is not False, value=kernel.get("value"))

    def fraction(self, points):
        """The share of the cell's points the student's kernel claimed (0..1, or above when it lied)."""
        if self.raised:
            return 0.0
        if self.value is None:
            return 1.0
        if type(self.value) not in (int, float) or points <= 0:
            return 0.0
        return float(self.value) / points


@dataclasses.dataclass(frozen=True)
class TestReached:
    """The sandbox reached a test cell, ran its visible version, and waits for the grader's requests."""

    index: int
    grade_id: str
    kernel: KernelReport


class Session:
    """The sandbox running one plan of cells; use as a context manager."""

    def __init__(self, limits, mode, steps, cell_count, test_ids):
        self.limits = limits
        self.sandbox = Sandbox(limits, mode=mode)
        self._steps = steps
        self._cell_count = cell_count
        self._expected_tests = set(test_ids)
        self._seen_tests = set()
        self.connection = None

    @property
    def mode(self):
        return self.sandbox.mode

    @property
    def peak_memory(self):
        return self.sandbox.peak_memory

    def events(self):
        """Yield :class:`CellRan` and :class:`TestReached` until the notebook is done; raise SandboxStopped."""
        limits = self.limits
        self.sandbox.start(
            {
                "cells": self._steps,
                "cell_timeout": limits.cell_timeout,
                "test_timeout": limits.test_timeout,
                "call_timeout": limits.call_timeout,
            }
        )
        self.connection = Connection(self.sandbox)
        while True:
            raw = self.sandbox.receive(timeout=limits.cell_timeout + 30)
            kind = raw.get("event")
            if kind == "ready":
                continue
            if kind == "done":
                return
            if kind == "cell":
                yield self._cell(raw)
            elif kind == "test":
                yield self._test(raw)
            else:
                raise SandboxStopped("the notebook's process sent an unknown message")

    def _cell(self, raw):
        index = raw.get("index")
        if type(index) is not int or not 0 <= index < self._cell_count:
            raise SandboxStopped("the notebook's process sent a message about a cell that does not exist")
        error = raw.get("error")
        return CellRan(
            index=index, output=str(raw.get("output", "")), error=error if error is not None else None
        )

    def _test(self, raw):
        gid = raw.get("grade_id")
        if gid not in self._expected_tests or gid in self._seen_tests:
            raise SandboxStopped("the notebook's process reported a test cell out of order")
        self._seen_tests.add(gid)
        return TestReached(
            index=raw.get("index"), grade_id=gid, kernel=KernelReport.from_event(raw.get("kernel"))
        )

    def resume(self):
        """Let the sandbox go on past the test cell it waits at."""
        self.sandbox.send({"op": "resume"})

    def close(self):
        self.sandbox.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
