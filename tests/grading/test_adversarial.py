"""The adversarial corpus (tests/grading/attacks.py), graded in one batch after an honest class.

For every attack: no points gained, no points lost for harmless noise, a clear reason, the gradebook unchanged
except for that student's row, the batch finished, other students' grades unaffected.
"""

import re
import socket
import threading

import pytest

from autograder.boundary.isolation import bwrap_works
from tests.grading import results
from tests.grading.attacks import (
    FULL,
    HIDDEN_TEXT,
    MODULE,
    RANDOM_ANSWERS,
    SECRET,
    AttackClass,
    Fixture,
    corpus,
)

pytestmark = [pytest.mark.slow, pytest.mark.grading]
LIMITS = ["--cell-timeout", "5", "--call-timeout", "3", "--notebook-timeout", "120", "--memory-gb", "1.5"]


class Listener:
    """A TCP server on this machine that records every connection (none may arrive from a sandbox)."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.connections = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, address = self.server.accept()
                self.connections.append(address)
                connection.close()
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        self.server.close()


@pytest.fixture(scope="module")
def attacked(course_root, tmp_path_factory):
    if not bwrap_works():
        pytest.skip("bubblewrap is not available here; the adversarial corpus needs the real sandbox")
    base = tmp_path_factory.mktemp("adversarial")
    fixture = Fixture(course_root.root)
    out = base / "out"
    honest = base / "honest"
    for name, answers in {"alice": None, "bob": {"sigmoid": "def sigmoid(z):\n    return z"}}.items():
        nb = fixture.notebook("solution", answers)
        path = honest / name / MODULE / f"{MODULE}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(__import__("nbformat").writes(nb))
    course_root.cli("grade", honest, "--out", out, "--jobs", "2", *LIMITS)
    before = results.gradebook_rows(out)
    listener = Listener()
    attacks = corpus(listener.port)
    submissions = base / "attacks"
    for attack in attacks:
        attack.build(submissions / attack.name, fixture)
    run = course_root.cli(
        "grade",
        submissions,
        "--out",
        out,
        "--jobs",
        "2",
        *LIMITS,
        SECRET_TOKEN=SECRET,
        GRADER_TEST_PORTS=str(listener.port),
    )
    listener.close()
    return {
        "attacks": {a.name: a for a in attacks},
        "out": out,
        "before": before,
        "after": results.gradebook_rows(out),
        "grades": results.grades(out),
        "cells": results.cells(out),
        "stdout": run.stdout,
        "listener": listener,
    }


NAMES = [a.name for a in corpus(0)]


def test_every_class_of_attack_is_in_the_corpus():
    assert {a.klass for a in corpus(0)} == set(AttackClass)


def test_the_batch_finished_with_a_row_per_submission(attacked):
    missing = [name for name in attacked["attacks"] if (name, MODULE) not in attacked["grades"]]
    assert not missing, f"no grade row for {missing}\n{attacked['stdout'][-3000:]}"


@pytest.mark.parametrize("name", NAMES)
def test_attack_gains_nothing_and_is_explained(attacked, name):
    attack = attacked["attacks"][name]
    row = attacked["grades"][(name, MODULE)]
    received = attacked["cells"].get((name, MODULE), {})
    assert row["status"] == attack.status, f"{name}: status {row['status']} ({row['reason']})"
    if attack.scores is not None:
        assert received == pytest.approx(attack.scores), (
            f"{name}: scores {received}, expected {attack.scores}; reason: {row['reason']}"
        )
    if attack.flagged is not None:
        assert bool(row["flags"]) == attack.flagged, (
            f"{name}: flags={row['flags']!r}, expected flagged={attack.flagged}"
        )
    text = (row["reason"] + " " + row["notes"]).lower()
    for word in attack.mentions:
        assert word.lower() in text, (
            f"{name}: the reason/notes should mention {word!r}: {row['reason']!r} / {row['notes']!r}"
        )
    if attack.scores not in (FULL, None) and attack.status == "graded":
        assert row["reason"], f"{name} lost points without a reason"


@pytest.mark.parametrize("name", NAMES)
def test_gradebook_row_matches_and_nothing_else_changed(attacked, name):
    after = {k: v for k, v in attacked["after"].items() if k[0] == name}
    received = attacked["cells"][(name, MODULE)]
    for gid, score in received.items():
        assert after[(name, MODULE, gid)][0] == pytest.approx(score), (
            f"{name}/{gid}: gradebook {after[(name, MODULE, gid)]} vs CSV {score}"
        )


def test_random_answers_are_graded_reproducibly(attacked):
    copies = {name: attacked["cells"][(name, MODULE)] for name in NAMES if name.startswith(RANDOM_ANSWERS)}
    assert len(copies) == 5
    assert len({tuple(sorted(scores.items())) for scores in copies.values()}) == 1, (
        f"identical notebooks whose functions use np.random got different grades: {copies}"
    )


def test_honest_students_are_unaffected(attacked):
    honest = {k: v for k, v in attacked["after"].items() if k[0] in ("alice", "bob")}
    assert honest == attacked["before"], "an attack changed other students' grades in the gradebook"
    assert attacked["before"][("alice", MODULE, "test_sigmoid")][0] == 3.0


def test_no_connection_left_the_sandbox(attacked):
    assert attacked["listener"].connections == [], (
        f"a submission reached the host: {attacked['listener'].connections}"
    )
    text, _ = results.autograded_text(attacked["out"], "network", MODULE)
    assert "CONNECTED" not in text and "blocked" in text


def test_secrets_did_not_leak(attacked):
    for name in ("read-environment", "copy-the-solutions", "write-gradebook"):
        text, _ = results.autograded_text(attacked["out"], name, MODULE)
        assert SECRET not in text, f"{name} read the grader's environment"
        assert "WROTE" not in text, f"{name} wrote a database it found"


def test_floods_were_cut(attacked):
    for name in ("print-flood", "raw-fd-flood", "huge-return-value", "printing-cells"):
        _, size = results.autograded_text(attacked["out"], name, MODULE)
        assert size < 1_000_000, f"the autograded notebook of {name} is {size} bytes"


@pytest.mark.parametrize("name", NAMES)
def test_no_attack_sees_a_hidden_input_or_expected_value(attacked, name):
    if attacked["grades"][(name, MODULE)]["status"] != "graded":
        return
    text, _ = results.autograded_text(attacked["out"], name, MODULE)
    shown = [secret for secret in HIDDEN_TEXT if secret in text]
    assert not shown, f"{name}: the feedback shows {shown}, which only hidden parts know"


def test_markup_in_answers_is_inert_in_the_feedback(attacked):
    page = (attacked["out"] / "feedback" / "script-in-markdown" / MODULE / f"{MODULE}.html").read_text()
    assert "Layers collapse." in page
    live = [
        part
        for part in results.live_parts(page)
        if "XSS" in part or re.match(r"(href|src)=\s*(javascript|data|vbscript):", part, re.I)
    ]
    assert not live, f"the student's markup is live in the feedback: {live}"
