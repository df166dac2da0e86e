"""The sandbox's file system: what student code can see when the course itself lives under /tmp."""

import subprocess

import pytest

from autograder.boundary import isolation


def test_a_python_installation_under_tmp_stays_visible_and_the_rest_of_tmp_does_not(
    folder_under_tmp, monkeypatch
):
    if isolation.bwrap_path() is None or not isolation.bwrap_works():
        pytest.skip("bubblewrap is not usable on this machine")
    installed = folder_under_tmp / "venv"
    installed.mkdir(mode=0o755)
    (installed / "marker.txt").write_text("visible")
    (folder_under_tmp / "secret.txt").write_text("hidden")  # beside the installation, not bound
    real = isolation._runtime_paths()
    monkeypatch.setattr(isolation, "_runtime_paths", lambda: [*real, str(installed)])

    sandbox = isolation.Sandbox(isolation.Limits(), mode="bwrap")
    script = (
        f"cat {installed / 'marker.txt'}; "
        f"test -e {folder_under_tmp / 'secret.txt'} && echo ' LEAK'; "
        f"touch /tmp/scratch && echo ' tmp-writable'"
    )
    try:
        command, _, _ = sandbox._command(0, 1)
        bwrap = command[: command.index("--") + 1]  # everything up to the runner
        result = subprocess.run([*bwrap, "/bin/sh", "-c", script], capture_output=True, text=True, timeout=60)
    finally:
        sandbox._tmp.cleanup()
    assert result.stdout == "visible tmp-writable\n", (
        f"inside the sandbox: stdout {result.stdout!r}, stderr {result.stderr!r}; expected the bound "
        f"installation under /tmp to be readable, the file beside it to be absent, and /tmp to be writable"
    )
