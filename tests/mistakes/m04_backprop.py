"""Realistic wrong answers for module 04 (backpropagation by hand).

Each mistake is the model answer with one slip patched in, so the code stays in step with the notebook.
"""

from tests.mistakes import Mistake, patched

MODULE = "04_backprop"

MISTAKES = [
    # -- exercise 1: neuron_forward
    Mistake(
        name="forward_exp_of_z",
        cell="neuron_forward",
        code=patched(
            MODULE,
            "neuron_forward",
            ("e = math.exp(u)", "e = math.exp(z)"),
        ),
        loses=["test_neuron_forward"],
        feedback=["exp(-z), with the minus sign"],
        no_hint=["add the bias"],
        why="takes exp(z) instead of exp(u) = exp(-z), so f is 1 / (1 + e^z)",
    ),
    Mistake(
        name="forward_forgets_bias",
        cell="neuron_forward",
        code=patched(
            MODULE,
            "neuron_forward",
            ("z = a0 + a1 + b", "z = a0 + a1"),
        ),
        loses=["test_neuron_forward"],
        feedback=['["z"]', "add the bias b"],
        no_hint=["with the minus sign"],
        why="leaves the bias b out of the sum",
    ),
    # -- exercise 2: neuron_backward
    Mistake(
        name="backward_reciprocal_without_square",
        cell="neuron_backward",
        code=patched(
            MODULE,
            "neuron_backward",
            (
                'grads["d"] = -1.0 / values["d"] ** 2 * grads["f"]  # f = 1/d',
                'grads["d"] = -1.0 / values["d"] * grads["f"]  # f = 1/d',
            ),
        ),
        loses=["test_neuron_backward"],
        feedback=["-1/d**2", "df/dd for w"],
        no_hint=["flips the sign", "OTHER factor"],
        why="copies the deck's slip d(1/x) = -1/x",
    ),
    Mistake(
        name="backward_forgets_sign_flip",
        cell="neuron_backward",
        code=patched(
            MODULE,
            "neuron_backward",
            ('grads["z"] = -1.0 * grads["u"]  # u = -z', 'grads["z"] = grads["u"]  # u = -z'),
        ),
        loses=["test_neuron_backward"],
        feedback=["flips the sign"],
        no_hint=["drops it", "OTHER factor"],
        why="passes the gradient through u = -z without the factor -1",
    ),
    Mistake(
        name="backward_multiplies_by_own_input",
        cell="neuron_backward",
        code=patched(
            MODULE,
            "neuron_backward",
            (
                (
                    'grads["w0"] = x0 * grads["a0"]  # a0 = w0 * x0: each input gets the other factor\n'
                    '    grads["x0"] = w0 * grads["a0"]\n'
                    '    grads["w1"] = x1 * grads["a1"]\n'
                    '    grads["x1"] = w1 * grads["a1"]'
                ),
                (
                    'grads["w0"] = w0 * grads["a0"]  # a0 = w0 * x0: each input gets the other factor\n'
                    '    grads["x0"] = x0 * grads["a0"]\n'
                    '    grads["w1"] = w1 * grads["a1"]\n'
                    '    grads["x1"] = x1 * grads["a1"]'
                ),
            ),
        ),
        loses=["test_neuron_backward"],
        feedback=["OTHER factor"],
        no_hint=["drops it", "flips the sign"],
        why="at a product, multiplies by the input itself instead of the other factor",
    ),
    # -- exercise 3: numerical_gradient
    Mistake(
        name="numgrad_forward_difference",
        cell="numerical_gradient",
        code=patched(
            MODULE,
            "numerical_gradient",
            (
                (
                    "x = np.array(x, dtype=float)  # a copy: the caller's array is never touched\n"
                    "    grad = np.zeros_like(x)"
                ),
                "x = np.array(x, dtype=float)\n    grad = np.zeros_like(x)\n    f_x = f(x)",
            ),
            (
                (
                    "f_plus = f(x)\n"
                    "        x[i] = old - h\n"
                    "        f_minus = f(x)\n"
                    "        x[i] = old\n"
                    "        grad[i] = (f_plus - f_minus) / (2 * h)"
                ),
                "grad[i] = (f(x) - f_x) / h\n        x[i] = old",
            ),
        ),
        loses=["test_numerical_gradient"],
        feedback=["forward difference"],
        no_hint=["Twice the right value", "leftover", "Each row got one number"],
        why="uses the forward difference (f(x + h) - f(x)) / h",
    ),
    Mistake(
        name="numgrad_divides_by_h",
        cell="numerical_gradient",
        code=patched(
            MODULE,
            "numerical_gradient",
            ("grad[i] = (f_plus - f_minus) / (2 * h)", "grad[i] = (f_plus - f_minus) / h"),
        ),
        loses=["test_numerical_gradient"],
        feedback=["Twice the right value", "not by h"],
        no_hint=["forward difference", "leftover", "Each row got one number"],
        why="divides the centred difference by h instead of 2h, so every entry is twice too large",
    ),
    Mistake(
        name="numgrad_loops_over_rows",
        cell="numerical_gradient",
        code=patched(
            MODULE,
            "numerical_gradient",
            ("for i in np.ndindex(x.shape):", "for i in range(len(x)):"),
        ),
        loses=["test_numerical_gradient"],
        feedback=["Each row got one number", "np.ndindex(x.shape)"],
        no_hint=["forward difference", "Twice the right value", "leftover"],
        why="loops with range(len(x)), written for a vector: on a matrix it nudges a whole row at once",
    ),
    Mistake(
        name="numgrad_no_restore",
        cell="numerical_gradient",
        code=patched(
            MODULE,
            "numerical_gradient",
            ("    x = np.array(x, dtype=float)  # a copy: the caller's array is never touched\n", ""),
            (
                (
                    "old = x[i]\n"
                    "        x[i] = old + h\n"
                    "        f_plus = f(x)\n"
                    "        x[i] = old - h\n"
                    "        f_minus = f(x)\n"
                    "        x[i] = old"
                ),
                "x[i] += h\n        f_plus = f(x)\n        x[i] -= 2 * h\n        f_minus = f(x)",
            ),
        ),
        loses=["test_numerical_gradient"],
        feedback=["A leftover nudge", "put its original value back"],
        no_hint=["forward difference", "Twice the right value", "Each row got one number"],
        why="nudges the caller's x in place and never restores it, so later entries are measured at x - h",
    ),
    # -- exercise 4: relative_error
    Mistake(
        name="relerr_absolute",
        cell="relative_error",
        code=patched(
            MODULE,
            "relative_error",
            (
                (
                    "a = np.asarray(a, dtype=float)\n"
                    "    b = np.asarray(b, dtype=float)\n"
                    "    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))"
                ),
                "return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))",
            ),
        ),
        loses=["test_relative_error"],
        feedback=["scale-free", "the plain difference |a - b|"],
        no_hint=["not the mean", "0 / 0"],
        why="returns the absolute difference, which depends on the size of the numbers",
    ),
    Mistake(
        name="relerr_mean",
        cell="relative_error",
        code=patched(
            MODULE,
            "relative_error",
            (
                "return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))",
                "return float(np.mean(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))",
            ),
        ),
        loses=["test_relative_error"],
        feedback=["np.max, not the mean"],
        no_hint=["the plain difference", "shrinks with the numbers", "0 / 0"],
        why="averages the entries, so one bad entry among many good ones hides",
    ),
    Mistake(
        name="relerr_no_floor",
        cell="relative_error",
        code=patched(
            MODULE,
            "relative_error",
            (
                "return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))",
                "return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))",
            ),
        ),
        loses=["test_relative_error"],
        feedback=["0 / 0"],
        no_hint=["shrinks with the numbers", "the plain difference", "not the mean"],
        why="divides by |a| + |b| without a floor: two zero gradients give nan",
    ),
    # -- exercise 5: cross_entropy_backward
    Mistake(
        name="ce_wrong_sign",
        cell="cross_entropy_backward",
        code=patched(
            MODULE,
            "cross_entropy_backward",
            ("return grad / n", "return -grad / n"),
        ),
        loses=["test_cross_entropy_backward"],
        feedback=["e - P"],
        no_hint=["1/N"],
        why="returns e - P, the gradient of the log-likelihood, instead of the loss gradient P - e",
    ),
    Mistake(
        name="ce_no_mean",
        cell="cross_entropy_backward",
        code=patched(
            MODULE,
            "cross_entropy_backward",
            ("return grad / n", "return grad"),
        ),
        loses=["test_cross_entropy_backward"],
        feedback=["1/N"],
        no_hint=["e - P"],
        why="forgets the 1/N of the mean loss",
    ),
    Mistake(
        name="ce_unstable_softmax",
        cell="cross_entropy_backward",
        code=patched(
            MODULE,
            "cross_entropy_backward",
            (
                "grad = softmax(logits, dim=1)",
                "e = np.exp(logits)\n    grad = e / e.sum(axis=1, keepdims=True)",
            ),
        ),
        loses=["test_cross_entropy_backward"],
        feedback=["overflow"],
        why="writes softmax without subtracting the row maximum, so exp(1000) overflows",
    ),
    # -- exercise 6: Linear
    Mistake(
        name="linear_missing_transpose",
        cell="Linear",
        code=patched(
            MODULE,
            "Linear",
            ("self.weight.grad = grad_output.T @ self.x", "self.weight.grad = self.x.T @ grad_output"),
        ),
        loses=["test_Linear"],
        feedback=["transpose", "swap the factors"],
        no_hint=["Do not average", "x @ weight misses", "needs no transpose"],
        why="computes x.T @ grad_output, the transpose of the weight gradient",
    ),
    Mistake(
        name="linear_bias_mean",
        cell="Linear",
        code=patched(
            MODULE,
            "Linear",
            ("self.bias.grad = grad_output.sum(axis=0)", "self.bias.grad = grad_output.mean(axis=0)"),
        ),
        loses=["test_Linear"],
        feedback=["Do not average"],
        no_hint=["swap the factors", "x @ weight misses", "needs no transpose"],
        why="averages the bias gradient over the batch instead of summing it",
    ),
    Mistake(
        name="linear_forward_without_transpose",
        cell="Linear",
        code=patched(
            MODULE,
            "Linear",
            (
                "return x @ self.weight.data.T + self.bias.data",
                "return x @ self.weight.data + self.bias.data",
            ),
        ),
        loses=["test_Linear"],
        feedback=["ValueError", "x @ weight misses a transpose", "x @ weight.T"],
        no_hint=["swap the factors", "Do not average", "needs no transpose"],
        why="multiplies by the weight of shape (out, in) without transposing it",
    ),
    Mistake(
        name="linear_input_grad_transposed",
        cell="Linear",
        code=patched(
            MODULE,
            "Linear",
            ("return grad_output @ self.weight.data", "return grad_output @ self.weight.data.T"),
        ),
        loses=["test_Linear"],
        feedback=["ValueError", "grad_output (N, out) @ weight (out, in)"],
        no_hint=["swap the factors", "Do not average", "x @ weight misses"],
        why="returns grad_output @ weight.T for the input gradient",
    ),
    # -- exercise 7: TwoLayerMLP
    Mistake(
        name="mlp_forgets_tanh_derivative",
        cell="TwoLayerMLP",
        code=patched(
            MODULE,
            "TwoLayerMLP",
            (
                "grad_a = grad_z * (1 - self.z**2)  # step 4: through tanh",
                "grad_a = grad_z  # step 4: through tanh",
            ),
        ),
        loses=["test_TwoLayerMLP"],
        feedback=["1 - z**2 before passing it"],
        no_hint=["not the pre-activation", "Put tanh between", "Start with self.output.backward"],
        why="skips the activation's local derivative between the two layers",
    ),
    Mistake(
        name="mlp_derivative_of_preactivation",
        cell="TwoLayerMLP",
        code=patched(
            MODULE,
            "TwoLayerMLP",
            (
                "self.z = tanh(self.hidden(x))",
                "self.a = self.hidden(x)\n        self.z = tanh(self.a)",
            ),
            (
                "grad_a = grad_z * (1 - self.z**2)  # step 4: through tanh",
                "grad_a = grad_z * (1 - self.a**2)  # step 4: through tanh",
            ),
        ),
        loses=["test_TwoLayerMLP"],
        feedback=["OUTPUT", "not the pre-activation"],
        no_hint=["before passing it", "Put tanh between", "Start with self.output.backward"],
        why="computes tanh' as 1 - a**2 from the pre-activation a instead of 1 - z**2 from the output z",
    ),
    Mistake(
        name="mlp_forward_without_tanh",
        cell="TwoLayerMLP",
        code=patched(MODULE, "TwoLayerMLP", ("self.z = tanh(self.hidden(x))", "self.z = self.hidden(x)")),
        loses=["test_TwoLayerMLP"],
        feedback=["Put tanh between the two layers"],
        no_hint=["before passing it", "Start with self.output.backward"],
        why="forgets the activation in forward: the two layers collapse into one linear map",
    ),
    Mistake(
        name="mlp_skips_output_backward",
        cell="TwoLayerMLP",
        code=patched(
            MODULE,
            "TwoLayerMLP",
            (
                "grad_z = self.output.backward(grad_scores)  # steps 2 and 3",
                "grad_z = grad_scores @ self.output.weight.data  # steps 2 and 3",
            ),
        ),
        loses=["test_TwoLayerMLP"],
        feedback=["still None", "Start with self.output.backward"],
        no_hint=["before passing it", "not the pre-activation", "Put tanh between"],
        why="writes dL/dz = grad_scores @ W by hand instead of calling the output layer's backward, so the "
        "output layer's gradients are never filled",
    ),
    # -- exercise 8: Dual
    Mistake(
        name="dual_mul_without_product_rule",
        cell="Dual",
        code=patched(
            MODULE,
            "Dual",
            (
                "return Dual(self.value * other.value, self.value * other.deriv + other.value * self.deriv)",
                "return Dual(self.value * other.value, self.deriv * other.deriv)",
            ),
        ),
        loses=["test_Dual"],
        feedback=["product rule"],
        no_hint=["incoming derivative", "with the square"],
        why="multiplies the derivatives instead of applying the product rule",
    ),
    Mistake(
        name="dual_reciprocal_without_square",
        cell="Dual",
        code=patched(
            MODULE,
            "Dual",
            (
                "return Dual(1.0 / self.value, -self.deriv / self.value**2)",
                "return Dual(1.0 / self.value, -self.deriv / self.value)",
            ),
        ),
        loses=["test_Dual"],
        feedback=["with the square"],
        no_hint=["product rule", "incoming derivative"],
        why="uses -du / u for the derivative of 1/u",
    ),
    Mistake(
        name="dual_exp_forgets_chain",
        cell="Dual",
        code=patched(
            MODULE,
            "Dual",
            ("return Dual(e, e * self.deriv)", "return Dual(e, e)"),
        ),
        loses=["test_Dual"],
        feedback=["incoming derivative"],
        no_hint=["product rule", "with the square"],
        why="returns e^u as the derivative of exp(u), forgetting to multiply by du",
    ),
]

