"""The corpus of mistakes: realistic wrong answers, one file per module (m01_perceptron.py, ...).

Each module file defines::

    MODULE = "01_perceptron"
    MISTAKES = [
        Mistake(
            name="sigmoid_overflows",            # unique within the module
            cell="sigmoid",                      # grade_id of the answer cell it replaces
            code=patched(MODULE, "sigmoid", ("np.exp(-np.abs(z))", "np.exp(-z)")),  # the slip: (old, new)
            loses=["test_sigmoid"],              # test cells that must lose points (all others keep full marks)
            feedback=["overflow"],               # words the feedback of the first cell in `loses` must contain
            why="exp(-z) overflows for large negative z",
            absent=["Did you subtract"],         # optional: words no feedback of the module may contain
        ),
        ...
    ]
    SAMPLE = {"chen": ["sigmoid_overflows", "perceptron_wrong_sign"]}  # sample-class students made of mistakes

A mistake may also list ``no_hint``: words that must NOT appear in that feedback (a hint about another mistake
would mislead). A module file may define ``EQUIVALENT``: correct answers written differently (float32, a loop,
another stable formula, the bias as an extra input, debugging prints and warnings) as ``Mistake`` objects with
``loses=()``; each must keep full marks everywhere, and the report of its test cell (``test_<cell>``) must
contain its ``feedback`` words (e.g. a note about a warning).
An entry with ``loses=[]`` is a correct answer written another way (float32, a loop, another notation): it must
keep full marks everywhere. ``absent`` holds hints that must NOT be shown for this answer (a hint whose symptom
it does not have).

Every ``code`` (and every code in ``also_cells``) is written one way: ``patched(MODULE, cell, (old, new), ...)``,
the model answer of ``cell`` with each replacement applied in turn. Each ``old`` must occur exactly once in the
text as it stands, so a patch that a changed solution has made stale raises at import instead of grading something
else; keep each pair small enough to show the slip (a different algorithm replaces the body).

tests/test_course_grading.py grades every mistake in one batch and checks `loses`, full marks elsewhere, and the
feedback words; tests/sample_class.py builds the shipped sample class from SAMPLE.
"""

import dataclasses
import functools
import importlib

from tests.notebooks import solutions


@dataclasses.dataclass(frozen=True)
class Mistake:
    name: str
    cell: str
    code: str
    loses: tuple
    feedback: tuple = ()
    why: str = ""
    also_cells: tuple = ()  # optional ((grade_id, code), ...) replacing more answer cells for the same mistake
    no_hint: tuple = ()  # words that must not appear in the feedback of the first cell in `loses`
    absent: tuple = ()  # optional words that no feedback of the module may contain for this answer

    def __post_init__(self):
        object.__setattr__(self, "loses", tuple(self.loses))
        object.__setattr__(self, "feedback", tuple(self.feedback))
        object.__setattr__(self, "no_hint", tuple(self.no_hint))
        object.__setattr__(self, "absent", tuple(self.absent))


def load(module):
    """The MISTAKES list and SAMPLE dict of a course module (empty when it has no file yet)."""
    try:
        spec = importlib.import_module(f"tests.mistakes.m{module}")
    except ModuleNotFoundError:
        return [], {}
    return list(spec.MISTAKES), dict(getattr(spec, "SAMPLE", {}))


def equivalents(module):
    """The EQUIVALENT list of a course module: correct answers written differently (empty when there is none)."""
    try:
        spec = importlib.import_module(f"tests.mistakes.m{module}")
    except ModuleNotFoundError:
        return []
    return list(getattr(spec, "EQUIVALENT", []))


@functools.cache
def _model_answers(module):
    return solutions(module)


def patched(module, cell, *replacements):
    """The model answer of ``cell`` in ``module`` with each ``(old, new)`` replacement applied in turn.

    Each ``old`` must occur exactly once in the text as it stands when its turn comes, so a mistake whose
    model answer has changed fails loudly instead of silently grading something else.
    """
    answers = _model_answers(module)
    if cell not in answers:
        raise ValueError(
            f"{module}: expected the grade_id of an answer cell ({', '.join(answers)}), got {cell!r}"
        )
    code = answers[cell]
    for old, new in replacements:
        count = code.count(old)
        if count != 1:
            raise ValueError(
                f"{module}: expected {old!r} exactly once in the model answer of {cell}, "
                f"found it {count} times in:\n{code}"
            )
        code = code.replace(old, new)
    return code
