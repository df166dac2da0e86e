"""Accessibility of the notebooks: headings, text descriptions of figures, labelled widget controls.

What a test without a browser can check is here; that every control works from the keyboard, that every
widget renders, and that every control the notebooks build has a visible label, is checked in JupyterLab by
tests/browser/test_jupyterlab.py. The rules are in docs/authoring.md.

Figure cells are found without running the notebooks: a code cell draws a figure when, outside function and
class bodies, it calls

- matplotlib's pyplot (``plt.subplots``, ``plt.figure``, ``plt.plot``, ...; not ``plt.close``,
  ``plt.rcParams``, ``plt.style``),
- a function of ``nnlib.plots`` that draws, i.e. takes an ``ax``/``axes``/``fig`` argument (``linear_regions``
  computes numbers and does not count),
- a function of ``nn4nlp.widgets`` that builds an ``Explorer`` (or ``Explorer`` itself),
- or a function defined in an earlier cell of the notebook that does one of these.
"""

import ast
import importlib
import importlib.util
import inspect
import json
import re
from functools import cache

import pytest

from autograder.course import modules, source_path
from tests import notebooks

MODULES = modules()
NOTEBOOKS = [pytest.param(path, id=name) for name, path in notebooks.committed_notebooks()]
CAPTION = re.compile(r"^\s*\*\*(Figure|Explorer)\b")
#: pyplot functions that change settings and draw nothing.
PYPLOT_SETTINGS = {
    "close",
    "rc",
    "rcParams",
    "rcdefaults",
    "rc_context",
    "style",
    "ioff",
    "ion",
    "isinteractive",
    "switch_backend",
    "get_cmap",
    "colormaps",
    "cm",
    "get_backend",
}
DRAWING_PARAMETERS = {"ax", "axes", "fig", "figure"}


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


# -- headings -----------------------------------------------------------------------------------------------

FENCE = re.compile(r"^\s{0,3}(```|~~~)")
ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
NBGRADER_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\b")


def headings(markdown):
    """(level, text) of every heading of a markdown text: ATX (#), setext (=== / ---) and HTML <hN>."""
    found, fenced, previous = [], False, ""
    for line in markdown.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            previous = ""
            continue
        if fenced or NBGRADER_MARKER.match(line):
            previous = ""
            continue
        atx = ATX.match(line)
        if atx:
            found.append((len(atx[1]), (atx[2] or "").strip()))
        elif previous.strip() and re.fullmatch(r"\s{0,3}=+\s*", line):
            found.append((1, previous.strip()))
        elif (
            previous.strip()
            and re.fullmatch(r"\s{0,3}-+\s*", line)
            and not re.match(r"\s*([-*+]|\d+\.)\s", previous)
        ):
            found.append((2, previous.strip()))
        found += [
            (int(level), re.sub(r"<[^>]+>", "", text).strip()) for level, text in HTML_HEADING.findall(line)
        ]
        previous = line
    return found


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_one_title_and_headings_that_go_down_one_level_at_a_time(path):
    all_headings = []
    for cell in _cells(path):
        if cell["cell_type"] == "markdown":
            all_headings += [(level, text, cell.get("id")) for level, text in headings(_source(cell))]
    assert all_headings, f"{path.name}: no headings; start with one H1 title (`# NN · Topic`)"
    titles = [(text, cell_id) for level, text, cell_id in all_headings if level == 1]
    assert len(titles) == 1, f"{path.name}: needs exactly one H1 title, found {len(titles)}: {titles}"
    assert all_headings[0][0] == 1, (
        f"{path.name}: the first heading must be the H1 title, not {all_headings[0]}"
    )
    skipped = [
        f"H{level} {text!r} (cell {cell_id!r}) after an H{previous}"
        for (previous, _, _), (level, text, cell_id) in zip(all_headings, all_headings[1:], strict=False)
        if level > previous + 1
    ]
    assert not skipped, f"{path.name}: headings skip a level (screen readers navigate by them): {skipped}"


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# Title\ntext\n## Part", [(1, "Title"), (2, "Part")]),
        ("```python\n# a comment, not a heading\n```\n### Three", [(3, "Three")]),
        ("Title\n=====\nSub\n---", [(1, "Title"), (2, "Sub")]),
        ("- item\n---", []),
        ("### BEGIN SOLUTION\nan answer\n### END SOLUTION", []),
        ("<h2>HTML</h2>", [(2, "HTML")]),
        ("#hashtag is no heading", []),
    ],
)
def test_headings_are_read_like_markdown(markdown, expected):
    assert headings(markdown) == expected


