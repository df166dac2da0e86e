"""The course in JupyterLab, in headless Chromium: what a student sees and does.

For every module, the solution notebook is opened and run with Run > Run All Cells; then no cell may show
an error, every widget must render (none stuck on "Loading widget..." or showing "Error displaying
widget"), every control must carry a visible label, every image or widget must be followed by its
caption, and the module's main explorer must answer the keyboard: its first slider is focused, the arrow
key moves it and the explorer's figure (an ipywidgets Image) changes. nbgrader's Validate button must
accept a solution notebook and reject the untouched student release.

The tests share one JupyterLab server and one Chromium (tests/browser/conftest.py) and run in the xdist
group "browser". Failures leave a screenshot and the console log in test-artifacts/browser/.
"""

import os
import re
import time

import pytest

from autograder.course import modules, release_path

MODULES = modules()
#: Validate runs a whole notebook on the server: use the first module that has a release.
VALIDATE_MODULE = next((m for m in MODULES if release_path(m).is_file()), None)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

#: Seconds to wait for a solution notebook to run (the budget is 60 s; a busy CI machine needs more).
RUN_SECONDS = float(os.environ.get("NN4NLP_BROWSER_RUN_SECONDS", 420))
VALIDATE_SECONDS = 300
CAPTION = re.compile(r"^\s*\*\*(Figure|Explorer)\b")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# -- what the page is asked (JavaScript run in the page; window.jupyterapp is JupyterLab) ------------------

PANEL = "window.jupyterapp.shell.currentWidget"

NOTEBOOK_READY = """() => {
    const app = window.jupyterapp;
    const panel = app && app.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return !!(panel && panel.content && panel.context.isReady && kernel && kernel.status === "idle");
}"""

RUN_STATUS = f"""() => {{
    const panel = {PANEL};
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const code = Array.from(panel.content.model.cells).filter(c => c.type === "code");
    return {{
        kernel: kernel ? kernel.status : "dead",
        running: code.filter(c => c.executionState === "running").length,
        executed: code.filter(c => c.executionCount !== null).length,
        total: code.length,
    }};
}}"""

CELLS = f"""() => Array.from({PANEL}.content.model.cells).map((cell, index) => {{
    const count = cell.type === "code" ? cell.outputs.length : 0;
    const outputs = Array.from({{length: count}}, (_, i) => cell.outputs.get(i).toJSON());
    return {{
        index, id: cell.id, type: cell.type,
        executed: cell.type === "code" ? cell.executionCount !== null : null,
        source: cell.sharedModel.getSource().slice(0, 200),
        errors: outputs.filter(o => o.output_type === "error").map(o => `${{o.ename}}: ${{o.evalue}}`),
        widgets: outputs.filter(o => o.data && o.data["{WIDGET_MIME}"]).length,
        images: outputs.filter(o => o.data && (o.data["image/png"] || o.data["image/svg+xml"])).length,
    }};
}})"""

# Per code cell: how its widget outputs look in the page.
WIDGET_VIEWS = f"""() => {PANEL}.content.widgets.map((cell, index) => {{
    if (cell.model.type !== "code") return null;
    const outputs = Array.from(cell.outputArea.node.querySelectorAll(".jp-OutputArea-output"));
    const views = outputs.filter(o => o.querySelector(".jupyter-widgets")
        || /Loading widget|Error displaying widget/.test(o.textContent));
    const controls = Array.from(cell.outputArea.node.querySelectorAll(
        ".widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-buttons, .widget-radio, "
        + ".widget-select, .widget-text, .widget-textarea, .widget-play, .widget-toggle-button"));
    const visible = el => !!el && el.offsetParent !== null && el.innerText.trim() !== "";
    return {{
        index, id: cell.model.id,
        rendered: views.filter(o => o.querySelector(".jupyter-widgets")).length,
        loading: views.filter(o => /Loading widget/.test(o.textContent)).length,
        broken: views.filter(o => /Error displaying widget/.test(o.textContent))
            .map(o => o.textContent.trim().slice(0, 200)),
        images: Array.from(cell.outputArea.node.querySelectorAll("img.widget-image"))
            .map(img => img.complete && img.naturalWidth > 0),
        unlabelled: controls.filter(c => !Array.from(c.querySelectorAll("label")).some(visible)
            && !(c.getAttribute("aria-label") || "").trim()).map(c => c.className),
        controls: controls.length,
    }};
}}).filter(c => c !== null)"""

