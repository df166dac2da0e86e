"""Answers that do no work earn at most 2% of a module's autograded points (issue 11).

For each module, tests/no_effort.py builds one notebook per no-effort variant (``return 0``, the first argument
unchanged, zeros, ones or random values of the right shape and dtype, the untouched release); they are graded
in one batch per module.
"""

import numpy as np
import pytest

from autograder.course import modules
from tests import no_effort, notebooks
from tests.course_batches import grade_tree

pytestmark = [pytest.mark.slow, pytest.mark.grading]
MODULES = modules()
LIMIT = 0.02


def _graded(module):
    def build(folder):
        for how, notebook in no_effort.submissions(module).items():
            notebooks.write(notebook, folder / how / module / f"{module}.ipynb")

    return grade_tree(f"no-effort-{module}", build)


@pytest.mark.parametrize("module", MODULES)
def test_no_effort_answers_earn_nothing(module):
    graded = _graded(module)
    too_much = []
    for how in no_effort.VARIANTS:
        cells = graded.cells(how, module)
        assert cells, f"{module}/{how}: no autograded test cell was found in the graded notebook"
        total = sum(points for _, points, _ in cells.values())
        earned = sum(score or 0.0 for score, _, _ in cells.values())
        if earned > LIMIT * total:
            gave = {gid: f"{score}/{points}" for gid, (score, points, _) in cells.items() if score}
            too_much.append(f"{how}: {earned:g} of {total:g} points, from {gave}")
    assert not too_much, (
        f"no-effort answers of {module} earn more than {LIMIT:.0%} of its points:\n  " + "\n  ".join(too_much)
    )


@pytest.mark.parametrize("module", MODULES)
def test_no_effort_notebooks_are_graded_not_rejected(module):
    """The corpus is only a test if the grader ran it: every variant is graded, none flagged as tampering."""
    graded = _graded(module)
    for how in no_effort.VARIANTS:
        row = graded.rows[(how, module)]
        assert row["status"] == "graded", f"{module}/{how}: {row['status']} ({row['reason']})"
        assert row["flags"] == "", f"{module}/{how} was flagged as tampering: {row['flags']}"


TOY = """
import numpy as np


def double(x, factor=2.0):
    return factor * np.asarray(x, dtype=np.float32)


class Counter:
    def __init__(self, n):
        self.values = np.arange(n, dtype=float)

    def total(self, scale):
        self.values = self.values * scale
        return self.values.sum()
"""


@pytest.mark.parametrize("how", ["return0", "first_arg", "zeros", "ones", "random"])
def test_a_no_effort_cell_keeps_the_kind_of_the_answer_and_does_no_work(how):
    namespace = {}
    exec(no_effort.no_effort_cell(TOY, how, {"double", "Counter"}), namespace)  # noqa: S102 - our own toy code
    out = namespace["double"]([1.0, 2.0])
    counter = namespace["Counter"](3)
    total = counter.total(10.0)
    expected = {"return0": 0, "first_arg": [1.0, 2.0]}
    if how in expected:
        assert out == expected[how] and total == (0 if how == "return0" else 10.0)
    else:
        assert out.shape == (2,) and out.dtype == np.float32
        fill = {"zeros": 0.0, "ones": 1.0}.get(how)
        assert np.all(out == fill) if fill is not None else np.all((out >= 0) & (out < 1))
        assert isinstance(total, float) and (total == fill if fill is not None else 0.0 <= total < 1.0)
    # the model ran on copies: the object's own state is the variant's, never the model's work
    assert not np.array_equal(counter.values, np.arange(3.0) * 10.0)
