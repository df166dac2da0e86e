"""Module 06 explorer: training and validation curves as dropout, L2 and patience change.

Training while a slider moves would be too slow, so the runs are trained
once, ahead of time, on a small grid of settings (:func:`regularization_runs`,
a few seconds), and the explorer only redraws stored curves::

    from nn4nlp.widgets.regularization import regularization_explorer, regularization_runs

    runs = regularization_runs((X_train, y_train), (X_val, y_val))
    regularization_explorer(runs)

For every run the grid stores, per epoch, the training loss (measured in
evaluation mode, dropout off), the validation loss and accuracy, and the
weights after every epoch, so the explorer can draw the decision boundary of
the weights that early stopping keeps.
"""

import numpy as np

from nn4nlp.widgets.base import LABEL_STYLE, Explorer, control_layout, dropdown, slider


def regularization_mlp(p=0.0, width=64, seed=0):
    """The module's network: two hidden ReLU layers of ``width`` units, each followed by ``Dropout(p)``.

    ``Linear(2, width) -> ReLU -> Dropout(p) -> Linear(width, width) -> ReLU -> Dropout(p)
    -> Linear(width, 2)``, every layer seeded from ``seed``, so the same arguments give the
    same initial weights.
    """
    from nnlib import nn

    return nn.Sequential(
        nn.Linear(2, width, seed=seed),
        nn.ReLU(),
        nn.Dropout(p, seed=seed + 1),
        nn.Linear(width, width, seed=seed + 2),
        nn.ReLU(),
        nn.Dropout(p, seed=seed + 3),
        nn.Linear(width, 2, seed=seed + 4),
    )


def regularization_runs(
    train,
    val,
    dropouts=(0.0, 0.2, 0.5),
    weight_decays=(0.0, 1e-2, 1e-1),
    epochs=150,
    width=32,
    lr=0.01,
    seed=0,
):
    """Train one seeded network per (dropout rate, L2 strength) and keep its curves.

    ``train`` and ``val`` are pairs ``(X, y)`` with 2-D inputs and labels 0/1.
    Each run trains :func:`regularization_mlp` with full-batch Adam
    (learning rate ``lr``, ``weight_decay`` = the L2 strength added to the
    gradient) for ``epochs`` epochs, from the same initial weights.

    Returns a dict: ``"runs"`` maps ``(p, weight_decay)`` to a dict with the
    lists ``"train_loss"`` (measured in evaluation mode, dropout off),
    ``"val_loss"`` and ``"val_accuracy"`` (one value per epoch) and
    ``"states"``, the model's ``state_dict()`` after every epoch; ``"train"``,
    ``"val"``, ``"dropouts"``, ``"weight_decays"``, ``"epochs"``, ``"width"``
    and ``"seed"`` repeat the settings. About half a second per run on one CPU core.
    """
    from nnlib import nn, optim
    from nnlib.training import evaluate, fit

    X_train, y_train = (np.asarray(a) for a in train)
    X_val, y_val = (np.asarray(a) for a in val)
    loss_fn = nn.CrossEntropyLoss()
    runs = {}
    for p in dropouts:
        for weight_decay in weight_decays:
            model = regularization_mlp(p, width, seed)
            record = {"train_loss": [], "states": []}

            def watch(epoch, logs, model, record=record):
                record["train_loss"].append(evaluate(model, X_train, y_train, loss_fn)[0])
                record["states"].append(model.state_dict())

            optimizer = optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
            history = fit(
                model,
                loss_fn,
                optimizer,
                (X_train, y_train),
                val=(X_val, y_val),
                epochs=epochs,
                batch_size=len(X_train),
                callbacks=[watch],
                seed=seed,
                progress=False,
            )
            runs[(float(p), float(weight_decay))] = {
                "train_loss": record["train_loss"],
                "val_loss": list(history["val_loss"]),
                "val_accuracy": list(history["val_accuracy"]),
                "states": record["states"],
            }
    return {
        "runs": runs,
        "train": (X_train, y_train),
        "val": (X_val, y_val),
        "dropouts": tuple(float(p) for p in dropouts),
        "weight_decays": tuple(float(w) for w in weight_decays),
        "epochs": epochs,
        "width": width,
        "seed": seed,
    }


