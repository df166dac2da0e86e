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
        feedback=["x1 + x2", "position [3]", "one tanh of the sum"],
        no_hint=["not the sigmoid", "swap them back"],
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
        no_hint=["one tanh of the sum", "swap them back"],
        why="the sigmoid in place of tanh",
    ),
    Mistake(
        name="feature_columns_swapped",
        cell="xor_feature_model",
        code=patched(
            MODULE,
            "xor_feature_model",
            ("a1 * X[:, 0] + a2 * X[:, 1]", "a1 * X[:, 1] + a2 * X[:, 0]"),
        ),
        loses=["test_xor_feature_model"],
        feedback=["xor_feature_model(X, (1, 0, 0))", "swap them back"],
        no_hint=["one tanh of the sum", "not the sigmoid"],
        why="pairs a1 with column 1 of X and a2 with column 0; the lecture's model (a1 = a2) cannot tell",
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
        feedback=["W.T", "ValueError", "multiply by its transpose"],
        no_hint=["bias b is missing", "squeeze"],
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
        feedback=["expected 1.5, got 1", "bias b is missing"],
        no_hint=["multiply by its transpose", "squeeze", "orientation"],
        why="the bias is never added",
    ),
    Mistake(
        name="dense_squeezed",
        cell="dense_forward",
        code=patched(
            MODULE,
            "dense_forward",
            (
                "return np.asarray(X, dtype=float) @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)",
                "return np.squeeze(X @ W.T + b)",
            ),
        ),
        loses=["test_dense_forward"],
        feedback=["has shape (3,) but should have shape (1, 3)", "do not squeeze"],
        no_hint=["bias b is missing", "multiply by its transpose", "orientation"],
        why="squeezes the result to tidy it up, which drops the axis of a single example or a single output",
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
        name="collapse_row_layout",
        cell="collapse_linear",
        code=patched(MODULE, "collapse_linear", ("return V @ W, V @ b + c", "return W.T @ V.T, b @ V.T + c")),
        loses=["test_collapse_linear"],
        feedback=["W_new has shape (2, 1)", "the (in, out) layout"],
        no_hint=["goes through V too", "second bias c is missing"],
        why="collapses the layers for row vectors, (x W^T + b) V^T + c, and returns W_new in the (in, out) layout",
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
        no_hint=["activation name", "network with no activation"],
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
        no_hint=["except the last", "network with no activation"],
        why="ignores the activation argument",
    ),
    Mistake(
        name="mlp_activation_result_dropped",
        cell="mlp_forward",
        code=patched(MODULE, "mlp_forward", ("            h = g(h)", "            g(h)")),
        loses=["test_mlp_forward"],
        feedback=["mlp_forward(corners, xor_net)", "network with no activation"],
        no_hint=["except the last", "activation name"],
        why="calls g(h) without assigning the result, so the network stays linear",
    ),
    Mistake(
        name="mlp_only_relu_and_tanh",
        cell="mlp_forward",
        code=patched(
            MODULE,
            "mlp_forward",
            (
                'functions = {"relu": relu, "tanh": tanh, "sigmoid": sigmoid, "step": step, "linear": lambda z: '
                "z}\n"
                "    g = functions[activation]",
                'g = relu if activation == "relu" else tanh',
            ),
        ),
        loses=["test_mlp_forward"],
        feedback=["a further check of `mlp_forward` failed", "every activation name needs its own function"],
        no_hint=["except the last", "network with no activation"],
        why="handles only the two activations the visible checks use, and gives tanh for every other name",
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
        no_hint=["give the boundary some room"],
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
        name="xor_weights_no_margin",
        cell="xor_weights",
        code=patched(MODULE, "xor_weights", ("b2 = np.array([-0.5])", "b2 = np.array([-0.15])")),
        loses=["test_xor_weights"],
        feedback=["a further check of `xor_weights` failed", "give the boundary some room"],
        why="stops moving the output bias as soon as the four corners are right: (0, 0) and (1, 1) score -0.15, "
        "so (0.1, 0.1) already scores above 0",
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
        no_hint=["add 1", "only hidden layers"],
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
        no_hint=["every hidden layer", "only hidden layers"],
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
        no_hint=["add 1", "every hidden layer"],
        why="treats the output layer as a ReLU layer whose sign changes count",
    ),
]

SAMPLE = {"chen": ["dense_forgot_bias", "mlp_activation_on_output", "regions_first_layer_only"]}