MISTAKES += [
    # -- exercise 9: the reverse-mode engine
    Mistake(
        name="value_backward_overwrites",
        cell="Value",
        code=patched(
            MODULE,
            "Value",
            ("parent.grad += local * node.grad", "parent.grad = local * node.grad"),
        ),
        loses=["test_Value"],
        feedback=["add them up", "x.grad"],
        no_hint=["reversed(self.topological_order())", "Multiply the local derivative"],
        why="forgets to accumulate: a node used twice keeps only the gradient of its last use",
    ),
    Mistake(
        name="value_backward_wrong_order",
        cell="Value",
        code=patched(
            MODULE,
            "Value",
            ("for node in reversed(self.topological_order()):", "for node in self.topological_order():"),
        ),
        loses=["test_Value"],
        feedback=["reversed(self.topological_order())"],
        no_hint=["add them up", "Multiply the local derivative"],
        why="walks the graph from the inputs to the output, so gradients are passed on before they are complete",
    ),
    Mistake(
        name="value_backward_missing_chain_factor",
        cell="Value",
        code=patched(
            MODULE,
            "Value",
            ("parent.grad += local * node.grad", "parent.grad += local"),
        ),
        loses=["test_Value"],
        feedback=["local * node.grad"],
        no_hint=["add them up", "reversed(self.topological_order())"],
        why="adds the local derivative without multiplying by the gradient coming from above",
    ),
    Mistake(
        name="value_exp_local_is_one",
        cell="Value",
        code=patched(
            MODULE,
            "Value",
            (
                "return Value(e, parents=(self,), local_grads=(e,))",
                "return Value(e, parents=(self,), local_grads=(1.0,))",
            ),
        ),
        loses=["test_Value"],
        feedback=["Value(1).exp().local_grads"],
        why="treats exp like a sum: local derivative 1 instead of exp(u)",
    ),
    Mistake(
        name="value_zero_grad_output_only",
        cell="Value",
        code=patched(
            MODULE,
            "Value",
            (
                "for node in self.topological_order():\n            node.grad = 0.0",
                "self.grad = 0.0",
            ),
        ),
        loses=["test_Value"],
        feedback=["after zero_grad"],
        why="zero_grad resets the output only, so the inputs keep their old gradients",
    ),
]

