"""The Binder environment: environment.yml agrees with pyproject.toml; postBuild and start do their jobs."""

import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from autograder.course import REPO

ENVIRONMENT = REPO / "environment.yml"
POSTBUILD = REPO / "postBuild"
START = REPO / "start"

#: conda-forge names of packages that PyPI knows by another name.
CONDA_TO_PYPI = {
    "pytorch": "torch",
    "pytorch-cpu": "torch",
    "pytorch-gpu": "torch",
    "matplotlib-base": "matplotlib",
    "py-opencv": "opencv-python",
}
CONDA_SPEC = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(?P<spec>[^#]*?)\s*$")


def _pyproject():
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _environment():
    return yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))


def conda_to_pep440(spec):
    """A conda version spec (``>=1.26,<3``, ``=3.11``, ``==2.4.1``, ``3.11.*``) as a PEP 440 SpecifierSet."""
    spec = spec.replace(" ", "")
    if not spec:
        return SpecifierSet()
    if "|" in spec:
        raise ValueError(
            f"{spec!r}: alternatives (|) cannot be compared with pyproject.toml; write one range"
        )
    parts = []
    for part in spec.split(","):
        if re.fullmatch(r"=[0-9][0-9A-Za-z.]*", part):  # conda's "=3.11" means 3.11.*
            part = f"=={part[1:]}.*"
        elif re.fullmatch(r"[0-9][0-9A-Za-z.*]*", part):  # a bare version: exactly that, or a * pattern
            part = f"=={part}"
        parts.append(part)
    return SpecifierSet(",".join(parts))


def environment_packages():
    """PyPI name -> (the line in environment.yml, its SpecifierSet), for conda and pip entries."""
    packages = {}
    for dep in _environment()["dependencies"]:
        if isinstance(dep, dict):  # the `- pip:` list holds PEP 508 requirements
            for line in dep.get("pip", []):
                requirement = Requirement(line)
                packages[canonicalize_name(requirement.name)] = (line, requirement.specifier)
            continue
        match = CONDA_SPEC.match(dep.split("::")[-1])
        assert match, f"environment.yml: cannot read the dependency {dep!r}"
        name = canonicalize_name(match["name"])
        name = canonicalize_name(CONDA_TO_PYPI.get(name, name))
        assert name not in packages, f"environment.yml lists {name} twice ({packages[name][0]!r} and {dep!r})"
        packages[name] = (dep, conda_to_pep440(match["spec"]))
    return packages


def pyproject_requirements(groups):
    """PyPI name -> Requirement for [project] dependencies and the named optional groups."""
    project = _pyproject()
    lines = list(project["dependencies"])
    for group in groups:
        lines += project["optional-dependencies"][group]
    return {canonicalize_name(Requirement(line).name): Requirement(line) for line in lines}


# -- environment.yml against pyproject.toml ----------------------------------------------------------------


def test_environment_uses_conda_forge_and_python_311():
    environment = _environment()
    assert environment["channels"][0] == "conda-forge", (
        "environment.yml: conda-forge must be the first channel"
    )
    python = environment_packages().get("python")
    assert python, "environment.yml must pin python (repo2docker reads `python =3.11` to pick the base image)"
    line, spec = python
    assert re.fullmatch(r"python\s*=+\s*3\.11(\.\d+)?", line), (
        f"environment.yml: {line!r}; expected python =3.11"
    )
    requires = SpecifierSet(_pyproject()["requires-python"])
    assert Version("3.11.0") in requires, (
        f"pyproject.toml's requires-python {requires} excludes Binder's 3.11"
    )
    assert "pip" in environment_packages(), (
        "environment.yml needs pip (postBuild installs the course with it)"
    )


def test_every_course_dependency_is_in_the_environment():
    """Everything students need (nnlib's dependencies and the `course` extra) comes from environment.yml."""
    in_environment = environment_packages()
    missing = sorted(name for name in pyproject_requirements(["course"]) if name not in in_environment)
    assert not missing, (
        f"environment.yml lacks {missing}: pyproject.toml needs them at run time (dependencies or the "
        f"`course` extra); add them (conda-forge names: {CONDA_TO_PYPI}) with the same version range"
    )


