"""Module 08 explorer: three sentiment classifiers side by side on one sentence, epoch by epoch.

Pick a sentence, add "not", "very" or a "but" clause, and see the class
probabilities of Naive Bayes, the linear bag-of-words model and the MLP. A
slider goes through the training epochs of the two networks: their
predictions were recorded after every epoch while they trained (with a
:class:`ProbabilityRecorder` passed to ``fit``), so nothing is trained while
you move it::

    from nn4nlp.widgets.sentiment import ProbabilityRecorder, sentence_explorer, variant_texts

    X_variants = data.bag_of_words(variant_texts(), vocab, dtype=np.float32)
    linear_recorder = ProbabilityRecorder(X_variants)
    train_classifier(linear, train, val, callbacks=[linear_recorder])
    ...  # the same for the MLP
    sentence_explorer(vocab, (log_prior, log_likelihood), linear_recorder, mlp_recorder)

The sentences follow the grammar of :func:`nn4nlp.reviews.synthetic_reviews`, and
the "true" class shown is the one its labelling rule gives (see
:data:`nn4nlp.reviews.SENTIMENT_README`). The module also labels the contextual
polarity of each word (:func:`contextual_polarity`), the tags of the
module's window-tagger demo.
"""

import numpy as np

from nn4nlp.widgets.base import Explorer, dropdown, slider

# (subject, sentiment word, aspect of the contrasting clause)
EXAMPLES = (
    ("the soup", "good", "the service"),
    ("the acting", "bad", "the soundtrack"),
    ("the battery", "decent", "the screen"),
    ("the plot", "boring", "the cast"),
    ("the pasta", "amazing", "the waiter"),
    ("the ending", "awful", "the dialogue"),
    ("this laptop", "reliable", "the keyboard"),
    ("the dessert", "bland", "the coffee"),
)
# The contrasting clause uses a strong word of the opposite sign.
CONTRAST_WORDS = {1: "wonderful", -1: "terrible"}
BUT_OPTIONS = (
    ("no 'but' clause", "none"),
    ("sentence , but <opposite clause>", "first"),
    ("<opposite clause> , but sentence", "last"),
)


def _lexicon():
    from nn4nlp.reviews import ADJECTIVES, TOPICS, VERBS

    scores = {}
    for score, words in ADJECTIVES.items():
        scores.update(dict.fromkeys(words, score))
    for topic in TOPICS.values():
        for score, words in topic["adjectives"].items():
            scores.update(dict.fromkeys(words, score))
    for score, pairs in VERBS.items():
        for past, base in pairs:
            scores.update({past: score, base: score})
    return scores


_SCORES = None


def word_score(token):
    """The sentiment score of a word in the synthetic reviews: -2, -1, +1, +2, or 0 for all others."""
    global _SCORES
    if _SCORES is None:
        _SCORES = _lexicon()
    return _SCORES.get(token, 0)


def _clause(subject, word, negate, intensify):
    score = word_score(word)
    if score == 0:
        raise ValueError(f"sentence_variant: {word!r} is not a sentiment word of the synthetic reviews.")
    if intensify and abs(score) == 1:
        score *= 2
    if negate:
        score = -int(np.sign(score))  # "not good" -1, "not very good" -1, "not awful" +1
    words = ("not " if negate else "") + ("very " if intensify else "") + word
    return f"{subject} was {words}", score


def sentence_variant(example, negate=False, intensify=False, but="none"):
    """One sentence built from ``example`` = (subject, word, aspect) and its class (0 to 4).

    ``negate`` adds "not", ``intensify`` adds "very" before the word. ``but`` is
    "none", "first" ("<sentence> , but <opposite>": the opposite clause, which
    comes last, decides the class) or "last" ("<opposite> , but <sentence>").
    Returns ``(text, label)`` with the label of the synthetic data's rule.
    """
    subject, word, aspect = example
    text, score = _clause(subject, word, negate, intensify)
    if but != "none":
        sign = -1 if score > 0 else 1
        contrast = f"{aspect} was {CONTRAST_WORDS[sign]}"
        if but == "first":
            text, score = f"{text} , but {contrast}", 2 * sign
        elif but == "last":
            text = f"{contrast} , but {text}"
        else:
            raise ValueError(f"sentence_variant: but must be 'none', 'first' or 'last', got {but!r}.")
    return text + " .", score + 2


def _keys(examples):
    return [
        (i, negate, intensify, but)
        for i in range(len(examples))
        for negate in (False, True)
        for intensify in (False, True)
        for _, but in BUT_OPTIONS
    ]


def variant_texts(examples=EXAMPLES):
    """Every sentence the explorer can show, in the order :class:`ProbabilityRecorder` rows follow."""
    return [sentence_variant(examples[i], n, v, b)[0] for i, n, v, b in _keys(examples)]


def contextual_polarity(tokens):
    """+1 / -1 for each sentiment word after negation is applied, 0 for every other token.

    A negator ("not", "never", "hardly") among the two tokens before a
    sentiment word flips its sign, as in "not good", "not very good" and
    "did not really like" (the synthetic reviews never put it further away).
    """
    from nn4nlp.reviews import NEGATORS

    tags = []
    for t, token in enumerate(tokens):
        sign = int(np.sign(word_score(token)))
        if sign and any(previous in NEGATORS for previous in tokens[max(0, t - 2) : t]):
            sign = -sign
        tags.append(sign)
    return tags


