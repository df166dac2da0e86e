"""Module 08: the sentence explorer, its sentences and recorder, and the reference text models."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from nn4nlp import reviews  # noqa: E402
from nn4nlp.text_models import (  # noqa: E402
    deep_averaging_network,
    naive_bayes_fit,
    naive_bayes_predict,
    naive_bayes_proba,
    one_hot_windows,
    pad_ids,
    sentiment_mlp,
    train_classifier,
    window_features,
)
from nn4nlp.widgets.sentiment import (  # noqa: E402
    EXAMPLES,
    ProbabilityRecorder,
    contextual_polarity,
    sentence_explorer,
    sentence_variant,
    variant_texts,
    word_score,
)
from nnlib import data, nn  # noqa: E402


@pytest.fixture(scope="module")
def trained():
    """Naive Bayes, a linear model and a small MLP on 600 synthetic reviews, with recorders (about 1 s)."""
    texts, labels = reviews.synthetic_reviews(600, seed=1)
    vocab = data.Vocabulary(texts[:500])
    X = data.bag_of_words(texts, vocab, dtype=np.float32)
    X_variants = data.bag_of_words(variant_texts(), vocab, dtype=np.float32)
    naive_bayes = naive_bayes_fit(X[:500], labels[:500], num_classes=5)
    recorders = {}
    for name, model in [
        ("linear", nn.Linear(len(vocab), 5, seed=0, dtype="float32")),
        ("mlp", sentiment_mlp(len(vocab), hidden=32, p=0.5, seed=0, dtype="float32")),
    ]:
        recorders[name] = ProbabilityRecorder(X_variants)
        train_classifier(
            model,
            (X[:400], labels[:400]),
            (X[400:500], labels[400:500]),
            lr=0.01,
            epochs=6,
            patience=2,
            callbacks=[recorders[name]],
        )
    return vocab, naive_bayes, recorders


# -- sentence variants ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("negate", "intensify", "but", "text", "label"),
    [
        (False, False, "none", "the soup was good .", 3),
        (False, True, "none", "the soup was very good .", 4),
        (True, False, "none", "the soup was not good .", 1),
        (True, True, "none", "the soup was not very good .", 1),
        (False, False, "first", "the soup was good , but the service was terrible .", 0),
        (False, False, "last", "the service was terrible , but the soup was good .", 3),
        (True, False, "first", "the soup was not good , but the service was wonderful .", 4),
    ],
)
def test_sentence_variant_follows_the_synthetic_rule(negate, intensify, but, text, label):
    got = sentence_variant(EXAMPLES[0], negate, intensify, but)
    assert got == (text, label), (
        f"sentence_variant(..., {negate}, {intensify}, {but!r}) gave {got}, expected {(text, label)}"
    )


def test_strong_words_stay_strong_and_negation_leaves_a_mild_score():
    awful = next(e for e in EXAMPLES if e[1] == "awful")
    assert sentence_variant(awful)[1] == 0, sentence_variant(awful)
    assert sentence_variant(awful, intensify=True)[1] == 0, sentence_variant(awful, intensify=True)
    assert sentence_variant(awful, negate=True)[1] == 3, sentence_variant(awful, negate=True)


def test_variant_sentences_use_only_words_of_the_synthetic_corpus():
    texts, _ = reviews.synthetic_reviews(6000, seed=0)
    known = set(data.Vocabulary(texts, max_size=None).itos)
    unknown = {t for text in variant_texts() for t in data.tokenize(text)} - known
    assert not unknown, (
        f"the explorer's sentences use words the synthetic corpus never has: {sorted(unknown)}"
    )
    assert len(variant_texts()) == len(EXAMPLES) * 12, len(variant_texts())


def test_contextual_polarity_flips_within_two_words():
    tokens = "i did not really like the soup , but the pasta was good and not very bad".split()
    tags = contextual_polarity(tokens)
    expected = {"like": -1, "good": 1, "bad": 1}
    got = {token: tag for token, tag in zip(tokens, tags, strict=True) if tag}
    assert got == expected, f"contextual_polarity gave {got}, expected {expected}"
    assert word_score("amazing") == 2 and word_score("hated") == -2 and word_score("the") == 0


# -- the recorder and the explorer ------------------------------------------------------------


def test_recorder_keeps_one_probability_table_per_epoch(trained):
    _, _, recorders = trained
    for name, recorder in recorders.items():
        tables = recorder.probabilities
        assert len(tables) >= 2, f"{name}: {len(tables)} tables"
        assert tables[0].shape == (len(variant_texts()), 5), tables[0].shape
        np.testing.assert_allclose(tables[-1].sum(axis=1), 1.0, rtol=1e-6, err_msg=name)
        assert 0 <= recorder.kept_epoch < len(tables), (name, recorder.kept_epoch, len(tables))
        assert not np.allclose(tables[0], tables[-1]), f"{name}: training did not change the predictions"


def test_recorder_leaves_dropout_on_during_training():
    model = sentiment_mlp(4, hidden=8, num_classes=2, p=0.5, seed=0)
    recorder = ProbabilityRecorder(np.ones((3, 4)))
    model.train()
    recorder.on_epoch_end(1, {}, model)
    assert model.training, "the recorder must put the model back in train mode"
    model.eval()
    recorder.on_epoch_end(2, {}, model)
    assert not model.training, "the recorder must put the model back in eval mode"


def test_explorer_slider_and_toggles_change_the_figure(trained):
    vocab, naive_bayes, recorders = trained
    explorer = sentence_explorer(vocab, naive_bayes, recorders["linear"], recorders["mlp"])
    assert set(explorer.controls) == {"sentence", "negate", "intensify", "but", "epoch"}
    for control in explorer.controls.values():
        assert control.description, f"control {control!r} has no visible label"
    before = explorer.figure_png()
    explorer.set(epoch=0)
    after = explorer.figure_png()
    assert before != after, "moving the epoch slider did not change the figure"
    explorer.controls["negate"].value = True  # as a click would
    assert explorer.figure_png() != after, "ticking 'not' did not change the figure"
    assert explorer.message.value == "", explorer.message.value
    title = explorer.figure.axes[0].figure._suptitle.get_text()
    assert "not good" in title, title
    explorer.set(but="last", epoch=explorer.controls["epoch"].max)
    assert explorer.message.value == "", explorer.message.value
    assert explorer.fallback_png().startswith(b"\x89PNG")


def test_explorer_rejects_a_recorder_that_never_trained(trained):
    vocab, naive_bayes, recorders = trained
    with pytest.raises(ValueError, match="recorder"):
        sentence_explorer(vocab, naive_bayes, ProbabilityRecorder(np.zeros((2, 3))), recorders["mlp"])


# -- reference text models ----------------------------------------------------------------------


def test_naive_bayes_matches_the_worked_example():
    X = np.array(
        [
            [0, 1, 0, 0, 1, 0, 0],
            [0, 2, 0, 1, 0, 1, 0],
            [0, 0, 1, 0, 1, 0, 0],
            [0, 0, 1, 0, 0, 1, 0],
            [0, 0, 0, 1, 0, 0, 1],
        ],
        dtype=float,
    )
    y = np.array([1, 1, 0, 0, 0])
    log_prior, log_likelihood = naive_bayes_fit(X, y, 2)
    np.testing.assert_allclose(log_prior, np.log([0.6, 0.4]))
    np.testing.assert_allclose(np.exp(log_likelihood) * 13, [[1, 1, 3, 2, 2, 2, 2], [1, 4, 1, 2, 2, 2, 1]])
    good_plot = np.array([[0, 1, 0, 0, 0, 1, 0]], dtype=float)
    assert naive_bayes_predict(good_plot, log_prior, log_likelihood).tolist() == [1]
    np.testing.assert_allclose(naive_bayes_proba(good_plot, log_prior, log_likelihood), [[3 / 11, 8 / 11]])


def test_sentiment_mlp_is_deck_004s_network():
    model = sentiment_mlp(800)
    shapes = {name: tuple(p.shape) for name, p in model.named_parameters()}
    assert shapes == {
        "0.weight": (256, 800),
        "0.bias": (256,),
        "3.weight": (256, 256),
        "3.bias": (256,),
        "6.weight": (5, 256),
        "6.bias": (5,),
    }, shapes
    assert sum(int(np.prod(s)) for s in shapes.values()) == 272_133
    assert [type(m).__name__ for m in model] == [
        "Linear",
        "ReLU",
        "Dropout",
        "Linear",
        "ReLU",
        "Dropout",
        "Linear",
    ]


def test_deep_averaging_network_ignores_padding():
    model = deep_averaging_network(10, embedding_dim=4, hidden=6, num_classes=3, padding_idx=0, seed=0)
    model.eval()
    ids = pad_ids([[3, 4], [3, 4, 0, 0]], pad_id=0)
    assert ids.tolist() == [[3, 4, 0, 0], [3, 4, 0, 0]]
    out = model(ids)
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out[0], model(np.array([[3, 4]]))[0])


def test_window_features_and_one_hot_windows():
    assert window_features([5, 6, 7], 1, 0).tolist() == [[0, 5, 6], [5, 6, 7], [6, 7, 0]]
    assert window_features([], 2, 0).shape == (0, 5)
    hot = one_hot_windows(np.array([[0, 2, 1]]), 3)
    assert hot.tolist() == [[1, 0, 0, 0, 0, 1, 0, 1, 0]]