def test_environment_and_pyproject_agree_on_versions():
    """A package named in both files has the same version range in both (every group of pyproject.toml)."""
    in_environment = environment_packages()
    groups = list(_pyproject().get("optional-dependencies", {}))
    disagree = []
    for name, requirement in pyproject_requirements(groups).items():
        if name in in_environment:
            line, spec = in_environment[name]
            if spec != requirement.specifier:
                disagree.append(
                    f"{name}: environment.yml says {line!r}, pyproject.toml says {str(requirement)!r}"
                )
    assert not disagree, "environment.yml and pyproject.toml disagree:\n" + "\n".join(disagree)


@pytest.mark.parametrize(
    ("conda", "pep440"),
    [
        (">=1.26,<3", ">=1.26,<3"),
        (" >=2.4, <2.14", "<2.14,>=2.4"),
        ("=3.11", "==3.11.*"),
        ("==0.9.6", "==0.9.6"),
        ("3.11.*", "==3.11.*"),
        ("", ""),
    ],
)
def test_conda_specs_are_read_as_pep440(conda, pep440):
    assert conda_to_pep440(conda) == SpecifierSet(pep440)


def test_the_name_map_catches_a_disagreement(tmp_path, monkeypatch):
    """pytorch-cpu is compared with torch: a different range is reported, not ignored."""
    changed = ENVIRONMENT.read_text(encoding="utf-8")
    changed = re.sub(r"pytorch-cpu[^\n]*", "pytorch-cpu >=2.0,<3", changed)
    monkeypatch.setattr(sys.modules[__name__], "ENVIRONMENT", tmp_path / "environment.yml")
    (tmp_path / "environment.yml").write_text(changed, encoding="utf-8")
    with pytest.raises(AssertionError, match="torch: environment.yml says"):
        test_environment_and_pyproject_agree_on_versions()


# -- postBuild and start ------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", [POSTBUILD, START], ids=lambda p: p.name)
def test_binder_scripts_are_executable_shell_scripts(script):
    assert script.is_file(), f"{script.name} is missing (Binder runs it)"
    assert script.stat().st_mode & stat.S_IXUSR, f"{script.name} is not executable: chmod +x {script.name}"
    first = script.read_text(encoding="utf-8").splitlines()[0]
    assert first in ("#!/usr/bin/env bash", "#!/bin/bash"), (
        f"{script.name}: first line {first!r} is no bash shebang"
    )
    check = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert check.returncode == 0, f"{script.name} has a syntax error:\n{check.stderr}"


def test_postbuild_installs_the_course_without_touching_the_conda_layer():
    text = POSTBUILD.read_text(encoding="utf-8")
    assert re.search(r"pip install (\S+ )*--no-deps (\S+ )*-e \.", text), (
        "postBuild must install the project with `pip install --no-deps -e .` (dependencies come from conda)"
    )


def test_start_ends_by_running_its_arguments():
    lines = [line.strip() for line in START.read_text(encoding="utf-8").splitlines()]
    code = [line for line in lines if line and not line.startswith("#")]
    assert code[-1] == 'exec "$@"', (
        f'start must end with exec "$@" (Binder passes the server command); ends {code[-1]!r}'
    )


def _run_start(tmp_path, cpu_max=None, **env):
    cgroup = tmp_path / "cgroup"
    cgroup.mkdir(exist_ok=True)
    if cpu_max is not None:
        (cgroup / "cpu.max").write_text(cpu_max + "\n")
    environ = {
        k: v for k, v in os.environ.items() if not k.endswith("_THREADS") and k != "JUPYTER_CONFIG_PATH"
    }
    environ.update(NN4NLP_CGROUP_ROOT=str(cgroup), **env)
    names = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "JUPYTER_CONFIG_PATH")
    script = "printf '%s\\n' " + " ".join(f'"${name}"' for name in names)
    result = subprocess.run(
        [str(START), "bash", "-c", script],
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, f"start failed:\n{result.stderr}"
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [("50000 100000", 1), ("100000 100000", 1), ("150000 100000", 2), ("max 100000", None), (None, None)],
)
def test_start_limits_threads_to_the_cpu_quota(tmp_path, cpu_max, expected):
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    expected = min(expected or cpus, cpus)
    omp, mkl, openblas, _ = _run_start(tmp_path, cpu_max)
    assert (omp, mkl, openblas) == (str(expected),) * 3, (
        f"cpu.max {cpu_max!r}: threads {omp}, {mkl}, {openblas}"
    )


