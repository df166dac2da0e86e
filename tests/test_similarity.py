"""The similarity check (autograder/similarity.py) with planted pairs on module 01: a copy with renamed
variables and reordered functions is found; independently written correct answers of the same exercises are
not flagged; given code and short exercises never make two students look alike."""

import csv

import pytest

from autograder import class_report, similarity
from autograder.course import release_path, source_path
from tests import notebooks

MODULE = "01_perceptron"

# -- three correct answers written independently of each other and of the model answer ----------------

TRAIN = {
    "while_loop": """def train_perceptron(X, y, lr=1.0, epochs=100):
    n_features = X.shape[1]
    weights = np.zeros(n_features)
    bias = 0.0
    history = []
    epoch = 0
    while epoch < epochs:
        errors = 0
        for i in range(len(X)):
            prediction = step(X[i] @ weights + bias)
            update = lr * (y[i] - prediction)
            if update != 0:
                weights += update * X[i]
                bias += update
                errors += 1
        history.append(errors)
        epoch += 1
        if errors == 0:
            break
    return weights, bias, history
""",
    "early_return": """def train_perceptron(X, y, lr=1.0, epochs=100):
    w, w0, mistakes = np.zeros(X.shape[1]), 0.0, []
    for epoch in range(epochs):
        wrong = 0
        for xi, yi in zip(X, y):
            delta = yi - int(np.dot(w, xi) + w0 >= 0)
            if delta:
                w, w0 = w + lr * delta * xi, w0 + lr * delta
                wrong += 1
        mistakes.append(wrong)
        if not wrong:
            return w, w0, mistakes
    return w, w0, mistakes
""",
    "augmented": """def train_perceptron(X, y, lr=1.0, epochs=100):
    Xb = np.hstack([np.ones((len(X), 1)), np.asarray(X, dtype=float)])  # a column of ones for the bias
    theta = np.zeros(Xb.shape[1])
    counts = []
    for _ in range(epochs):
        n_wrong = 0
        for row, label in zip(Xb, y):
            guess = 1.0 if row.dot(theta) >= 0 else 0.0
            if guess != label:
                theta += lr * (label - guess) * row
                n_wrong += 1
        counts.append(n_wrong)
        if n_wrong == 0:
            break
    return theta[1:], theta[0], counts
""",
}

DERIVATIVES = {
    "while_loop": """def sigmoid_derivative(z):
    sig = 1.0 / (1.0 + np.exp(-z))
    return sig - sig**2


def tanh_derivative(z):
    return 1.0 / np.cosh(z) ** 2


def relu_derivative(z):
    return (z > 0).astype(float)


def leaky_relu_derivative(z, negative_slope=0.01):
    out = np.ones_like(z, dtype=float)
    out[z <= 0] = negative_slope
    return out
""",
    "early_return": """def sigmoid_derivative(z):
    return F.sigmoid(z) * F.sigmoid(-z)


def tanh_derivative(z):
    t = np.tanh(z)
    return 1 - t * t


def relu_derivative(z):
    return np.heaviside(z, 0.0)


def leaky_relu_derivative(z, negative_slope=0.01):
    return np.where(z <= 0, negative_slope, 1.0)
""",
    "augmented": """def sigmoid_derivative(z):
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2


def tanh_derivative(z):
    return 1 - np.square(F.tanh(z))


def relu_derivative(z):
    result = np.zeros_like(z, dtype=float)
    result[z > 0] = 1.0
    return result


def leaky_relu_derivative(z, negative_slope=0.01):
    slope = np.full(np.shape(z), float(negative_slope))
    slope[np.asarray(z) > 0] = 1.0
    return slope
""",
}

# -- the "while_loop" student's answers, copied: every name changed, the functions in another order ----

COPIED_TRAIN = """def train_perceptron(X, y, lr=1.0, epochs=100):
    m = X.shape[1]
    w = np.zeros(m)
    b = 0.0
    errs_per_epoch = []
    e = 0
    while e < epochs:
        n_err = 0
        for k in range(len(X)):
            out = step(X[k] @ w + b)
            change = lr * (y[k] - out)
            if change != 0:
                w += change * X[k]
                b += change
                n_err += 1
        errs_per_epoch.append(n_err)
        e += 1
        if n_err == 0:
            break
    return w, b, errs_per_epoch
"""

COPIED_DERIVATIVES = """def leaky_relu_derivative(z, negative_slope=0.01):
    res = np.ones_like(z, dtype=float)
    res[z <= 0] = negative_slope
    return res


def relu_derivative(z):
    return (z > 0).astype(float)


def tanh_derivative(z):
    return 1.0 / np.cosh(z) ** 2


def sigmoid_derivative(z):
    s = 1.0 / (1.0 + np.exp(-z))
    return s - s**2
"""


