"""Realistic wrong answers for module 08 (neural networks for text: sentiment)."""

from tests.mistakes import Mistake

NB_HEAD = (
    "def fit_naive_bayes(X, y, num_classes, alpha=1.0):\n"
    "    log_prior = np.zeros(num_classes)\n"
    "    log_likelihood = np.zeros((num_classes, X.shape[1]))\n"
    "    for c in range(num_classes):\n"
    "        rows = X[y == c]\n"
)

MLP_LAYERS = (
    "        nn.Linear(vocab_size, hidden, seed=seed),\n"
    "        nn.ReLU(),\n"
    "        nn.Dropout(p, seed=seed + 1),\n"
    "        nn.Linear(hidden, hidden, seed=seed + 2),\n"
    "        nn.ReLU(),\n"
    "        nn.Dropout(p, seed=seed + 3),\n"
    "        nn.Linear(hidden, num_classes, seed=seed + 4),\n"
)
MLP_HEAD = "def build_mlp(vocab_size, hidden=256, num_classes=5, p=0.5, seed=0):\n    return nn.Sequential(\n"


def _train(better="value < best if monitor == 'val_loss' else value > best", stop="waited == patience",
           restore="    model.load_state_dict(best_state)\n", seed="seed + epoch"):  # fmt: skip
    return (
        "def train_mlp(X_train, y_train, X_val, y_val, hidden=256, num_classes=5, p=0.5, lr=1e-3,\n"
        "              epochs=50, patience=5, batch_size=128, monitor='val_loss', seed=0):\n"
        "    model = text_models.sentiment_mlp(X_train.shape[1], hidden, num_classes, p, seed)\n"
        "    loss_fn = nn.CrossEntropyLoss()\n"
        "    optimizer = optim.Adam(model.parameters(), lr=lr)\n"
        "    record, best, best_state, waited = [], None, None, 0\n"
        "    for epoch in range(epochs):\n"
        "        fit(model, loss_fn, optimizer, train=(X_train, y_train), epochs=1, batch_size=batch_size,\n"
        f"            seed={seed}, progress=False)\n"
        "        val_loss, val_accuracy = evaluate(model, X_val, y_val, loss_fn)\n"
        "        value = val_loss if monitor == 'val_loss' else val_accuracy\n"
        "        record.append(value)\n"
        f"        if best is None or ({better}):\n"
        "            best, best_state, waited = value, model.state_dict(), 0\n"
        "        else:\n"
        "            waited += 1\n"
        f"            if {stop}:\n"
        "                break\n"
        f"{restore}"
        "    return model, record\n"
    )


