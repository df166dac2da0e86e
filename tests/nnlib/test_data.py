"""nnlib.data: toy sets, Iris, splits and the confusion matrix."""

import subprocess
import sys
from importlib import resources

import numpy as np
import pytest

import nnlib
from nnlib.data import (
    blobs,
    confusion_matrix,
    iris,
    pass_fail,
    spirals,
    train_test_split,
    train_val_test_split,
    two_moons,
    xor,
)


def test_importing_data_loads_no_heavy_libraries():
    code = "import sys, nnlib.data; print(sorted({'torch', 'matplotlib', 'ipywidgets'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"import nnlib.data imported {out.strip()}"


# -- xor -----------------------------------------------------------------------


def test_xor_is_the_truth_table():
    X, y = xor()
    assert X.shape == (4, 2) and X.dtype == np.float64, f"X: {X.shape} {X.dtype}, expected (4, 2) float64"
    assert y.dtype.kind == "i", f"y dtype {y.dtype}, expected an integer dtype"
    expected = {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 0}
    got = {(int(a), int(b)): int(label) for (a, b), label in zip(X, y, strict=True)}
    assert got == expected, f"xor(): {got}, expected {expected}"


# -- iris ----------------------------------------------------------------------


def test_iris_ships_as_package_data_with_150_rows():
    text = resources.files("nnlib.data").joinpath("iris.csv").read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    assert len(lines) == 151, f"iris.csv has {len(lines)} lines, expected a header and 150 rows"
    assert lines[0].split(",")[-1] == "species", f"header {lines[0]!r} should end with 'species'"


def test_iris_shapes_names_and_classes():
    data = iris()
    assert data.X.shape == (150, 4) and data.X.dtype == np.float64, f"X: {data.X.shape} {data.X.dtype}"
    assert data.y.shape == (150,), f"y shape {data.y.shape}"
    counts = np.bincount(data.y)
    assert counts.tolist() == [50, 50, 50], f"class counts {counts.tolist()}, expected [50, 50, 50]"
    assert data.target_names == ("setosa", "versicolor", "virginica"), f"target_names {data.target_names}"
    assert [n.split(" (")[0] for n in data.feature_names] == [
        "sepal length",
        "sepal width",
        "petal length",
        "petal width",
    ], f"feature_names {data.feature_names}"
    X, y, _, _ = data  # unpacks like a tuple
    assert X is data.X and y is data.y


# Published class means of Fisher's (1936) Iris data, in cm (also R's `iris` summary):
# columns sepal length, sepal width, petal length, petal width.
PUBLISHED_MEANS = {
    "setosa": [5.006, 3.428, 1.462, 0.246],
    "versicolor": [5.936, 2.770, 4.260, 1.326],
    "virginica": [6.588, 2.974, 5.552, 2.026],
}
PUBLISHED_STDS = {  # sample standard deviations
    "setosa": [0.352, 0.379, 0.174, 0.105],
    "versicolor": [0.516, 0.314, 0.470, 0.198],
    "virginica": [0.636, 0.322, 0.552, 0.275],
}


@pytest.mark.parametrize("species", sorted(PUBLISHED_MEANS))
def test_iris_matches_published_class_statistics(species):
    data = iris()
    rows = data.X[data.y == data.target_names.index(species)]
    means = np.round(rows.mean(axis=0), 3)
    stds = np.round(rows.std(axis=0, ddof=1), 3)
    assert np.allclose(means, PUBLISHED_MEANS[species], atol=5e-4), (
        f"{species} means {means.tolist()}, published {PUBLISHED_MEANS[species]}"
    )
    assert np.allclose(stds, PUBLISHED_STDS[species], atol=5e-4), (
        f"{species} standard deviations {stds.tolist()}, published {PUBLISHED_STDS[species]}"
    )


def test_iris_ranges_and_first_flower():
    X = iris().X
    assert X.min(axis=0).tolist() == [4.3, 2.0, 1.0, 0.1], f"minima {X.min(axis=0).tolist()}"
    assert X.max(axis=0).tolist() == [7.9, 4.4, 6.9, 2.5], f"maxima {X.max(axis=0).tolist()}"
    assert X[0].tolist() == [5.1, 3.5, 1.4, 0.2], (
        f"first flower {X[0].tolist()}, expected [5.1, 3.5, 1.4, 0.2]"
    )


# -- pass_fail -----------------------------------------------------------------


def test_pass_fail_ranges_and_balance():
    X, y = pass_fail(n=2000, seed=0)
    assert X.shape == (2000, 2) and y.shape == (2000,), f"shapes {X.shape} {y.shape}"
    lectures, hours = X[:, 0], X[:, 1]
    assert np.all(lectures == np.round(lectures)) and lectures.min() == 0 and lectures.max() == 12, (
        f"lectures should be whole numbers 0..12, got range {lectures.min()}..{lectures.max()}"
    )
    assert hours.min() >= 0 and hours.max() <= 15, f"hours range {hours.min()}..{hours.max()}, expected 0..15"
    assert set(np.unique(y).tolist()) == {0, 1}, f"labels {np.unique(y)}"
    assert 0.4 <= y.mean() <= 0.6, f"pass rate {y.mean():.3f}, expected roughly balanced"


