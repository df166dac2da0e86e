"""Each module graded as a whole: the solution earns full marks, the release earns 0, every mistake loses points
on the right test cell (and only there) with feedback that points at it."""

import pytest

from autograder.course import modules
from tests import mistakes
from tests.course_batches import module_corpus
from tests.hints import module_hints

pytestmark = [pytest.mark.slow, pytest.mark.grading]
MODULES = modules()
MISTAKES = [(m, x) for m in MODULES for x in mistakes.load(m)[0]]
EQUIVALENTS = [(m, x) for m in MODULES for x in mistakes.equivalents(m)]


@pytest.mark.parametrize("module", MODULES)
def test_solution_scores_full_marks(module):
    graded = module_corpus(module)
    cells = graded.cells("perfect", module)
    lost = {gid: (score, points, text) for gid, (score, points, text) in cells.items() if score != points}
    assert cells, f"{module} has no autograded test cells"
    assert not lost, f"the model answers of {module} lost points: " + "; ".join(
        f"{gid}: {score}/{points}\n{text}" for gid, (score, points, text) in lost.items()
    )
    row = graded.rows[("perfect", module)]
    assert row["flags"] == "", f"the model answers of {module} were flagged: {row['flags']}"


@pytest.mark.parametrize("module", MODULES)
def test_untouched_release_scores_zero(module):
    graded = module_corpus(module)
    cells = graded.cells("untouched", module)
    scored = {gid: score for gid, (score, points, text) in cells.items() if score != 0}
    assert not scored, f"the untouched release of {module} earned points: {scored}"
    assert "no exercise answered yet" in graded.rows[("untouched", module)]["reason"]


def test_enough_mistakes_in_the_corpus():
    from tests.notebooks import solutions

    uncovered = [
        f"{m}/{cell}"
        for m in MODULES
        for cell in solutions(m)
        if cell not in {x.cell for x in mistakes.load(m)[0]} and not cell.startswith("written_")
    ]
    assert not uncovered, f"these answer cells have no mistake in tests/mistakes/: {uncovered}"


@pytest.mark.parametrize(("module", "mistake"), MISTAKES, ids=[f"{m}-{x.name}" for m, x in MISTAKES])
def test_mistake_loses_points_on_the_right_cell(module, mistake):
    graded = module_corpus(module)
    cells = graded.cells(f"mistake-{mistake.name}", module)
    for gid in mistake.loses:
        score, points, text = cells[gid]
        assert score < points, (
            f"{mistake.name} ({mistake.why}) should lose points on {gid} but got {score}/{points}"
        )
    others = {
        gid: (score, points)
        for gid, (score, points, _) in cells.items()
        if gid not in mistake.loses and score != points
    }
    assert not others, (
        f"{mistake.name} should only lose points on {list(mistake.loses)}, but also lost {others}"
    )
    if mistake.loses:
        text = cells[mistake.loses[0]][2].lower()
        missing = [word for word in mistake.feedback if word.lower() not in text]
        assert not missing, (
            f"the feedback for {mistake.name} should mention {missing}; it was:\n{cells[mistake.loses[0]][2]}"
        )
    shown = [
        (gid, word)
        for gid, (_, _, text) in cells.items()
        for word in mistake.absent
        if word.lower() in text.lower()
    ]
    assert not shown, f"{mistake.name} ({mistake.why}) was given hints that do not fit it: {shown}"
    if mistake.loses:
        misleading = [word for word in mistake.no_hint if word.lower() in cells[mistake.loses[0]][2].lower()]
        assert not misleading, (
            f"the feedback for {mistake.name} should not mention {misleading} (a hint about another mistake); "
            f"it was:\n{cells[mistake.loses[0]][2]}"
        )
    row = graded.rows[(f"mistake-{mistake.name}", module)]
    assert row["flags"] == "", f"{mistake.name} was flagged as tampering: {row['flags']}"


@pytest.mark.parametrize(("module", "answer"), EQUIVALENTS, ids=[f"{m}-{x.name}" for m, x in EQUIVALENTS])
def test_equivalent_answer_keeps_full_marks(module, answer):
    """A correct answer written differently (float32, a loop, another stable formula, prints and warnings)."""
    assert not answer.loses, (
        f"{answer.name} is listed as an equivalent answer but says it loses {answer.loses}"
    )
    graded = module_corpus(module)
    cells = graded.cells(f"equivalent-{answer.name}", module)
    lost = {gid: (score, points) for gid, (score, points, _) in cells.items() if score != points}
    assert not lost, f"{answer.name} ({answer.why}) is correct but lost points: {lost}"
    text = cells[f"test_{answer.cell}"][2].lower()
    missing = [word for word in answer.feedback if word.lower() not in text]
    assert not missing, f"the feedback for {answer.name} should mention {missing}; it was:\n{text}"
    row = graded.rows[(f"equivalent-{answer.name}", module)]
    assert row["flags"] == "", f"{answer.name} was flagged as tampering: {row['flags']}"


def _said(fragment, text):
    return fragment.lower() in " ".join(text.split()).lower()


@pytest.mark.parametrize("module", MODULES)
def test_every_hint_is_earned_by_a_mistake_and_withheld_from_another(module):
    """A hint names one mistake: some entry of the corpus must be shown it, and some other entry that loses points
    on the same test cell must not (so the hint is not shown for any failure)."""
    graded = module_corpus(module)
    corpus, _ = mistakes.load(module)
    reports = {x.name: graded.cells(f"mistake-{x.name}", module) for x in corpus}
    unearned, unconditional = [], []
    for hint in module_hints(module):
        fragment = hint.fragment()
        shown = [name for name, cells in reports.items() if _said(fragment, cells[hint.cell][2])]
        withheld = [
            name
            for name, cells in reports.items()
            if cells[hint.cell][0] < cells[hint.cell][1] and not _said(fragment, cells[hint.cell][2])
        ]
        if not shown:
            unearned.append(f"{hint.cell} line {hint.line}: {fragment!r}")
        elif not withheld:
            unconditional.append(f"{hint.cell} line {hint.line}: {fragment!r} (shown to {shown})")
    assert not unearned, f"{module}: no mistake in tests/mistakes/ is shown these hints:\n" + "\n".join(
        unearned
    )
    assert not unconditional, (
        f"{module}: every mistake that loses points on the cell is shown these hints:\n"
        + "\n".join(unconditional)
    )
