"""nnlib.plots, drawn with the Agg backend: figure contents, not pixels."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from nnlib import plots  # noqa: E402
from nnlib.plots import PALETTE  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _scatters(ax):
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def _contours(ax):
    return [c for c in ax.collections if isinstance(c, ContourSet)]


def test_importing_plots_does_not_import_matplotlib():
    code = "import sys, nnlib.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False", f"import nnlib.plots imported matplotlib: {out!r}"


def test_palette_is_okabe_ito():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    assert set(PALETTE) == okabe_ito, f"palette {PALETTE}"


# -- decision_boundary ---------------------------------------------------------


def _grid_data():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(60, 2))
    return X, (X[:, 0] > 0.3).astype(int)


def _boundary_xs(ax):
    lines = _contours(ax)[-1]  # the unfilled contour: the boundary
    assert not lines.filled, "the last contour set should be the boundary lines"
    segments = [seg for level in lines.allsegs for seg in level]
    return np.concatenate(segments)[:, 0]


@pytest.mark.parametrize(
    "predict",
    [
        lambda P: (P[:, 0] > 0.3).astype(int),  # labels
        lambda P: 1 / (1 + np.exp(-5 * (P[:, 0] - 0.3))),  # probability of class 1
        lambda P: 5 * (P[:, 0] - 0.3),  # logit of class 1
        lambda P: np.stack([0.3 - P[:, 0], P[:, 0] - 0.3], axis=1),  # one score per class
    ],
    ids=["labels", "proba", "logits", "scores"],
)
def test_decision_boundary_finds_the_true_line(predict):
    X, y = _grid_data()
    ax = plots.decision_boundary(predict, X, y, resolution=101)
    xs = _boundary_xs(ax)
    step = (X[:, 0].max() - X[:, 0].min() + 1.0) / 100
    assert np.all(np.abs(xs - 0.3) <= step), f"boundary x in [{xs.min():.3f}, {xs.max():.3f}], expected 0.3"
    filled = [c for c in _contours(ax) if c.filled]
    assert len(filled) == 1, f"{len(filled)} filled contour sets, expected 1"
    scatters = _scatters(ax)
    assert len(scatters) == 2, f"{len(scatters)} scatter groups, expected one per class (2)"
    assert sum(len(s.get_offsets()) for s in scatters) == 60, "all 60 points should be drawn"
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "Decision boundary"
    lo, hi = ax.get_xlim()
    assert lo <= X[:, 0].min() - 0.5 + 1e-9 and hi >= X[:, 0].max() + 0.5 - 1e-9, f"xlim {(lo, hi)}"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]


def test_decision_boundary_three_classes_and_names():
    X = np.array([[-1.0, -1.0], [1.0, -1.0], [0.0, 1.0]])
    y = np.array([0, 1, 2])

    def nearest(P):
        return np.argmin(((P[:, None, :] - X[None]) ** 2).sum(-1), axis=1)

    fig, ax = plt.subplots()
    out = plots.decision_boundary(nearest, X, y, ax=ax, class_names=["a", "b", "c"], resolution=50)
    assert out is ax, "decision_boundary should draw on the given Axes and return it"
    colors = [tuple(np.round(s.get_facecolor()[0][:3], 3)) for s in _scatters(ax)]
    expected = [tuple(np.round(matplotlib.colors.to_rgb(PALETTE[k]), 3)) for k in range(3)]
    assert colors == expected, f"class colours {colors}, expected the palette {expected}"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]


def test_decision_boundary_passes_tensors_of_the_data_dtype():
    torch = pytest.importorskip("torch")
    X = torch.tensor(_grid_data()[0], dtype=torch.float32)
    seen = {}

    def predict(P):
        seen["type"], seen["dtype"] = type(P), P.dtype
        return (P[:, 0] > 0).long()

    plots.decision_boundary(predict, X, resolution=20)
    assert seen == {"type": torch.Tensor, "dtype": torch.float32}, f"predict received {seen}"


def test_decision_boundary_errors():
    with pytest.raises(ValueError, match=r"expected X of shape \(N, 2\), got \(5, 3\)"):
        plots.decision_boundary(lambda P: P[:, 0], np.zeros((5, 3)))
    with pytest.raises(ValueError, match="returned 3 predictions for 400 points"):
        plots.decision_boundary(lambda P: np.zeros(3), np.eye(2), resolution=20)


# -- plot_history --------------------------------------------------------------


def test_plot_history_draws_train_and_validation_curves():
    history = {
        "loss": [1.0, 0.6, 0.4],
        "val_loss": [1.1, 0.8, 0.7],
        "accuracy": [0.5, 0.7, 0.8],
        "lr": [1, 1, 1],
    }
    fig = plots.plot_history(history)
    assert len(fig.axes) == 2, f"{len(fig.axes)} panels, expected 2 (loss, accuracy)"
    loss_ax, acc_ax = fig.axes
    assert [line.get_label() for line in loss_ax.lines] == ["loss", "val_loss"]
    assert np.array_equal(loss_ax.lines[1].get_ydata(), history["val_loss"]), "val_loss values"
    assert np.array_equal(loss_ax.lines[0].get_xdata(), [1, 2, 3]), "epochs start at 1"
    assert len(acc_ax.lines) == 1 and acc_ax.get_ylabel() == "accuracy" and acc_ax.get_xlabel() == "epoch"
    assert loss_ax.get_title() == "Loss" and acc_ax.get_title() == "Accuracy"


def test_plot_history_on_given_axes_and_missing_metrics():
    fig, ax = plt.subplots()
    out = plots.plot_history({"train_loss": [3, 2], "test_loss": [4, 3]}, ax=ax)
    assert out is fig and [line.get_label() for line in ax.lines] == ["train_loss", "test_loss"]
    with pytest.raises(ValueError, match=r"none of the metrics \('f1',\).*keys \['loss'\]"):
        plots.plot_history({"loss": [1]}, metrics="f1")
    with pytest.raises(ValueError, match="got 1 Axes for 2 metrics"):
        plots.plot_history({"loss": [1], "accuracy": [1]}, ax=ax)


# -- loss_surface --------------------------------------------------------------


def _bowl(P):
    return P[:, 0] ** 2 + 4 * P[:, 1] ** 2


def test_loss_surface_draws_contours_and_paths():
    paths = {
        "sgd": np.array([[2.0, 1.0], [1.0, 0.2], [0.5, 0.0]]),
        "adam": np.array([[-2.0, 1.0], [0.0, 0.0]]),
    }
    ax = plots.loss_surface(_bowl, (-3, 3), (-2, 2), trajectories=paths, levels=12)
    contours = _contours(ax)
    assert len(contours) == 1 and len(contours[0].levels) >= 10, "one contour set with about 12 levels"
    assert contours[0].zmax == 25.0, f"largest value {contours[0].zmax}, expected f(3, 2) = 25"
    assert [line.get_label() for line in ax.lines] == ["sgd", "adam"], "one line per trajectory"
    for line, path in zip(ax.lines, paths.values(), strict=True):
        assert np.array_equal(line.get_xydata(), path), f"line data {line.get_xydata()}, expected {path}"
    assert ax.get_xlim() == (-3, 3) and ax.get_ylim() == (-2, 2)
    assert ax.get_xlabel() == "$w_1$" and ax.get_title() == "Loss surface"


def test_loss_surface_log_levels_and_pointwise_functions():
    def rosenbrock(w):  # accepts one point only
        x, y = float(w[0]), float(w[1])
        return (1 - x) ** 2 + 100 * (y - x * x) ** 2

    ax = plots.loss_surface(rosenbrock, (-2, 2), (-1, 3), levels=15, log=True, resolution=40)
    levels = _contours(ax)[0].levels
    ratios = levels[1:] / levels[:-1]
    assert np.allclose(ratios, ratios[0]), f"log levels should be evenly spaced in ratio, got {ratios}"
    assert not ax.lines, "no trajectories, no lines"


def test_loss_surface_rejects_bad_paths():
    with pytest.raises(ValueError, match=r"trajectory 'x' must have shape \(T, 2\), got \(3,\)"):
        plots.loss_surface(_bowl, (-1, 1), (-1, 1), trajectories={"x": np.zeros(3)}, resolution=10)


# -- hidden_activations --------------------------------------------------------


def test_hidden_activations_two_units_drawn_as_is():
    H = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    ax = plots.hidden_activations(H, [0, 1, 1])
    groups = [s.get_offsets().data for s in _scatters(ax)]
    assert np.array_equal(groups[0], H[:1]) and np.array_equal(groups[1], H[1:]), f"groups {groups}"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$h_1$", "$h_2$")


def test_hidden_activations_wider_layers_use_pca():
    rng = np.random.default_rng(0)
    H = rng.normal(size=(80, 6)) * [5, 2, 0.5, 0.2, 0.1, 0.1]
    y = np.arange(80) % 2
    ax = plots.hidden_activations(H, y)
    drawn = np.zeros((80, 2))
    for k, group in enumerate(_scatters(ax)):
        drawn[y == k] = group.get_offsets().data
    # Reference: eigenvectors of the covariance matrix (signs are arbitrary).
    centred = H - H.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(centred, rowvar=False))
    expected = centred @ vectors[:, ::-1][:, :2]
    for j in range(2):
        same = np.allclose(drawn[:, j], expected[:, j]) or np.allclose(drawn[:, j], -expected[:, j])
        assert same, f"component {j + 1} differs from the covariance eigenvector projection"
    share = values[::-1][0] / values.sum()
    assert ax.get_xlabel() == f"PC 1 ({100 * share:.0f}% of variance)", f"xlabel {ax.get_xlabel()!r}"
    assert "PCA of 6 units" in ax.get_title()


def test_hidden_activations_single_unit_and_shape_error():
    ax = plots.hidden_activations(np.array([[0.5], [-0.5]]), [0, 1])
    assert ax.get_ylabel() == "class" and len(_scatters(ax)) == 2
    with pytest.raises(ValueError, match=r"N = len\(y\) = 2, got \(3, 2\)"):
        plots.hidden_activations(np.zeros((3, 2)), [0, 1])


# -- confusion_matrix ----------------------------------------------------------


def test_confusion_matrix_plot_shows_every_count():
    y_true, y_pred = [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2]
    ax = plots.confusion_matrix(y_true, y_pred, class_names=["neg", "neu", "pos"])
    image = ax.get_images()[0].get_array()
    expected = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert np.array_equal(image, expected), f"image data\n{image}\nexpected\n{expected}"
    texts = [t.get_text() for t in ax.texts]
    assert texts == [str(v) for v in expected.ravel()], f"cell texts {texts}"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["neg", "neu", "pos"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")


def test_confusion_matrix_plot_normalized():
    ax = plots.confusion_matrix([0, 0, 0, 1], [0, 0, 1, 1], normalize=True)
    assert [t.get_text() for t in ax.texts] == ["0.67", "0.33", "0.00", "1.00"]
    assert "fractions" in ax.get_title()


# -- activation_functions ------------------------------------------------------


def test_activation_functions_match_torch():
    torch = pytest.importorskip("torch")
    ax = plots.activation_functions()
    names = [line.get_label() for line in ax.lines]
    assert len(ax.lines) == 5, f"{len(ax.lines)} lines, expected 5: {names}"
    z = torch.tensor(ax.lines[0].get_xdata(), dtype=torch.float64)
    reference = [
        (z >= 0).double(),
        torch.sigmoid(z),
        torch.tanh(z),
        torch.relu(z),
        torch.nn.functional.leaky_relu(z, 0.1),
    ]
    for line, expected in zip(ax.lines, reference, strict=True):
        got = np.asarray(line.get_ydata())
        assert np.allclose(got, expected.numpy(), rtol=1e-12, atol=1e-15), (
            f"{line.get_label()} differs from torch"
        )
    assert names[0] == "step" and names[3] == "ReLU" and "leaky" in names[4]
    styles = {(line.get_linestyle(), line.get_marker()) for line in ax.lines}
    assert len(styles) == 5, f"each curve needs its own line style or marker, got {styles}"
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "Activation functions"