# The kernel lists every ipywidgets control it holds that has no description (label).
UNLABELLED_IN_KERNEL = """
def _nn4nlp_unlabelled():
    import json

    import ipywidgets
    from ipywidgets.widgets import widget as _widget
    from ipywidgets.widgets.widget_description import DescriptionWidget

    instances = getattr(_widget, "_instances", None)
    if instances is None:  # ipywidgets before 8.1
        instances = ipywidgets.Widget.widgets
    text = (ipywidgets.HTML, ipywidgets.HTMLMath, ipywidgets.Label)
    return json.dumps([
        f"{type(w).__name__}(value={getattr(w, 'value', None)!r})"
        for w in list(instances.values())
        if isinstance(w, DescriptionWidget) and isinstance(w, ipywidgets.ValueWidget)
        and not isinstance(w, text) and not str(w.description).strip()
    ])
print(_nn4nlp_unlabelled())
del _nn4nlp_unlabelled
"""

KERNEL_EXECUTE = f"""async (code) => {{
    const kernel = {PANEL}.sessionContext.session.kernel;
    const future = kernel.requestExecute({{code, silent: false, store_history: false}});
    let text = "";
    future.onIOPub = msg => {{
        if (msg.header.msg_type === "stream" && msg.content.name === "stdout") text += msg.content.text;
        if (msg.header.msg_type === "error") text += `ERROR ${{msg.content.ename}}: ${{msg.content.evalue}}`;
    }};
    await future.done;
    return text;
}}"""


# -- steps --------------------------------------------------------------------------------------------------


def open_notebook(page, lab, path):
    """Open the notebook alone (``?reset``: no notebook of an earlier test comes back); wait for its kernel.

    Returns a locator for the notebook's panel.
    """
    page.goto(f"{lab.url}/lab/tree/{path}?reset")
    page.wait_for_function(NOTEBOOK_READY, timeout=180_000, polling=500)
    return page.locator(f"#{page.evaluate(f'() => {PANEL}.id')}")


