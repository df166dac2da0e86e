"""Repository hygiene: clean notebooks, ruff-clean code, and the pre-commit hooks that keep them so."""

import copy
import json
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from autograder import hygiene
from autograder.course import REPO, modules
from tests import notebooks

MODULES = modules()
NOTEBOOKS = [pytest.param(path, id=name) for name, path in notebooks.committed_notebooks()]
#: What ruff checks and formats: the library, the grader, the tests and the notebooks (pyproject.toml's
#: [tool.ruff] excludes the sample class's submissions, which are student work).
RUFF_PATHS = ["nnlib", "nn4nlp", "nbchecks", "autograder", "tests", "benchmarks", "solutions", "course"]


# -- notebooks ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_is_committed_clean(path):
    problems = hygiene.notebook_problems(path)
    assert not problems, (
        f"{path.relative_to(REPO)} must be committed without outputs and with its cell ids:\n"
        + "\n".join(problems)
        + f"\nFix: python -m autograder.hygiene --fix {path.relative_to(REPO)}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_keeps_its_nbgrader_metadata(path):
    """Stripping outputs must not strip what nbgrader needs: graded cells keep grade ids (and points)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    graded = [cell for cell in cells if (cell.get("metadata", {}).get("nbgrader") or {}).get("grade")]
    assert graded, f"{path.relative_to(REPO)} has no graded cells: was its nbgrader metadata stripped?"
    broken = [
        cell.get("id")
        for cell in graded
        if not cell["metadata"]["nbgrader"].get("grade_id") or "points" not in cell["metadata"]["nbgrader"]
    ]
    assert not broken, f"{path.relative_to(REPO)}: graded cells without grade_id or points: {broken}"


def _notebook(**cell_changes):
    cell = {
        "cell_type": "code",
        "id": "answer",
        "execution_count": None,
        "metadata": {"nbgrader": {"grade": False, "grade_id": "answer", "locked": False, "solution": True}},
        "outputs": [],
        "source": "x = 1",
    }
    cell.update(cell_changes)
    return {
        "cells": [{"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# T"}, cell],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}]}, "has 1 output(s)"),
        ({"execution_count": 3}, "has execution count 3"),
        ({"id": "title"}, "has the same id as cell 1"),
        ({"id": ""}, "has no id"),
        ({"metadata": {"execution": {"iopub.status.busy": "2025-01-01"}}}, "run timings"),
    ],
)
def test_hygiene_finds_what_a_run_leaves_behind(change, expected):
    assert hygiene.notebook_problems(_notebook()) == []
    problems = hygiene.notebook_problems(_notebook(**change))
    assert any(expected in p for p in problems), problems


def test_hygiene_finds_saved_widget_state_and_duplicate_grade_ids():
    notebook = _notebook()
    notebook["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    notebook["cells"].append(copy.deepcopy(notebook["cells"][1]) | {"id": "again"})
    problems = hygiene.notebook_problems(notebook)
    assert any("widget state" in p for p in problems) and any("grade_id 'answer'" in p for p in problems)


def test_fix_strips_outputs_and_keeps_ids_and_nbgrader_metadata(tmp_path):
    dirty = _notebook(outputs=[{"output_type": "stream", "name": "stdout", "text": "1"}], execution_count=1)
    dirty["cells"][1]["metadata"]["tags"] = ["grader-skip"]
    path = tmp_path / "dirty.ipynb"
    path.write_text(json.dumps(dirty), encoding="utf-8")
    assert hygiene.main([str(path)]) == 1, "the hook must fail on a notebook with outputs"
    assert hygiene.main(["--fix", str(path)]) == 0
    cleaned = json.loads(path.read_text(encoding="utf-8"))
    cell = cleaned["cells"][1]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert cell["id"] == "answer" and cell["metadata"]["nbgrader"]["grade_id"] == "answer"
    assert cell["metadata"]["tags"] == ["grader-skip"]
    assert hygiene.strip_outputs(path) is False, "a clean notebook must not be rewritten"


def test_hygiene_hook_runs_as_a_command(tmp_path):
    """The pre-commit hook's entry (`python -m autograder.hygiene FILES`) fails on a notebook with outputs."""
    dirty = tmp_path / "dirty.ipynb"
    dirty.write_text(json.dumps(_notebook(execution_count=7)), encoding="utf-8")
    clean = tmp_path / "clean.ipynb"
    clean.write_text(json.dumps(_notebook()), encoding="utf-8")
    command = [sys.executable, "-m", "autograder.hygiene"]
    ok = subprocess.run([*command, str(clean)], capture_output=True, text=True, cwd=REPO, timeout=60)
    bad = subprocess.run(
        [*command, str(clean), str(dirty)], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert bad.returncode == 1 and "execution count 7" in bad.stdout, bad.stdout + bad.stderr


# -- ruff ---------------------------------------------------------------------------------------------------


def _ruff(*args):
    try:
        import ruff  # noqa: F401 - only to say clearly when it is missing
    except ImportError:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    paths = [p for p in RUFF_PATHS if (REPO / p).exists()]
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *paths], capture_output=True, text=True, cwd=REPO, timeout=300
    )