MISTAKES = [
    # -- build_vocabulary -------------------------------------------------------------------------
    Mistake(
        name="vocab_most_common_ties",
        cell="build_vocabulary",
        code=(
            "def build_vocabulary(token_lists, max_size=800):\n"
            "    counts = Counter(token for tokens in token_lists for token in tokens)\n"
            "    counts.pop('<unk>', None)\n"
            "    return ['<unk>'] + [token for token, _ in counts.most_common(max_size - 1)]\n"
        ),
        loses=["test_build_vocabulary"],
        feedback=["build_vocabulary(corpus, max_size=800)", "ties alphabetically"],
        why="Counter.most_common keeps equal counts in first-seen order, not alphabetical",
    ),
    Mistake(
        name="vocab_max_size_without_unk",
        cell="build_vocabulary",
        code=(
            "def build_vocabulary(token_lists, max_size=800):\n"
            "    counts = Counter(token for tokens in token_lists for token in tokens)\n"
            "    counts.pop('<unk>', None)\n"
            "    ranked = sorted(counts, key=lambda token: (-counts[token], token))\n"
            "    return ['<unk>'] + ranked[:max_size]\n"
        ),
        loses=["test_build_vocabulary"],
        feedback=["max_size=3", "max_size - 1"],
        why="an off-by-one: max_size words plus '<unk>'",
    ),
    Mistake(
        name="vocab_forgets_unk",
        cell="build_vocabulary",
        code=(
            "def build_vocabulary(token_lists, max_size=800):\n"
            "    counts = Counter(token for tokens in token_lists for token in tokens)\n"
            "    return sorted(counts, key=lambda token: (-counts[token], token))[:max_size]\n"
        ),
        loses=["test_build_vocabulary"],
        feedback=["'<unk>'"],
        why="no '<unk>' entry at the start",
    ),
    # -- bag_of_words -----------------------------------------------------------------------------
    Mistake(
        name="bow_drops_unknown_words",
        cell="bag_of_words",
        code=(
            "def bag_of_words(token_lists, stoi, binary=False):\n"
            "    X = np.zeros((len(token_lists), len(stoi)))\n"
            "    for row, tokens in enumerate(token_lists):\n"
            "        for token in tokens:\n"
            "            if token in stoi:\n"
            "                X[row, stoi[token]] += 1\n"
            "    return np.minimum(X, 1.0) if binary else X\n"
        ),
        loses=["test_bag_of_words"],
        feedback=["'<unk>' column", "Do not skip unknown tokens"],
        why="unknown words are skipped instead of counted as <unk>",
    ),
    Mistake(
        name="bow_counts_each_word_once",
        cell="bag_of_words",
        code=(
            "def bag_of_words(token_lists, stoi, binary=False):\n"
            "    X = np.zeros((len(token_lists), len(stoi)))\n"
            "    for row, tokens in enumerate(token_lists):\n"
            "        for token in set(tokens):\n"
            "            X[row, stoi.get(token, stoi['<unk>'])] = 1\n"
            "    return X\n"
        ),
        loses=["test_bag_of_words"],
        feedback=["a word used twice gets a 2"],
        why="loops over set(tokens): every word counted once, as if binary were always True",
    ),
    Mistake(
        name="bow_ignores_binary",
        cell="bag_of_words",
        code=(
            "def bag_of_words(token_lists, stoi, binary=False):\n"
            "    X = np.zeros((len(token_lists), len(stoi)))\n"
            "    for row, tokens in enumerate(token_lists):\n"
            "        for token in tokens:\n"
            "            X[row, stoi.get(token, stoi['<unk>'])] += 1\n"
            "    return X\n"
        ),
        loses=["test_bag_of_words"],
        feedback=["binary=True"],
        why="the binary option is never applied",
    ),
    Mistake(
        name="bow_one_column_short",
        cell="bag_of_words",
        code=(
            "def bag_of_words(token_lists, stoi, binary=False):\n"
            "    X = np.zeros((len(token_lists), max(stoi.values())))\n"
            "    for row, tokens in enumerate(token_lists):\n"
            "        for token in tokens:\n"
            "            X[row, stoi.get(token, stoi['<unk>'])] += 1\n"
            "    return np.minimum(X, 1.0) if binary else X\n"
        ),
        loses=["test_bag_of_words"],
        feedback=["one column per entry of stoi", "len(stoi)"],
        why="sizes the matrix by the largest index, one column short; only texts with the last word crash",
    ),
    # -- fit_naive_bayes --------------------------------------------------------------------------
    Mistake(
        name="nb_no_smoothing",
        cell="fit_naive_bayes",
        code=NB_HEAD
        + (
            "        log_prior[c] = np.log(len(rows) / len(X))\n"
            "        counts = rows.sum(axis=0)\n"
            "        log_likelihood[c] = np.log(counts / counts.sum())\n"
            "    return log_prior, log_likelihood\n"
        ),
        loses=["test_fit_naive_bayes"],
        feedback=["a count of 0 reached np.log", "Add alpha"],
        why="forgets add-one smoothing: log(0) = -inf for words a class never saw",
    ),
    Mistake(
        name="nb_prior_not_in_log_space",
        cell="fit_naive_bayes",
        code=NB_HEAD
        + (
            "        log_prior[c] = len(rows) / len(X)\n"
            "        counts = rows.sum(axis=0) + alpha\n"
            "        log_likelihood[c] = np.log(counts / counts.sum())\n"
            "    return log_prior, log_likelihood\n"
        ),
        loses=["test_fit_naive_bayes"],
        feedback=["log_prior", "np.log(N_c / N)"],
        why="returns the priors N_c / N instead of their logarithms",
    ),
    Mistake(
        name="nb_denominator_plus_alpha",
        cell="fit_naive_bayes",
        code=NB_HEAD
        + (
            "        log_prior[c] = np.log(len(rows) / len(X))\n"
            "        counts = rows.sum(axis=0)\n"
            "        log_likelihood[c] = np.log((counts + alpha) / (counts.sum() + alpha))\n"
            "    return log_prior, log_likelihood\n"
        ),
        loses=["test_fit_naive_bayes"],
        feedback=["alpha * V", "sum to 1"],
        why="adds alpha once to the denominator instead of alpha * V: the probabilities no longer sum to 1",
    ),
    Mistake(
        name="nb_counts_presence",
        cell="fit_naive_bayes",
        code=NB_HEAD
        + (
            "        log_prior[c] = np.log(len(rows) / len(X))\n"
            "        counts = (rows > 0).sum(axis=0) + alpha\n"
            "        log_likelihood[c] = np.log(counts / counts.sum())\n"
            "    return log_prior, log_likelihood\n"
        ),
        loses=["test_fit_naive_bayes"],
        feedback=["log_likelihood is not right"],
        why="counts the texts that contain a word instead of its occurrences",
    ),
    # -- predict_naive_bayes ----------------------------------------------------------------------
    Mistake(
        name="predict_forgets_prior",
        cell="predict_naive_bayes",
        code=(
            "def predict_naive_bayes(X, log_prior, log_likelihood):\n"
            "    return np.argmax(X @ log_likelihood.T, axis=1)\n"
        ),
        loses=["test_predict_naive_bayes"],
        feedback=["the prior counts", "Add log_prior"],
        why="leaves out the class prior",
    ),
    Mistake(
        name="predict_multiplies_probabilities",
        cell="predict_naive_bayes",
        code=(
            "def predict_naive_bayes(X, log_prior, log_likelihood):\n"
            "    likelihood = np.exp(log_likelihood)\n"
            "    scores = np.exp(log_prior) * np.prod(likelihood[None, :, :] ** X[:, None, :], axis=2)\n"
            "    return np.argmax(scores, axis=1)\n"
        ),
        loses=["test_predict_naive_bayes"],
        feedback=["3000 words", "underflow"],
        why="multiplies the probabilities themselves: the product underflows to 0 for long texts",
    ),
    # -- build_mlp --------------------------------------------------------------------------------
    Mistake(
        name="mlp_softmax_at_the_end",
        cell="build_mlp",
        code=MLP_HEAD + MLP_LAYERS + "        nn.Softmax(),\n    )\n",
        loses=["test_build_mlp"],
        feedback=["no softmax", "CrossEntropyLoss applies the softmax itself"],
        why="copies Keras' softmax output layer, although CrossEntropyLoss expects logits",
    ),
    Mistake(
        name="mlp_dropout_keep_probability",
        cell="build_mlp",
        code=MLP_HEAD + MLP_LAYERS.replace("nn.Dropout(p,", "nn.Dropout(1 - p,") + "    )\n",
        loses=["test_build_mlp"],
        feedback=["probability of DROPPING", "1 - p"],
        why="passes the keep probability 1 - p to nn.Dropout",
    ),
    Mistake(
        name="mlp_no_activations",
        cell="build_mlp",
        code=MLP_HEAD + MLP_LAYERS.replace("        nn.ReLU(),\n", "") + "    )\n",
        loses=["test_build_mlp"],
        feedback=["Seven modules"],
        why="forgets the ReLUs: the network collapses to a linear model (module 02)",
    ),
    Mistake(
        name="mlp_dropout_without_seed",
        cell="build_mlp",
        code=MLP_HEAD
        + MLP_LAYERS.replace("nn.Dropout(p, seed=seed + 1)", "nn.Dropout(p)").replace(
            "nn.Dropout(p, seed=seed + 3)", "nn.Dropout(p)"
        )
        + "    )\n",
        loses=["test_build_mlp"],
        feedback=["pass a seed to every nn.Dropout"],
        why="seeds the weights but not the dropout masks, so two runs with the same seed differ",
    ),
    # -- train_mlp --------------------------------------------------------------------------------
    Mistake(
        name="train_never_stops",
        cell="train_mlp",
        code=_train(stop="False"),
        loses=["test_train_mlp"],
        feedback=["it never stopped early"],
        why="counts the epochs without improvement but never leaves the loop",
    ),
    Mistake(
        name="train_stops_one_epoch_late",
        cell="train_mlp",
        code=_train(stop="waited > patience"),
        loses=["test_train_mlp"],
        feedback=["not one epoch later"],
        why="an off-by-one: waits patience + 1 epochs without improvement",
    ),
    Mistake(
        name="train_equal_counts_as_better",
        cell="train_mlp",
        code=_train(better="value <= best if monitor == 'val_loss' else value >= best"),
        loses=["test_train_mlp"],
        feedback=["strictly better"],
        why="an equal validation accuracy resets the patience counter, so training runs on",
    ),
    Mistake(
        name="train_always_minimises",
        cell="train_mlp",
        code=_train(better="value < best"),
        loses=["test_train_mlp"],
        feedback=["worst epoch", "higher accuracy is better"],
        why="ignores the direction of the monitored value: keeps the least accurate epoch",
    ),
    Mistake(
        name="train_keeps_last_weights",
        cell="train_mlp",
        code=_train(restore=""),
        loses=["test_train_mlp"],
        feedback=["holds the weights of the last epoch", "state_dict"],
        why="stops at the right epoch but returns the weights of the last epoch, not the best one",
    ),
    # -- average_embeddings -----------------------------------------------------------------------
    Mistake(
        name="dan_averages_the_padding",
        cell="average_embeddings",
        code=(
            "def average_embeddings(ids, E, pad_id):\n    return np.asarray(E)[np.asarray(ids)].mean(axis=1)\n"
        ),
        loses=["test_average_embeddings"],
        feedback=["Padding is not a word"],
        why="takes the mean over all L positions, padding included",
    ),
    Mistake(
        name="dan_sums_without_dividing",
        cell="average_embeddings",
        code=(
            "def average_embeddings(ids, E, pad_id):\n"
            "    ids = np.asarray(ids)\n"
            "    return (np.asarray(E)[ids] * (ids != pad_id)[..., None]).sum(axis=1)\n"
        ),
        loses=["test_average_embeddings"],
        feedback=["That is the sum of the vectors"],
        why="an embedding-bag sum instead of the mean",
    ),
    # -- window_features --------------------------------------------------------------------------
    Mistake(
        name="window_roll_wraps_around",
        cell="window_features",
        code=(
            "def window_features(ids, width=1, pad_id=0):\n"
            "    ids = np.asarray(ids)\n"
            "    return np.stack([np.roll(ids, shift) for shift in range(width, -width - 1, -1)], axis=1)\n"
        ),
        loses=["test_window_features"],
        feedback=["no wrapping around", "window_features([5, 6, 7], 1, 0)"],
        why="np.roll wraps the last word around to the front instead of padding",
    ),
    Mistake(
        name="window_off_by_one",
        cell="window_features",
        code=(
            "def window_features(ids, width=1, pad_id=0):\n"
            "    padded = [pad_id] * width + list(ids) + [pad_id] * (width + 1)\n"
            "    rows = [padded[t + 1 : t + 2 * width + 2] for t in range(len(ids))]\n"
            "    return np.array(rows, dtype=np.int64).reshape(len(ids), 2 * width + 1)\n"
        ),
        loses=["test_window_features"],
        feedback=["window_features([5, 6, 7], 1, 0)", "Row t is"],
        why="slices from t + 1: every window is centred on the next word",
    ),
]

SAMPLE = {"chen": ["nb_no_smoothing", "mlp_softmax_at_the_end", "window_roll_wraps_around"]}