# Correct answers written differently: each keeps full marks (tests/test_course_grading.py).
EQUIVALENT = [
    Mistake(
        name="value_iterative_order",
        cell="Value",
        code=patched(
            MODULE,
            "Value",
            (
                (
                    "order, seen = [], set()\n"
                    "\n"
                    "        def visit(node):\n"
                    "            if id(node) in seen:\n"
                    "                return\n"
                    "            seen.add(id(node))\n"
                    "            for parent in node.parents:\n"
                    "                visit(parent)\n"
                    "            order.append(node)\n"
                    "\n"
                    "        visit(self)"
                ),
                (
                    "order, seen, stack = [], set(), [(self, False)]\n"
                    "        while stack:\n"
                    "            node, done = stack.pop()\n"
                    "            if done:\n"
                    "                order.append(node)\n"
                    "            elif id(node) not in seen:\n"
                    "                seen.add(id(node))\n"
                    "                stack.append((node, True))\n"
                    "                stack.extend((parent, False) for parent in node.parents)\n"
                    '        print("the graph has", len(order), "nodes")'
                ),
            ),
        ),
        loses=(),
        why="a topological order without recursion (an explicit stack), that prints the size of the graph",
    ),
    Mistake(
        name="backward_sigmoid_shortcut",
        cell="neuron_backward",
        code=patched(
            MODULE,
            "neuron_backward",
            (
                'grads["z"] = -1.0 * grads["u"]  # u = -z',
                'grads["z"] = values["f"] * (1 - values["f"])  # u = -z',
            ),
        ),
        loses=(),
        why="the sigmoid gate in one step: df/dz = f (1 - f), the same number",
    ),
    Mistake(
        name="numgrad_fresh_copies",
        cell="numerical_gradient",
        code=patched(
            MODULE,
            "numerical_gradient",
            (
                (
                    "old = x[i]\n"
                    "        x[i] = old + h\n"
                    "        f_plus = f(x)\n"
                    "        x[i] = old - h\n"
                    "        f_minus = f(x)\n"
                    "        x[i] = old\n"
                    "        grad[i] = (f_plus - f_minus) / (2 * h)"
                ),
                (
                    "x_plus, x_minus = x.copy(), x.copy()\n"
                    "        x_plus[i] += h\n"
                    "        x_minus[i] -= h\n"
                    "        grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)"
                ),
            ),
        ),
        loses=(),
        why="nudges two fresh copies of x for every entry instead of nudging x and putting the value back",
    ),
    Mistake(
        name="mlp_tanh_derivative_from_preactivation",
        cell="TwoLayerMLP",
        code=patched(
            MODULE,
            "TwoLayerMLP",
            ("self.z = tanh(self.hidden(x))", "self.a = self.hidden(x)\n        self.z = tanh(self.a)"),
            (
                "grad_a = grad_z * (1 - self.z**2)  # step 4: through tanh",
                "grad_a = grad_z * (1 - tanh(self.a) ** 2)  # step 4: through tanh",
            ),
        ),
        loses=(),
        why="keeps the pre-activation a and computes tanh'(a) = 1 - tanh(a)**2 from it: the same numbers",
    ),
]

SAMPLE = {"chen": ["backward_forgets_sign_flip", "ce_no_mean", "linear_missing_transpose"]}
