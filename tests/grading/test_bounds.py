"""Every resource of the grader is bounded, whatever one submission does (issue 11, item 5)."""

import io
import os
import threading
import time

import nbformat
import pytest

from autograder import feedback_notebook, grading
from autograder.boundary import remote
from autograder.boundary.isolation import Limits, Sandbox, bwrap_works
from autograder.boundary.remote import Connection, StudentProcessStopped
from autograder.boundary.sandbox import wire
from autograder.submission import Unreadable, read_submission_bytes
from tests.grading.attacks import MODULE, Fixture


class HeaderOnly(io.RawIOBase):
    """A stream that holds a frame header and fails the test if anything past it is read."""

    def __init__(self, size):
        self.data = size.to_bytes(4, "big")
        self.read_past_header = False

    def readable(self):
        return True

    def read(self, n=-1):
        if not self.data:
            self.read_past_header = True
            return b"x" * max(n, 0)
        chunk, self.data = self.data[:n], self.data[n:]
        return chunk


def test_a_frame_from_the_sandbox_is_refused_on_its_length_before_its_body_is_read():
    stream = HeaderOnly(wire.MAX_REPLY_FRAME + 1)
    with pytest.raises(wire.WireError, match="larger than the limit"):
        wire.read_frame(stream, limit=wire.MAX_REPLY_FRAME)
    assert not stream.read_past_header
    assert wire.MAX_REPLY_FRAME <= 16 * 1024 * 1024


def test_a_frame_of_many_small_values_is_refused_before_it_is_parsed():
    body = b"[" + b"[]," * (wire.MAX_ITEMS + 1) + b"[]]"
    started = time.perf_counter()
    with pytest.raises(wire.WireError, match="too many items"):
        wire.parse_frame(body)
    assert time.perf_counter() - started < 1.0, "the frame was parsed before it was refused"


def test_the_sandbox_cannot_send_a_result_over_its_frame_limit():
    stream = io.BytesIO()
    with pytest.raises(wire.WireError, match="larger than the limit"):
        wire.write_frame(stream, {"ok": "x" * (wire.MAX_REPLY_FRAME + 1)}, limit=wire.MAX_REPLY_FRAME)
    assert stream.getvalue() == b""


def _read_in_thread(path):
    outcome = {}

    def read():
        try:
            outcome["data"] = read_submission_bytes(path)
        except Unreadable as error:
            outcome["error"] = str(error)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive(), f"reading {path} blocked"
    return outcome


def test_a_fifo_submission_does_not_block_the_batch(tmp_path):
    fifo = tmp_path / f"{MODULE}.ipynb"
    os.mkfifo(fifo)
    assert "not a regular file" in _read_in_thread(fifo)["error"]


def test_links_and_oversized_files_are_refused_on_the_open_descriptor(tmp_path):
    real = tmp_path / "real.ipynb"
    real.write_bytes(b"{}")
    link = tmp_path / "link.ipynb"
    link.symlink_to(real)
    assert "symbolic link" in _read_in_thread(link)["error"]
    big = tmp_path / "big.ipynb"
    big.write_bytes(b" " * 5000)
    with pytest.raises(Unreadable, match="at most"):
        read_submission_bytes(big, limit=4096)
    assert read_submission_bytes(real) == b"{}"


LOOPING = """
def keep_calling(f):
    while True:
        try:
            f(1)
        except BaseException:
            pass
"""


def test_callbacks_into_the_grader_count_against_the_checks_time(monkeypatch):
    if not bwrap_works():
        pytest.skip("bubblewrap is not available here")
    monkeypatch.setattr(remote, "CALL_GRACE", 1.0)
    limits = Limits(call_timeout=1.0, cell_timeout=10.0)
    sandbox = Sandbox(limits, mode="bwrap")
    calls = []
    try:
        sandbox.start(
            {
                "cells": [
                    {"index": 0, "kind": "code", "source": LOOPING},
                    {"index": 1, "kind": "test", "source": "pass", "grade_id": "t"},
                ],
                "cell_timeout": 10,
                "test_timeout": 10,
                "call_timeout": 1,
            }
        )
        while sandbox.receive(timeout=30).get("event") != "test":
            pass
        started = time.monotonic()
        with pytest.raises(StudentProcessStopped, match="time limit"):
            Connection(sandbox).lookup("keep_calling")(calls.append)
        took = time.monotonic() - started
    finally:
        sandbox.close()
    assert len(calls) > 10, "the student's loop should have called back many times"
    assert took < 6, f"a check that calls back in a loop held the grader for {took:.1f} s"


def _job(course_root, notebook, **limits):
    fixture_root = course_root.root
    return {
        "student": "flood",
        "module": MODULE,
        "notebook": nbformat.writes(notebook).encode(),
        "source": (fixture_root / "solutions" / MODULE / f"{MODULE}.ipynb").read_text(),
        "release": (fixture_root / "course" / MODULE / f"{MODULE}.ipynb").read_text(),
        "limits": vars(Limits(**limits)),
        "sandbox": "auto",
    }


def test_output_and_the_autograded_notebook_are_capped(course_root, monkeypatch):
    monkeypatch.setattr(grading, "NOTEBOOK_OUTPUT_LIMIT", 30_000)
    monkeypatch.setattr(feedback_notebook, "AUTOGRADED_LIMIT", 200_000)
    notebook = Fixture(course_root.root).notebook("solution")
    printing = [nbformat.v4.new_code_cell(f"print('{k}' * 9000)") for k in range(40)]
    long_code = nbformat.v4.new_code_cell("x = 1\n" + "# padding\n" * 40_000)
    notebook.cells[1:1] = [*printing, long_code]
    result = grading.grade_job(_job(course_root, notebook))
    assert {gid: t["score"] for gid, t in result["tests"].items()} == {"test_sigmoid": 3.0, "test_relu": 2.0}
    graded = nbformat.reads(result["notebook"], as_version=4)
    outputs = "".join(o.get("text", "") for c in graded.cells for o in c.get("outputs", []))
    assert len(outputs) < 60_000
    assert len(result["notebook"].encode()) <= 200_000 + 5_000  # the limit, and the note cell saying so
    assert "too large" in graded.cells[0].source or grading.OUTPUT_SPENT.strip() in outputs


def test_a_feedback_page_over_the_limit_is_replaced_by_a_short_one(tmp_path, monkeypatch):
    monkeypatch.setattr(feedback_notebook, "FEEDBACK_LIMIT", 1000)
    big = tmp_path / "ann" / MODULE / f"{MODULE}.html"
    small = tmp_path / "bob" / MODULE / f"{MODULE}.html"
    for page, size in ((big, 5000), (small, 500)):
        page.parent.mkdir(parents=True)
        page.write_text("x" * size)
    feedback_notebook.cap_feedback(tmp_path, MODULE)
    assert "too large" in big.read_text() and big.stat().st_size < 1000
    assert small.read_text() == "x" * 500
