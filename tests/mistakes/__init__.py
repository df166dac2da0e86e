"""The corpus of mistakes: realistic wrong answers, one module per file (tests/mistakes/<module>.py).

Each module file defines::

    MISTAKES = [
        Mistake(
            name="sigmoid_overflows",            # unique within the module
            cell="sigmoid",                      # grade_id of the answer cell it replaces
            code="def sigmoid(z):\\n    return 1 / (1 + np.exp(-z))\\n",
            loses=["test_sigmoid"],              # test cells that must lose points (all others keep full marks)
            feedback=["overflow"],               # words the feedback of the first cell in `loses` must contain
            why="exp(-z) overflows for large negative z",
            absent=["Did you subtract"],         # optional: words no feedback of the module may contain
        ),
        ...
    ]
    SAMPLE = {"chen": ["sigmoid_overflows", "perceptron_wrong_sign"]}  # sample-class students made of mistakes

An entry with ``loses=[]`` is a correct answer written another way (float32, a loop, another notation): it must
keep full marks everywhere. ``absent`` holds hints that must NOT be shown for this answer (a hint whose symptom
it does not have).

tests/test_course_grading.py grades every mistake in one batch and checks `loses`, full marks elsewhere, and the
feedback words; tests/sample_class.py builds the shipped sample class from SAMPLE.
"""

import dataclasses
import importlib


@dataclasses.dataclass(frozen=True)
class Mistake:
    name: str
    cell: str
    code: str
    loses: tuple
    feedback: tuple = ()
    why: str = ""
    also_cells: tuple = ()  # optional ((grade_id, code), ...) replacing more answer cells for the same mistake
    absent: tuple = ()  # optional words that no feedback of the module may contain for this answer

    def __post_init__(self):
        object.__setattr__(self, "loses", tuple(self.loses))
        object.__setattr__(self, "feedback", tuple(self.feedback))
        object.__setattr__(self, "absent", tuple(self.absent))


def load(module):
    """The MISTAKES list and SAMPLE dict of a course module (empty when it has no file yet)."""
    try:
        spec = importlib.import_module(f"tests.mistakes.m{module}")
    except ModuleNotFoundError:
        return [], {}
    return list(spec.MISTAKES), dict(getattr(spec, "SAMPLE", {}))
