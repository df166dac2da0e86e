"""Realistic wrong answers for module 06 (over-fitting and regularisation)."""

from tests.mistakes import Mistake, patched

MODULE = "06_regularization"

MISTAKES = [
    # -- train_val_split -------------------------------------------------------------------------------------
    Mistake(
        name="split_shuffles_separately",
        cell="train_val_split",
        code=patched(
            MODULE,
            "train_val_split",
            (
                (
                    "n = len(X)\n"
                    "    n_val = int(round(val_fraction * n))\n"
                    "    order = np.random.default_rng(seed).permutation(n)\n"
                    "    val_index, train_index = order[:n_val], order[n_val:]\n"
                    "    return (X[train_index], y[train_index]), (X[val_index], y[val_index])"
                ),
                (
                    "rng = np.random.default_rng(seed)\n"
                    "    n_val = int(round(val_fraction * len(X)))\n"
                    "    X_shuffled = rng.permutation(X)\n"
                    "    y_shuffled = rng.permutation(y)\n"
                    "    return (X_shuffled[n_val:], y_shuffled[n_val:]), (X_shuffled[:n_val], y_shuffled[:n_val])"
                ),
            ),
        ),
        loses=["test_train_val_split"],
        feedback=["shuffle them separately"],
        why="X and y are shuffled with two different orders, so the labels no longer match the inputs",
    ),
    Mistake(
        name="split_truncates",
        cell="train_val_split",
        code=patched(
            MODULE,
            "train_val_split",
            (
                (
                    "n = len(X)\n"
                    "    n_val = int(round(val_fraction * n))\n"
                    "    order = np.random.default_rng(seed).permutation(n)\n"
                    "    val_index, train_index = order[:n_val], order[n_val:]\n"
                    "    return (X[train_index], y[train_index]), (X[val_index], y[val_index])"
                ),
                (
                    "n_val = int(val_fraction * len(X))\n"
                    "    order = np.random.default_rng(seed).permutation(len(X))\n"
                    "    return (X[order[n_val:]], y[order[n_val:]]), (X[order[:n_val]], y[order[:n_val]])"
                ),
            ),
        ),
        loses=["test_train_val_split"],
        feedback=["round"],
        why="int() cuts 0.2 * 9 = 1.8 down to 1 validation example instead of rounding to 2",
    ),
    Mistake(
        name="split_no_shuffle",
        cell="train_val_split",
        code=patched(
            MODULE,
            "train_val_split",
            (
                (
                    "n = len(X)\n"
                    "    n_val = int(round(val_fraction * n))\n"
                    "    order = np.random.default_rng(seed).permutation(n)\n"
                    "    val_index, train_index = order[:n_val], order[n_val:]\n"
                    "    return (X[train_index], y[train_index]), (X[val_index], y[val_index])"
                ),
                (
                    "n_train = len(X) - int(round(val_fraction * len(X)))\n"
                    "    return (X[:n_train], y[:n_train]), (X[n_train:], y[n_train:])"
                ),
            ),
        ),
        loses=["test_train_val_split"],
        feedback=["seed"],
        why="takes the last rows as the validation set without shuffling",
    ),
    Mistake(
        name="split_two_permutations",
        cell="train_val_split",
        code=patched(
            MODULE,
            "train_val_split",
            (
                "order = np.random.default_rng(seed).permutation(n)\n"
                "    val_index, train_index = order[:n_val], order[n_val:]",
                "rng = np.random.default_rng(seed)\n"
                "    val_index = rng.permutation(n)[:n_val]\n"
                "    train_index = rng.permutation(n)[n_val:]",
            ),
        ),
        loses=["test_train_val_split"],
        feedback=["in both the training and the validation set", "two calls to permutation"],
        no_hint=["never shuffle them separately", "np.random.permutation uses"],
        why="draws a new permutation for each set, so some examples end up in both sets and others in neither",
    ),
    Mistake(
        name="split_global_rng",
        cell="train_val_split",
        code=patched(
            MODULE,
            "train_val_split",
            ("order = np.random.default_rng(seed).permutation(n)", "order = np.random.permutation(n)"),
        ),
        loses=["test_train_val_split"],
        feedback=["two calls with seed 0", "global generator"],
        no_hint=["instead of taking the last rows", "two calls to permutation"],
        why="shuffles with NumPy's global generator, so the seed is ignored and each call gives another split",
    ),
    Mistake(
        name="split_val_at_end",
        cell="train_val_split",
        code=patched(
            MODULE,
            "train_val_split",
            (
                "val_index, train_index = order[:n_val], order[n_val:]",
                "train_index, val_index = order[: n - n_val], order[n - n_val :]",
            ),
        ),
        loses=["test_train_val_split"],
        feedback=["FIRST n_val indices"],
        no_hint=["global generator", "instead of taking the last rows"],
        why="cuts the shuffled order as 'training first, validation last', the reverse of the recipe: only the "
        "hidden check of the recipe sees it",
    ),
    # -- early_stopping --------------------------------------------------------------------------------------
    Mistake(
        name="stopping_off_by_one",
        cell="early_stopping",
        code=patched(
            MODULE,
            "early_stopping",
            ("elif epoch - best_epoch >= patience:", "elif epoch - best_epoch > patience:"),
        ),
        loses=["test_early_stopping"],
        feedback=["one epoch too many", "stop_epoch with patience=3"],
        absent=["(use <, not <=)", "enumerate(val_losses, start=1)", "whose weights are restored"],
        why="waits patience + 1 epochs without improvement (> instead of >=)",
    ),
    Mistake(
        name="stopping_keeps_last",
        cell="early_stopping",
        code=patched(
            MODULE,
            "early_stopping",
            ("return epoch, best_epoch", "return epoch, epoch  # the weights we have now"),
        ),
        loses=["test_early_stopping"],
        feedback=["whose weights are restored"],
        absent=["(use <, not <=)", "one epoch too many", "enumerate(val_losses, start=1)"],
        why="keeps the weights of the stopping epoch instead of the best epoch: its stop epochs are right",
    ),
    Mistake(
        name="stopping_zero_based",
        cell="early_stopping",
        code=patched(
            MODULE,
            "early_stopping",
            (
                "for epoch, loss in enumerate(val_losses, start=1):",
                "for epoch, loss in enumerate(val_losses):",
            ),
            ("return len(val_losses), best_epoch", "return len(val_losses) - 1, best_epoch"),
        ),
        loses=["test_early_stopping"],
        feedback=["enumerate(val_losses, start=1)"],
        absent=["(use <, not <=)", "one epoch too many"],
        why="numbers the epochs from 0",
    ),
    Mistake(
        name="stopping_ties_improve",
        cell="early_stopping",
        code=patched(
            MODULE,
            "early_stopping",
            ("if best_loss is None or loss < best_loss:", "if best_loss is None or loss <= best_loss:"),
        ),
        loses=["test_early_stopping"],
        feedback=["(use <, not <=)"],
        absent=["one epoch too many", "enumerate(val_losses, start=1)", "whose weights are restored"],
        no_hint=["uses up the patience too"],
        why="counts an equal loss as an improvement (<= instead of <)",
    ),
    Mistake(
        name="stopping_ties_not_counted",
        cell="early_stopping",
        code=patched(
            MODULE,
            "early_stopping",
            ("best_epoch, best_loss = None, None", "best_epoch, best_loss, worse = None, None, 0"),
            ("best_epoch, best_loss = epoch, loss", "best_epoch, best_loss, worse = epoch, loss, 0"),
            (
                "elif epoch - best_epoch >= patience:\n            return epoch, best_epoch",
                "elif loss > best_loss:  # one more epoch that got worse\n"
                "            worse += 1\n"
                "            if worse >= patience:\n"
                "                return epoch, best_epoch",
            ),
        ),
        loses=["test_early_stopping"],
        feedback=["uses up the patience too", "stop_epoch of [0.5, 0.5, 0.5, 0.5, 0.5]"],
        no_hint=["(use <, not <=)", "one epoch too many"],
        why="uses < for an improvement (right), but counts only the epochs that got worse towards the patience, "
        "so an equal loss neither improves nor uses up the patience: it never stops on a flat curve",
    ),
    # -- dropout_forward -------------------------------------------------------------------------------------
    Mistake(
        name="dropout_no_rescale",
        cell="dropout_forward",
        code=patched(
            MODULE,
            "dropout_forward",
            ("mask = (u >= p) / (1 - p)", "mask = (u >= p) * 1.0"),
        ),
        loses=["test_dropout_forward"],
        feedback=["1.25", "mean(out)"],
        no_hint=["1 / p = 5", "probability of DROPPING an entry"],
        why="drops units but does not scale the kept ones by 1 / (1 - p)",
    ),
    Mistake(
        name="dropout_divides_by_p",
        cell="dropout_forward",
        code=patched(
            MODULE,
            "dropout_forward",
            ("mask = (u >= p) / (1 - p)", "mask = (u >= p) / p"),
        ),
        loses=["test_dropout_forward"],
        feedback=["1.25"],
        no_hint=["stayed 1", "probability of DROPPING an entry"],
        why="scales the kept units by 1 / p instead of 1 / (1 - p) (the same only for p = 0.5)",
    ),
    Mistake(
        name="dropout_keep_as_drop",
        cell="dropout_forward",
        code=patched(
            MODULE,
            "dropout_forward",
            ("mask = (u >= p) / (1 - p)", "mask = (u < p) / p"),
        ),
        loses=["test_dropout_forward"],
        feedback=["dropping"],
        no_hint=["stayed 1", "Your mask holds 1"],
        why="treats p as the probability of keeping a unit (TensorFlow 1's keep_prob)",
    ),
    Mistake(
        name="dropout_at_test_time",
        cell="dropout_forward",
        code=patched(
            MODULE,
            "dropout_forward",
            ("if not training or p == 0:", "if p == 0:"),
        ),
        loses=["test_dropout_forward"],
        feedback=["evaluation mode"],
        why="ignores training=False and keeps dropping units at test time",
    ),
    Mistake(
        name="dropout_global_rng",
        cell="dropout_forward",
        code=patched(
            MODULE,
            "dropout_forward",
            (
                "u = np.random.default_rng(seed).random(x.shape)\n    mask = (u >= p) / (1 - p)",
                "mask = (np.random.random(x.shape) >= p) / (1 - p)",
            ),
        ),
        loses=["test_dropout_forward"],
        feedback=["seed"],
        no_hint=["probability of DROPPING an entry", "Your mask holds 1"],
        why="draws the mask from NumPy's global generator, ignoring the seed",
    ),
    Mistake(
        name="dropout_p_one_nan",
        cell="dropout_forward",
        code=patched(
            MODULE,
            "dropout_forward",
            ("    if p == 1:\n        return np.zeros(x.shape), np.zeros(x.shape)\n", ""),
        ),
        loses=["test_dropout_forward"],
        feedback=["divides 0 by 0"],
        no_hint=["KEEP probability", "still dropped entries"],
        why="forgets the special case p = 1, where (u >= 1) / (1 - 1) is 0 / 0 = nan",
    ),
    # -- dropout_backward ------------------------------------------------------------------------------------
    Mistake(
        name="backward_ignores_mask",
        cell="dropout_backward",
        code=patched(
            MODULE,
            "dropout_backward",
            ("return grad_output * mask", "return grad_output"),
        ),
        loses=["test_dropout_backward"],
        feedback=["same mask"],
        no_hint=["not by mask > 0"],
        why="passes the gradient through as if nothing had been dropped",
    ),
    Mistake(
        name="backward_forgets_scale",
        cell="dropout_backward",
        code=patched(
            MODULE,
            "dropout_backward",
            ("return grad_output * mask", "return grad_output * (mask > 0)"),
        ),
        loses=["test_dropout_backward"],
        feedback=["1/(1-p)"],
        no_hint=["came back unchanged", "had no effect on the loss"],
        why="zeroes the dropped units but forgets the 1 / (1 - p) scale of the kept ones",
    ),
    # -- l2_penalty ------------------------------------------------------------------------------------------
    Mistake(
        name="l2_no_half",
        cell="l2_penalty",
        code=patched(
            MODULE,
            "l2_penalty",
            (
                (
                    "penalty = 0.5 * weight_decay * sum(float(np.sum(W**2)) for W in weights)\n"
                    "    grads = [weight_decay * W for W in weights]\n"
                    "    return penalty, grads"
                ),
                (
                    "penalty = weight_decay * sum(float(np.sum(W**2)) for W in weights)\n"
                    "    return penalty, [2 * weight_decay * W for W in weights]"
                ),
            ),
        ),
        loses=["test_l2_penalty"],
        feedback=["1/2"],
        no_hint=["Square the weights", "Only the last matrix"],
        why="uses lambda * sum(W**2) and 2 lambda W, twice the penalty and gradient asked for",
    ),
    Mistake(
        name="l2_absolute_values",
        cell="l2_penalty",
        code=patched(
            MODULE,
            "l2_penalty",
            (
                (
                    "penalty = 0.5 * weight_decay * sum(float(np.sum(W**2)) for W in weights)\n"
                    "    grads = [weight_decay * W for W in weights]\n"
                    "    return penalty, grads"
                ),
                (
                    "penalty = 0.5 * weight_decay * sum(float(np.sum(np.abs(W))) for W in weights)\n"
                    "    return penalty, [0.5 * weight_decay * np.sign(W) for W in weights]"
                ),
            ),
        ),
        loses=["test_l2_penalty"],
        feedback=["square"],
        no_hint=["1/2 is missing", "Only the last matrix"],
        why="an L1 penalty (absolute values) instead of squares",
    ),
    Mistake(
        name="l2_last_matrix_only",
        cell="l2_penalty",
        code=patched(
            MODULE,
            "l2_penalty",
            (
                (
                    "penalty = 0.5 * weight_decay * sum(float(np.sum(W**2)) for W in weights)\n"
                    "    grads = [weight_decay * W for W in weights]"
                ),
                (
                    "grads = []\n"
                    "    for W in weights:\n"
                    "        penalty = 0.5 * weight_decay * np.sum(W**2)\n"
                    "        grads.append(weight_decay * W)"
                ),
            ),
        ),
        loses=["test_l2_penalty"],
        feedback=["all matrices"],
        no_hint=["1/2 is missing", "Square the weights"],
        why="overwrites the penalty in the loop, so only the last matrix counts",
    ),
    # -- batchnorm_forward -----------------------------------------------------------------------------------
    Mistake(
        name="bn_wrong_axis",
        cell="batchnorm_forward",
        code=patched(
            MODULE,
            "batchnorm_forward",
            (
                (
                    "if training:\n"
                    "        n = x.shape[0]\n"
                    "        mean = x.mean(axis=0)\n"
                    "        var = x.var(axis=0)"
                ),
                (
                    "n = x.shape[0]\n"
                    "    mean = x.mean(axis=1, keepdims=True)\n"
                    "    var = x.var(axis=1, keepdims=True)\n"
                    "    if training:"
                ),
            ),
        ),
        loses=["test_batchnorm_forward"],
        feedback=["axis=0"],
        why="normalises each example (row) instead of each feature (column)",
    ),
    Mistake(
        name="bn_eval_batch_stats",
        cell="batchnorm_forward",
        code=patched(
            MODULE,
            "batchnorm_forward",
            (
                (
                    "if training:\n"
                    "        n = x.shape[0]\n"
                    "        mean = x.mean(axis=0)\n"
                    "        var = x.var(axis=0)"
                ),
                "n = x.shape[0]\n    mean = x.mean(axis=0)\n    var = x.var(axis=0)\n    if training:",
            ),
            ("mean, var = running_mean, running_var", "pass"),
        ),
        loses=["test_batchnorm_forward"],
        feedback=["running_mean and running_var"],
        why="uses the batch statistics in evaluation mode too",
    ),
    Mistake(
        name="bn_biased_running_var",
        cell="batchnorm_forward",
        code=patched(
            MODULE,
            "batchnorm_forward",
            (
                (
                    "if training:\n"
                    "        n = x.shape[0]\n"
                    "        mean = x.mean(axis=0)\n"
                    "        var = x.var(axis=0)\n"
                    "        new_mean = (1 - momentum) * running_mean + momentum * mean\n"
                    "        new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)"
                ),
                (
                    "n = x.shape[0]\n"
                    "    mean = x.mean(axis=0)\n"
                    "    var = x.var(axis=0)\n"
                    "    if training:\n"
                    "        new_mean = (1 - momentum) * running_mean + momentum * mean\n"
                    "        new_var = (1 - momentum) * running_var + momentum * var"
                ),
            ),
        ),
        loses=["test_batchnorm_forward"],
        feedback=["N - 1"],
        no_hint=["other way round"],
        why="updates the running variance with the biased batch variance (divided by N)",
    ),
    Mistake(
        name="bn_momentum_swapped",
        cell="batchnorm_forward",
        code=patched(
            MODULE,
            "batchnorm_forward",
            (
                "new_mean = (1 - momentum) * running_mean + momentum * mean",
                "new_mean = momentum * running_mean + (1 - momentum) * mean",
            ),
            (
                "new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)",
                "new_var = momentum * running_var + (1 - momentum) * var * n / (n - 1)",
            ),
        ),
        loses=["test_batchnorm_forward"],
        feedback=["other way round"],
        no_hint=["divides by N - 1", "running_mean and running_var, not"],
        why="uses Keras's convention (momentum is the weight of the old value) where PyTorch's is asked for",
    ),
    Mistake(
        name="bn_eps_outside_sqrt",
        cell="batchnorm_forward",
        code=patched(
            MODULE,
            "batchnorm_forward",
            (
                (
                    "if training:\n"
                    "        n = x.shape[0]\n"
                    "        mean = x.mean(axis=0)\n"
                    "        var = x.var(axis=0)"
                ),
                "n = x.shape[0]\n    mean = x.mean(axis=0)\n    var = x.var(axis=0)\n    if training:",
            ),
            ("x_hat = (x - mean) / np.sqrt(var + eps)", "x_hat = (x - mean) / (np.sqrt(var) + eps)"),
        ),
        loses=["test_batchnorm_forward"],
        feedback=["sqrt(var + eps)"],
        why="adds eps to the standard deviation instead of the variance",
    ),
    Mistake(
        name="bn_no_eps",
        cell="batchnorm_forward",
        code=patched(
            MODULE,
            "batchnorm_forward",
            (
                (
                    "if training:\n"
                    "        n = x.shape[0]\n"
                    "        mean = x.mean(axis=0)\n"
                    "        var = x.var(axis=0)"
                ),
                "n = x.shape[0]\n    mean = x.mean(axis=0)\n    var = x.var(axis=0)\n    if training:",
            ),
            ("x_hat = (x - mean) / np.sqrt(var + eps)", "x_hat = (x - mean) / np.sqrt(var)"),
        ),
        loses=["test_batchnorm_forward"],
        feedback=["eps"],
        no_hint=["The denominator is sqrt(var + eps), not"],
        why="forgets eps, so a constant feature divides zero by zero",
    ),
]

