"""Real Unix users for the tests that need them (root only): made with useradd, removed afterwards.

Commands run as a user through ``runuser`` with a clean environment. An ordinary user owns a Python
installation they can read; this machine's may sit in a folder that only root can enter (for example
/root/.pyenv). Each command then runs in a private mount namespace in which that folder is covered by an
empty, world-readable tmpfs into which the installation is bound again, at the same path. Nothing changes
outside that namespace, and nothing else becomes readable.
"""

import os
import pwd
import shlex
import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

PROGRAMS = ("useradd", "userdel", "runuser", "unshare")


def skip_unless_users_can_be_made():
    if not hasattr(os, "getuid") or os.getuid() != 0:
        pytest.skip("making Unix users for the test needs root (run as root, e.g. in CI's container)")
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} needed to run commands as other users")


def _closed_folder(path):
    """The first folder on the way to ``path`` that other users cannot enter, or None."""
    for folder in [*reversed(Path(path).parents), Path(path)]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def python_paths():
    """This Python's installation, its virtual environment and the checkout's packages."""
    import nnlib

    return [os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, os.path.dirname(nnlib.__file__))]


def open_to_others(paths, stash):
    """A command prefix that runs the rest where every user can reach ``paths`` (see the module's text)."""
    closed = {}
    for path in paths:
        folder = _closed_folder(path)
        if folder is not None:
            closed.setdefault(folder, []).append(Path(path).relative_to(folder))
    if not closed:
        return []
    steps = []
    for number, (folder, inside) in enumerate(sorted(closed.items())):
        kept = Path(stash) / str(number)
        kept.mkdir(parents=True, exist_ok=True)
        steps += [f"mount --bind {shlex.quote(str(folder))} {shlex.quote(str(kept))}"]
        steps += [f"mount -t tmpfs -o mode=755 tmpfs {shlex.quote(str(folder))}"]
        for relative in inside:
            target = shlex.quote(str(folder / relative))
            steps += [f"mkdir -p {target}", f"mount --bind {shlex.quote(str(kept / relative))} {target}"]
    script = " && ".join([*steps, 'exec "$@"'])
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh"]


class User:
    """A Unix user made for one test, with a private home folder under ``base``."""

    def __init__(self, role, base):
        self.name = f"nn4nlp-{role}-{uuid.uuid4().hex[:6]}"
        self.home = Path(base) / self.name
        self.home.mkdir(parents=True)
        subprocess.run(
            ["useradd", "--no-create-home", "--home-dir", str(self.home), "--shell", "/bin/sh", self.name],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(self.name)
        self.uid, self.gid = entry.pw_uid, entry.pw_gid
        os.chown(self.home, self.uid, self.gid)
        self.home.chmod(0o700)
        self._prefix = open_to_others(python_paths(), Path(base) / ".stash")

    def give(self, path):
        """Make ``path`` (a file or a folder, recursively) this user's."""
        subprocess.run(["chown", "-R", f"{self.uid}:{self.gid}", str(path)], check=True)

    def run(self, *command, env=None, cwd=None, check=True, timeout=600):
        """Run ``command`` as this user, in ``cwd`` (default: home), with a clean environment plus ``env``."""
        variables = {
            "HOME": str(self.home),
            "USER": self.name,
            "LOGNAME": self.name,
            "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        full = [*self._prefix, "runuser", "-u", self.name, "--", "env", "-i"]
        full += [f"{k}={v}" for k, v in variables.items()] + [str(part) for part in command]
        result = subprocess.run(full, capture_output=True, text=True, cwd=cwd or self.home, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(
                f"as {self.name}: {' '.join(map(str, command))} exited {result.returncode}:\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def remove(self):
        subprocess.run(["userdel", self.name], capture_output=True)
