"""Realistic wrong answers for module 03 (entropy and loss functions)."""

from tests.mistakes import Mistake, patched

MODULE = "03_entropy"

MISTAKES = [
    Mistake(
        name="entropy_ignores_base",
        cell="entropy",
        code=patched(
            MODULE,
            "entropy",
            (
                (
                    "safe_log = np.log(np.where(p > 0, p, 1.0)) / np.log(base)\n"
                    "    return -np.sum(p * safe_log, axis=-1)"
                ),
                "return -np.sum(p * np.log2(np.where(p > 0, p, 1.0)), axis=-1)",
            ),
        ),
        loses=["test_entropy"],
        feedback=["np.log(base)"],
        why="always counts in bits",
    ),
    Mistake(
        name="entropy_no_zero_guard",
        cell="entropy",
        code=patched(
            MODULE,
            "entropy",
            (
                (
                    "safe_log = np.log(np.where(p > 0, p, 1.0)) / np.log(base)\n"
                    "    return -np.sum(p * safe_log, axis=-1)"
                ),
                "return -np.sum(p * np.log(p), axis=-1) / np.log(base)",
            ),
        ),
        loses=["test_entropy"],
        feedback=["p > 0", "nan"],
        why="0 * log(0) gives nan and a warning",
    ),
    Mistake(
        name="entropy_sums_everything",
        cell="entropy",
        code=patched(
            MODULE,
            "entropy",
            (
                (
                    "safe_log = np.log(np.where(p > 0, p, 1.0)) / np.log(base)\n"
                    "    return -np.sum(p * safe_log, axis=-1)"
                ),
                "return -np.sum(p * np.log(np.where(p > 0, p, 1.0))) / np.log(base)",
            ),
        ),
        loses=["test_entropy"],
        feedback=["not over all entries"],
        why="adds up a whole batch into one number",
    ),
    Mistake(
        name="entropy_no_minus_sign",
        cell="entropy",
        code=patched(
            MODULE,
            "entropy",
            (
                (
                    "safe_log = np.log(np.where(p > 0, p, 1.0)) / np.log(base)\n"
                    "    return -np.sum(p * safe_log, axis=-1)"
                ),
                "return np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=-1) / np.log(base)",
            ),
        ),
        loses=["test_entropy"],
        feedback=["got -0.5665"],
        why="forgets the minus sign, so entropies come out negative",
    ),
    Mistake(
        name="ce_arguments_swapped",
        cell="cross_entropy",
        code=patched(
            MODULE,
            "cross_entropy",
            (
                (
                    "safe_log = np.log(np.where(y > 0, p, 1.0)) / np.log(base)\n"
                    "    return -np.sum(y * safe_log, axis=-1)"
                ),
                "return -np.sum(p * np.log(y), axis=-1) / np.log(base)",
            ),
        ),
        loses=["test_cross_entropy"],
        feedback=["the truth y weights the log"],
        no_hint=["largest one"],
        why="-sum(p log y) instead of -sum(y log p)",
    ),
    Mistake(
        name="ce_ignores_base",
        cell="cross_entropy",
        code=patched(
            MODULE,
            "cross_entropy",
            (
                "safe_log = np.log(np.where(y > 0, p, 1.0)) / np.log(base)",
                "safe_log = np.log2(np.where(y > 0, p, 1.0))",
            ),
        ),
        loses=["test_cross_entropy"],
        feedback=["cross_entropy([0.25, 0.75], [0.5, 0.5], base=e)", "np.log(base)"],
        no_hint=["largest one", "the truth y weights the log"],
        why="always takes log2, the base of the lecture's examples, and ignores the base argument",
    ),
    Mistake(
        name="ce_largest_class_only",
        cell="cross_entropy",
        code=patched(
            MODULE,
            "cross_entropy",
            (
                (
                    "safe_log = np.log(np.where(y > 0, p, 1.0)) / np.log(base)\n"
                    "    return -np.sum(y * safe_log, axis=-1)"
                ),
                (
                    "k = np.expand_dims(np.argmax(y, axis=-1), -1)\n"
                    "    return -np.log(np.take_along_axis(p, k, -1)[..., 0]) / np.log(base)"
                ),
            ),
        ),
        loses=["test_cross_entropy"],
        feedback=["weighted by y"],
        no_hint=["the truth y weights the log"],
        why="only looks at the most likely true class, which is wrong for soft labels",
    ),
    Mistake(
        name="ce_no_zero_guard",
        cell="cross_entropy",
        code=patched(
            MODULE,
            "cross_entropy",
            (
                (
                    "safe_log = np.log(np.where(y > 0, p, 1.0)) / np.log(base)\n"
                    "    return -np.sum(y * safe_log, axis=-1)"
                ),
                "return -np.sum(y * np.log(p), axis=-1) / np.log(base)",
            ),
        ),
        loses=["test_cross_entropy"],
        feedback=["only where y > 0"],
        why="0 * log(0) gives nan when a predicted probability is exactly 0",
    ),
    Mistake(
        name="bce_sum_not_mean",
        cell="binary_cross_entropy",
        code=patched(
            MODULE,
            "binary_cross_entropy",
            (
                (
                    "y = np.asarray(y, dtype=float)\n"
                    "    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)\n"
                    "    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))"
                ),
                (
                    "p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)\n"
                    "    p = np.clip(p, eps, 1 - eps)\n"
                    "    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))"
                ),
            ),
        ),
        loses=["test_binary_cross_entropy"],
        feedback=["mean (not the sum)"],
        no_hint=["natural log", "-ln(1 - p)"],
        why="adds the per-example losses instead of averaging them",
    ),
    Mistake(
        name="bce_no_clipping",
        cell="binary_cross_entropy",
        code=patched(
            MODULE,
            "binary_cross_entropy",
            (
                "y = np.asarray(y, dtype=float)\n    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)",
                "p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)",
            ),
        ),
        loses=["test_binary_cross_entropy"],
        feedback=["np.clip"],
        why="log(0) for a certain, wrong prediction",
    ),
    Mistake(
        name="bce_log2",
        cell="binary_cross_entropy",
        code=patched(
            MODULE,
            "binary_cross_entropy",
            (
                (
                    "y = np.asarray(y, dtype=float)\n"
                    "    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)\n"
                    "    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))"
                ),
                (
                    "p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)\n"
                    "    p = np.clip(p, eps, 1 - eps)\n"
                    "    return float(-np.mean(y * np.log2(p) + (1 - y) * np.log2(1 - p)))"
                ),
            ),
        ),
        loses=["test_binary_cross_entropy"],
        feedback=["natural log"],
        no_hint=["mean (not the sum)"],
        why="bits instead of nats",
    ),
    Mistake(
        name="bce_forgets_class_zero",
        cell="binary_cross_entropy",
        code=patched(
            MODULE,
            "binary_cross_entropy",
            (
                (
                    "y = np.asarray(y, dtype=float)\n"
                    "    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)\n"
                    "    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))"
                ),
                (
                    "p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)\n"
                    "    p = np.clip(p, eps, 1 - eps)\n"
                    "    return float(-np.mean(y * np.log(p)))"
                ),
            ),
        ),
        loses=["test_binary_cross_entropy"],
        feedback=["-ln(1 - p)"],
        no_hint=["mean (not the sum)", "natural log"],
        why="drops the (1 - y) log(1 - p) term, so class-0 examples cost nothing",
    ),
    Mistake(
        name="softmax_no_shift",
        cell="softmax",
        code=patched(
            MODULE,
            "softmax",
            (
                "s = np.asarray(s, dtype=float)\n    e = np.exp(s - np.max(s, axis=-1, keepdims=True))",
                "e = np.exp(s)",
            ),
        ),
        loses=["test_softmax"],
        feedback=["subtract the maximum"],
        why="exp overflows for large scores",
    ),
    Mistake(
        name="softmax_global_max",
        cell="softmax",
        code=patched(
            MODULE,
            "softmax",
            (
                "s = np.asarray(s, dtype=float)\n    e = np.exp(s - np.max(s, axis=-1, keepdims=True))",
                "e = np.exp(s - np.max(s))",
            ),
        ),
        loses=["test_softmax"],
        feedback=["maximum of each row"],
        no_hint=["keepdims=True: np.sum"],
        why="subtracts the maximum of the whole batch, so rows with small scores underflow to 0 / 0",
    ),
    Mistake(
        name="softmax_wrong_axis",
        cell="softmax",
        code=patched(
            MODULE,
            "softmax",
            (
                (
                    "s = np.asarray(s, dtype=float)\n"
                    "    e = np.exp(s - np.max(s, axis=-1, keepdims=True))\n"
                    "    return e / np.sum(e, axis=-1, keepdims=True)"
                ),
                (
                    "e = np.exp(s - np.max(s, axis=0, keepdims=True))\n"
                    "    return e / np.sum(e, axis=0, keepdims=True)"
                ),
            ),
        ),
        loses=["test_softmax"],
        feedback=["keepdims=True"],
        why="normalises the columns of a batch instead of the rows",
    ),
    Mistake(
        name="softmax_textbook_one_row",
        cell="softmax",
        code=patched(
            MODULE,
            "softmax",
            (
                (
                    "s = np.asarray(s, dtype=float)\n"
                    "    e = np.exp(s - np.max(s, axis=-1, keepdims=True))\n"
                    "    return e / np.sum(e, axis=-1, keepdims=True)"
                ),
                "return np.exp(s) / np.sum(np.exp(s))",
            ),
        ),
        loses=["test_softmax"],
        feedback=["softmax of a (2, 3) batch", "normalise each row on its own"],
        no_hint=["np.sum(e, axis=-1", "maximum of each row"],
        why="the formula exp(s) / sum(exp(s)) written for a single row: a batch is normalised as a whole, and "
        "large scores overflow",
    ),
    Mistake(
        name="log_softmax_log_of_softmax",
        cell="log_softmax",
        code=patched(
            MODULE,
            "log_softmax",
            (
                (
                    "s = np.asarray(s, dtype=float)\n"
                    "    shifted = s - np.max(s, axis=-1, keepdims=True)\n"
                    "    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))"
                ),
                (
                    "e = np.exp(s - np.max(s, axis=-1, keepdims=True))\n"
                    "    return np.log(e / np.sum(e, axis=-1, keepdims=True))"
                ),
            ),
        ),
        loses=["test_log_softmax"],
        feedback=["do not take np.log of a softmax", "underflows to 0"],
        no_hint=["overflows to inf"],
        why="log(softmax) gives log(0) = -inf for very unlikely classes",
    ),
    Mistake(
        name="log_softmax_no_shift",
        cell="log_softmax",
        code=patched(
            MODULE,
            "log_softmax",
            (
                (
                    "s = np.asarray(s, dtype=float)\n"
                    "    shifted = s - np.max(s, axis=-1, keepdims=True)\n"
                    "    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))"
                ),
                "return s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))",
            ),
        ),
        loses=["test_log_softmax"],
        feedback=["(s - max)", "overflows to inf"],
        no_hint=["np.log of a softmax"],
        why="log-sum-exp without the shift overflows",
    ),
    Mistake(
        name="mae_no_abs",
        cell="regression_losses",
        code=patched(
            MODULE,
            "regression_losses",
            (
                "return float(np.mean((np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)) ** 2))",
                "return float(np.mean((y_hat - y) ** 2))",
            ),
            (
                "return float(np.mean(np.abs(np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float))))",
                "return float(np.mean(y_hat - y))",
            ),
        ),
        loses=["test_regression_losses"],
        feedback=["np.abs"],
        why="positive and negative errors cancel",
    ),
    Mistake(
        name="mse_is_rmse",
        cell="regression_losses",
        code=patched(
            MODULE,
            "regression_losses",
            (
                "return float(np.mean((np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)) ** 2))",
                "return float(np.sqrt(np.mean((y_hat - y) ** 2)))",
            ),
            (
                "return float(np.mean(np.abs(np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float))))",
                "return float(np.mean(np.abs(y_hat - y)))",
            ),
        ),
        loses=["test_regression_losses"],
        feedback=["expected 1.3333"],
        why="takes the square root: that is the root mean squared error",
    ),
    Mistake(
        name="regression_sums",
        cell="regression_losses",
        code=patched(
            MODULE,
            "regression_losses",
            (
                "return float(np.mean((np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)) ** 2))",
                "return float(np.sum((y_hat - y) ** 2))",
            ),
            (
                "return float(np.mean(np.abs(np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float))))",
                "return float(np.sum(np.abs(y_hat - y)))",
            ),
        ),
        loses=["test_regression_losses"],
        feedback=["np.mean"],
        why="sums instead of averaging",
    ),
]

