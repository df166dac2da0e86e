"""The README stays true: its Python example runs, and the commands it names exist."""

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_python_example_runs():
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "README has no Python example"
    for block in blocks:
        result = subprocess.run(
            [sys.executable, "-c", block], capture_output=True, text=True, cwd=REPO, timeout=300
        )
        assert result.returncode == 0, f"README example failed:\n{block}\n{result.stderr}"


def test_make_targets_named_in_the_readme_exist():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))
    named = set(re.findall(r"(?:`|^)make ([a-z-]+)", README, flags=re.M))
    assert {"demo", "test"} <= named, "the quick start must give `make demo` and `make test`"
    assert named <= targets, f"README names make targets the Makefile lacks: {named - targets}"


def test_cli_commands_named_in_the_readme_exist():
    named = set(re.findall(r"python -m autograder ([a-z]+)", README))
    help_text = subprocess.run(
        [sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True, cwd=REPO
    ).stdout
    missing = [c for c in named if c not in help_text]
    assert not missing, f"README names commands the CLI lacks: {missing}"


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
