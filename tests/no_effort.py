"""No-effort submissions: answers that do no work, which must earn (almost) nothing.

For a module, :func:`submissions` builds one notebook per *variant*, in which every graded function and class of
every answer cell is replaced by an answer that does no work:

- ``return0``: every function (and every method of a class) returns ``0``;
- ``first_arg``: every function returns its first argument unchanged;
- ``zeros``, ``ones``, ``random``: every function returns zeros, ones or seeded random values of exactly the
  shape and dtype of the right answer (the model answer is kept under a private name, called on copies of the
  arguments so that it changes nothing the caller can see, and only the kind of its result is kept);
- ``untouched``: the release as the student receives it.

Classes keep the model's ``__init__`` (so that their attributes exist, with the variant's values in place of
the model's), and every other method is replaced as functions are.

The grading of these notebooks is in tests/test_no_effort.py.
"""

import ast
import textwrap

from tests import notebooks

VARIANTS = ("return0", "first_arg", "zeros", "ones", "random", "untouched")
PREFIX = "_model_"

# Defined in each transformed answer cell (answer cells must stand alone: a student may run any of them first).
_HELPERS = textwrap.dedent(
    '''
    def _no_effort_fill(value, how, _depth=0):
        """A value of the same kind, shape and dtype as ``value``, filled with zeros, ones or random numbers."""
        import copy as _copy
        import types as _types

        import numpy as _np

        rng = _np.random.default_rng(12345 + _depth)
        if _depth > 6 or value is None:
            return value
        if isinstance(value, (bool, _np.bool_)):
            return {"zeros": False, "ones": True}.get(how, bool(rng.random() < 0.5))
        if isinstance(value, (int, _np.integer)):
            return type(value)({"zeros": 0, "ones": 1}.get(how, int(rng.integers(0, 3))))
        if isinstance(value, (float, _np.floating)):
            return type(value)({"zeros": 0.0, "ones": 1.0}.get(how, float(rng.random())))
        if isinstance(value, str):
            return ""
        if isinstance(value, _np.ndarray):
            if how == "zeros":
                return _np.zeros_like(value)
            if how == "ones":
                return _np.ones_like(value)
            if value.dtype.kind == "b":
                return rng.random(value.shape) < 0.5
            if value.dtype.kind in "iu":
                return rng.integers(0, 3, size=value.shape).astype(value.dtype)
            if value.dtype.kind in "fc":
                return rng.random(value.shape).astype(value.dtype)
            return value.copy()
        kind = type(value).__module__.split(".")[0]
        if kind == "torch":
            import torch

            if isinstance(value, torch.Tensor):
                with torch.no_grad():
                    if how == "zeros":
                        out = torch.zeros_like(value)
                    elif how == "ones":
                        out = torch.ones_like(value)
                    elif value.is_floating_point():
                        gen = torch.Generator().manual_seed(12345 + _depth)
                        out = torch.rand(value.shape, generator=gen, dtype=value.dtype).to(value.device)
                    else:
                        out = torch.zeros_like(value)
                return out.requires_grad_(value.requires_grad) if value.is_floating_point() else out
            if isinstance(value, torch.utils.data.DataLoader):
                # A DataLoader refuses new attributes once made: build one of the same kind over filled data.
                data = value.dataset
                if isinstance(data, torch.utils.data.TensorDataset):
                    data = torch.utils.data.TensorDataset(*_no_effort_fill(tuple(data.tensors), how, _depth + 1))
                return torch.utils.data.DataLoader(data, batch_size=value.batch_size, drop_last=value.drop_last)
            if isinstance(value, torch.nn.Module):
                model = _copy.deepcopy(value)
                with torch.no_grad():
                    for parameter in model.parameters():
                        parameter.copy_(_no_effort_fill(parameter.detach(), how, _depth + 1))
                return model
            return value
        if isinstance(value, tuple):
            items = [_no_effort_fill(v, how, _depth + 1) for v in value]
            return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
        if isinstance(value, list):
            return [_no_effort_fill(v, how, _depth + 1) for v in value]
        if isinstance(value, dict):
            return {k: _no_effort_fill(v, how, _depth + 1) for k, v in value.items()}
        if isinstance(value, _types.GeneratorType):
            return iter([_no_effort_fill(v, how, _depth + 1) for v in value])
        if callable(value) and not hasattr(value, "__dict__"):
            return value
        try:
            out = _copy.copy(value)
            for name, attribute in vars(value).items():
                if not name.startswith("__"):
                    setattr(out, name, _no_effort_fill(attribute, how, _depth + 1))
            return out
        except Exception:  # noqa: BLE001 - an object we cannot copy is passed back as it is
            return value


    def _no_effort_copy(value):
        """A deep copy of an argument when one can be made, so the model answer changes nothing outside."""
        import copy as _copy

        try:
            return _copy.deepcopy(value)
        except Exception:  # noqa: BLE001 - e.g. a callback from the grader: pass it on
            return value


    def _no_effort_state(obj, how):
        """Replace the state the model's __init__ gave ``obj`` by the variant's values (zeros for return0)."""
        fill = how if how in ("zeros", "ones", "random") else "zeros"
        parameters = getattr(obj, "parameters", None)
        if any(c.__module__.startswith("torch.nn") for c in type(obj).__mro__) and callable(parameters):
            import torch

            with torch.no_grad():
                for parameter in parameters():
                    parameter.copy_(_no_effort_fill(parameter.detach(), fill))
            return
        for name, value in list(vars(obj).items()):
            if not name.startswith("_"):
                object.__setattr__(obj, name, _no_effort_fill(value, fill))


    def _no_effort_call(model, how, args, kwargs):
        """Call ``model`` on copies of the arguments and return the variant's value of its result."""
        if how == "return0":
            return 0
        if how == "first_arg":
            return args[0] if args else next(iter(kwargs.values()), None)
        result = model(*[_no_effort_copy(a) for a in args], **{k: _no_effort_copy(v) for k, v in kwargs.items()})
        return _no_effort_fill(result, how)
    '''
)


