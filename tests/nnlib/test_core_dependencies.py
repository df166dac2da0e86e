"""nnlib's core works with NumPy and array-api-compat alone, and never reaches into the course."""

import ast
import pathlib
import subprocess
import sys
import textwrap

NNLIB = pathlib.Path(__file__).resolve().parents[2] / "nnlib"
OPTIONAL = ("matplotlib", "ipywidgets", "tqdm", "torch")
COURSE = ("nn4nlp", "nbchecks", "autograder")

# A child interpreter in which the optional packages and the course's packages cannot be imported.
WITHOUT_EXTRAS = textwrap.dedent(
    f"""
    import importlib.abc, sys

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {OPTIONAL + COURSE!r}:
                raise ImportError(f"{{name}} is not installed (blocked by the test)")
            return None

    sys.meta_path.insert(0, Refuse())
    import numpy as np
    import nnlib
    from nnlib import autograd, data, gradcheck, init, losses, nn, optim, training

    X, y = data.two_moons(200, noise=0.1, seed=0)
    model = nn.Sequential(nn.Linear(2, 16, seed=0), nn.ReLU(), nn.Linear(16, 2, seed=1))
    history = training.fit(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.05),
                           train=(X, y), epochs=30, batch_size=32, seed=0, progress=False)
    print(round(history["accuracy"][-1], 3))
    """
)


def test_core_trains_a_model_without_the_optional_packages():
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRAS], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"nnlib's core needed an optional package:\n{result.stderr[-2000:]}"
    accuracy = float(result.stdout.strip().splitlines()[-1])
    assert accuracy > 0.95, f"two moons after 30 epochs: accuracy {accuracy}, expected > 0.95"


def test_nnlib_never_imports_the_course():
    offenders = []
    for path in NNLIB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            offenders += [
                f"{path.relative_to(NNLIB.parent)}: {n}" for n in names if n.split(".")[0] in COURSE
            ]
    assert not offenders, f"nnlib imports the course's packages: {offenders}"