def test_ruff_finds_nothing():
    result = _ruff("check", "--no-cache", "--output-format", "concise")
    assert result.returncode == 0, (
        "ruff check found problems (fix them, or `ruff check --fix` what it can):\n"
        f"{result.stdout}{result.stderr}"
    )


def test_code_and_notebooks_are_formatted():
    result = _ruff("format", "--check", "--no-cache", "--output-format", "concise")
    assert result.returncode == 0, (
        f"these files are not formatted; run `ruff format {' '.join(RUFF_PATHS)}`:\n"
        f"{result.stdout}{result.stderr}"
    )


# -- pre-commit ---------------------------------------------------------------------------------------------


def _hooks():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_pre_commit_runs_ruff_and_the_notebook_check():
    hooks = _hooks()
    assert {"ruff-check", "ruff-format", "notebook-hygiene"} <= set(hooks), sorted(hooks)
    assert hooks["ruff-check"]["entry"].startswith("ruff check")
    assert hooks["ruff-format"]["entry"].startswith("ruff format")
    assert hooks["notebook-hygiene"]["entry"] == "python -m autograder.hygiene"
    pattern = re.compile(hooks["notebook-hygiene"]["files"])
    for path in NOTEBOOKS:
        relative = path.values[0].relative_to(REPO).as_posix()
        assert pattern.search(relative), f"the notebook hook does not look at {relative}"


def test_pre_commit_ruff_matches_the_project():
    """The hooks' ruff is the one pyproject.toml allows and the environment runs, so both agree."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    allowed = next(
        Requirement(line)
        for line in project["optional-dependencies"]["test"]
        if Requirement(line).name == "ruff"
    )
    for hook_id in ("ruff-check", "ruff-format"):
        (pin,) = [
            Requirement(d) for d in _hooks()[hook_id]["additional_dependencies"] if d.startswith("ruff")
        ]
        (version,) = [s.version for s in pin.specifier]
        assert Version(version) in allowed.specifier, f"{hook_id}: ruff {version} is outside {allowed}"
        installed = subprocess.run(
            [sys.executable, "-m", "ruff", "--version"], capture_output=True, text=True
        )
        if installed.returncode == 0:
            assert installed.stdout.split()[-1] == version, (
                f"{hook_id} pins ruff {version}, the environment has {installed.stdout.strip()}: "
                f"update the pin in .pre-commit-config.yaml so that the hooks and `make lint` agree"
            )


# -- the instructor guide -----------------------------------------------------------------------------------


def test_instructor_guide_names_commands_and_options_that_exist():
    """Every `python -m autograder CMD --option` and `make TARGET` in docs/instructors.md exists."""
    guide = (REPO / "docs" / "instructors.md").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(encoding="utf-8"), re.M))
    named_targets = set(re.findall(r"(?:`|^)make ([a-z][a-z-]*)", guide, re.M))
    assert named_targets <= targets, (
        f"docs/instructors.md names make targets the Makefile lacks: {named_targets - targets}"
    )
    uses = re.findall(r"python -m autograder ([a-z]+)([^`\n#]*)", guide)
    assert uses, "docs/instructors.md shows no `python -m autograder` command"
    helps = {}
    for command, rest in uses:
        if command not in helps:
            done = subprocess.run(
                [sys.executable, "-m", "autograder", command, "--help"],
                capture_output=True,
                text=True,
                cwd=REPO,
            )
            assert done.returncode == 0, (
                f"docs/instructors.md names `python -m autograder {command}`, which fails"
            )
            helps[command] = done.stdout
        unknown = [option for option in re.findall(r"(--[a-z][a-z-]*)", rest) if option not in helps[command]]
        assert not unknown, f"`python -m autograder {command}` has no option {unknown} (docs/instructors.md)"
