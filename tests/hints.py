"""The hints written in a module's test cells, read from the code (not run), so tests can hold each one to a
mistake in tests/mistakes/ that earns it."""

import ast
import dataclasses
import re

from autograder import submission
from autograder.course import source_path
from tests.notebooks import read


@dataclasses.dataclass(frozen=True)
class Hint:
    cell: str  # grade_id of the test cell
    line: int  # line in the test cell
    kind: str  # "mistake" (a mistakes= pair), the function given hint= ("expect_true"), "fail", or "written"
    text: str  # the hint's words; an f-string's placeholders read "{}"

    def fragment(self):
        """The longest run of fixed words in the hint, the part a report must show, whitespace made single."""
        longest = max(self.text.split("{}"), key=len)
        return " ".join(longest.split())


def _text(node, names=None):
    """The words of a string expression: constants, f-strings (placeholders as "{}"), their sums, and names bound
    to such a string in the cell (``names``)."""
    if isinstance(node, ast.Name) and names:
        return names.get(node.id)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, names), _text(node.right, names)
        if left is not None and right is not None:
            return left + right
    return None


def _called(node):
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def hints_in(cell, source):
    """Every hint written in the test cell ``cell`` whose ``source`` is given."""
    found = []
    tree = ast.parse(source)
    names = {
        target.id: text
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and (text := _text(node.value)) is not None
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _called(node)
            for keyword in node.keywords:
                if keyword.arg == "hint":
                    found.append((node.lineno, name, _text(keyword.value, names)))
                elif keyword.arg == "mistakes" and isinstance(keyword.value, ast.List | ast.Tuple):
                    for pair in keyword.value.elts:
                        if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
                            found.append((node.lineno, "mistake", _text(pair.elts[1], names)))
            if name == "fail" and len(node.args) >= 2:
                found.append((node.lineno, "fail", _text(node.args[1], names)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            written = re.search(r"Hint: (.+)", node.value, re.DOTALL)
            if written:
                found.append((node.lineno, "written", written.group(1)))
    return [Hint(cell, line, kind, text) for line, kind, text in found if text and text.strip()]


def module_hints(module):
    """Every hint in the test cells of ``module``'s source notebook."""
    return [
        hint
        for cell in read(source_path(module)).cells
        if cell.cell_type == "code" and submission.grade_id(cell).startswith("test_")
        for hint in hints_in(submission.grade_id(cell), cell.source)
    ]
