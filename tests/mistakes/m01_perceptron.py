"""Realistic wrong answers for module 01 (the perceptron)."""

from tests.mistakes import Mistake, patched

MODULE = "01_perceptron"

MISTAKES = [
    # -- step ---------------------------------------------------------------------------------
    Mistake(
        name="step_returns_booleans",
        cell="step",
        code=patched(
            MODULE,
            "step",
            ("return np.where(z >= 0, 1.0, 0.0)", "return z >= 0"),
        ),
        loses=["test_step"],
        feedback=["bool", "Convert True/False to numbers"],
        why="returns the comparison itself: an array of True/False instead of 0.0/1.0",
    ),
    Mistake(
        name="step_strict_inequality",
        cell="step",
        code=patched(
            MODULE,
            "step",
            ("return np.where(z >= 0, 1.0, 0.0)", "return np.where(z > 0, 1.0, 0.0)"),
        ),
        loses=["test_step"],
        feedback=["step([0])", "expected 1, got 0", "z >= 0"],
        why="z > 0: the unit does not fire at exactly 0",
    ),
    # -- forward pass -------------------------------------------------------------------------
    Mistake(
        name="forward_bias_after_activation",
        cell="perceptron_forward",
        code=patched(
            MODULE,
            "perceptron_forward",
            (
                "z = b + X @ w\n    return activation(z)",
                "return activation(X @ w) + b",
            ),
        ),
        loses=["test_perceptron_forward"],
        feedback=["y_hat for the worked example", "bias goes inside"],
        why="adds the bias after the activation",
    ),
    Mistake(
        name="forward_transposed_input",
        cell="perceptron_forward",
        code=patched(
            MODULE,
            "perceptron_forward",
            (
                "z = b + X @ w\n    return activation(z)",
                "return activation(b + X.T @ w)",
            ),
        ),
        loses=["test_perceptron_forward"],
        feedback=["ValueError", "matmul"],
        why="copies X^T W from the formula, but the batch has one example per row",
    ),
    Mistake(
        name="forward_forgot_bias",
        cell="perceptron_forward",
        code=patched(
            MODULE,
            "perceptron_forward",
            ("z = b + X @ w\n    return activation(z)", "return activation(X @ w)"),
        ),
        loses=["test_perceptron_forward"],
        feedback=["z for the worked example", "expected -6, got -7", "bias b is missing"],
        no_hint=["bias goes inside"],
        why="never adds the bias b",
    ),
    # -- decision line ------------------------------------------------------------------------
    Mistake(
        name="line_sign_error",
        cell="decision_line",
        code=patched(
            MODULE,
            "decision_line",
            ("return -(b + w[0] * x1) / w[1]", "return (b + w[0] * x1) / w[1]"),
        ),
        loses=["test_decision_line"],
        feedback=["expected -1, got 1", "Check the sign"],
        no_hint=["bias b is missing"],
        why="forgets the minus sign when moving the terms across",
    ),
    Mistake(
        name="line_forgets_bias",
        cell="decision_line",
        code=patched(
            MODULE,
            "decision_line",
            ("return -(b + w[0] * x1) / w[1]", "return -w[0] * x1 / w[1]"),
        ),
        loses=["test_decision_line"],
        feedback=["decision_line([-1, 0, 1], 1, [3, -2])", "bias b is missing"],
        no_hint=["Check the sign"],
        why="drops the bias: the line always passes through the origin",
    ),
    # -- sigmoid ------------------------------------------------------------------------------
    Mistake(
        name="sigmoid_one_minus_for_negative_z",
        cell="sigmoid",
        code=patched(
            MODULE,
            "sigmoid",
            (
                "e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
                "s = 1 / (1 + np.exp(-np.abs(z)))\n    return np.where(z >= 0, s, 1 - s)",
            ),
        ),
        loses=["test_sigmoid"],
        feedback=["a further check of `sigmoid` failed", "1 - sigmoid(-z) loses every digit"],
        why="1 - sigmoid(|z|) for negative z: no overflow, but tiny outputs become exactly 0",
    ),
    Mistake(
        name="sigmoid_nan_for_large_z",
        cell="sigmoid",
        code=patched(
            MODULE,
            "sigmoid",
            (
                "e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
                "return np.exp(z) / (1 + np.exp(z))",
            ),
        ),
        loses=["test_sigmoid"],
        feedback=["nan", "inf / inf is nan"],
        no_hint=["1 - sigmoid(-z)"],
        why="exp(z) / (1 + exp(z)) gives inf / inf = nan for z = 1000",
    ),
    # -- tanh ---------------------------------------------------------------------------------
    Mistake(
        name="tanh_textbook_formula",
        cell="tanh",
        code=patched(
            MODULE,
            "tanh",
            (
                "e = np.exp(-2 * np.abs(z))\n    return np.sign(z) * (1 - e) / (1 + e)",
                "return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))",
            ),
        ),
        loses=["test_tanh"],
        feedback=["nan", "tanh([-1000, 1000])", "inf / inf is nan"],
        no_hint=["factor 2"],
        why="the definition computed directly: inf / inf for |z| = 1000",
    ),
    Mistake(
        name="tanh_forgot_factor_two",
        cell="tanh",
        code=patched(
            MODULE,
            "tanh",
            (
                "e = np.exp(-2 * np.abs(z))\n    return np.sign(z) * (1 - e) / (1 + e)",
                "return 2 * F.sigmoid(z) - 1",
            ),
        ),
        loses=["test_tanh"],
        feedback=["tanh([-2, -0.5, 0.5, 2])", "factor 2"],
        no_hint=["inf / inf"],
        why="2 sigmoid(z) - 1 instead of 2 sigmoid(2z) - 1",
    ),
    # -- relu and leaky relu ------------------------------------------------------------------
    Mistake(
        name="relu_python_max",
        cell="relu",
        code=patched(
            MODULE,
            "relu",
            ("return np.where(z > 0, z, 0.0)", "return max(0, z)"),
        ),
        loses=["test_relu"],
        feedback=["ValueError", "np.maximum"],
        no_hint=["negative_slope argument"],
        why="Python's max compares 0 with a whole array",
    ),
    Mistake(
        name="leaky_relu_fixed_slope",
        cell="relu",
        code=patched(
            MODULE,
            "relu",
            ("return np.where(z > 0, z, 0.0)", "return np.maximum(0.0, z)"),
            ("return np.where(z > 0, z, negative_slope * z)", "return np.maximum(0.1 * z, z)"),
        ),
        loses=["test_relu"],
        feedback=["default slope 0.01", "expected -0.02, got -0.2", "negative_slope argument"],
        no_hint=["np.maximum(0, z)"],
        why="copies max(0.1 z, z) from the slides and ignores negative_slope",
    ),
    # -- derivatives --------------------------------------------------------------------------
    Mistake(
        name="sigmoid_derivative_uses_tanh_rule",
        cell="derivatives",
        code=patched(
            MODULE,
            "derivatives",
            (
                "s = F.sigmoid(z)\n    return s * (1 - s)",
                "return 1 - F.sigmoid(z) ** 2",
            ),
            (
                "t = F.tanh(z)\n    return 1 - t**2",
                "return 1 - F.tanh(z) ** 2",
            ),
            ("return np.where(z > 0, 1.0, 0.0)", "return (z > 0).astype(float)"),
        ),
        loses=["test_derivatives"],
        feedback=["sigmoid_derivative([-2, 0, 0.5, 3])", "tanh's rule"],
        no_hint=["Square tanh(z)"],
        why="the derivative of the wrong function: tanh's 1 - g^2 applied to the sigmoid",
    ),
    Mistake(
        name="tanh_derivative_of_z",
        cell="derivatives",
        code=patched(
            MODULE,
            "derivatives",
            (
                "t = F.tanh(z)\n    return 1 - t**2",
                "return 1 - z**2",
            ),
            ("return np.where(z > 0, 1.0, 0.0)", "return (z > 0).astype(float)"),
        ),
        loses=["test_derivatives"],
        feedback=["tanh_derivative([-2, 0, 0.5, 3])", "Square tanh(z)"],
        no_hint=["tanh's rule"],
        why="1 - z^2: forgets to apply tanh first",
    ),
    Mistake(
        name="relu_derivative_one_at_zero",
        cell="derivatives",
        code=patched(
            MODULE,
            "derivatives",
            (
                "t = F.tanh(z)\n    return 1 - t**2",
                "return 1 - F.tanh(z) ** 2",
            ),
            ("return np.where(z > 0, 1.0, 0.0)", "return (z >= 0).astype(float)"),
        ),
        loses=["test_derivatives"],
        feedback=["relu_derivative([-2, -0.5, 0, 0.5, 2])", "position [2]"],
        why="z >= 0 gives 1 at z = 0, where PyTorch (and the docstring) use 0",
    ),
    Mistake(
        name="sigmoid_derivative_of_z",
        cell="derivatives",
        code=patched(
            MODULE, "derivatives", ("s = F.sigmoid(z)\n    return s * (1 - s)", "return z * (1 - z)")
        ),
        loses=["test_derivatives"],
        feedback=["sigmoid_derivative([-2, 0, 0.5, 3])", "not z * (1 - z)"],
        no_hint=["tanh's rule", "Square tanh(z)"],
        why="writes the rule s * (1 - s) with z in place of s = sigmoid(z)",
    ),
    Mistake(
        name="leaky_relu_derivative_fixed_slope",
        cell="derivatives",
        code=patched(
            MODULE,
            "derivatives",
            ("return np.where(z > 0, 1.0, negative_slope)", "return np.where(z > 0, 1.0, 0.01)"),
        ),
        loses=["test_derivatives"],
        feedback=["leaky_relu_derivative([-2, 0, 0.5], 0.1)", "not a fixed 0.01"],
        no_hint=["tanh's rule", "Square tanh(z)", "(strictly)"],
        why="hard-codes PyTorch's default slope 0.01 and ignores the negative_slope argument",
    ),
    # -- the perceptron rule ------------------------------------------------------------------
    Mistake(
        name="train_no_bias_update",
        cell="train_perceptron",
        code=patched(
            MODULE,
            "train_perceptron",
            (
                (
                    "for _ in range(epochs):\n"
                    "        count = 0\n"
                    "        for x, target in zip(X, y, strict=True):\n"
                    "            y_hat = 1.0 if b + x @ w >= 0 else 0.0\n"
                    "            if y_hat != target:\n"
                    "                w = w + lr * (target - y_hat) * x\n"
                    "                b = b + lr * (target - y_hat)"
                ),
                (
                    "for epoch in range(epochs):\n"
                    "        count = 0\n"
                    "        for i in range(len(X)):\n"
                    "            y_hat = 1.0 if b + X[i] @ w >= 0 else 0.0\n"
                    "            if y_hat != y[i]:\n"
                    "                w = w + lr * (y[i] - y_hat) * X[i]"
                ),
            ),
        ),
        loses=["test_train_perceptron"],
        feedback=["w after one epoch", "whose bias never changes", "b is still 0"],
        no_hint=["break", "wrong way"],
        why="never updates the bias, so every line passes through the origin",
    ),
    Mistake(
        name="train_no_early_stop",
        cell="train_perceptron",
        code=patched(
            MODULE,
            "train_perceptron",
            (
                (
                    "for _ in range(epochs):\n"
                    "        count = 0\n"
                    "        for x, target in zip(X, y, strict=True):\n"
                    "            y_hat = 1.0 if b + x @ w >= 0 else 0.0\n"
                    "            if y_hat != target:\n"
                    "                w = w + lr * (target - y_hat) * x\n"
                    "                b = b + lr * (target - y_hat)"
                ),
                (
                    "for epoch in range(epochs):\n"
                    "        count = 0\n"
                    "        for i in range(len(X)):\n"
                    "            y_hat = 1.0 if b + X[i] @ w >= 0 else 0.0\n"
                    "            if y_hat != y[i]:\n"
                    "                w = w + lr * (y[i] - y_hat) * X[i]\n"
                    "                b = b + lr * (y[i] - y_hat)"
                ),
            ),
            (
                "        if count == 0:\n            break\n",
                "",
            ),
        ),
        loses=["test_train_perceptron"],
        feedback=["mistakes with epochs=100", "break"],
        no_hint=["bias never changes", "wrong way"],
        why="always runs every epoch, even after the data are separated",
    ),
    Mistake(
        name="train_wrong_sign",
        cell="train_perceptron",
        code=patched(
            MODULE,
            "train_perceptron",
            (
                (
                    "for _ in range(epochs):\n"
                    "        count = 0\n"
                    "        for x, target in zip(X, y, strict=True):\n"
                    "            y_hat = 1.0 if b + x @ w >= 0 else 0.0\n"
                    "            if y_hat != target:\n"
                    "                w = w + lr * (target - y_hat) * x\n"
                    "                b = b + lr * (target - y_hat)"
                ),
                (
                    "for epoch in range(epochs):\n"
                    "        count = 0\n"
                    "        for i in range(len(X)):\n"
                    "            y_hat = 1.0 if b + X[i] @ w >= 0 else 0.0\n"
                    "            if y_hat != y[i]:\n"
                    "                w = w + lr * (y_hat - y[i]) * X[i]\n"
                    "                b = b + lr * (y_hat - y[i])"
                ),
            ),
        ),
        loses=["test_train_perceptron"],
        feedback=["w after one epoch", "wrong way"],
        no_hint=["bias never changes", "break"],
        why="y_hat - y instead of y - y_hat: every update pushes the wrong way",
    ),
]

