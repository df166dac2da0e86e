"""Reference text classifiers for module 08: Naive Bayes, bag-of-words MLPs, DANs, window features.

These are nnlib's versions of what the students of module 08 write by hand,
so that the notebook's demos (and later exercises) still run when one of the
student's functions is unfinished::

    from nnlib import data
    from nn4nlp.text_models import naive_bayes_fit, naive_bayes_predict, sentiment_mlp, train_classifier

    X = data.bag_of_words(texts, vocab)                   # (N, V) word counts
    log_prior, log_likelihood = naive_bayes_fit(X, y, num_classes=5)
    predicted = naive_bayes_predict(X_test, log_prior, log_likelihood)

    model = sentiment_mlp(len(vocab), hidden=256, num_classes=5, p=0.5, seed=0)
    history = train_classifier(model, (X_train, y_train), (X_val, y_val), epochs=50, patience=5)

- Multinomial Naive Bayes with add-alpha smoothing, in log space
  (:func:`naive_bayes_fit`, :func:`naive_bayes_log_joint`,
  :func:`naive_bayes_predict`, :func:`naive_bayes_proba`).
- The bag-of-words MLP of lecture deck 004 (:func:`sentiment_mlp`) and its
  training call: Adam, cross-entropy, mini-batches, early stopping
  (:func:`train_classifier`).
- A deep averaging network (Iyyer et al., 2015): the mean of the word
  embeddings, then a feedforward network (:func:`deep_averaging_network`,
  with :func:`pad_ids` to put sentences of different lengths in one array).
- Window features for feedforward taggers (:func:`window_features`,
  :func:`one_hot_windows`).
"""

import numpy as np

from nnlib import backend


def _counts_and_labels(function, X, y):
    """X as a NumPy array in its own dtype (no float64 copy) or as SparseBags, and y as int64."""
    from nnlib.data.text import SparseBags

    if not isinstance(X, SparseBags):
        X = backend.to_numpy(X)
    y = backend.to_numpy(y).reshape(-1)
    if len(X.shape) != 2:
        raise ValueError(f"{function}: expected X of shape (N, V), got {X.shape}.")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"{function}: X has {X.shape[0]} rows but y has {y.shape[0]} labels.")
    return X, y.astype(np.int64)


def _class_totals(X, y, k):
    """``out[c, j]``: column j of X added up over the rows of class c, in float64, shape (K, V).

    A (K, N) indicator matrix times X: one pass over X, no float64 copy of it.
    """
    if hasattr(X, "sum_by_class"):
        return X.sum_by_class(y, k)
    dtype = X.dtype if np.issubdtype(X.dtype, np.floating) else np.float64
    members = (y == np.arange(k)[:, None]).astype(dtype)
    return (members @ X).astype(np.float64)


def naive_bayes_fit(X, y, num_classes=None, alpha=1.0):
    """Fit a multinomial Naive Bayes classifier on bag-of-words counts.

    Args:
        X: word counts, shape (N, V): ``X[i, j]`` is how often word j occurs in text i.
        y: class indices, shape (N,).
        num_classes: K (default: one more than the largest label).
        alpha: the smoothing count added to every (class, word) pair; 1 is
            add-one (Laplace) smoothing, 0 is none (and gives log 0 = -inf for
            words a class never saw).

    Returns:
        ``(log_prior, log_likelihood)``: float64 arrays of shapes (K,) and (K, V)::

            log_prior[c]         = log(N_c / N)
            log_likelihood[c, j] = log((count[c, j] + alpha) / (sum_j' count[c, j'] + alpha * V))

        where ``N_c`` is the number of texts of class c and ``count[c, j]``
        the number of times word j occurs in them. A class with no texts gets
        log prior -inf.
    """
    X, y = _counts_and_labels("naive_bayes_fit", X, y)
    k = int(y.max()) + 1 if num_classes is None else int(num_classes)
    smoothed = _class_totals(X, y, k) + alpha
    with np.errstate(divide="ignore"):
        log_prior = np.log(np.bincount(y, minlength=k) / len(y))
        log_likelihood = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
    return log_prior, log_likelihood


def naive_bayes_log_joint(X, log_prior, log_likelihood):
    """``log P(c) + sum_j X[i, j] log P(word j | c)`` for every text i and class c: shape (N, K).

    ``X``: counts (an array or tensor) or :class:`~nnlib.data.SparseBags`; the
    product is taken in float64 without a float64 copy of X.
    """
    W = np.asarray(log_likelihood, dtype=np.float64).T
    if hasattr(X, "matmul"):
        return X.matmul(W) + np.asarray(log_prior)
    X = backend.to_numpy(X)
    rows = [X[i : i + 4096].astype(np.float64) @ W for i in range(0, len(X), 4096)]
    return (np.concatenate(rows) if rows else np.zeros((0, W.shape[1]))) + np.asarray(log_prior)


def naive_bayes_predict(X, log_prior, log_likelihood):
    """The most probable class of each text (int64, shape (N,))."""
    return np.argmax(naive_bayes_log_joint(X, log_prior, log_likelihood), axis=1)


def naive_bayes_proba(X, log_prior, log_likelihood):
    """The posterior ``P(c | text)`` (N, K): the log joint normalised with a stable softmax."""
    joint = naive_bayes_log_joint(X, log_prior, log_likelihood)
    joint = joint - joint.max(axis=1, keepdims=True)
    probabilities = np.exp(joint)
    return probabilities / probabilities.sum(axis=1, keepdims=True)


