"""Students see the course, not JupyterLab's chrome: no news prompt and no update check.

JupyterLab starts as `make lab` and Binder's `start` start it: JUPYTER_CONFIG_PATH points at a copy of the
course's autograder/ folder, and the student has no JupyterLab settings of their own. The settings the
course ships (autograder/jupyter_lab_config.py and autograder/jupyterlab/settings/overrides.json) must
then keep JupyterLab from asking "Would you like to get notified about official Jupyter news?", from
fetching news and from checking for updates, in the page and on the server. The same start without the
course's JupyterLab configuration shows the prompt and asks for updates (the control: the checks can fail).
"""

import json
import shutil
import time
import urllib.request

import pytest

from autograder.course import CONFIG_FILE, COURSE, PACKAGE
from tests.browser.conftest import ARTIFACTS, CHROMIUM_ARGS, chromium_executable, start_lab, stop_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

NEWS_PROMPT = "Would you like to get notified about official Jupyter news?"
NOTIFICATION_SETTINGS = "@jupyterlab/apputils-extension:notification"
#: Seconds the page is watched after JupyterLab has restored its layout (the prompt comes within ~1 s).
WATCH_SECONDS = 8


def _course_copy(root, course_config):
    shutil.copytree(COURSE / "00_welcome", root / "course" / "00_welcome")
    (root / "autograder").mkdir()
    shutil.copy(CONFIG_FILE, root / "autograder" / CONFIG_FILE.name)
    if course_config:
        shutil.copy(PACKAGE / "jupyter_lab_config.py", root / "autograder" / "jupyter_lab_config.py")
        shutil.copytree(PACKAGE / "jupyterlab", root / "autograder" / "jupyterlab")
    return root


@pytest.fixture(scope="module")
def browser_only(playwright_api):
    browser = playwright_api.chromium.launch(
        executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _watch_lab(browser, server, name, until_prompt=False):
    """Open /lab; return (whether the news prompt showed, the API paths the page requested)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    requested = []
    page.on("request", lambda request: requested.append(request.url.split("?")[0]))
    try:
        page.goto(f"{server.url}/lab")
        page.wait_for_selector(".jp-LauncherCard", state="visible")  # the layout is restored
        prompt = page.get_by_text(NEWS_PROMPT)
        deadline = time.monotonic() + (60 if until_prompt else WATCH_SECONDS)
        while time.monotonic() < deadline and not prompt.count():
            page.wait_for_timeout(250)
        shown = prompt.count() > 0 and prompt.first.is_visible()
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.server.log").write_text(server.log_tail(20_000), encoding="utf-8")
        raise
    finally:
        context.close()
    return shown, {url.split(server.url, 1)[-1] for url in requested}


@pytest.fixture(scope="module")
def course_lab(playwright_api, tmp_path_factory):
    server = start_lab(_course_copy(tmp_path_factory.mktemp("course-lab"), course_config=True), {})
    yield server
    stop_lab(server)


def _defaults(server):
    """The notification settings' defaults as the server serves them (the schema, with overrides applied)."""
    schema = server.api(f"/lab/api/settings/{NOTIFICATION_SETTINGS}")["schema"]["properties"]
    return {name: schema[name]["default"] for name in ("fetchNews", "checkForUpdates")}


def test_the_course_settings_turn_off_news_and_update_checks(course_lab):
    assert _defaults(course_lab) == {"fetchNews": "false", "checkForUpdates": False}
    # The server would have nothing to give even if a student turned them back on.
    assert course_lab.api("/lab/api/news") == {"news": []}
    assert course_lab.api("/lab/api/update") == {"notification": None}


def test_students_get_no_news_prompt_and_no_update_check(course_lab, browser_only):
    shown, requested = _watch_lab(browser_only, course_lab, "course-lab")
    assert not shown, f"JupyterLab showed {NEWS_PROMPT!r} on the course"
    assert not requested & {"/lab/api/news", "/lab/api/update"}, sorted(requested)


def test_without_the_course_settings_jupyterlab_asks_and_checks(
    playwright_api, browser_only, tmp_path_factory
):
    root = _course_copy(tmp_path_factory.mktemp("plain-lab"), course_config=False)
    # Offline all the same: the server answers the page's update check without asking PyPI.
    offline = [
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    server = start_lab(root, {}, offline)
    try:
        defaults = _defaults(server)
        asked, _ = _watch_lab(browser_only, server, "plain-lab", until_prompt=True)
        # A student who answered "No" to the prompt: JupyterLab then checks for updates on every start.
        answer = json.dumps({"raw": json.dumps({"fetchNews": "false"})}).encode()
        request = urllib.request.Request(
            f"{server.url}/lab/api/settings/{NOTIFICATION_SETTINGS}", data=answer, method="PUT"
        )
        urllib.request.urlopen(request, timeout=30).close()
        _, requested = _watch_lab(browser_only, server, "plain-lab-answered")
    finally:
        stop_lab(server)
    assert defaults == {"fetchNews": "none", "checkForUpdates": True}, defaults
    assert asked, "the control server did not show the news prompt: the test above proves nothing"
    assert "/lab/api/update" in requested, sorted(requested)