# Correct answers written differently: each keeps full marks (tests/test_course_grading.py).
EQUIVALENT = [
    Mistake(
        name="entropy_nansum_with_warning",
        cell="entropy",
        code=patched(
            MODULE,
            "entropy",
            (
                (
                    "safe_log = np.log(np.where(p > 0, p, 1.0)) / np.log(base)\n"
                    "    return -np.sum(p * safe_log, axis=-1)"
                ),
                "return -np.nansum(p * np.log(p), axis=-1) / np.log(base)",
            ),
        ),
        loses=(),
        feedback=["warning", "costs nothing"],
        why="nansum drops the nan of 0 * log(0): right values, with a divide-by-zero warning on the way",
    ),
    Mistake(
        name="bce_float32_loop_with_prints",
        cell="binary_cross_entropy",
        code=patched(
            MODULE,
            "binary_cross_entropy",
            (
                "def binary_cross_entropy(p, y, eps=1e-12):",
                "import sys\n\n\ndef binary_cross_entropy(p, y, eps=1e-12):",
            ),
            (
                (
                    "y = np.asarray(y, dtype=float)\n"
                    "    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)\n"
                    "    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))"
                ),
                (
                    "total = 0.0\n"
                    "    for p_j, y_j in zip(np.asarray(p, dtype=float), np.asarray(y, dtype=float)):\n"
                    "        p_j = min(max(p_j, eps), 1 - eps)\n"
                    "        total += -(y_j * np.log(p_j) + (1 - y_j) * np.log(1 - p_j))\n"
                    "    print('loss so far', total, file=sys.stderr)\n"
                    "    return total / len(p)"
                ),
            ),
        ),
        loses=(),
        why="a loop over the examples that writes to stderr",
    ),
    Mistake(
        name="softmax_float32_logsumexp",
        cell="softmax",
        code=patched(
            MODULE,
            "softmax",
            (
                (
                    "e = np.exp(s - np.max(s, axis=-1, keepdims=True))\n"
                    "    return e / np.sum(e, axis=-1, keepdims=True)"
                ),
                (
                    "m = s.max(axis=-1, keepdims=True)\n"
                    "    return np.exp(s - m - np.log(np.exp(s - m).sum(axis=-1, keepdims=True)))"
                ),
            ),
        ),
        loses=(),
        why="exp of the log-softmax: another stable formula",
    ),
]

SAMPLE = {"chen": ["entropy_no_zero_guard", "bce_sum_not_mean", "softmax_no_shift"]}
