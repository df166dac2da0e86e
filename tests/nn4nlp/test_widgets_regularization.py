"""Module 06's figures and explorer: early stopping on stored curves, the run grid, the sliders."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nn4nlp.plots.regularization import (  # noqa: E402
    early_stopping_epochs,
    plot_capacity,
    plot_early_stopping,
    plot_thinned_networks,
    probability_grid,
)
from nn4nlp.widgets.regularization import (  # noqa: E402
    boundary_at,
    draw_run,
    regularization_explorer,
    regularization_mlp,
    regularization_runs,
)
from nnlib import data, nn  # noqa: E402
from nnlib.training import evaluate  # noqa: E402

WORKED = [0.90, 0.70, 0.60, 0.65, 0.62, 0.61, 0.50, 0.45]


def _close(figure):
    import matplotlib.pyplot as plt

    plt.close(figure)


@pytest.fixture(scope="module")
def runs():
    X, y = data.two_moons(60, noise=0.3, seed=1)
    train, val = data.train_test_split(X, y, test=0.25, seed=0)
    return regularization_runs(train, val, dropouts=(0.0, 0.5), weight_decays=(0.0, 0.1), epochs=12, width=8)


@pytest.mark.parametrize(
    ("losses", "patience", "expected"),
    [
        (WORKED, 3, (6, 3)),  # the notebook's worked example
        (WORKED, 4, (8, 8)),
        ([0.5, 0.5, 0.5], 2, (3, 1)),  # an equal loss is no improvement
        ([0.5, 0.4, 0.6, 0.7], 2, (4, 2)),
        ([3.0, 2.0, 1.0], 1, (3, 3)),
    ],
)
def test_early_stopping_epochs_follows_the_worked_example(losses, patience, expected):
    got = early_stopping_epochs(losses, patience)
    assert got == expected, f"early_stopping_epochs({losses}, {patience}) gave {got}, expected {expected}"


def test_early_stopping_epochs_rejects_an_empty_run():
    with pytest.raises(ValueError, match="no validation losses"):
        early_stopping_epochs([], 3)


def test_runs_store_one_value_and_one_state_per_epoch(runs):
    assert set(runs["runs"]) == {(0.0, 0.0), (0.0, 0.1), (0.5, 0.0), (0.5, 0.1)}
    for key, run in runs["runs"].items():
        for name in ("train_loss", "val_loss", "val_accuracy", "states"):
            assert len(run[name]) == 12, f"run {key}: {name} has {len(run[name])} entries, expected 12"
    # The stored training loss is measured in evaluation mode, with the stored weights of that epoch.
    model = regularization_mlp(0.5, width=8, seed=0)
    model.load_state_dict(runs["runs"][(0.5, 0.0)]["states"][-1])
    X_train, y_train = runs["train"]
    X_val, y_val = runs["val"]
    loss_fn = nn.CrossEntropyLoss()
    assert runs["runs"][(0.5, 0.0)]["train_loss"][-1] == pytest.approx(
        evaluate(model, X_train, y_train, loss_fn)[0]
    )
    assert runs["runs"][(0.5, 0.0)]["val_loss"][-1] == pytest.approx(
        evaluate(model, X_val, y_val, loss_fn)[0]
    )


def test_runs_are_reproducible_and_settings_matter(runs):
    again = regularization_runs(
        runs["train"], runs["val"], dropouts=(0.0,), weight_decays=(0.0,), epochs=12, width=8
    )
    assert again["runs"][(0.0, 0.0)]["val_loss"] == runs["runs"][(0.0, 0.0)]["val_loss"]
    assert runs["runs"][(0.0, 0.0)]["val_loss"] != runs["runs"][(0.5, 0.0)]["val_loss"], (
        "dropout changed nothing"
    )
    assert runs["runs"][(0.0, 0.0)]["val_loss"] != runs["runs"][(0.0, 0.1)]["val_loss"], "L2 changed nothing"


def test_boundary_at_gives_probabilities_on_a_grid(runs):
    xs, ys, proba = boundary_at(runs, 0.0, 0.0, epoch=12, grid_size=30)
    assert xs.shape == (30,) and ys.shape == (30,) and proba.shape == (30, 30)
    assert np.all((proba >= 0) & (proba <= 1))


def test_probability_grid_of_a_known_linear_model():
    model = nn.Linear(2, 2)
    model.weight.data = np.array([[0.0, 0.0], [1.0, 0.0]])  # score of class 1 = x1, of class 0 = 0
    model.bias.data = np.zeros(2)
    xs, ys, proba = probability_grid(model, np.array([[-1.0, -1.0], [1.0, 1.0]]), grid_size=5, padding=0.0)
    assert np.allclose(xs, [-1.0, -0.5, 0.0, 0.5, 1.0])
    assert np.allclose(proba[:, 2], 0.5), "P(class 1) should be 0.5 on the line x1 = 0"
    assert np.allclose(proba[0], 1 / (1 + np.exp(-xs)))


def test_explorer_redraws_when_a_slider_moves(runs):
    explorer = regularization_explorer(runs, patience=3)
    before = explorer.figure_png()
    assert "dropout p = 0" in explorer.figure.axes[0].get_title()
    explorer.controls["p"].value = 0.5
    after = explorer.figure_png()
    assert after != before, "moving the dropout slider did not change the picture"
    assert "dropout p = 0.5" in explorer.figure.axes[0].get_title()
    explorer.set(patience=4, weight_decay=0.1)
    assert explorer.figure_png() != after, "moving the patience and L2 sliders did not change the picture"
    assert "L2 = 0.1, patience = 4" in explorer.figure.axes[0].get_title()
    stop, best = early_stopping_epochs(runs["runs"][(0.5, 0.1)]["val_loss"], 4)
    assert f"weights of epoch {best}:" in explorer.figure.axes[1].get_title()
    assert explorer.fallback_png()[:4] == b"\x89PNG"
    labels = [control.description for control in explorer.controls.values()]
    assert all(labels), f"every control needs a visible label, got {labels}"


@pytest.mark.parametrize(("weights", "epoch"), [("best", None), ("stop", None), ("last", 12)])
def test_draw_run_shows_the_chosen_weights(runs, weights, epoch):
    from matplotlib.figure import Figure

    stop, best = early_stopping_epochs(runs["runs"][(0.0, 0.0)]["val_loss"], 2)
    epoch = epoch or {"best": best, "stop": stop}[weights]
    axes = Figure().subplots(1, 2)
    draw_run(axes, runs, 0.0, 0.0, 2, weights)
    loss = runs["runs"][(0.0, 0.0)]["val_loss"][epoch - 1]
    assert f"weights of epoch {epoch}: validation loss {loss:.2f}" in axes[1].get_title()


def test_plot_early_stopping_marks_best_and_stop():
    ax = plot_early_stopping(WORKED, 3, train_losses=[v - 0.1 for v in WORKED])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "best epoch 3 (weights kept)" in legend, legend
    assert any("stopped after epoch 6" in t.get_text() for t in ax.texts)
    _close(ax.figure)


def test_plot_thinned_networks_titles_count_the_dropped_units():
    figure = plot_thinned_networks(layer_sizes=(2, 5, 5, 1), p=0.5, seeds=(1, 2))
    titles = [ax.get_title() for ax in figure.axes]
    assert titles[0] == "full network"
    for k, seed in enumerate((1, 2), start=1):
        rng = np.random.default_rng(seed)
        dropped = sum(int((rng.random(5) < 0.5).sum()) for _ in range(2))
        assert titles[k] == f"mask {k}: {dropped} of 10 dropped", titles
    _close(figure)


def test_plot_capacity_labels_both_curves():
    ax = plot_capacity([2, 4, 8], [0.5, 0.3, 0.1], [0.5, 0.4, 0.6])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training loss", "validation loss"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "4", "8"]
    _close(ax.figure)
