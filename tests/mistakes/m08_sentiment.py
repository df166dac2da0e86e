"""Realistic wrong answers for module 08 (neural networks for text: sentiment)."""

from tests.mistakes import Mistake, patched

MODULE = "08_sentiment"

MISTAKES = [
    # -- build_vocabulary -------------------------------------------------------------------------
    Mistake(
        name="vocab_most_common_ties",
        cell="build_vocabulary",
        code=patched(
            MODULE,
            "build_vocabulary",
            (
                (
                    "ranked = sorted(counts, key=lambda token: (-counts[token], token))\n"
                    '    return ["<unk>"] + ranked[: max_size - 1]'
                ),
                'return ["<unk>"] + [token for token, _ in counts.most_common(max_size - 1)]',
            ),
        ),
        loses=["test_build_vocabulary"],
        feedback=["build_vocabulary(corpus, max_size=800)", "ties alphabetically"],
        why="Counter.most_common keeps equal counts in first-seen order, not alphabetical",
    ),
    Mistake(
        name="vocab_max_size_without_unk",
        cell="build_vocabulary",
        code=patched(
            MODULE,
            "build_vocabulary",
            ('return ["<unk>"] + ranked[: max_size - 1]', 'return ["<unk>"] + ranked[:max_size]'),
        ),
        loses=["test_build_vocabulary"],
        feedback=["max_size=3", "max_size - 1"],
        why="an off-by-one: max_size words plus '<unk>'",
    ),
    Mistake(
        name="vocab_forgets_unk",
        cell="build_vocabulary",
        code=patched(
            MODULE,
            "build_vocabulary",
            (
                (
                    'counts.pop("<unk>", None)\n'
                    "    ranked = sorted(counts, key=lambda token: (-counts[token], token))\n"
                    '    return ["<unk>"] + ranked[: max_size - 1]'
                ),
                "return sorted(counts, key=lambda token: (-counts[token], token))[:max_size]",
            ),
        ),
        loses=["test_build_vocabulary"],
        feedback=["'<unk>'"],
        why="no '<unk>' entry at the start",
    ),
    Mistake(
        name="vocab_counts_unk",
        cell="build_vocabulary",
        code=patched(MODULE, "build_vocabulary", ('    counts.pop("<unk>", None)\n', "")),
        loses=["test_build_vocabulary"],
        feedback=["counted as a word of the texts", "counts.pop('<unk>', None)"],
        no_hint=["alphabetical order"],
        why="forgets that the texts may already contain '<unk>': it is counted and listed a second time",
    ),
    # -- bag_of_words -----------------------------------------------------------------------------
    Mistake(
        name="bow_drops_unknown_words",
        cell="bag_of_words",
        code=patched(
            MODULE,
            "bag_of_words",
            ('    unknown = stoi["<unk>"]\n', ""),
            (
                (
                    "X[row, stoi.get(token, unknown)] += 1\n"
                    "    if binary:\n"
                    "        X = np.minimum(X, 1.0)\n"
                    "    return X"
                ),
                (
                    "if token in stoi:\n"
                    "                X[row, stoi[token]] += 1\n"
                    "    return np.minimum(X, 1.0) if binary else X"
                ),
            ),
        ),
        loses=["test_bag_of_words"],
        feedback=["'<unk>' column", "Do not skip unknown tokens"],
        no_hint=["a word used twice gets a 2", "np.minimum(X, 1)"],
        why="unknown words are skipped instead of counted as <unk>",
    ),
    Mistake(
        name="bow_unknown_column_zero",
        cell="bag_of_words",
        code=patched(MODULE, "bag_of_words", ('unknown = stoi["<unk>"]', "unknown = 0")),
        loses=["test_bag_of_words"],
        feedback=["Look the column of '<unk>' up in stoi"],
        no_hint=["Do not skip unknown tokens"],
        why="assumes '<unk>' is always column 0 (as in build_vocabulary) instead of looking it up in stoi",
    ),
    Mistake(
        name="bow_counts_each_word_once",
        cell="bag_of_words",
        code=patched(
            MODULE,
            "bag_of_words",
            (
                (
                    'unknown = stoi["<unk>"]\n'
                    "    for row, tokens in enumerate(token_lists):\n"
                    "        for token in tokens:\n"
                    "            X[row, stoi.get(token, unknown)] += 1\n"
                    "    if binary:\n"
                    "        X = np.minimum(X, 1.0)"
                ),
                (
                    "for row, tokens in enumerate(token_lists):\n"
                    "        for token in set(tokens):\n"
                    "            X[row, stoi.get(token, stoi['<unk>'])] = 1"
                ),
            ),
        ),
        loses=["test_bag_of_words"],
        feedback=["a word used twice gets a 2"],
        no_hint=["Do not skip unknown tokens"],
        why="loops over set(tokens): every word counted once, as if binary were always True",
    ),
    Mistake(
        name="bow_ignores_binary",
        cell="bag_of_words",
        code=patched(
            MODULE,
            "bag_of_words",
            ('    unknown = stoi["<unk>"]\n', ""),
            (
                "X[row, stoi.get(token, unknown)] += 1\n    if binary:\n        X = np.minimum(X, 1.0)",
                "X[row, stoi.get(token, stoi['<unk>'])] += 1",
            ),
        ),
        loses=["test_bag_of_words"],
        feedback=["binary=True", "np.minimum(X, 1)"],
        no_hint=["a word used twice gets a 2"],
        why="the binary option is never applied",
    ),
    Mistake(
        name="bow_one_column_short",
        cell="bag_of_words",
        code=patched(
            MODULE,
            "bag_of_words",
            (
                'X = np.zeros((len(token_lists), len(stoi)))\n    unknown = stoi["<unk>"]',
                "X = np.zeros((len(token_lists), max(stoi.values())))",
            ),
            (
                (
                    "X[row, stoi.get(token, unknown)] += 1\n"
                    "    if binary:\n"
                    "        X = np.minimum(X, 1.0)\n"
                    "    return X"
                ),
                (
                    "X[row, stoi.get(token, stoi['<unk>'])] += 1\n"
                    "    return np.minimum(X, 1.0) if binary else X"
                ),
            ),
        ),
        loses=["test_bag_of_words"],
        feedback=["one column per entry of stoi", "len(stoi)"],
        why="sizes the matrix by the largest index, one column short; only texts with the last word crash",
    ),
    # -- fit_naive_bayes --------------------------------------------------------------------------
    Mistake(
        name="nb_no_smoothing",
        cell="fit_naive_bayes",
        code=patched(
            MODULE,
            "fit_naive_bayes",
            ("counts = rows.sum(axis=0) + alpha", "counts = rows.sum(axis=0)"),
        ),
        loses=["test_fit_naive_bayes"],
        feedback=["a count of 0 reached np.log", "Add alpha to every count before dividing"],
        no_hint=["alpha * V", "np.log(N_c / N)", "do not turn them into 0/1"],
        why="forgets add-one smoothing: log(0) = -inf for words a class never saw",
    ),
    Mistake(
        name="nb_prior_not_in_log_space",
        cell="fit_naive_bayes",
        code=patched(
            MODULE,
            "fit_naive_bayes",
            ("log_prior[c] = np.log(len(rows) / len(X))", "log_prior[c] = len(rows) / len(X)"),
        ),
        loses=["test_fit_naive_bayes"],
        feedback=["log_prior", "np.log(N_c / N)"],
        no_hint=["alpha * V", "Add alpha to every count before dividing"],
        why="returns the priors N_c / N instead of their logarithms",
    ),
    Mistake(
        name="nb_denominator_plus_alpha",
        cell="fit_naive_bayes",
        code=patched(
            MODULE,
            "fit_naive_bayes",
            (
                (
                    "counts = rows.sum(axis=0) + alpha\n"
                    "        log_likelihood[c] = np.log(counts / counts.sum())"
                ),
                (
                    "counts = rows.sum(axis=0)\n"
                    "        log_likelihood[c] = np.log((counts + alpha) / (counts.sum() + alpha))"
                ),
            ),
        ),
        loses=["test_fit_naive_bayes"],
        feedback=["alpha * V", "sum to 1"],
        no_hint=["Add alpha to every count before dividing", "do not turn them into 0/1"],
        why="adds alpha once to the denominator instead of alpha * V: the probabilities no longer sum to 1",
    ),
    Mistake(
        name="nb_counts_presence",
        cell="fit_naive_bayes",
        code=patched(
            MODULE,
            "fit_naive_bayes",
            ("counts = rows.sum(axis=0) + alpha", "counts = (rows > 0).sum(axis=0) + alpha"),
        ),
        loses=["test_fit_naive_bayes"],
        feedback=["log_likelihood is not right", "do not turn them into 0/1"],
        no_hint=["alpha * V", "Add alpha to every count before dividing"],
        why="counts the texts that contain a word instead of its occurrences",
    ),
    # -- predict_naive_bayes ----------------------------------------------------------------------
    Mistake(
        name="predict_forgets_prior",
        cell="predict_naive_bayes",
        code=patched(
            MODULE,
            "predict_naive_bayes",
            (
                "scores = X @ log_likelihood.T + log_prior\n    return np.argmax(scores, axis=1)",
                "return np.argmax(X @ log_likelihood.T, axis=1)",
            ),
        ),
        loses=["test_predict_naive_bayes"],
        feedback=["the prior counts", "add log_prior"],
        no_hint=["Multiplying 3000 probabilities", "axis=1"],
        why="leaves out the class prior",
    ),
    Mistake(
        name="predict_argmax_without_axis",
        cell="predict_naive_bayes",
        code=patched(MODULE, "predict_naive_bayes", ("np.argmax(scores, axis=1)", "np.argmax(scores)")),
        loses=["test_predict_naive_bayes"],
        feedback=["single number", "without axis="],
        no_hint=["add log_prior", "Multiplying 3000 probabilities"],
        why="np.argmax without axis= returns one position in the flattened (N, K) matrix",
    ),
    Mistake(
        name="predict_argmax_over_reviews",
        cell="predict_naive_bayes",
        code=patched(
            MODULE, "predict_naive_bayes", ("np.argmax(scores, axis=1)", "np.argmax(scores, axis=0)")
        ),
        loses=["test_predict_naive_bayes"],
        feedback=["not over the reviews (axis=0)"],
        no_hint=["add log_prior", "without axis="],
        why="takes the argmax over the reviews; with 2 reviews and 2 classes the worked example cannot tell",
    ),
    Mistake(
        name="predict_multiplies_probabilities",
        cell="predict_naive_bayes",
        code=patched(
            MODULE,
            "predict_naive_bayes",
            (
                "scores = X @ log_likelihood.T + log_prior",
                (
                    "likelihood = np.exp(log_likelihood)\n"
                    "    scores = np.exp(log_prior) * np.prod(likelihood[None, :, :] ** X[:, None, :], axis=2)"
                ),
            ),
        ),
        loses=["test_predict_naive_bayes"],
        feedback=["3000 words", "underflow", "Multiplying 3000 probabilities"],
        no_hint=["add log_prior"],
        why="multiplies the probabilities themselves: the product underflows to 0 for long texts",
    ),
    # -- build_mlp --------------------------------------------------------------------------------
    Mistake(
        name="mlp_softmax_at_the_end",
        cell="build_mlp",
        code=patched(
            MODULE,
            "build_mlp",
            (
                "    )",
                "        nn.Softmax(),\n    )",
            ),
        ),
        loses=["test_build_mlp"],
        feedback=["no softmax", "CrossEntropyLoss applies the softmax itself"],
        no_hint=["1 - p (the keep probability)", "Seven modules"],
        why="copies Keras' softmax output layer, although CrossEntropyLoss expects logits",
    ),
    Mistake(
        name="mlp_dropout_keep_probability",
        cell="build_mlp",
        code=patched(
            MODULE,
            "build_mlp",
            ("nn.Dropout(p, seed=seed + 1),", "nn.Dropout(1 - p, seed=seed + 1),"),
            ("nn.Dropout(p, seed=seed + 3),", "nn.Dropout(1 - p, seed=seed + 3),"),
        ),
        loses=["test_build_mlp"],
        feedback=["probability of DROPPING", "1 - p"],
        no_hint=["CrossEntropyLoss applies the softmax itself"],
        why="passes the keep probability 1 - p to nn.Dropout",
    ),
    Mistake(
        name="mlp_no_activations",
        cell="build_mlp",
        code=patched(
            MODULE,
            "build_mlp",
            (
                "nn.ReLU(),\n        nn.Dropout(p, seed=seed + 1),",
                "nn.Dropout(p, seed=seed + 1),",
            ),
            ("        nn.ReLU(),\n", ""),
        ),
        loses=["test_build_mlp"],
        feedback=["Seven modules"],
        no_hint=["Put nn.Dropout(p) after the ReLU"],
        why="forgets the ReLUs: the network collapses to a linear model (module 02)",
    ),
    Mistake(
        name="mlp_no_dropout",
        cell="build_mlp",
        code=patched(
            MODULE,
            "build_mlp",
            ("        nn.Dropout(p, seed=seed + 1),\n", ""),
            ("        nn.Dropout(p, seed=seed + 3),\n", ""),
        ),
        loses=["test_build_mlp"],
        feedback=["Seven modules", "Put nn.Dropout(p) after the ReLU"],
        no_hint=["CrossEntropyLoss applies the softmax itself"],
        why="leaves out the dropout layers (the p argument is never used)",
    ),
    Mistake(
        name="mlp_linear_without_seed",
        cell="build_mlp",
        code=patched(
            MODULE,
            "build_mlp",
            ("nn.Linear(vocab_size, hidden, seed=seed),", "nn.Linear(vocab_size, hidden),"),
            ("nn.Linear(hidden, hidden, seed=seed + 2),", "nn.Linear(hidden, hidden),"),
            ("nn.Linear(hidden, num_classes, seed=seed + 4),", "nn.Linear(hidden, num_classes),"),
        ),
        loses=["test_build_mlp"],
        feedback=["Pass seed=... to every nn.Linear"],
        no_hint=["pass a seed to every nn.Dropout"],
        why="seeds the dropout layers but not the weights: two networks built with the same seed differ",
    ),
    Mistake(
        name="mlp_dropout_without_seed",
        cell="build_mlp",
        code=patched(
            MODULE,
            "build_mlp",
            ("nn.Dropout(p, seed=seed + 1),", "nn.Dropout(p),"),
            ("nn.Dropout(p, seed=seed + 3),", "nn.Dropout(p),"),
        ),
        loses=["test_build_mlp"],
        feedback=["pass a seed to every nn.Dropout"],
        no_hint=["Pass seed=... to every nn.Linear"],
        why="seeds the weights but not the dropout masks, so two runs with the same seed differ",
    ),
    # -- train_mlp --------------------------------------------------------------------------------
    Mistake(
        name="train_never_stops",
        cell="train_mlp",
        code=patched(
            MODULE,
            "train_mlp",
            ("if waited == patience:", "if False:"),
        ),
        loses=["test_train_mlp"],
        feedback=["it never stopped early"],
        why="counts the epochs without improvement but never leaves the loop",
    ),
    Mistake(
        name="train_stops_one_epoch_late",
        cell="train_mlp",
        code=patched(
            MODULE,
            "train_mlp",
            ("if waited == patience:", "if waited > patience:"),
        ),
        loses=["test_train_mlp"],
        feedback=["not one epoch later"],
        why="an off-by-one: waits patience + 1 epochs without improvement",
    ),
    Mistake(
        name="train_equal_counts_as_better",
        cell="train_mlp",
        code=patched(
            MODULE,
            "train_mlp",
            (
                'if best is None or (value < best if monitor == "val_loss" else value > best):',
                'if best is None or (value <= best if monitor == "val_loss" else value >= best):',
            ),
        ),
        loses=["test_train_mlp"],
        feedback=["strictly better"],
        why="an equal validation accuracy resets the patience counter, so training runs on",
    ),
    Mistake(
        name="train_always_minimises",
        cell="train_mlp",
        code=patched(
            MODULE,
            "train_mlp",
            (
                'if best is None or (value < best if monitor == "val_loss" else value > best):',
                "if best is None or (value < best):",
            ),
        ),
        loses=["test_train_mlp"],
        feedback=["worst epoch", "higher accuracy is better"],
        why="ignores the direction of the monitored value: keeps the least accurate epoch",
    ),
    Mistake(
        name="train_keeps_last_weights",
        cell="train_mlp",
        code=patched(
            MODULE,
            "train_mlp",
            ("    model.load_state_dict(best_state)\n", ""),
        ),
        loses=["test_train_mlp"],
        feedback=["holds the weights of the last epoch", "state_dict"],
        why="stops at the right epoch but returns the weights of the last epoch, not the best one",
    ),
    Mistake(
        name="train_fit_without_seed",
        cell="train_mlp",
        code=patched(MODULE, "train_mlp", ("            seed=seed + epoch,\n", "")),
        loses=["test_train_mlp"],
        feedback=["Something random was not seeded", "pass seed to sentiment_mlp"],
        no_hint=["it never stopped early", "holds the weights of the last epoch"],
        why="seeds the network but not the shuffling in fit: two runs with the same seed differ",
    ),
    # -- average_embeddings -----------------------------------------------------------------------
    Mistake(
        name="dan_averages_the_padding",
        cell="average_embeddings",
        code=patched(
            MODULE,
            "average_embeddings",
            (
                (
                    "ids = np.asarray(ids)\n"
                    "    E = np.asarray(E, dtype=float)\n"
                    "    words = ids != pad_id\n"
                    "    sums = (E[ids] * words[..., None]).sum(axis=1)\n"
                    "    return sums / np.maximum(words.sum(axis=1, keepdims=True), 1)"
                ),
                "return np.asarray(E)[np.asarray(ids)].mean(axis=1)",
            ),
        ),
        loses=["test_average_embeddings"],
        feedback=["Padding is not a word"],
        no_hint=["That is the sum of the vectors"],
        why="takes the mean over all L positions, padding included",
    ),
    Mistake(
        name="dan_sums_without_dividing",
        cell="average_embeddings",
        code=patched(
            MODULE,
            "average_embeddings",
            (
                (
                    "E = np.asarray(E, dtype=float)\n"
                    "    words = ids != pad_id\n"
                    "    sums = (E[ids] * words[..., None]).sum(axis=1)\n"
                    "    return sums / np.maximum(words.sum(axis=1, keepdims=True), 1)"
                ),
                "return (np.asarray(E)[ids] * (ids != pad_id)[..., None]).sum(axis=1)",
            ),
        ),
        loses=["test_average_embeddings"],
        feedback=["That is the sum of the vectors"],
        no_hint=["Padding is not a word"],
        why="an embedding-bag sum instead of the mean",
    ),
    Mistake(
        name="dan_divides_by_zero",
        cell="average_embeddings",
        code=patched(
            MODULE,
            "average_embeddings",
            ("np.maximum(words.sum(axis=1, keepdims=True), 1)", "words.sum(axis=1, keepdims=True)"),
        ),
        loses=["test_average_embeddings"],
        feedback=["0 / 0 = nan", "np.maximum(number of words, 1)"],
        no_hint=["Padding is not a word"],
        why="divides by the number of words, which is 0 for a sentence made only of padding",
    ),
    # -- window_features --------------------------------------------------------------------------
    Mistake(
        name="window_roll_wraps_around",
        cell="window_features",
        code=patched(
            MODULE,
            "window_features",
            (
                (
                    "ids = [int(i) for i in ids]\n"
                    "    padded = [pad_id] * width + ids + [pad_id] * width\n"
                    "    rows = [padded[t : t + 2 * width + 1] for t in range(len(ids))]\n"
                    "    return np.array(rows, dtype=np.int64).reshape(len(ids), 2 * width + 1)"
                ),
                (
                    "ids = np.asarray(ids)\n"
                    "    return np.stack([np.roll(ids, shift) for shift in range(width, -width - 1, -1)], axis=1)"
                ),
            ),
        ),
        loses=["test_window_features"],
        feedback=["no wrapping around", "window_features([5, 6, 7], 1, 0)"],
        no_hint=["one word late"],
        why="np.roll wraps the last word around to the front instead of padding",
    ),
    Mistake(
        name="window_off_by_one",
        cell="window_features",
        code=patched(
            MODULE,
            "window_features",
            (
                (
                    "ids = [int(i) for i in ids]\n"
                    "    padded = [pad_id] * width + ids + [pad_id] * width\n"
                    "    rows = [padded[t : t + 2 * width + 1] for t in range(len(ids))]"
                ),
                (
                    "padded = [pad_id] * width + list(ids) + [pad_id] * (width + 1)\n"
                    "    rows = [padded[t + 1 : t + 2 * width + 2] for t in range(len(ids))]"
                ),
            ),
        ),
        loses=["test_window_features"],
        feedback=["window_features([5, 6, 7], 1, 0)", "Row t is", "one word late"],
        no_hint=["no wrapping around"],
        why="slices from t + 1: every window is centred on the next word",
    ),
    Mistake(
        name="window_pads_with_zero",
        cell="window_features",
        code=patched(
            MODULE,
            "window_features",
            (
                "padded = [pad_id] * width + ids + [pad_id] * width",
                "padded = [0] * width + ids + [0] * width",
            ),
        ),
        loses=["test_window_features"],
        feedback=["window_features([1, 2, 3, 4], 2, 9)", "pad with pad_id"],
        no_hint=["no wrapping around", "one word late"],
        why="pads with 0 instead of pad_id: right whenever pad_id is 0, as in the first example",
    ),
]

