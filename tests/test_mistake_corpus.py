"""The mistake corpus is made of checked patches of the model answers (fast: nothing is graded here)."""

import importlib

import pytest

from autograder.course import modules
from tests import mistakes
from tests.notebooks import solutions

MODULES = modules()


def _corpus(module):
    """Every entry of the module's file; importing it applies every patch, so a stale ``old`` raises here."""
    spec = importlib.import_module(f"tests.mistakes.m{module}")
    return list(spec.MISTAKES) + list(getattr(spec, "EQUIVALENT", []))


def _answers(entry):
    return {entry.cell: entry.code, **dict(entry.also_cells)}


@pytest.mark.parametrize("module", MODULES)
def test_every_entry_is_a_patch_that_changes_the_model_answer(module):
    model = solutions(module)
    entries = _corpus(module)
    assert entries, f"{module}: expected a mistake file tests/mistakes/m{module}.py with entries, found none"
    for entry in entries:
        answers = _answers(entry)
        assert set(answers) <= set(model), (
            f"{module} {entry.name}: not answer cells: {set(answers) - set(model)}"
        )
        changed = [cell for cell, code in answers.items() if code != model[cell]]
        assert changed, f"{module} {entry.name}: its code is the model answer itself, so it tests nothing"
        for cell, code in answers.items():
            compile(code, f"{module} {entry.name} {cell}", "exec")  # a slip in a patch is not a syntax error


@pytest.mark.parametrize("module", MODULES)
def test_names_are_unique_within_a_module(module):
    names = [entry.name for entry in _corpus(module)]
    assert len(names) == len(set(names)), (
        f"{module}: repeated names {sorted(n for n in names if names.count(n) > 1)}"
    )


def test_patched_applies_each_replacement_in_turn():
    model = solutions("01_perceptron")["step"]
    code = mistakes.patched("01_perceptron", "step", ("z >= 0, 1.0", "z > 0, 1.0"), ("z > 0", "z > 1"))
    assert code == model.replace("np.where(z >= 0, 1.0", "np.where(z > 1, 1.0")
    assert mistakes.patched("01_perceptron", "step") == model


def test_patched_refuses_an_old_text_that_is_missing():
    with pytest.raises(ValueError) as error:
        mistakes.patched("01_perceptron", "step", ("np.heaviside(z, 1.0)", "z > 0"))
    message = str(error.value)
    assert "01_perceptron" in message and "step" in message
    assert "expected 'np.heaviside(z, 1.0)' exactly once" in message and "found it 0 times" in message


def test_patched_refuses_an_old_text_that_is_ambiguous():
    with pytest.raises(ValueError) as error:
        mistakes.patched("01_perceptron", "step", ("z", "x"))
    message = str(error.value)
    count = solutions("01_perceptron")["step"].count("z")
    assert count > 1
    assert "expected 'z' exactly once in the model answer of step" in message
    assert f"found it {count} times" in message


def test_patched_refuses_an_old_text_made_ambiguous_by_an_earlier_replacement():
    call = "np.where(z >= 0, 1.0, 0.0)"
    assert solutions("01_perceptron")["step"].count(call) == 1
    with pytest.raises(ValueError, match="found it 2 times"):
        mistakes.patched(
            "01_perceptron", "step", (f"return {call}", f"y = {call}\n    return {call}"), (call, "y")
        )


def test_patched_refuses_an_unknown_cell():
    with pytest.raises(ValueError) as error:
        mistakes.patched("01_perceptron", "stepp", ("z", "x"))
    message = str(error.value)
    assert (
        "expected the grade_id of an answer cell" in message
        and "step" in message
        and "got 'stepp'" in message
    )