def sentiment_mlp(vocab_size, hidden=256, num_classes=5, p=0.5, seed=0, dtype=None):
    """The bag-of-words MLP of deck 004, in nnlib.

    ``Linear(V, hidden) -> ReLU -> Dropout(p) -> Linear(hidden, hidden) -> ReLU
    -> Dropout(p) -> Linear(hidden, num_classes)``. It returns logits: Keras'
    final softmax is left to ``nn.CrossEntropyLoss`` (and to ``F.softmax``
    when you want probabilities). ``p`` is the probability of DROPPING a
    unit. Parameters: ``"0.weight"`` (hidden, V), ``"0.bias"``, ``"3.weight"``
    (hidden, hidden), ``"3.bias"``, ``"6.weight"`` (num_classes, hidden),
    ``"6.bias"``. Everything random (weights, both dropout masks) follows ``seed``.
    """
    from nnlib import nn

    return nn.Sequential(
        nn.Linear(vocab_size, hidden, seed=seed, dtype=dtype),
        nn.ReLU(),
        nn.Dropout(p, seed=seed + 1),
        nn.Linear(hidden, hidden, seed=seed + 2, dtype=dtype),
        nn.ReLU(),
        nn.Dropout(p, seed=seed + 3),
        nn.Linear(hidden, num_classes, seed=seed + 4, dtype=dtype),
    )


def train_classifier(
    model,
    train,
    val,
    lr=1e-3,
    epochs=50,
    patience=5,
    batch_size=128,
    seed=0,
    monitor="val_accuracy",
    callbacks=(),
    progress=False,
):
    """Train a classifier that outputs logits: Adam, cross-entropy, mini-batches, early stopping.

    ``train`` and ``val`` are pairs ``(X, y)`` with class indices ``y``.
    Training stops when ``monitor`` ("val_accuracy", maximised, or
    "val_loss", minimised) has not improved for ``patience`` epochs, and the
    weights of the best epoch are put back. ``callbacks`` run after the early
    stopping callback. Returns the :class:`~nnlib.training.History`; its
    attribute ``early_stopping`` is the callback (``best_epoch``,
    ``stopped_epoch``). The model is left in eval mode.
    """
    from nnlib import nn, optim
    from nnlib.training import EarlyStopping, fit

    mode = "min" if monitor.endswith("loss") else "max"
    stopper = EarlyStopping(patience=patience, monitor=monitor, mode=mode, restore_best=True)
    history = fit(
        model,
        nn.CrossEntropyLoss(),
        optim.Adam(model.parameters(), lr=lr),
        train=train,
        val=val,
        epochs=epochs,
        batch_size=batch_size,
        callbacks=[stopper, *callbacks],
        seed=seed,
        progress=progress,
    )
    history.early_stopping = stopper
    return history


def pad_ids(id_lists, pad_id, length=None):
    """Sequences of token ids of different lengths as one int64 array (N, L), filled with ``pad_id``.

    ``length`` defaults to the longest sequence; longer sequences are cut.
    """
    length = max((len(ids) for ids in id_lists), default=0) if length is None else int(length)
    out = np.full((len(id_lists), length), pad_id, dtype=np.int64)
    for row, ids in enumerate(id_lists):
        ids = list(ids)[:length]
        out[row, : len(ids)] = ids
    return out


def deep_averaging_network(
    vocab_size, embedding_dim=50, hidden=64, num_classes=5, padding_idx=None, layers=2, seed=0, dtype=None
):
    """A deep averaging network (Iyyer et al., 2015): average the word vectors, then an MLP.

    ``EmbeddingBag(V, D, mode="mean") -> [Linear -> ReLU] x layers -> Linear(hidden, num_classes)``.
    Input: token ids (N, L), padded with ``padding_idx`` (left out of the mean).
    Output: logits (N, num_classes).
    """
    from nnlib import nn

    modules = [
        nn.EmbeddingBag(
            vocab_size, embedding_dim, mode="mean", padding_idx=padding_idx, seed=seed, dtype=dtype
        )
    ]
    width = embedding_dim
    for layer in range(layers):
        modules += [nn.Linear(width, hidden, seed=seed + 1 + layer, dtype=dtype), nn.ReLU()]
        width = hidden
    modules.append(nn.Linear(width, num_classes, seed=seed + 1 + layers, dtype=dtype))
    return nn.Sequential(*modules)


def window_features(ids, width=1, pad_id=0):
    """The ids of the words around each position: shape (L, 2 * width + 1), int64.

    Row t is ``[ids[t - width], ..., ids[t], ..., ids[t + width]]``, with
    ``pad_id`` where the window reaches past either end of the sentence. For
    ``width=1`` the columns are the previous, the current and the next word.
    """
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    padded = np.concatenate([np.full(width, pad_id), ids, np.full(width, pad_id)]).astype(np.int64)
    columns = [padded[offset : offset + len(ids)] for offset in range(2 * width + 1)]
    return np.stack(columns, axis=1) if columns else np.zeros((len(ids), 0), dtype=np.int64)


def one_hot_windows(windows, vocab_size, dtype=np.float32):
    """Concatenated one-hot vectors of the ids in each window: (N, W) ids -> (N, W * vocab_size).

    Column ``k * vocab_size + i`` is 1 when the k-th word of the window has id
    i, so a ``Linear`` layer on top has separate weights for each position
    (the previous word, the current word, ...).
    """
    windows = np.asarray(windows, dtype=np.int64)
    n, w = windows.shape
    out = np.zeros((n, w * vocab_size), dtype=dtype)
    out[np.arange(n)[:, None], np.arange(w) * vocab_size + windows] = 1
    return out