def test_pass_fail_follows_the_documented_logistic_rule():
    a, b, c = nnlib.data.toy.PASS_FAIL_RULE
    assert (a, b, c) == (1.0, 0.8, -12.0), f"rule {(a, b, c)} differs from the documented one"
    X, y = pass_fail(n=40000, seed=1)
    z = a * X[:, 0] + b * X[:, 1] + c
    for low, high in [(-8, -3), (-3, -1), (-1, 1), (1, 3), (3, 8)]:
        mask = (z >= low) & (z < high)
        expected = np.mean(1 / (1 + np.exp(-z[mask])))
        observed = y[mask].mean()
        assert abs(observed - expected) < 0.03, (
            f"pass rate for logit in [{low}, {high}): {observed:.3f}, rule gives {expected:.3f}"
        )


# -- seeds ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "make", [pass_fail, two_moons, spirals, blobs], ids=["pass_fail", "two_moons", "spirals", "blobs"]
)
def test_generators_are_reproducible(make):
    X1, y1 = make(seed=3)
    X2, y2 = make(seed=3)
    X3, _ = make(seed=4)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2), "same seed gave different data"
    assert not np.array_equal(X1, X3), "different seeds gave the same data"
    nnlib.seeding.manual_seed(11)
    X4, _ = make()
    nnlib.seeding.manual_seed(11)
    X5, _ = make()
    assert np.array_equal(X4, X5), "seed=None should draw from the default generator that manual_seed resets"
    X6, _ = make(seed=np.random.default_rng(3))
    assert np.array_equal(X1, X6), "a Generator seeded with 3 should give the same data as seed=3"


# -- two moons, spirals, blobs -------------------------------------------------


def test_two_moons_lie_on_their_half_circles_without_noise():
    X, y = two_moons(n=201, noise=0.0, seed=0)
    assert X.shape == (201, 2) and np.bincount(y).tolist() == [101, 100], f"{X.shape}, {np.bincount(y)}"
    upper, lower = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0) and upper[:, 1].min() >= 0, (
        "class 0 should lie on the unit circle's upper half"
    )
    assert np.allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0) and lower[:, 1].max() <= 0.5, (
        "class 1 should lie on the lower half of the circle around (1, 0.5)"
    )


def test_two_moons_noise_has_the_requested_spread():
    X0, _ = two_moons(n=4000, noise=0.0, seed=5)
    X1, _ = two_moons(n=4000, noise=0.1, seed=5)
    # Same angles (same seed, noise drawn last), so the difference is the noise itself.
    spread = np.std(X1 - X0)
    assert abs(spread - 0.1) < 0.005, f"noise standard deviation {spread:.4f}, expected 0.1"


def test_spirals_follow_the_arms_without_noise():
    X, y = spirals(n=300, classes=3, noise=0.0, seed=0)
    assert np.bincount(y).tolist() == [100, 100, 100], f"class counts {np.bincount(y)}"
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() <= 1 + 1e-12, f"radius up to {r.max()}, expected <= 1"
    angle = np.arctan2(X[:, 0], X[:, 1])  # x = r sin t, y = r cos t
    expected = 4.0 * y + 4.0 * r
    wrapped = np.angle(np.exp(1j * (angle - expected)))
    keep = r > 1e-9  # the centre has no angle
    assert np.allclose(wrapped[keep], 0, atol=1e-9), f"angles off by up to {np.abs(wrapped[keep]).max()}"


def test_blobs_sit_around_their_centres():
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    X, y = blobs(n=402, centers=centres, std=0.5, seed=0)
    assert np.bincount(y).tolist() == [101, 101, 100, 100], f"class counts {np.bincount(y)}"
    for k, centre in enumerate(centres):
        mean = X[y == k].mean(axis=0)
        assert np.allclose(mean, centre, atol=0.2), f"class {k} mean {mean}, expected near {centre}"
        std = (X[y == k] - centre).std()
        assert abs(std - 0.5) < 0.1, f"class {k} spread {std:.3f}, expected 0.5"
    X3, y3 = blobs(n=30, centers=3, dim=5, seed=0)
    assert X3.shape == (30, 5) and set(y3.tolist()) == {0, 1, 2}, f"{X3.shape}, {set(y3.tolist())}"


def test_generators_reject_bad_sizes():
    with pytest.raises(ValueError, match="two_moons: n must be a positive int"):
        two_moons(n=0)
    with pytest.raises(ValueError, match="spirals: classes"):
        spirals(classes=0)


# -- splits --------------------------------------------------------------------