class _Rename(ast.NodeTransformer):
    """Rename loads of the module's graded names to their private model versions."""

    def __init__(self, names):
        self.names = names

    def visit_Name(self, node):
        if node.id in self.names:
            return ast.copy_location(ast.Name(id=PREFIX + node.id, ctx=node.ctx), node)
        return node


def graded_names(module):
    """The functions and classes defined at the top level of the module's answer cells."""
    names = set()
    for code in notebooks.solutions(module).values():
        for node in _parse(code):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
    return names


def _parse(code):
    try:
        return ast.parse(code).body
    except SyntaxError:  # a written answer (markdown)
        return []


def _function_stub(name, how):
    return (
        f"def {name}(*args, **kwargs):\n    return _no_effort_call({PREFIX}{name}, {how!r}, args, kwargs)\n"
    )


# Methods a no-effort class keeps from the model: replacing them would only break printing or the object model.
_KEPT_METHODS = {
    "__init__",
    "__new__",
    "__repr__",
    "__str__",
    "__format__",
    "__hash__",
    "__bool__",
    "__len__",
    "__iter__",
    "__getattr__",
    "__getattribute__",
    "__setattr__",
    "__delattr__",
    "__del__",
    "__enter__",
    "__exit__",
    "__init_subclass__",
    "__eq__",
    "__ne__",
}


def _class_stub(name, methods, how):
    lines = [
        f"class {name}({PREFIX}{name}):",
        "    def __init__(self, *args, **kwargs):",
        "        super().__init__(*args, **kwargs)",
        f"        _no_effort_state(self, {how!r})",
    ]
    for method in methods:
        lines += [
            f"    def {method}(self, *args, **kwargs):",
            f"        model = lambda *a, **k: {PREFIX}{name}.{method}(_no_effort_copy(self), *a, **k)",
            f"        return _no_effort_call(model, {how!r}, args, kwargs)",
        ]
    return "\n".join(lines) + "\n"


def _is_property(node):
    """Properties, static and class methods are kept from the model (they compute from the replaced state)."""
    kept = {"property", "staticmethod", "classmethod"}
    return any(isinstance(d, ast.Name) and d.id in kept for d in node.decorator_list)


def no_effort_cell(code, how, names):
    """The answer cell ``code`` with its functions and classes replaced by the ``how`` variant."""
    body = _parse(code)
    if not body:
        return code
    out = [_HELPERS]
    stubs = []
    for node in body:
        node = _Rename(names).visit(node)
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            original = node.name
            node.name = PREFIX + original
            if isinstance(node, ast.FunctionDef):
                stubs.append(_function_stub(original, how))
            else:
                methods = [
                    item.name
                    for item in node.body
                    if isinstance(item, ast.FunctionDef)
                    and item.name not in _KEPT_METHODS
                    and not _is_property(item)
                ]
                stubs.append(_class_stub(original, methods, how))
        out.append(ast.unparse(node))
    return "\n\n".join(out + stubs) + "\n"


def submission(module, how):
    """The no-effort notebook of ``module`` for variant ``how`` (one of VARIANTS)."""
    if how == "untouched":
        return notebooks.student_notebook(module, base="release")
    names = graded_names(module)
    answers = {gid: no_effort_cell(code, how, names) for gid, code in notebooks.solutions(module).items()}
    return notebooks.student_notebook(module, answers)


def submissions(module):
    """variant -> no-effort notebook of ``module``, for every variant."""
    return {how: submission(module, how) for how in VARIANTS}
