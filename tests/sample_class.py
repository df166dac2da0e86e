"""Build the sample class shipped in autograder/sample_class/ (run: python -m tests.sample_class).

Every module has three students:
- ada: a perfect notebook (the model answers);
- ben: the untouched release;
- chen: typical mistakes, as listed in SAMPLE of tests/mistakes/m<module>.py.
Module 01 also has:
- emil: a notebook whose first answer cell raises (a typo in an import) before it defines anything;
- fay: a file that is not valid notebook JSON;
- gus: a notebook that tampers with the checks (it must be flagged and get no points for the attack).
Expected grades per test cell are written by hand in autograder/sample_class/expected/<module>.toml.
"""

import shutil
import sys

from autograder.course import SAMPLE_CLASS, modules
from tests import mistakes, notebooks

FIRST_MODULE_EXTRAS = "01_perceptron"

TAMPERING = """import nbchecks as _checks
_checks.Check.score = lambda self: float(self.points)
"""


def build(target=SAMPLE_CLASS, names=None):
    """Rebuild the sample notebooks of ``names`` (default: every module)."""
    names = names or modules()
    for module_dir in target.glob("*/*/"):
        if module_dir.parent.name != "expected" and module_dir.name in names:
            shutil.rmtree(module_dir)
    for student_dir in target.glob("*/"):
        if student_dir.name != "expected" and not any(student_dir.iterdir()):
            student_dir.rmdir()
    for module in names:
        corpus, sample = mistakes.load(module)
        by_name = {m.name: m for m in corpus}

        def path(student, module=module):
            return target / student / module / f"{module}.ipynb"

        notebooks.write(notebooks.student_notebook(module), path("ada"))
        notebooks.write(notebooks.student_notebook(module, base="release"), path("ben"))
        for student, mistake_names in sample.items():
            answers = {}
            for name in mistake_names:
                mistake = by_name[name]
                answers[mistake.cell] = mistake.code
                answers.update(dict(mistake.also_cells))
            notebooks.write(notebooks.student_notebook(module, answers), path(student))
        if module == FIRST_MODULE_EXTRAS:
            answers = notebooks.solutions(module)
            first = next(iter(answers))
            broken = notebooks.student_notebook(module, {first: "import nunpy as np\n" + answers[first]})
            notebooks.write(broken, path("emil"))
            path("fay").parent.mkdir(parents=True, exist_ok=True)
            path("fay").write_text('{"cells": [ {"cell_type": "code", "source": "x = 1"', encoding="utf-8")
            release_first = notebooks.student_notebook(module, base="release")
            stub = next(
                c.source
                for c in release_first.cells
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == first
            )
            notebooks.write(
                notebooks.student_notebook(module, {first: TAMPERING + stub}, base="release"), path("gus")
            )


if __name__ == "__main__":
    build(names=sys.argv[1:] or None)
    print(f"wrote the sample class to {SAMPLE_CLASS}", file=sys.stderr)