# -- figures and their text descriptions --------------------------------------------------------------------


@cache
def _library_object(dotted):
    """The object at ``nnlib.x.y.name``, or None when it cannot be imported."""
    module_name, _, attribute = dotted.rpartition(".")
    for candidate, rest in ((dotted, []), (module_name, [attribute])):
        try:
            obj = importlib.import_module(candidate)
        except ImportError:
            continue
        for part in rest:
            obj = getattr(obj, part, None)
        return obj
    return None


@cache
def _library_draws(dotted):
    """Whether calling the nnlib object at ``dotted`` draws a figure or builds an explorer."""
    obj = _library_object(dotted)
    if obj is None or not callable(obj):
        return False
    if dotted.startswith("nn4nlp.widgets"):
        from nn4nlp.widgets import Explorer

        if inspect.isclass(obj):
            return issubclass(obj, Explorer)
        try:
            return "Explorer(" in inspect.getsource(obj)
        except (OSError, TypeError):
            return False
    if dotted.startswith(("nnlib.plots", "nn4nlp.plots")):
        if inspect.isclass(obj):
            return False
        try:
            return bool(DRAWING_PARAMETERS & set(inspect.signature(obj).parameters))
        except (TypeError, ValueError):
            return False
    return False


def _is_module(dotted):
    """Whether ``dotted`` names a module (``nn4nlp.plots.xor``) rather than a function or class in one."""
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError, AttributeError):
        return False


class _Scope:
    """What the names of a notebook refer to, cell after cell."""

    def __init__(self):
        self.modules = {}  # local name -> dotted module path (pyplot, nnlib.plots..., nn4nlp.widgets...)
        self.objects = {}  # local name -> dotted path of an imported function or class
        self.drawing_functions = set()  # functions defined in the notebook that draw

    def learn_imports(self, tree):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.modules[alias.asname] = alias.name
                    else:
                        self.modules[alias.name.split(".")[0]] = alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    dotted = f"{node.module}.{alias.name}"
                    local = alias.asname or alias.name
                    if _is_module(dotted):
                        self.modules[local] = dotted
                    else:
                        self.objects[local] = dotted

    def dotted(self, func):
        """The dotted path a call's function refers to (``plots.x`` -> ``nnlib.plots.x``), or None."""
        parts = []
        while isinstance(func, ast.Attribute):
            parts.append(func.attr)
            func = func.value
        if not isinstance(func, ast.Name):
            return None
        parts.reverse()
        if func.id in self.modules:
            return ".".join([self.modules[func.id], *parts])
        if func.id in self.objects:
            return ".".join([self.objects[func.id], *parts])
        return None

    def call_draws(self, call):
        if isinstance(call.func, ast.Name) and call.func.id in self.drawing_functions:
            return True
        dotted = self.dotted(call.func)
        if not dotted:
            return False
        if dotted.startswith("matplotlib.pyplot."):
            return dotted.split(".")[2] not in PYPLOT_SETTINGS
        if dotted.startswith(("nnlib.plots.", "nn4nlp.plots.", "nn4nlp.widgets.")):
            return _library_draws(dotted)
        return False