def test_start_keeps_settings_and_points_nbgrader_at_the_course_config(tmp_path):
    omp, _, _, config_path = _run_start(
        tmp_path, "50000 100000", OMP_NUM_THREADS="3", JUPYTER_CONFIG_PATH="/x"
    )
    assert omp == "3", "start must keep an OMP_NUM_THREADS that is already set"
    first, *rest = config_path.split(os.pathsep)
    assert Path(first) == REPO / "autograder" and rest == ["/x"], f"JUPYTER_CONFIG_PATH is {config_path!r}"
    assert (Path(first) / "nbgrader_config.py").is_file()


def _throwaway_prefix(root):
    """A Python environment whose sys.prefix is ``root``: this venv's packages, a copy of its Jupyter config.

    `jupyter ... --sys-prefix` then writes into ``root/etc/jupyter`` instead of the real virtual environment.
    """
    here = Path(sys.prefix)
    venv.EnvBuilder(with_pip=False, symlinks=True).create(root)
    purelib = Path(sysconfig.get_paths(vars={"base": str(root), "platbase": str(root)})["purelib"])
    (purelib / "nn4nlp-test.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    shutil.copytree(here / "etc" / "jupyter", root / "etc" / "jupyter")
    (root / "share").mkdir(exist_ok=True)
    (root / "share" / "jupyter").symlink_to(here / "share" / "jupyter")
    for name in ("jupyter", "jupyter-labextension", "jupyter-server"):
        body = (here / "bin" / name).read_text(encoding="utf-8").split("\n", 1)[1]
        script = root / "bin" / name
        script.write_text(f"#!{root / 'bin' / 'python'}\n{body}", encoding="utf-8")
        script.chmod(0o755)
    return root


@pytest.mark.slow
def test_postbuild_turns_off_the_instructor_extensions_and_keeps_validate(tmp_path):
    if not (Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "nbgrader.json").is_file():
        pytest.skip(
            "nbgrader's extensions are not enabled in this environment (no etc/jupyter/.../nbgrader.json)"
        )
    prefix = _throwaway_prefix(tmp_path / "env")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(
        PATH=f"{prefix / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(tmp_path / "user-config"),
        JUPYTER_DATA_DIR=str(tmp_path / "user-data"),
        NN4NLP_SKIP_PIP="1",
    )
    build = subprocess.run(
        [str(POSTBUILD)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600
    )
    assert build.returncode == 0, f"postBuild failed:\n{build.stdout}\n{build.stderr}"

    def listing(*command):
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
        return re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)

    labext = listing("jupyter", "labextension", "list")
    disabled = set(
        re.findall(r"^\s+(@jupyter/nbgrader:[a-z-]+)\s*$", labext.split("Disabled extensions:")[-1], re.M)
    )
    instructor = {
        f"@jupyter/nbgrader:{p}"
        for p in ("formgrader", "create-assignment", "course-list", "assignment-list")
    }
    assert instructor <= disabled, f"still enabled for students: {sorted(instructor - disabled)}\n{labext}"
    assert "@jupyter/nbgrader:validate-assignment" not in disabled, "the Validate button must stay"

    serverext = listing("jupyter", "server", "extension", "list")
    status = dict(re.findall(r"(nbgrader\.server_extensions\.\w+) (enabled|disabled)", serverext))
    assert status == {
        "nbgrader.server_extensions.formgrader": "disabled",
        "nbgrader.server_extensions.course_list": "disabled",
        "nbgrader.server_extensions.assignment_list": "disabled",
        "nbgrader.server_extensions.validate_assignment": "enabled",
    }, serverext


# -- the README's Binder badge ------------------------------------------------------------------------------


def test_binder_badge_opens_an_existing_notebook():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    badges = re.findall(r"\(https://mybinder\.org/v2/gh/[^)\s]+\)", readme)
    assert badges, "README.md has no Binder badge"
    for badge in badges:
        match = re.search(r"urlpath=(?:lab/tree|doc/tree|tree)/([^)&\s]+)", badge)
        assert match, f"the Binder badge {badge} does not open a notebook (urlpath=lab/tree/<path>)"
        target = REPO / match[1]
        assert target.suffix == ".ipynb" and target.is_file(), (
            f"the Binder badge opens {match[1]}, which does not exist"
        )
        assert "urlpath=lab/" in badge, f"the Binder badge {badge} should open JupyterLab (urlpath=lab/...)"