def test_train_val_test_split_sizes_cover_everything_once():
    X = np.arange(100).reshape(100, 1) * 10
    y = np.arange(100)
    (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = train_val_test_split(X, y, val=0.2, test=0.1, seed=0)
    assert (len(y_tr), len(y_va), len(y_te)) == (70, 20, 10), f"sizes {(len(y_tr), len(y_va), len(y_te))}"
    together = np.sort(np.concatenate([y_tr, y_va, y_te]))
    assert np.array_equal(together, y), "the parts should hold every example exactly once"
    for part_X, part_y in [(X_tr, y_tr), (X_va, y_va), (X_te, y_te)]:
        assert np.array_equal(part_X[:, 0], part_y * 10), "X and y rows must stay paired"
    assert not np.array_equal(y_tr, np.sort(y_tr)), "training part should be shuffled"


def test_train_test_split_is_reproducible_and_seeded():
    X, y = np.arange(50.0), np.arange(50)
    a = train_test_split(X, y, test=0.3, seed=7)
    b = train_test_split(X, y, test=0.3, seed=7)
    c = train_test_split(X, y, test=0.3, seed=8)
    assert len(a[1][1]) == 15 and len(a[0][1]) == 35, f"sizes {len(a[0][1])}, {len(a[1][1])}"
    assert np.array_equal(a[1][1], b[1][1]), "same seed should give the same split"
    assert not np.array_equal(a[1][1], c[1][1]), "different seeds should give different splits"


def test_stratified_split_keeps_class_proportions():
    data = iris()
    (_, y_tr), (_, y_va), (_, y_te) = train_val_test_split(
        data.X, data.y, val=0.2, test=0.2, seed=0, stratify=True
    )
    for name, part, size in [("train", y_tr, 30), ("val", y_va, 10), ("test", y_te, 10)]:
        assert np.bincount(part, minlength=3).tolist() == [size] * 3, (
            f"{name} class counts {np.bincount(part, minlength=3).tolist()}, expected {[size] * 3}"
        )
    assert len(set(np.diff(y_va).tolist())) > 1, "stratified parts should be shuffled, not in class blocks"


def test_split_of_lists_and_tensors():
    torch = pytest.importorskip("torch")
    texts = [f"text {i}" for i in range(10)]
    labels = torch.arange(10)
    (t_tr, l_tr), (t_te, l_te) = train_test_split(texts, labels, test=0.2, seed=0)
    assert isinstance(t_tr, list) and isinstance(l_tr, torch.Tensor), f"{type(t_tr)}, {type(l_tr)}"
    assert [int(t.split()[1]) for t in t_te] == l_te.tolist(), "texts and tensor labels must stay paired"
    assert len(t_tr) == 8 and len(t_te) == 2, f"sizes {len(t_tr)}, {len(t_te)}"


def test_split_errors_name_the_problem():
    with pytest.raises(ValueError, match="same length, got 3 and 2"):
        train_test_split(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="test must be a fraction"):
        train_test_split(np.zeros(3), np.zeros(3), test=1.5)
    with pytest.raises(ValueError, match="leave nothing for training"):
        train_val_test_split(np.zeros(10), np.zeros(10), val=0.5, test=0.5)


# -- confusion matrix ----------------------------------------------------------


def test_confusion_matrix_small_example():
    matrix = confusion_matrix([0, 1, 2, 2, 1, 0], [0, 2, 2, 1, 1, 0])
    expected = np.array([[2, 0, 0], [0, 1, 1], [0, 1, 1]])
    assert np.array_equal(matrix, expected), f"got\n{matrix}\nexpected\n{expected}"
    fractions = confusion_matrix([0, 1, 2, 2, 1, 0], [0, 2, 2, 1, 1, 0], normalize=True)
    assert np.allclose(fractions, expected / expected.sum(axis=1, keepdims=True)), f"got\n{fractions}"
    padded = confusion_matrix([0, 1], [1, 1], num_classes=4)
    assert padded.shape == (4, 4) and padded[0, 1] == 1 and padded[1, 1] == 1, f"got\n{padded}"
    assert np.array_equal(confusion_matrix([0, 3], [0, 0], num_classes=4, normalize=True)[1], np.zeros(4)), (
        "classes that never occur should have a zero row when normalised"
    )


def test_confusion_matrix_matches_torch_bincount():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 5, 500), rng.integers(0, 5, 500)
    expected = torch.bincount(torch.tensor(y_true * 5 + y_pred), minlength=25).reshape(5, 5).numpy()
    got = confusion_matrix(torch.tensor(y_true), torch.tensor(y_pred))
    assert np.array_equal(got, expected), f"got\n{got}\nexpected\n{expected}"


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match="same length"):
        confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match="does not fit num_classes=2"):
        confusion_matrix([0, 2], [0, 1], num_classes=2)
    with pytest.raises(ValueError, match="class indices"):
        confusion_matrix([0.5, 1], [0, 1])