def _calls_outside_definitions(nodes):
    """Every call in ``nodes`` that runs when the cell runs (not inside def, class or lambda bodies)."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack += [
                *getattr(node, "decorator_list", []),
                *getattr(getattr(node, "args", None), "defaults", []),
            ]
            continue
        if isinstance(node, ast.Call):
            yield node
        stack += list(ast.iter_child_nodes(node))


def _parse(source):
    """The cell's code as an AST, with IPython's %magics and !commands blanked out."""
    lines = ["" if re.match(r"\s*[%!]", line) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def figure_cells(cells):
    """(index, cell id, what draws) of every code cell that draws a figure or shows an explorer."""
    scope, found = _Scope(), []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        tree = _parse(_source(cell))
        if tree is None:
            continue
        scope.learn_imports(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(scope.call_draws(call) for call in ast.walk(node) if isinstance(call, ast.Call)):
                    scope.drawing_functions.add(node.name)
        drawing = [call for call in _calls_outside_definitions(tree.body) if scope.call_draws(call)]
        if drawing:
            found.append((index, cell.get("id"), ast.unparse(drawing[0].func)))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_every_figure_has_a_text_description(path):
    """The cell after a figure is a markdown caption starting with **Figure (or **Explorer)."""
    cells = _cells(path)
    missing = []
    for index, cell_id, what in figure_cells(cells):
        following = cells[index + 1] if index + 1 < len(cells) else None
        if not (following and following["cell_type"] == "markdown" and CAPTION.match(_source(following))):
            missing.append(f"cell {index + 1} (id {cell_id!r}, draws with {what}())")
    assert not missing, (
        f"{path.name}: these cells draw a figure but are not followed by a markdown cell starting with "
        f"'**Figure N.**' that describes it in words: {missing}"
    )


def test_figure_cells_are_found():
    def code(source, cell_id):
        return {"cell_type": "code", "id": cell_id, "source": source}

    cells = [
        code("import matplotlib.pyplot as plt\nfrom nnlib import plots", "a"),
        code("from nn4nlp.plots.xor import linear_regions", "b"),
        code("plt.rcParams['figure.dpi'] = 100\nplt.style.use('default')", "settings"),
        code("fig, ax = plt.subplots()\nax.plot([1, 2])", "pyplot"),
        code("plots.activation_functions()", "library"),
        code("n = linear_regions([0.0, 1.0], [])", "numbers"),
        code("def show(x):\n    plt.plot(x)", "definition"),
        code("for k in range(2):\n    show([k])", "helper"),
        code(
            "from nn4nlp.widgets.xor import depth_explorer\nexplorer = depth_explorer()\nexplorer", "widget"
        ),
        code("%timeit plt.close('all')", "magic"),
    ]
    assert [cell_id for _, cell_id, _ in figure_cells(cells)] == ["pyplot", "library", "helper", "widget"]


# -- widget controls ----------------------------------------------------------------------------------------

RAW_WIDGETS = re.compile(r"^\s*(import ipywidgets|from ipywidgets\b)|\binteract(ive)?\(", re.MULTILINE)


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_widgets_come_from_nnlib_explorers(path):
    """Notebooks build widgets only with nn4nlp.widgets, whose controls always carry a label."""
    raw = [
        cell.get("id")
        for cell in _cells(path)
        if cell["cell_type"] == "code" and RAW_WIDGETS.search(_source(cell))
    ]
    assert not raw, (
        f"{path.name}: cells {raw} build ipywidgets directly; build an explorer in nn4nlp/widgets/ with "
        f"nn4nlp.widgets.slider/dropdown so that every control has a label and works from the keyboard"
    )


def _explorer_factories():
    """(dotted name, factory) of every explorer-building function the notebooks call."""
    names = set()
    for module in MODULES:
        scope = _Scope()
        for cell in _cells(source_path(module)):
            tree = _parse(_source(cell)) if cell["cell_type"] == "code" else None
            if tree is None:
                continue
            scope.learn_imports(tree)
            for call in ast.walk(tree):
                if isinstance(call, ast.Call):
                    dotted = scope.dotted(call.func)
                    if dotted and dotted.startswith("nn4nlp.widgets.") and _library_draws(dotted):
                        names.add(dotted)
    return sorted(names)


def _controls(explorer):
    return explorer.controls.items()


@pytest.mark.parametrize("dotted", _explorer_factories())
def test_explorer_controls_have_labels(dotted):
    """Every control of the notebooks' explorers has a visible, non-empty description.

    Explorers that need data from the notebook (trained models, stored runs) cannot be built here; the
    browser test checks the labels of every control that the notebooks really build.
    """
    factory = _library_object(dotted)
    required = [
        p.name
        for p in inspect.signature(factory).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if required or inspect.isclass(factory):
        pytest.skip(
            f"{dotted} needs {required or 'arguments'} from the notebook; checked in the browser test"
        )
    explorer = factory()
    unlabelled = [name for name, control in _controls(explorer) if not str(control.description).strip()]
    assert not unlabelled, f"{dotted}(): controls without a label: {unlabelled}"
    assert all(len(str(c.description).strip()) > 1 for _, c in _controls(explorer)), (
        f"{dotted}(): a one-character label is not a description a screen reader can use"
    )


def test_explorer_gives_every_control_a_label():
    """nnlib's Explorer names an unlabelled control after its key and refuses an empty slider label."""
    ipywidgets = pytest.importorskip("ipywidgets")
    from nn4nlp.widgets import Explorer, slider

    explorer = Explorer(
        {"learning rate": ipywidgets.FloatSlider(value=0.5, min=0, max=1)}, lambda ax, **v: None
    )
    assert explorer.controls["learning rate"].description == "learning rate"
    with pytest.raises(ValueError, match="label"):
        slider("", 0.5, 0.0, 1.0)
