"""Figures for module 08 (neural networks for text: sentiment).

- :func:`bag_of_words_matrix` - a few texts as rows of word counts, one column per word.
- :func:`word_weights` - a linear model's weight for chosen words, class by class.
- :func:`accuracy_by_kind` - grouped bars: each model's accuracy on each kind of sentence.
- :func:`class_probabilities` - one model's predicted class probabilities for one sentence.
"""

import textwrap

import numpy as np

from nnlib.plots.style import color, new_axes


def bag_of_words_matrix(X, texts, words, ax=None, title="Bags of words"):
    """Draw the count matrix ``X`` (texts x words) as a grid with the counts written in.

    ``texts``: one label per row (long ones are shortened); ``words``: one per column.
    Zero cells stay white and empty, so the few words each text uses stand out (a single-hue
    blue scale, readable with colour-vision deficiencies). Returns the Axes.
    """
    X = np.asarray(X)
    n, v = X.shape
    if len(texts) != n or len(words) != v:
        raise ValueError(
            f"bag_of_words_matrix: X has shape {X.shape} but got {len(texts)} texts and {len(words)} words."
        )
    ax = new_axes(ax, figsize=(1.0 + 0.45 * v + 0.075 * max(map(len, texts)), 1.3 + 0.5 * n))
    top = max(2.0, float(X.max()))
    ax.imshow(X, cmap="Blues", vmin=0, vmax=top * 1.25, aspect="auto")
    for i in range(n):
        for j in range(v):
            if X[i, j]:
                shade = "white" if X[i, j] >= 0.6 * top * 1.25 else "black"  # light text on dark cells
                ax.text(j, i, f"{X[i, j]:g}", ha="center", va="center", fontsize="small", color=shade)
    ax.set_xticks(np.arange(v), words, rotation=60, ha="right", rotation_mode="anchor")
    ax.set_yticks(np.arange(n), [t if len(t) <= 64 else t[:61] + "..." for t in texts])
    ax.set_xticks(np.arange(v + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="#999999", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("vocabulary entry (one column per word)")
    ax.set_title(title)
    return ax


def word_weights(weights, words, class_names, ax=None, title="What a linear model learns per word"):
    """Grouped bars: ``weights[k, i]`` is the weight of ``words[i]`` for class ``k``.

    One group per word, one bar per class (colour = class). A positive weight
    pushes the text towards that class whenever the word occurs, whatever the
    other words are. Returns the Axes.
    """
    weights = np.asarray(weights, dtype=np.float64)
    k, v = weights.shape
    if len(words) != v or len(class_names) != k:
        raise ValueError(
            f"word_weights: weights has shape {weights.shape} for {len(class_names)} classes and "
            f"{len(words)} words."
        )
    ax = new_axes(ax, figsize=(1.5 + 1.3 * v, 3.8))
    width = 0.8 / k
    for c in range(k):
        offsets = np.arange(v) - 0.4 + width * (c + 0.5)
        ax.bar(
            offsets, weights[c], width, color=color(c), label=class_names[c], edgecolor="black", linewidth=0.4
        )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(np.arange(v), [f'"{w}"' for w in words])
    ax.set_ylabel("weight")
    ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize="small", ncols=min(k, 5), loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return ax


def accuracy_by_kind(
    accuracies,
    counts=None,
    ax=None,
    title="Test accuracy by kind of sentence",
    chance=0.2,
    chance_label="chance (5 classes)",
    ylabel="accuracy on the test set",
):
    """Grouped bars of accuracy: ``accuracies[model][kind]`` in [0, 1].

    One group per kind of input (in the order of the first model's dict),
    one bar per model (colour and hatching), with the accuracy written above
    each bar. ``counts`` (kind -> number of test examples) adds the counts to
    the group labels. A dotted line marks ``chance`` (None: no line). The
    legend sits below the plot. Returns the Axes.
    """
    models = list(accuracies)
    kinds = list(accuracies[models[0]])
    ax = new_axes(ax, figsize=(max(7.5, 1.6 + 1.35 * len(kinds)), 4.4))
    width = 0.8 / len(models)
    rotation = 0 if len(models) <= 3 else 90
    for m, model in enumerate(models):
        values = np.array([accuracies[model][kind] for kind in kinds], dtype=np.float64)
        offsets = np.arange(len(kinds)) - 0.4 + width * (m + 0.5)
        hatch = (None, "//", "..", "xx", "\\\\")[m % 5]
        ax.bar(
            offsets, values, width, color=color(m), hatch=hatch, edgecolor="black", linewidth=0.4, label=model
        )
        for x, value in zip(offsets, values, strict=True):
            ax.text(
                x,
                value + 0.01,
                f"{value:.2f}",
                ha="center",
                va="bottom",
                fontsize="small" if rotation == 0 else "x-small",
                rotation=rotation,
            )
    labels = [f"{kind}\n({counts[kind]})" if counts else kind for kind in kinds]
    ax.set_xticks(np.arange(len(kinds)), labels)
    if chance is not None:
        ax.axhline(chance, color="black", linestyle=":", linewidth=1, label=chance_label)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize="small", ncols=len(models) + 1, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    return ax


def class_probabilities(probabilities, class_names, true_class=None, ax=None, title=None, series=0):
    """Horizontal bars of one model's class probabilities for one text.

    The most probable class is drawn solid, the others lighter; ``true_class``
    (an index) is marked with "true" next to its name. ``series`` picks the
    palette colour. Returns the Axes.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64).reshape(-1)
    k = len(probabilities)
    ax = new_axes(ax, figsize=(4.0, 2.8))
    best = int(np.argmax(probabilities))
    for c in range(k):
        solid = c == best
        ax.barh(
            c,
            probabilities[c],
            color=color(series),
            alpha=1.0 if solid else 0.35,
            edgecolor="black",
            linewidth=1.2 if solid else 0.4,
        )
        ax.text(
            min(probabilities[c], 0.82) + 0.02, c, f"{probabilities[c]:.2f}", va="center", fontsize="small"
        )
    names = [f"{name}  (true)" if c == true_class else name for c, name in enumerate(class_names)]
    ax.set_yticks(np.arange(k), names)
    for c, label in enumerate(ax.get_yticklabels()):
        if c == true_class:
            label.set_fontweight("bold")
    ax.set_xlim(0, 1)
    ax.set_ylim(k - 0.5, -0.5)  # first class on top
    ax.set_xlabel("probability")
    if title:
        ax.set_title("\n".join(textwrap.wrap(title, 34)), fontsize="medium")
    ax.grid(True, axis="x", alpha=0.3)
    return ax
