"""JupyterLab in headless Chromium, for the browser tests.

One JupyterLab server (on a copy of the course in a temporary folder) and one Chromium serve every browser
test; the tests share the xdist group "browser" so that they all land on the same pytest-xdist worker, and
the fixtures are module-scoped so that the server and the browser stop as soon as that worker moves on.
Chromium is Debian's (`apt install chromium`), driven by Playwright for Python; nothing is downloaded
(never `playwright install`). The tests are skipped, with the reason, when either is missing.

When a test fails, a screenshot and the page's console log are saved in test-artifacts/browser/.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from autograder.course import CONFIG_FILE, COURSE, REPO, SOLUTIONS

ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
#: JupyterLab settings for the test server: every cell in the page (no windowing, so that the DOM holds
#: every output), no news or update checks, no autosave racing with Validate's save.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}
SERVER_START_SECONDS = 180


def chromium_executable():
    return next((path for path in CHROMIUM_CANDIDATES if os.access(path, os.X_OK)), None)


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[test]')")
    if chromium_executable() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run installs it)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_api):
    browser = playwright_api.chromium.launch(
        executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


class Lab:
    """A running JupyterLab server on a copy of the course."""

    def __init__(self, root, url, process, log):
        self.root, self.url, self.process, self.log = root, url, process, log

    def api(self, path, method="GET"):
        """JSON from the server's REST API: ``path`` under /api/, or from the root when it starts with /."""
        url = f"{self.url}{path}" if path.startswith("/") else f"{self.url}/api/{path}"
        request = urllib.request.Request(url, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self):
        """Stop every kernel (between tests: each notebook starts its own)."""
        for kernel in self.api("kernels"):
            try:
                self.api(f"kernels/{kernel['id']}", method="DELETE")
            except urllib.error.URLError:
                pass

    def log_tail(self, characters=4000):
        return self.log.read_text(encoding="utf-8", errors="replace")[-characters:]


@pytest.fixture(scope="module")
def lab(playwright_api, tmp_path_factory):
    """JupyterLab on a copy of solutions/, course/ and the nbgrader config, with the token disabled."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(SOLUTIONS, root / "solutions")
    shutil.copytree(COURSE, root / "course")
    (root / "autograder").mkdir()
    shutil.copy(CONFIG_FILE, root / "autograder" / CONFIG_FILE.name)
    server = start_lab(root, LAB_SETTINGS, ["--LabApp.news_url="])
    yield server
    stop_lab(server)


def start_lab(root, settings, extra_args=()):
    """Start JupyterLab on ``root`` with JUPYTER_CONFIG_PATH=root/autograder (as `make lab` does).

    ``settings`` ({file: values}) are the user's JupyterLab settings, written to a fresh settings folder;
    nothing of the machine's own Jupyter configuration is read. Returns a running :class:`Lab`.
    """
    folder = root / ".lab" / "settings"
    folder.mkdir(parents=True, exist_ok=True)
    for name, values in settings.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(values), encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "NN4NLP_"))}
    env.pop("MPLBACKEND", None)  # the suite's Agg backend would hide every figure from the notebooks
    # The notebooks' kernels share the machine with the rest of the suite: one BLAS/torch thread each
    # (as `make test` sets), unless the caller chose otherwise.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    env.update(
        JUPYTER_CONFIG_PATH=str(root / "autograder"),  # nbgrader finds the course's nbgrader_config.py
        JUPYTER_CONFIG_DIR=str(root / ".jupyter"),  # no personal Jupyter settings
        JUPYTER_RUNTIME_DIR=str(root / ".lab" / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(folder),
        JUPYTERLAB_WORKSPACES_DIR=str(root / ".lab" / "workspaces"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = root / ".lab" / "server.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: read the notebook's model
        *extra_args,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI containers run as root
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Lab(root, url, process, log)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            server.api("status")
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"JupyterLab did not start on {url}:\n{server.log_tail()}")
            time.sleep(0.5)
    return server


def stop_lab(server):
    # The server and its kernels are in their own process group, started above.
    process = server.process
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _artifact_name(item):
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in item.nodeid.split("::", 1)[-1])


@pytest.fixture
def page(browser, lab, request):
    """A fresh browser tab; on failure its screenshot and console log go to test-artifacts/browser/."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    console = []
    tab.on("console", lambda message: console.append(f"[{message.type}] {message.text}"))
    tab.on("pageerror", lambda error: console.append(f"[pageerror] {error}"))
    yield tab
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call")
    )
    if failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = _artifact_name(request.node)
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the test's failure
            console.append(f"[screenshot failed] {error}")
        (ARTIFACTS / f"{name}.console.log").write_text("\n".join(console) + "\n", encoding="utf-8")
        (ARTIFACTS / f"{name}.server.log").write_text(lab.log_tail(20_000), encoding="utf-8")
    context.close()
    lab.shut_down_kernels()
