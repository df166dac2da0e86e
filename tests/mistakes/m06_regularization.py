"""Realistic wrong answers for module 06 (over-fitting and regularisation)."""

from tests.mistakes import Mistake

SPLIT_SEPARATELY = """
def train_val_split(X, y, val_fraction=0.2, seed=0):
    rng = np.random.default_rng(seed)
    n_val = int(round(val_fraction * len(X)))
    X_shuffled = rng.permutation(X)
    y_shuffled = rng.permutation(y)
    return (X_shuffled[n_val:], y_shuffled[n_val:]), (X_shuffled[:n_val], y_shuffled[:n_val])
"""

SPLIT_TRUNCATES = """
def train_val_split(X, y, val_fraction=0.2, seed=0):
    n_val = int(val_fraction * len(X))
    order = np.random.default_rng(seed).permutation(len(X))
    return (X[order[n_val:]], y[order[n_val:]]), (X[order[:n_val]], y[order[:n_val]])
"""

SPLIT_NO_SHUFFLE = """
def train_val_split(X, y, val_fraction=0.2, seed=0):
    n_train = len(X) - int(round(val_fraction * len(X)))
    return (X[:n_train], y[:n_train]), (X[n_train:], y[n_train:])
"""

STOP_OFF_BY_ONE = """
def early_stopping(val_losses, patience):
    best_epoch, best_loss = None, None
    for epoch, loss in enumerate(val_losses, start=1):
        if best_loss is None or loss < best_loss:
            best_epoch, best_loss = epoch, loss
        elif epoch - best_epoch > patience:
            return epoch, best_epoch
    return len(val_losses), best_epoch
"""

STOP_KEEPS_LAST = """
def early_stopping(val_losses, patience):
    best_epoch, best_loss = None, None
    for epoch, loss in enumerate(val_losses, start=1):
        if best_loss is None or loss < best_loss:
            best_epoch, best_loss = epoch, loss
        elif epoch - best_epoch >= patience:
            return epoch, epoch  # the weights we have now
    return len(val_losses), best_epoch
"""

STOP_ZERO_BASED = """
def early_stopping(val_losses, patience):
    best_epoch, best_loss = None, None
    for epoch, loss in enumerate(val_losses):
        if best_loss is None or loss < best_loss:
            best_epoch, best_loss = epoch, loss
        elif epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_losses) - 1, best_epoch
"""

STOP_TIES_IMPROVE = """
def early_stopping(val_losses, patience):
    best_epoch, best_loss = None, None
    for epoch, loss in enumerate(val_losses, start=1):
        if best_loss is None or loss <= best_loss:
            best_epoch, best_loss = epoch, loss
        elif epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_losses), best_epoch
"""


def _dropout(keep, scale, eval_branch="    if not training or p == 0:\n        return x, np.ones(x.shape)\n"):
    return (
        "def dropout_forward(x, p, training=True, seed=0):\n"
        + eval_branch
        + "    if p == 1:\n"
        + "        return np.zeros(x.shape), np.zeros(x.shape)\n"
        + "    u = np.random.default_rng(seed).random(x.shape)\n"
        + f"    mask = ({keep}) {scale}\n"
        + "    return x * mask, mask\n"
    )


DROPOUT_GLOBAL_RNG = """
def dropout_forward(x, p, training=True, seed=0):
    if not training or p == 0:
        return x, np.ones(x.shape)
    if p == 1:
        return np.zeros(x.shape), np.zeros(x.shape)
    mask = (np.random.random(x.shape) >= p) / (1 - p)
    return x * mask, mask
"""

BN_TEMPLATE = """
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    n = x.shape[0]
{stats}
    if training:
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * {running_var}
    else:
{eval_stats}
        new_mean, new_var = running_mean, running_var
    x_hat = (x - mean) / {denominator}
    return gamma * x_hat + beta, new_mean, new_var
"""

BATCH_STATS = "    mean = x.mean(axis=0)\n    var = x.var(axis=0)"
RUNNING_STATS = "        mean, var = running_mean, running_var"


def _bn(
    stats=BATCH_STATS,
    running_var="var * n / (n - 1)",
    eval_stats=RUNNING_STATS,
    denominator="np.sqrt(var + eps)",
):
    return BN_TEMPLATE.format(
        stats=stats, running_var=running_var, eval_stats=eval_stats, denominator=denominator
    )