@pytest.fixture(scope="module")
def course_notebooks():
    return notebooks.read(source_path(MODULE)), notebooks.read(release_path(MODULE))


@pytest.fixture(scope="module")
def model():
    return notebooks.solutions(MODULE)


def _answers(model, train, derivatives, short=None):
    """A full set of module-01 answers: the model answers, with the two long exercises replaced."""
    answers = {gid: code for gid, code in model.items() if gid != "written_xor"}
    answers.update(train_perceptron=train, derivatives=derivatives, **(short or {}))
    return answers


def _pairs(result):
    return {(p.student_a, p.student_b): p for p in result.pairs}


def test_the_long_exercises_are_compared_and_the_short_ones_left_out(course_notebooks):
    source, release = course_notebooks
    given = similarity.given_hashes(release)
    compared, left_out = similarity.exercises_to_compare(source, given)
    assert set(compared) == {"train_perceptron", "derivatives"}
    assert {"step", "relu", "sigmoid", "perceptron_forward"} <= set(left_out)


def test_a_renamed_reordered_copy_is_found_and_independent_answers_are_not(course_notebooks, model):
    source, release = course_notebooks
    answers = {name: _answers(model, TRAIN[name], DERIVATIVES[name]) for name in TRAIN}
    answers["model"] = _answers(model, model["train_perceptron"], model["derivatives"])
    answers["copier"] = _answers(model, COPIED_TRAIN, COPIED_DERIVATIVES)
    result = similarity.compare_module(MODULE, answers, source, release)
    pairs = _pairs(result)
    assert list(pairs) == [("copier", "while_loop")], {k: round(p.score, 2) for k, p in pairs.items()}
    copy = pairs[("copier", "while_loop")]
    assert copy.score >= 0.9
    assert {m.grade_id for m in copy.exercises} == {"train_perceptron", "derivatives"}
    # every independent pair stays far below the threshold, not just under it
    everyone = similarity.compare_module(MODULE, answers, source, release, threshold=0.0)
    independent = [p.score for p in everyone.pairs if {p.student_a, p.student_b} != {"copier", "while_loop"}]
    assert max(independent) < similarity.THRESHOLD / 2


def test_given_code_never_counts(course_notebooks, model):
    source, release = course_notebooks
    untouched = similarity.answer_cells(release)
    # the release's stubs (signatures, docstrings) kept above two different answers
    stub = untouched["train_perceptron"].split("# YOUR CODE HERE")[0]
    body_a = TRAIN["augmented"].split("\n", 1)[1]
    body_b = TRAIN["early_return"].split("\n", 1)[1]
    answers = {
        "untouched_1": untouched,
        "untouched_2": dict(untouched),
        "stub_a": _answers(model, stub + body_a, DERIVATIVES["augmented"]),
        "stub_b": _answers(model, stub + body_b, DERIVATIVES["early_return"]),
    }
    everyone = similarity.compare_module(MODULE, answers, source, release, threshold=0.0)
    assert everyone.pairs and max(p.score for p in everyone.pairs) < similarity.THRESHOLD / 2
    given = similarity.given_hashes(release)
    assert all(similarity.fingerprint(code, given).coverage == 0 for code in untouched.values())


def test_identical_short_answers_do_not_make_a_pair(course_notebooks, model):
    source, release = course_notebooks
    same_short = {
        "step": "def step(z):\n    return (z >= 0) * 1.0\n",
        "relu": "def relu(z):\n    return z * (z > 0)\n",
    }
    answers = {
        name: _answers(model, TRAIN[name], DERIVATIVES[name], short=same_short)
        for name in ("augmented", "early_return")
    }
    assert not similarity.compare_module(MODULE, answers, source, release).pairs


def test_pairs_are_written_to_csv_and_shown_escaped(course_notebooks, model, tmp_path):
    source, release = course_notebooks
    injected = "# </pre><script>alert(1)</script>\n"
    answers = {
        "ann": _answers(model, TRAIN["while_loop"], DERIVATIVES["while_loop"]),
        "bob": _answers(model, COPIED_TRAIN + injected, COPIED_DERIVATIVES),
        "cem": _answers(model, TRAIN["augmented"], DERIVATIVES["augmented"]),
    }
    result = similarity.compare_module(MODULE, answers, source, release)
    similarity.write_csv(tmp_path / "similarity.csv", [result])
    with open(tmp_path / "similarity.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["module"], r["student_a"], r["student_b"]) for r in rows] == [(MODULE, "ann", "bob")]
    assert float(rows[0]["score"]) == pytest.approx(result.pairs[0].score, abs=5e-4)
    assert set(rows[0]["exercises"].split(" | ")) == {"train_perceptron", "derivatives"}
    page = class_report.similarity_section([result])
    assert "<script>" not in page and "&lt;/pre&gt;&lt;script&gt;" in page
    assert "A person must judge" in page
    assert "<mark>" in page