def run_all_cells(page):
    """Run > Run All Cells, as a student would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()


def wait_until_run(page, seconds):
    """Wait until the kernel is idle and no cell is queued or running; return how long it took."""
    started = time.monotonic()
    idle_since = None
    while True:
        status = page.evaluate(RUN_STATUS)
        done = status["kernel"] == "idle" and status["running"] == 0 and status["executed"] > 0
        if done:
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > 1.0:  # idle for a second: not between two cells
                return time.monotonic() - started
        else:
            idle_since = None
        if status["kernel"] == "dead":
            pytest.fail("the kernel died while the notebook ran (out of memory?)")
        if time.monotonic() - started > seconds:
            pytest.fail(f"the notebook was still running after {seconds} s: {status}")
        page.wait_for_timeout(500)


def wait_for_widgets(page, seconds=90):
    """The widget views once none says "Loading widget..." (or after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while True:
        views = page.evaluate(WIDGET_VIEWS)
        if not any(v["loading"] for v in views) or time.monotonic() > deadline:
            return views
        page.wait_for_timeout(500)


def move_main_slider(page, notebook, cells):
    """Focus the first slider of the module's first explorer, press an arrow key; return the figure change."""
    explorer = next((c for c in cells if c["widgets"]), None)
    assert explorer, (
        "the notebook shows no widget; every module has at least one explorer (docs/authoring.md)"
    )
    output = (
        notebook.locator(".jp-Cell")
        .nth(explorer["index"])
        .locator(".jp-OutputArea-output")
        .filter(has=page.locator(".jupyter-widgets"))
    )
    handle = output.locator(".noUi-handle").first
    image = output.locator("img.widget-image").first
    assert handle.count() and image.count(), (
        f"cell {explorer['id']!r}: the main explorer needs a slider and a figure (the browser test moves it)"
    )
    handle.scroll_into_view_if_needed()

    def value():  # aria-valuenow is rounded to one decimal; aria-valuetext has the slider's full value
        return handle.get_attribute("aria-valuetext") or handle.get_attribute("aria-valuenow")

    before = {"src": image.get_attribute("src"), "value": value()}
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    focused = page.evaluate(
        "() => document.activeElement && document.activeElement.classList.contains('noUi-handle')"
    )
    assert focused, f"cell {explorer['id']!r}: the slider cannot take the keyboard focus"
    page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    deadline = time.monotonic() + 60
    while image.get_attribute("src") == before["src"] and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    after = {"src": image.get_attribute("src"), "value": value()}
    return explorer["id"], before, after


def click_validate(page):
    page.locator(".validate-button").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("#validation-message").wait_for(timeout=VALIDATE_SECONDS * 1000)
    message = dialog.locator("#validation-message")
    return message.get_attribute("class") or "", message.inner_text()


# -- tests --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", MODULES)
def test_solution_notebook_runs_and_its_widgets_work(page, lab, module, record_property):
    started = time.monotonic()
    notebook = open_notebook(page, lab, f"solutions/{module}/{module}.ipynb")
    run_all_cells(page)
    run_seconds = wait_until_run(page, RUN_SECONDS)
    record_property("run_seconds", round(run_seconds, 1))

    cells = page.evaluate(CELLS)
    errors = [f"cell {c['index'] + 1} (id {c['id']!r}): {e}" for c in cells for e in c["errors"]]
    assert not errors, f"{module}: cells show errors:\n" + "\n".join(errors)
    unrun = [c["id"] for c in cells if c["executed"] is False]
    assert not unrun, f"{module}: Run All Cells left cells unrun: {unrun}"

    views = {v["index"]: v for v in wait_for_widgets(page)}
    problems = []
    for cell in cells:
        view = views.get(cell["index"])
        if not cell["widgets"] or view is None:
            continue
        where = f"cell {cell['index'] + 1} (id {cell['id']!r})"
        if view["loading"]:
            problems.append(f"{where}: still shows 'Loading widget...'")
        problems += [f"{where}: {text}" for text in view["broken"]]
        if view["rendered"] < cell["widgets"]:
            problems.append(
                f"{where}: {cell['widgets']} widget(s) in the notebook, {view['rendered']} on the page"
            )
        if not all(view["images"]):
            problems.append(f"{where}: an explorer's figure did not load")
        if view["unlabelled"]:
            problems.append(f"{where}: controls without a visible label: {view['unlabelled']}")
    assert not problems, f"{module}: widgets do not work:\n" + "\n".join(problems)

    unlabelled = page.evaluate(KERNEL_EXECUTE, UNLABELLED_IN_KERNEL).strip()
    assert unlabelled == "[]", (
        f"{module}: the kernel holds widget controls without a description: {unlabelled}"
    )

    uncaptioned = [
        f"cell {c['index'] + 1} (id {c['id']!r})"
        for c, following in zip(cells, [*cells[1:], None], strict=True)
        if (c["widgets"] or c["images"])
        and not (following and following["type"] == "markdown" and CAPTION.match(following["source"]))
    ]
    assert not uncaptioned, (
        f"{module}: these cells show a figure or widget but no '**Figure N.**' caption follows: {uncaptioned}"
    )

    cell_id, before, after = move_main_slider(page, notebook, cells)
    assert after["value"] != before["value"], (
        f"{module}: the arrow key did not move the first slider of explorer {cell_id!r} ({before['value']})"
    )
    assert after["src"] != before["src"], (
        f"{module}: moving the first slider of explorer {cell_id!r} from {before['value']} to "
        f"{after['value']} with the keyboard did not change its figure within 60 s"
    )
    record_property("test_seconds", round(time.monotonic() - started, 1))


@pytest.mark.skipif(VALIDATE_MODULE is None, reason="no module has a release in course/ yet")
def test_validate_accepts_a_solution_notebook(page, lab):
    open_notebook(page, lab, f"solutions/{VALIDATE_MODULE}/{VALIDATE_MODULE}.ipynb")
    classes, text = click_validate(page)
    assert "validation-success" in classes and "Success! Your notebook passes all the tests." in text, (
        f"Validate on the solution of {VALIDATE_MODULE} said:\n{text}"
    )


@pytest.mark.skipif(VALIDATE_MODULE is None, reason="no module has a release in course/ yet")
def test_validate_rejects_the_untouched_release(page, lab):
    open_notebook(page, lab, f"course/{VALIDATE_MODULE}/{VALIDATE_MODULE}.ipynb")
    classes, text = click_validate(page)
    assert "validation-failed" in classes and "The following cell failed" in text, (
        f"Validate on the untouched release of {VALIDATE_MODULE} should list failing cells; it said:\n{text}"
    )