EQUIVALENT = [
    Mistake(
        name="split_np_split",
        cell="train_val_split",
        code=patched(
            MODULE,
            "train_val_split",
            (
                "val_index, train_index = order[:n_val], order[n_val:]",
                "val_index, train_index = np.split(order, [n_val])",
            ),
        ),
        loses=[],
        why="cuts the shuffled order with np.split instead of slicing",
    ),
    Mistake(
        name="stopping_counter",
        cell="early_stopping",
        code=patched(
            MODULE,
            "early_stopping",
            ("best_epoch, best_loss = None, None", "best_epoch, best_loss, waited = None, None, 0"),
            ("best_epoch, best_loss = epoch, loss", "best_epoch, best_loss, waited = epoch, loss, 0"),
            (
                "elif epoch - best_epoch >= patience:\n            return epoch, best_epoch",
                "else:\n"
                "            waited += 1  # one more epoch without improvement, an equal loss included\n"
                "            if waited >= patience:\n"
                "                return epoch, best_epoch",
            ),
        ),
        loses=[],
        why="counts the epochs without improvement in a variable instead of computing epoch - best_epoch",
    ),
    Mistake(
        name="dropout_where",
        cell="dropout_forward",
        code=patched(
            MODULE,
            "dropout_forward",
            ("mask = (u >= p) / (1 - p)", "mask = np.where(u < p, 0.0, 1.0 / (1 - p))"),
        ),
        loses=[],
        why="builds the mask with np.where instead of dividing a True/False array",
    ),
    Mistake(
        name="l2_frobenius_norm",
        cell="l2_penalty",
        code=patched(
            MODULE,
            "l2_penalty",
            ("sum(float(np.sum(W**2)) for W in weights)", "sum(np.linalg.norm(W) ** 2 for W in weights)"),
        ),
        loses=[],
        why="the sum of squares as the squared Frobenius norm (a NumPy float, not a Python float)",
    ),
    Mistake(
        name="stopping_argmin_correct",
        cell="early_stopping",
        code=patched(
            MODULE,
            "early_stopping",
            (
                (
                    "best_epoch, best_loss = None, None\n"
                    "    for epoch, loss in enumerate(val_losses, start=1):\n"
                    "        if best_loss is None or loss < best_loss:\n"
                    "            best_epoch, best_loss = epoch, loss\n"
                    "        elif epoch - best_epoch >= patience:\n"
                    "            return epoch, best_epoch\n"
                    "    return len(val_losses), best_epoch"
                ),
                (
                    "losses = np.asarray(val_losses, dtype=np.float32)\n"
                    "    for stop in range(1, len(losses) + 1):\n"
                    "        best = int(np.argmin(losses[:stop])) + 1  # argmin keeps the first of equal losses\n"
                    "        if stop - best >= patience:\n"
                    "            return stop, best\n"
                    "    return len(losses), int(np.argmin(losses)) + 1"
                ),
            ),
        ),
        loses=[],
        why="correct, written differently: argmin over the losses seen so far, in float32",
    ),
]

SAMPLE = {"chen": ["stopping_keeps_last", "dropout_no_rescale", "bn_eval_batch_stats"]}