def boundary_at(runs, p, weight_decay, epoch, grid_size=60):
    """``(xs, ys, proba)``: P(class 1) on a grid for the weights of run (p, weight_decay) after ``epoch``.

    The grid covers the training and validation points (see
    :func:`nn4nlp.plots.regularization.probability_grid`).
    """
    from nn4nlp.plots.regularization import probability_grid

    model = regularization_mlp(p, runs["width"], runs["seed"])
    model.load_state_dict(runs["runs"][(float(p), float(weight_decay))]["states"][epoch - 1])
    return probability_grid(model, np.concatenate([runs["train"][0], runs["val"][0]]), grid_size)


def choice_slider(description, options, value=None):
    """A labelled slider over a fixed list of ``(label, value)`` options (redraws on release)."""
    import ipywidgets

    options = list(options)
    return ipywidgets.SelectionSlider(
        options=options,
        value=options[0][1] if value is None else value,
        description=description,
        continuous_update=False,
        readout=True,
        style=LABEL_STYLE,
        layout=control_layout(),
    )


def _label(value):
    return "0" if value == 0 else f"{value:g}"


WEIGHTS = (
    ("best epoch (what early stopping keeps)", "best"),
    ("the epoch where training stopped", "stop"),
    ("the last epoch, without early stopping", "last"),
)


def draw_run(axes, runs, p, weight_decay, patience, weights="best"):
    """Left: the curves of run (p, weight_decay) with early stopping marked; right: a decision boundary.

    ``weights`` picks the boundary drawn on the right: "best" (the epoch whose
    weights early stopping keeps), "stop" (the stopping epoch) or "last".
    """
    from nn4nlp.plots.regularization import early_stopping_epochs, plot_early_stopping, plot_probability_grid

    run = runs["runs"][(float(p), float(weight_decay))]
    reference = runs["runs"].get((runs["dropouts"][0], runs["weight_decays"][0]))
    everything = [v for r in runs["runs"].values() for v in r["val_loss"] + r["train_loss"]]
    top = min(float(np.nanmax(everything)), 2.0) * 1.05
    extra = []
    if reference is not None and reference is not run:
        extra.append((reference["val_loss"], "validation loss, no regularisation"))
    stop, best = early_stopping_epochs(run["val_loss"], patience)
    plot_early_stopping(
        run["val_loss"],
        patience,
        run["train_loss"],
        ax=axes[0],
        ylim=(0.0, top),
        extra=extra,
        title=f"dropout p = {p:g}, L2 = {_label(weight_decay)}, patience = {patience}",
    )
    epoch = {"best": best, "stop": stop, "last": runs["epochs"]}[weights]
    X_train, y_train = runs["train"]
    X_val, y_val = runs["val"]
    xs, ys, proba = boundary_at(runs, p, weight_decay, epoch)
    plot_probability_grid(
        xs,
        ys,
        proba,
        X_train,
        y_train,
        X_val,
        y_val,
        ax=axes[1],
        title=f"weights of epoch {epoch}: validation loss {run['val_loss'][epoch - 1]:.2f}, "
        f"accuracy {run['val_accuracy'][epoch - 1]:.0%}",
    )
    axes[1].legend(fontsize="x-small", loc="lower left", framealpha=0.8)


def regularization_explorer(runs, p=None, weight_decay=None, patience=10, weights="best"):
    """Sliders for the dropout rate, L2 strength and patience over the runs of :func:`regularization_runs`.

    Left panel: training and validation loss per epoch, with the epoch whose
    weights early stopping keeps, the patience window and the stopping epoch.
    Right panel: the decision boundary of the weights chosen in the "weights
    shown" list, with the training (filled) and validation (hollow) points.
    """
    controls = {
        "p": choice_slider(
            "dropout rate p (probability of dropping)",
            [(f"{v:g}", v) for v in runs["dropouts"]],
            runs["dropouts"][0] if p is None else float(p),
        ),
        "weight_decay": choice_slider(
            "L2 strength (weight decay)",
            [(_label(v), v) for v in runs["weight_decays"]],
            runs["weight_decays"][0] if weight_decay is None else float(weight_decay),
        ),
        "patience": slider("patience (epochs)", int(patience), 1, max(2, runs["epochs"] // 3)),
        "weights": dropdown("weights shown on the right", list(WEIGHTS), weights),
    }

    def draw(axes, p, weight_decay, patience, weights):
        draw_run(axes, runs, p, weight_decay, patience, weights)

    return Explorer(controls, draw, subplots=(1, 2), figsize=(10.5, 4.2))