# Correct answers written differently: each keeps full marks (tests/test_course_grading.py).
EQUIVALENT = [
    Mistake(
        name="sigmoid_textbook_formula_warns",
        cell="sigmoid",
        code=patched(
            MODULE,
            "sigmoid",
            (
                "e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
                "return 1 / (1 + np.exp(-z))",
            ),
        ),
        loses=(),
        feedback=["warning", "costs nothing"],
        why="the textbook formula overflows inside exp for z = -1000 (a warning), but every value it returns is right",
    ),
    Mistake(
        name="sigmoid_logaddexp_with_prints",
        cell="sigmoid",
        code=patched(
            MODULE,
            "sigmoid",
            (
                "def sigmoid(z):",
                "import sys\nimport warnings\n\n\ndef sigmoid(z):",
            ),
            (
                "e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
                (
                    "print('computing the sigmoid of', np.shape(z))\n"
                    "    print('debug: still here', file=sys.stderr)\n"
                    "    warnings.warn('my own reminder: check the shapes')\n"
                    "    return np.exp(-np.logaddexp(0.0, -z))"
                ),
            ),
        ),
        loses=(),
        why="another stable formula, exp(-log(1 + exp(-z))), in a function that prints, writes to stderr and warns",
    ),
    Mistake(
        name="tanh_through_stable_sigmoid",
        cell="tanh",
        code=patched(
            MODULE,
            "tanh",
            (
                "e = np.exp(-2 * np.abs(z))\n    return np.sign(z) * (1 - e) / (1 + e)",
                "return 2 * sigmoid(2 * z) - 1",
            ),
        ),
        loses=(),
        why="2 sigmoid(2z) - 1 with the stable sigmoid of Exercise 4",
    ),
    Mistake(
        name="step_float32_and_relu_loop",
        cell="step",
        code=patched(
            MODULE,
            "step",
            ("return np.where(z >= 0, 1.0, 0.0)", "return (np.asarray(z) >= 0).astype(np.float32)"),
        ),
        also_cells=(
            (
                "relu",
                patched(
                    MODULE,
                    "relu",
                    (
                        "return np.where(z > 0, z, 0.0)",
                        (
                            "out = np.array(z, dtype=float)\n"
                            "    for i in np.ndindex(out.shape):\n"
                            "        out[i] = max(0.0, out[i])\n"
                            "    return out"
                        ),
                    ),
                ),
            ),
        ),
        loses=(),
        why="float32 zeros and ones for step, and ReLU written as a loop over the entries",
    ),
    Mistake(
        name="train_bias_as_extra_input",
        cell="train_perceptron",
        code=patched(
            MODULE,
            "train_perceptron",
            (
                (
                    "w = np.zeros(X.shape[1])\n"
                    "    b = 0.0\n"
                    "    mistakes = []\n"
                    "    for _ in range(epochs):\n"
                    "        count = 0\n"
                    "        for x, target in zip(X, y, strict=True):\n"
                    "            y_hat = 1.0 if b + x @ w >= 0 else 0.0\n"
                    "            if y_hat != target:\n"
                    "                w = w + lr * (target - y_hat) * x\n"
                    "                b = b + lr * (target - y_hat)"
                ),
                (
                    "X1 = np.hstack([np.ones((len(X), 1)), X])  # the constant input 1 in front\n"
                    "    w1 = np.zeros(X1.shape[1])\n"
                    "    mistakes = []\n"
                    "    for epoch in range(epochs):\n"
                    "        count = 0\n"
                    "        for x, target in zip(X1, y):\n"
                    "            y_hat = float(x @ w1 >= 0)\n"
                    "            if y_hat != target:\n"
                    "                w1 += lr * (target - y_hat) * x"
                ),
            ),
            ("return w, b, mistakes", "return w1[1:], w1[0], mistakes"),
        ),
        loses=(),
        why="the bias folded into the weights as the weight of a constant input 1",
    ),
]

SAMPLE = {
    "chen": ["sigmoid_one_minus_for_negative_z", "forward_bias_after_activation", "train_no_early_stop"]
}
