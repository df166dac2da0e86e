"""Realistic wrong answers for module 02 (XOR, hidden layers and depth)."""

from tests.mistakes import Mistake, patched

MODULE = "02_xor"

MISTAKES = [
    Mistake(
        name="feature_tanh_of_each_input",
        cell="xor_feature_model",
        code=patched(
            MODULE,
            "xor_feature_model",
            (
                (
                    "X = np.asarray(X, dtype=float)\n"
                    "    a1, a2, a3 = a\n"
                    "    return a1 * X[:, 0] + a2 * X[:, 1] + a3 * np.tanh(X[:, 0] + X[:, 1])"
                ),
                "return a[0] * X[:, 0] + a[1] * X[:, 1] + a[2] * (np.tanh(X[:, 0]) + np.tanh(X[:, 1]))",
            ),
        ),
        loses=["test_xor_feature_model"],
        feedback=["x1 + x2", "position [3]"],
        why="tanh(x1) + tanh(x2) instead of tanh(x1 + x2): right on the middle corners, wrong at (1, 1)",
    ),
    Mistake(
        name="feature_sigmoid_instead_of_tanh",
        cell="xor_feature_model",
        code=patched(
            MODULE,
            "xor_feature_model",
            (
                (
                    "X = np.asarray(X, dtype=float)\n"
                    "    a1, a2, a3 = a\n"
                    "    return a1 * X[:, 0] + a2 * X[:, 1] + a3 * np.tanh(X[:, 0] + X[:, 1])"
                ),
                (
                    "s = X[:, 0] + X[:, 1]\n"
                    "    return a[0] * X[:, 0] + a[1] * X[:, 1] + a[2] / (1 + np.exp(-s))"
                ),
            ),
        ),
        loses=["test_xor_feature_model"],
        feedback=["not the sigmoid"],
        why="the sigmoid in place of tanh",
    ),
    Mistake(
        name="dense_no_transpose",
        cell="dense_forward",
        code=patched(
            MODULE,
            "dense_forward",
            (
                "return np.asarray(X, dtype=float) @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)",
                "return X @ W + b",
            ),
        ),
        loses=["test_dense_forward"],
        feedback=["W.T", "ValueError"],
        why="X @ W with W in the (out, in) layout: the shapes do not match",
    ),
    Mistake(
        name="dense_forgot_bias",
        cell="dense_forward",
        code=patched(
            MODULE,
            "dense_forward",
            (
                "return np.asarray(X, dtype=float) @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)",
                "return X @ W.T",
            ),
        ),
        loses=["test_dense_forward"],
        feedback=["expected 1.5, got 1"],
        why="the bias is never added",
    ),
    Mistake(
        name="collapse_wrong_order",
        cell="collapse_linear",
        code=patched(
            MODULE,
            "collapse_linear",
            (
                (
                    "W, b, V, c = (np.asarray(t, dtype=float) for t in (W, b, V, c))\n"
                    "    return V @ W, V @ b + c"
                ),
                "return W @ V, W @ b + c",
            ),
        ),
        loses=["test_collapse_linear"],
        feedback=["V @ W"],
        why="multiplies the matrices in the wrong order",
    ),
    Mistake(
        name="collapse_forgot_c",
        cell="collapse_linear",
        code=patched(
            MODULE,
            "collapse_linear",
            (
                (
                    "W, b, V, c = (np.asarray(t, dtype=float) for t in (W, b, V, c))\n"
                    "    return V @ W, V @ b + c"
                ),
                "return V @ W, V @ b",
            ),
        ),
        loses=["test_collapse_linear"],
        feedback=["b_new", "expected 1.5, got 1"],
        why="drops the second layer's bias",
    ),
    Mistake(
        name="collapse_bias_not_through_v",
        cell="collapse_linear",
        code=patched(
            MODULE,
            "collapse_linear",
            (
                (
                    "W, b, V, c = (np.asarray(t, dtype=float) for t in (W, b, V, c))\n"
                    "    return V @ W, V @ b + c"
                ),
                "return V @ W, b + c",
            ),
        ),
        loses=["test_collapse_linear"],
        feedback=["first bias is multiplied by V"],
        why="adds the two biases instead of sending the first one through V",
    ),
    Mistake(
        name="mlp_activation_on_output",
        cell="mlp_forward",
        code=patched(
            MODULE,
            "mlp_forward",
            (
                (
                    'functions = {"relu": relu, "tanh": tanh, "sigmoid": sigmoid, "step": step, "linear": lambda z: '
                    "z}\n"
                    "    g = functions[activation]\n"
                    "    h = np.asarray(X, dtype=float)\n"
                    "    for k, (W, b) in enumerate(params):\n"
                    "        h = h @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)\n"
                    "        if k < len(params) - 1:\n"
                    "            h = g(h)"
                ),
                (
                    'g = {"relu": relu, "tanh": tanh, "sigmoid": sigmoid, "step": step, "linear": lambda z: '
                    "z}[activation]\n"
                    "    h = X\n"
                    "    for W, b in params:\n"
                    "        h = g(h @ W.T + b)"
                ),
            ),
        ),
        loses=["test_mlp_forward"],
        feedback=["except the last"],
        why="applies the activation to the output layer too",
    ),
    Mistake(
        name="mlp_always_relu",
        cell="mlp_forward",
        code=patched(
            MODULE,
            "mlp_forward",
            (
                (
                    'functions = {"relu": relu, "tanh": tanh, "sigmoid": sigmoid, "step": step, "linear": lambda z: '
                    "z}\n"
                    "    g = functions[activation]\n"
                    "    h = np.asarray(X, dtype=float)\n"
                    "    for k, (W, b) in enumerate(params):\n"
                    "        h = h @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)\n"
                    "        if k < len(params) - 1:\n"
                    "            h = g(h)\n"
                    "    return h"
                ),
                (
                    "h = X\n"
                    "    for W, b in params[:-1]:\n"
                    "        h = relu(h @ W.T + b)\n"
                    "    W, b = params[-1]\n"
                    "    return h @ W.T + b"
                ),
            ),
        ),
        loses=["test_mlp_forward"],
        feedback=["activation name"],
        why="ignores the activation argument",
    ),
    Mistake(
        name="xor_weights_or",
        cell="xor_weights",
        code=patched(
            MODULE,
            "xor_weights",
            (
                (
                    "W1 = np.array([[1.0, 1.0], [1.0, 1.0]])  # both units look at x1 + x2\n"
                    "    b1 = np.array([0.0, -1.0])  # unit 2 switches on only when x1 + x2 > 1\n"
                    "    W2 = np.array([[1.0, -2.0]])  # rises along x1 + x2, then falls twice as fast after 1\n"
                    "    b2 = np.array([-0.5])\n"
                    "    return [(W1, b1), (W2, b2)]"
                ),
                (
                    "W1 = np.array([[1.0, 0.0], [0.0, 1.0]])\n"
                    "    b1 = np.array([0.0, 0.0])\n"
                    "    return [(W1, b1), (np.array([[1.0, 1.0]]), np.array([-0.5]))]"
                ),
            ),
        ),
        loses=["test_xor_weights"],
        feedback=["wrong side", "x = (1, 1)"],
        why="the explorer's starting network, which computes OR",
    ),
    Mistake(
        name="xor_weights_w2_transposed",
        cell="xor_weights",
        code=patched(
            MODULE,
            "xor_weights",
            (
                (
                    "W1 = np.array([[1.0, 1.0], [1.0, 1.0]])  # both units look at x1 + x2\n"
                    "    b1 = np.array([0.0, -1.0])  # unit 2 switches on only when x1 + x2 > 1\n"
                    "    W2 = np.array([[1.0, -2.0]])  # rises along x1 + x2, then falls twice as fast after 1\n"
                    "    b2 = np.array([-0.5])\n"
                    "    return [(W1, b1), (W2, b2)]"
                ),
                (
                    "W1 = np.array([[1.0, 1.0], [1.0, 1.0]])\n"
                    "    b1 = np.array([0.0, -1.0])\n"
                    "    return [(W1, b1), (np.array([[1.0], [-2.0]]), np.array([-0.5]))]"
                ),
            ),
        ),
        loses=["test_xor_weights"],
        feedback=["(out, in) layout"],
        why="W2 written as a column (hidden, 1) instead of (1, hidden)",
    ),
    Mistake(
        name="regions_first_layer_only",
        cell="count_linear_regions",
        code=patched(
            MODULE,
            "count_linear_regions",
            (
                (
                    "h = np.asarray(x, dtype=float).reshape(-1, 1)\n"
                    "    patterns = []\n"
                    "    for W, b in params[:-1]:\n"
                    "        z = h @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)\n"
                    "        patterns.append(z > 0)\n"
                    "        h = np.maximum(z, 0.0)\n"
                    "    pattern = np.concatenate(patterns, axis=1)\n"
                    "    changes = np.any(pattern[1:] != pattern[:-1], axis=1)\n"
                    "    return int(changes.sum()) + 1"
                ),
                (
                    "W, b = params[0]\n"
                    "    pattern = (x.reshape(-1, 1) @ W.T + b) > 0\n"
                    "    return int(np.any(pattern[1:] != pattern[:-1], axis=1).sum()) + 1"
                ),
            ),
        ),
        loses=["test_count_linear_regions"],
        feedback=["every hidden layer"],
        why="looks at the first hidden layer only",
    ),
    Mistake(
        name="regions_no_plus_one",
        cell="count_linear_regions",
        code=patched(
            MODULE,
            "count_linear_regions",
            ("h = np.asarray(x, dtype=float).reshape(-1, 1)", "h = x.reshape(-1, 1)"),
            (
                (
                    "z = h @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)\n"
                    "        patterns.append(z > 0)\n"
                    "        h = np.maximum(z, 0.0)\n"
                    "    pattern = np.concatenate(patterns, axis=1)\n"
                    "    changes = np.any(pattern[1:] != pattern[:-1], axis=1)\n"
                    "    return int(changes.sum()) + 1"
                ),
                (
                    "z = h @ W.T + b\n"
                    "        patterns.append(z > 0)\n"
                    "        h = np.maximum(z, 0)\n"
                    "    p = np.concatenate(patterns, axis=1)\n"
                    "    return int(np.any(p[1:] != p[:-1], axis=1).sum())"
                ),
            ),
        ),
        loses=["test_count_linear_regions"],
        feedback=["add 1"],
        why="counts the changes, not the regions between them",
    ),
    Mistake(
        name="regions_count_output_sign",
        cell="count_linear_regions",
        code=patched(
            MODULE,
            "count_linear_regions",
            (
                (
                    "h = np.asarray(x, dtype=float).reshape(-1, 1)\n"
                    "    patterns = []\n"
                    "    for W, b in params[:-1]:\n"
                    "        z = h @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)\n"
                    "        patterns.append(z > 0)\n"
                    "        h = np.maximum(z, 0.0)\n"
                    "    pattern = np.concatenate(patterns, axis=1)\n"
                    "    changes = np.any(pattern[1:] != pattern[:-1], axis=1)\n"
                    "    return int(changes.sum()) + 1"
                ),
                (
                    "h = x.reshape(-1, 1)\n"
                    "    patterns = []\n"
                    "    for k, (W, b) in enumerate(params):\n"
                    "        z = h @ W.T + b\n"
                    "        patterns.append(z > 0)\n"
                    "        h = np.maximum(z, 0)\n"
                    "    p = np.concatenate(patterns, axis=1)\n"
                    "    return int(np.any(p[1:] != p[:-1], axis=1).sum()) + 1"
                ),
            ),
        ),
        loses=["test_count_linear_regions"],
        feedback=["only hidden layers"],
        why="treats the output layer as a ReLU layer whose sign changes count",
    ),
]

SAMPLE = {"chen": ["dense_forgot_bias", "mlp_activation_on_output", "regions_first_layer_only"]}