MISTAKES = [
    # -- train_val_split -------------------------------------------------------------------------------------
    Mistake(
        name="split_shuffles_separately",
        cell="train_val_split",
        code=SPLIT_SEPARATELY,
        loses=["test_train_val_split"],
        feedback=["shuffle them separately"],
        why="X and y are shuffled with two different orders, so the labels no longer match the inputs",
    ),
    Mistake(
        name="split_truncates",
        cell="train_val_split",
        code=SPLIT_TRUNCATES,
        loses=["test_train_val_split"],
        feedback=["round"],
        why="int() cuts 0.2 * 9 = 1.8 down to 1 validation example instead of rounding to 2",
    ),
    Mistake(
        name="split_no_shuffle",
        cell="train_val_split",
        code=SPLIT_NO_SHUFFLE,
        loses=["test_train_val_split"],
        feedback=["seed"],
        why="takes the last rows as the validation set without shuffling",
    ),
    # -- early_stopping --------------------------------------------------------------------------------------
    Mistake(
        name="stopping_off_by_one",
        cell="early_stopping",
        code=STOP_OFF_BY_ONE,
        loses=["test_early_stopping"],
        feedback=["one epoch too many", "stop_epoch with patience=3"],
        absent=["(use <, not <=)", "enumerate(val_losses, start=1)", "whose weights are restored"],
        why="waits patience + 1 epochs without improvement (> instead of >=)",
    ),
    Mistake(
        name="stopping_keeps_last",
        cell="early_stopping",
        code=STOP_KEEPS_LAST,
        loses=["test_early_stopping"],
        feedback=["whose weights are restored"],
        absent=["(use <, not <=)", "one epoch too many", "enumerate(val_losses, start=1)"],
        why="keeps the weights of the stopping epoch instead of the best epoch: its stop epochs are right",
    ),
    Mistake(
        name="stopping_zero_based",
        cell="early_stopping",
        code=STOP_ZERO_BASED,
        loses=["test_early_stopping"],
        feedback=["enumerate(val_losses, start=1)"],
        absent=["(use <, not <=)", "one epoch too many"],
        why="numbers the epochs from 0",
    ),
    Mistake(
        name="stopping_ties_improve",
        cell="early_stopping",
        code=STOP_TIES_IMPROVE,
        loses=["test_early_stopping"],
        feedback=["(use <, not <=)"],
        absent=["one epoch too many", "enumerate(val_losses, start=1)", "whose weights are restored"],
        why="counts an equal loss as an improvement (<= instead of <)",
    ),
    Mistake(
        name="stopping_argmin_correct",
        cell="early_stopping",
        code=(
            "def early_stopping(val_losses, patience):\n"
            "    losses = np.asarray(val_losses, dtype=np.float32)\n"
            "    for stop in range(1, len(losses) + 1):\n"
            "        best = int(np.argmin(losses[:stop])) + 1  # argmin keeps the first of equal losses\n"
            "        if stop - best >= patience:\n"
            "            return stop, best\n"
            "    return len(losses), int(np.argmin(losses)) + 1\n"
        ),
        loses=[],
        why="correct, written differently: argmin over the losses seen so far, in float32",
    ),
    # -- dropout_forward -------------------------------------------------------------------------------------
    Mistake(
        name="dropout_no_rescale",
        cell="dropout_forward",
        code=_dropout("u >= p", "* 1.0"),
        loses=["test_dropout_forward"],
        feedback=["1.25", "mean(out)"],
        why="drops units but does not scale the kept ones by 1 / (1 - p)",
    ),
    Mistake(
        name="dropout_divides_by_p",
        cell="dropout_forward",
        code=_dropout("u >= p", "/ p"),
        loses=["test_dropout_forward"],
        feedback=["1.25"],
        why="scales the kept units by 1 / p instead of 1 / (1 - p) (the same only for p = 0.5)",
    ),
    Mistake(
        name="dropout_keep_as_drop",
        cell="dropout_forward",
        code=_dropout("u < p", "/ p"),
        loses=["test_dropout_forward"],
        feedback=["dropping"],
        why="treats p as the probability of keeping a unit (TensorFlow 1's keep_prob)",
    ),
    Mistake(
        name="dropout_at_test_time",
        cell="dropout_forward",
        code=_dropout(
            "u >= p", "/ (1 - p)", eval_branch="    if p == 0:\n        return x, np.ones(x.shape)\n"
        ),
        loses=["test_dropout_forward"],
        feedback=["evaluation mode"],
        why="ignores training=False and keeps dropping units at test time",
    ),
    Mistake(
        name="dropout_global_rng",
        cell="dropout_forward",
        code=DROPOUT_GLOBAL_RNG,
        loses=["test_dropout_forward"],
        feedback=["seed"],
        why="draws the mask from NumPy's global generator, ignoring the seed",
    ),
    # -- dropout_backward ------------------------------------------------------------------------------------
    Mistake(
        name="backward_ignores_mask",
        cell="dropout_backward",
        code="def dropout_backward(grad_output, mask):\n    return grad_output\n",
        loses=["test_dropout_backward"],
        feedback=["same mask"],
        why="passes the gradient through as if nothing had been dropped",
    ),
    Mistake(
        name="backward_forgets_scale",
        cell="dropout_backward",
        code="def dropout_backward(grad_output, mask):\n    return grad_output * (mask > 0)\n",
        loses=["test_dropout_backward"],
        feedback=["1/(1-p)"],
        why="zeroes the dropped units but forgets the 1 / (1 - p) scale of the kept ones",
    ),
    # -- l2_penalty ------------------------------------------------------------------------------------------
    Mistake(
        name="l2_no_half",
        cell="l2_penalty",
        code=(
            "def l2_penalty(weights, weight_decay):\n"
            "    penalty = weight_decay * sum(float(np.sum(W**2)) for W in weights)\n"
            "    return penalty, [2 * weight_decay * W for W in weights]\n"
        ),
        loses=["test_l2_penalty"],
        feedback=["1/2"],
        why="uses lambda * sum(W**2) and 2 lambda W, twice the penalty and gradient asked for",
    ),
    Mistake(
        name="l2_absolute_values",
        cell="l2_penalty",
        code=(
            "def l2_penalty(weights, weight_decay):\n"
            "    penalty = 0.5 * weight_decay * sum(float(np.sum(np.abs(W))) for W in weights)\n"
            "    return penalty, [0.5 * weight_decay * np.sign(W) for W in weights]\n"
        ),
        loses=["test_l2_penalty"],
        feedback=["square"],
        why="an L1 penalty (absolute values) instead of squares",
    ),
    Mistake(
        name="l2_last_matrix_only",
        cell="l2_penalty",
        code=(
            "def l2_penalty(weights, weight_decay):\n"
            "    grads = []\n"
            "    for W in weights:\n"
            "        penalty = 0.5 * weight_decay * np.sum(W**2)\n"
            "        grads.append(weight_decay * W)\n"
            "    return penalty, grads\n"
        ),
        loses=["test_l2_penalty"],
        feedback=["all matrices"],
        why="overwrites the penalty in the loop, so only the last matrix counts",
    ),
    # -- batchnorm_forward -----------------------------------------------------------------------------------
    Mistake(
        name="bn_wrong_axis",
        cell="batchnorm_forward",
        code=_bn(stats="    mean = x.mean(axis=1, keepdims=True)\n    var = x.var(axis=1, keepdims=True)"),
        loses=["test_batchnorm_forward"],
        feedback=["axis=0"],
        why="normalises each example (row) instead of each feature (column)",
    ),
    Mistake(
        name="bn_eval_batch_stats",
        cell="batchnorm_forward",
        code=_bn(eval_stats="        pass"),
        loses=["test_batchnorm_forward"],
        feedback=["running_mean and running_var"],
        why="uses the batch statistics in evaluation mode too",
    ),
    Mistake(
        name="bn_biased_running_var",
        cell="batchnorm_forward",
        code=_bn(running_var="var"),
        loses=["test_batchnorm_forward"],
        feedback=["N - 1"],
        why="updates the running variance with the biased batch variance (divided by N)",
    ),
    Mistake(
        name="bn_eps_outside_sqrt",
        cell="batchnorm_forward",
        code=_bn(denominator="(np.sqrt(var) + eps)"),
        loses=["test_batchnorm_forward"],
        feedback=["sqrt(var + eps)"],
        why="adds eps to the standard deviation instead of the variance",
    ),
    Mistake(
        name="bn_no_eps",
        cell="batchnorm_forward",
        code=_bn(denominator="np.sqrt(var)"),
        loses=["test_batchnorm_forward"],
        feedback=["eps"],
        why="forgets eps, so a constant feature divides zero by zero",
    ),
]

SAMPLE = {"chen": ["stopping_keeps_last", "dropout_no_rescale", "bn_eval_batch_stats"]}