class ProbabilityRecorder:
    """A ``fit`` callback that keeps the model's class probabilities for fixed inputs after every epoch.

    ``probabilities[e]`` (shape (S, K)) holds them after epoch ``e``, with
    ``probabilities[0]`` before training. The model is switched to eval mode
    (dropout off) for the recording and back afterwards. When training ends,
    ``kept_epoch`` is the epoch whose weights the model finally holds (the
    best one, if early stopping put it back).
    """

    def __init__(self, inputs):
        self.inputs = inputs
        self.probabilities = []
        self.kept_epoch = None

    def _record(self, model):
        from nnlib import backend
        from nnlib.functional import softmax

        was_training = getattr(model, "training", False)
        model.eval()
        try:
            x = self.inputs
            param = next(iter(model.parameters()), None)
            if param is not None and np.issubdtype(np.asarray(x).dtype, np.floating):
                x = backend.to(x, param.device, param.dtype)
            probabilities = backend.to_numpy(softmax(model(x), dim=-1)).astype(np.float64)
        finally:
            model.train(was_training)
        return probabilities

    def on_train_begin(self, model):
        self.probabilities = [self._record(model)]
        self.kept_epoch = None

    def on_epoch_end(self, epoch, logs, model):
        self.probabilities.append(self._record(model))
        return False

    def on_train_end(self, model):
        final = self._record(model)
        matches = [e for e, p in enumerate(self.probabilities) if np.allclose(p, final, rtol=0, atol=1e-6)]
        self.kept_epoch = matches[-1] if matches else len(self.probabilities) - 1


def _draw(
    axes, vocab, naive_bayes, recorders, class_names, examples, sentence, negate, intensify, but, epoch
):
    from nn4nlp.plots.sentiment import class_probabilities
    from nn4nlp.text_models import naive_bayes_proba
    from nnlib.data.text import bag_of_words

    keys = _keys(examples)
    index = keys.index((sentence, negate, intensify, but))
    text, label = sentence_variant(examples[sentence], negate, intensify, but)
    bayes = naive_bayes_proba(bag_of_words([text], vocab), *naive_bayes)[0]
    panels = [("Naive Bayes", bayes, "no epochs: counted once")]
    for name, recorder in recorders.items():
        last = len(recorder.probabilities) - 1
        kept = last if recorder.kept_epoch is None else recorder.kept_epoch
        if epoch <= last:
            shown, note = epoch, f"after epoch {epoch}" + (" (kept)" if epoch == kept else "")
        else:  # training had stopped: show the weights it ended with
            shown, note = kept, f"stopped after epoch {last}, kept epoch {kept}"
        panels.append((name, recorder.probabilities[shown][index], note))
    for k, (ax, (name, probabilities, note)) in enumerate(zip(axes, panels, strict=True)):
        verdict = "right" if int(np.argmax(probabilities)) == label else "wrong"
        class_probabilities(probabilities, class_names, true_class=label, ax=ax, series=k)
        ax.set_title(f"{name}: {verdict}\n{note}", fontsize="medium")
        if k:
            ax.set_yticklabels([])
    axes[0].figure.suptitle(f'"{text}"', fontsize="medium")


def sentence_explorer(vocab, naive_bayes, linear, mlp, class_names=None, examples=EXAMPLES):
    """Explore what Naive Bayes, the linear model and the MLP predict for one sentence.

    Args:
        vocab: the :class:`nnlib.data.Vocabulary` of the bags of words.
        naive_bayes: ``(log_prior, log_likelihood)`` of a fitted Naive Bayes model.
        linear, mlp: :class:`ProbabilityRecorder` objects that recorded the two
            networks on ``data.bag_of_words(variant_texts(examples), vocab)``.
        class_names: the five class names (default ``nn4nlp.reviews.CLASS_NAMES``).

    Controls: the sentence, "not", "very", a "but" clause, and a slider for the
    training epoch of the two networks (0 = before training; past the epoch where a
    network stopped, it shows the weights that early stopping kept). The figure has
    one panel of class probabilities per model; the true class (by the
    synthetic data's rule) is marked "(true)".
    """
    import ipywidgets

    from nn4nlp.reviews import CLASS_NAMES as SENTIMENT_CLASSES

    class_names = list(SENTIMENT_CLASSES if class_names is None else class_names)
    recorders = {"Linear model": linear, "MLP": mlp}
    expected = len(_keys(examples))
    for name, recorder in recorders.items():
        if not recorder.probabilities or recorder.probabilities[0].shape[0] != expected:
            raise ValueError(
                f"sentence_explorer: the {name} recorder must hold probabilities for the {expected} "
                "sentences of variant_texts() after every epoch; pass it to fit (or train_classifier) "
                "as a callback first."
            )
    epochs = max(len(r.probabilities) for r in recorders.values()) - 1
    start = mlp.kept_epoch if mlp.kept_epoch is not None else epochs
    options = [(f"{subject} was {word}", i) for i, (subject, word, _) in enumerate(examples)]
    controls = {
        "sentence": dropdown("sentence", options),
        "negate": ipywidgets.Checkbox(value=False, description="add 'not'", indent=False),
        "intensify": ipywidgets.Checkbox(value=False, description="add 'very'", indent=False),
        "but": dropdown("'but' clause", list(BUT_OPTIONS)),
        "epoch": slider("training epoch of the two networks", int(start), 0, max(int(epochs), 1)),
    }

    def draw(axes, **values):
        _draw(axes, vocab, naive_bayes, recorders, class_names, examples, **values)

    return Explorer(
        controls,
        draw,
        subplots=(1, 3),
        figsize=(11.0, 3.6),
        fallback_values={"sentence": 0, "negate": True},
    )