EQUIVALENT = [
    Mistake(
        name="bow_binary_by_comparison",
        cell="bag_of_words",
        code=patched(MODULE, "bag_of_words", ("X = np.minimum(X, 1.0)", "X = (X > 0).astype(float)")),
        loses=(),
        why="0/1 indicators from a comparison instead of np.minimum",
    ),
    Mistake(
        name="window_np_pad_sliding",
        cell="window_features",
        code=patched(
            MODULE,
            "window_features",
            (
                (
                    "ids = [int(i) for i in ids]\n"
                    "    padded = [pad_id] * width + ids + [pad_id] * width\n"
                    "    rows = [padded[t : t + 2 * width + 1] for t in range(len(ids))]\n"
                    "    return np.array(rows, dtype=np.int64).reshape(len(ids), 2 * width + 1)"
                ),
                (
                    "padded = np.pad(np.asarray(ids, dtype=np.int64), width, constant_values=pad_id)\n"
                    "    return np.lib.stride_tricks.sliding_window_view(padded, 2 * width + 1)"
                ),
            ),
        ),
        loses=(),
        why="np.pad and a sliding window view instead of a loop over the positions",
    ),
]

SAMPLE = {"chen": ["nb_no_smoothing", "mlp_softmax_at_the_end", "window_roll_wraps_around"]}
