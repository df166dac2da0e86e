"""Realistic wrong answers for module 05 (gradient descent and optimisers)."""

from tests.mistakes import Mistake, patched

MODULE = "05_optimizers"

MISTAKES = [
    # -- gradient_descent ---------------------------------------------------------------------
    Mistake(
        name="gd_ascent",
        cell="gradient_descent",
        code=patched(
            MODULE,
            "gradient_descent",
            ("w = w - lr * np.asarray(grad(w), dtype=float)", "w = w + lr * grad(w)"),
        ),
        loses=["test_gradient_descent"],
        feedback=["subtract lr * grad(w)", "expected 0.8"],
        why="adds the gradient (climbs the loss), as the slides' `x += learning_rate * dx` does",
    ),
    Mistake(
        name="gd_in_place",
        cell="gradient_descent",
        code=patched(
            MODULE,
            "gradient_descent",
            ("w = w - lr * np.asarray(grad(w), dtype=float)", "w -= lr * grad(w)"),
        ),
        loses=["test_gradient_descent"],
        feedback=["in place", "same number"],
        why="appends the same array again and again and changes it in place: every row is the last point",
    ),
    Mistake(
        name="gd_forgets_start",
        cell="gradient_descent",
        code=patched(
            MODULE,
            "gradient_descent",
            (
                (
                    "path = [w]\n"
                    "    for _ in range(steps):\n"
                    "        w = w - lr * np.asarray(grad(w), dtype=float)"
                ),
                "path = []\n    for _ in range(steps):\n        w = w - lr * grad(w)",
            ),
        ),
        loses=["test_gradient_descent"],
        feedback=["shape", "Row 0 must be w0"],
        why="returns only the points after each update, not the start: steps rows instead of steps + 1",
    ),
    # -- minibatches ------------------------------------------------------------------------------
    Mistake(
        name="mb_drops_last",
        cell="minibatches",
        code=patched(
            MODULE,
            "minibatches",
            (
                "for start in range(0, n, batch_size):\n        index = order[start : start + batch_size]",
                (
                    "for b in range(n // batch_size):\n"
                    "        index = order[b * batch_size:(b + 1) * batch_size]"
                ),
            ),
        ),
        loses=["test_minibatches"],
        feedback=["the number of batches", "do not drop it"],
        why="n // batch_size batches: the leftover examples are never used",
    ),
    Mistake(
        name="mb_empty_last_batch",
        cell="minibatches",
        code=patched(
            MODULE,
            "minibatches",
            (
                "for start in range(0, n, batch_size):\n        index = order[start : start + batch_size]",
                (
                    "for b in range(n // batch_size + 1):\n"
                    "        index = order[b * batch_size:(b + 1) * batch_size]"
                ),
            ),
        ),
        loses=["test_minibatches"],
        feedback=["one step too far"],
        why="n // batch_size + 1 batches: an empty batch at the end when batch_size divides n",
    ),
    Mistake(
        name="mb_shuffles_separately",
        cell="minibatches",
        code=patched(
            MODULE,
            "minibatches",
            (
                (
                    "n = len(X)\n"
                    "    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)\n"
                    "    for start in range(0, n, batch_size):\n"
                    "        index = order[start : start + batch_size]\n"
                    "        yield X[index], y[index]"
                ),
                (
                    "if shuffle:\n"
                    "        rng = np.random.default_rng(seed)\n"
                    "        X = rng.permutation(X)\n"
                    "        y = rng.permutation(y)\n"
                    "    for start in range(0, len(X), batch_size):\n"
                    "        yield X[start:start + batch_size], y[start:start + batch_size]"
                ),
            ),
        ),
        loses=["test_minibatches"],
        feedback=["same permutation"],
        no_hint=["old generator"],
        why="shuffles X and y with two different permutations: the pairs are broken",
    ),
    Mistake(
        name="mb_legacy_seed",
        cell="minibatches",
        code=patched(
            MODULE,
            "minibatches",
            (
                "order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)",
                (
                    "if shuffle:\n"
                    "        np.random.seed(seed)\n"
                    "        order = np.random.permutation(n)\n"
                    "    else:\n"
                    "        order = np.arange(n)"
                ),
            ),
        ),
        loses=["test_minibatches"],
        feedback=["old generator", "the y values in visiting order"],
        no_hint=["same permutation", "do not drop it"],
        why="seeds NumPy's global generator, as older tutorials do: a valid shuffle, but not the order asked for",
    ),
    # -- sgd_momentum_step -------------------------------------------------------------------------
    Mistake(
        name="momentum_adds_velocity",
        cell="sgd_momentum_step",
        code=patched(
            MODULE,
            "sgd_momentum_step",
            (
                (
                    'velocity = momentum * state.get("velocity", np.zeros_like(w)) + grad\n'
                    '    return w - lr * velocity, {"velocity": velocity}'
                ),
                (
                    "v = momentum * state.get('velocity', np.zeros_like(w)) + grad\n"
                    "    return w + lr * v, {'velocity': v}"
                ),
            ),
        ),
        loses=["test_sgd_momentum_step"],
        feedback=["w = w - lr * v", "went uphill"],
        absent=["applied twice", "without a (1 - momentum) factor"],
        why="copies the slide's `x += learning_rate * vx`: the step goes uphill (its velocity is right)",
    ),
    Mistake(
        name="momentum_dampened",
        cell="sgd_momentum_step",
        code=patched(
            MODULE,
            "sgd_momentum_step",
            (
                (
                    'velocity = momentum * state.get("velocity", np.zeros_like(w)) + grad\n'
                    '    return w - lr * velocity, {"velocity": velocity}'
                ),
                (
                    "v = momentum * state.get('velocity', np.zeros_like(w)) + (1 - momentum) * grad\n"
                    "    return w - lr * v, {'velocity': v}"
                ),
            ),
        ),
        loses=["test_sgd_momentum_step"],
        feedback=["(1 - momentum)"],
        absent=["went uphill", "applied twice"],
        why="uses Adam's moving average v = momentum v + (1 - momentum) g instead of the velocity",
    ),
    Mistake(
        name="momentum_lr_twice",
        cell="sgd_momentum_step",
        code=patched(
            MODULE,
            "sgd_momentum_step",
            (
                (
                    'velocity = momentum * state.get("velocity", np.zeros_like(w)) + grad\n'
                    '    return w - lr * velocity, {"velocity": velocity}'
                ),
                (
                    "v = momentum * state.get('velocity', np.zeros_like(w)) + lr * grad\n"
                    "    return w - lr * v, {'velocity': v}"
                ),
            ),
        ),
        loses=["test_sgd_momentum_step"],
        feedback=["applied twice"],
        absent=["went uphill", "without a (1 - momentum) factor"],
        why="mixes the two notations: the learning rate in the velocity and again in the update",
    ),
    Mistake(
        name="momentum_deck002_correct",
        cell="sgd_momentum_step",
        code=patched(
            MODULE,
            "sgd_momentum_step",
            (
                (
                    'velocity = momentum * state.get("velocity", np.zeros_like(w)) + grad\n'
                    '    return w - lr * velocity, {"velocity": velocity}'
                ),
                (
                    "V = momentum * state.get('velocity', np.zeros_like(w)) + lr * grad  # deck 002: V in steps\n"
                    "    return w - V, {'velocity': V}"
                ),
            ),
        ),
        loses=[],
        why="correct: deck 002's form, which stores V = lr * v instead of v",
    ),
    Mistake(
        name="momentum_float32_loop_correct",
        cell="sgd_momentum_step",
        code=patched(
            MODULE,
            "sgd_momentum_step",
            (
                (
                    'velocity = momentum * state.get("velocity", np.zeros_like(w)) + grad\n'
                    '    return w - lr * velocity, {"velocity": velocity}'
                ),
                (
                    "old = state.get('velocity', np.zeros(np.shape(w), dtype=np.float32))\n"
                    "    new_v = np.zeros(np.shape(w), dtype=np.float32)\n"
                    "    new_w = np.zeros(np.shape(w), dtype=np.float32)\n"
                    "    for i in np.ndindex(*np.shape(w)):\n"
                    "        new_v[i] = momentum * old[i] + grad[i]\n"
                    "        new_w[i] = w[i] - lr * new_v[i]\n"
                    "    return new_w, {'velocity': new_v}"
                ),
            ),
        ),
        loses=[],
        why="correct: element by element in a loop, in float32",
    ),
    # -- adagrad_step and rmsprop_step ---------------------------------------------------------------
    Mistake(
        name="rmsprop_alpha_swapped",
        cell="adagrad_rmsprop",
        code=patched(
            MODULE,
            "adagrad_rmsprop",
            (
                (
                    'sum_sq = state.get("sum_sq", np.zeros_like(w)) + grad**2\n'
                    '    return w - lr * grad / (np.sqrt(sum_sq) + eps), {"sum_sq": sum_sq}'
                ),
                (
                    "s = state.get('sum_sq', np.zeros_like(w)) + grad ** 2\n"
                    "    return w - lr * grad / (np.sqrt(s) + eps), {'sum_sq': s}"
                ),
            ),
            (
                (
                    'square_avg = alpha * state.get("square_avg", np.zeros_like(w)) + (1 - alpha) * grad**2\n'
                    '    return w - lr * grad / (np.sqrt(square_avg) + eps), {"square_avg": square_avg}'
                ),
                (
                    "v = (1 - alpha) * state.get('square_avg', np.zeros_like(w)) + alpha * grad ** 2\n"
                    "    return w - lr * grad / (np.sqrt(v) + eps), {'square_avg': v}"
                ),
            ),
        ),
        loses=["test_adagrad_rmsprop"],
        feedback=["swapped alpha"],
        no_hint=["Square the gradient"],
        why="keeps 1 - alpha of the old average and adds alpha of the new squared gradient",
    ),
    Mistake(
        name="adagrad_eps_inside",
        cell="adagrad_rmsprop",
        code=patched(
            MODULE,
            "adagrad_rmsprop",
            (
                (
                    'sum_sq = state.get("sum_sq", np.zeros_like(w)) + grad**2\n'
                    '    return w - lr * grad / (np.sqrt(sum_sq) + eps), {"sum_sq": sum_sq}'
                ),
                (
                    "s = state.get('sum_sq', np.zeros_like(w)) + grad ** 2\n"
                    "    return w - lr * grad / np.sqrt(s + eps), {'sum_sq': s}"
                ),
            ),
            (
                (
                    'square_avg = alpha * state.get("square_avg", np.zeros_like(w)) + (1 - alpha) * grad**2\n'
                    '    return w - lr * grad / (np.sqrt(square_avg) + eps), {"square_avg": square_avg}'
                ),
                (
                    "v = alpha * state.get('square_avg', np.zeros_like(w)) + (1 - alpha) * grad ** 2\n"
                    "    return w - lr * grad / (np.sqrt(v) + eps), {'square_avg': v}"
                ),
            ),
        ),
        loses=["test_adagrad_rmsprop"],
        feedback=["not by sqrt(s + eps)"],
        why="puts eps inside the square root, as deck 001's formula does",
    ),
    Mistake(
        name="adagrad_unsquared_sum",
        cell="adagrad_rmsprop",
        code=patched(
            MODULE,
            "adagrad_rmsprop",
            (
                (
                    'sum_sq = state.get("sum_sq", np.zeros_like(w)) + grad**2\n'
                    '    return w - lr * grad / (np.sqrt(sum_sq) + eps), {"sum_sq": sum_sq}'
                ),
                (
                    "s = state.get('sum_sq', np.zeros_like(w)) + np.abs(grad)\n"
                    "    return w - lr * grad / (np.sqrt(s) + eps), {'sum_sq': s}"
                ),
            ),
            (
                (
                    'square_avg = alpha * state.get("square_avg", np.zeros_like(w)) + (1 - alpha) * grad**2\n'
                    '    return w - lr * grad / (np.sqrt(square_avg) + eps), {"square_avg": square_avg}'
                ),
                (
                    "v = alpha * state.get('square_avg', np.zeros_like(w)) + (1 - alpha) * grad ** 2\n"
                    "    return w - lr * grad / (np.sqrt(v) + eps), {'square_avg': v}"
                ),
            ),
        ),
        loses=["test_adagrad_rmsprop"],
        feedback=["Square the gradient"],
        why="sums the sizes of the gradients instead of their squares",
    ),
    # -- adam_step ----------------------------------------------------------------------------------
    Mistake(
        name="adam_no_bias_correction",
        cell="adam_step",
        code=patched(
            MODULE,
            "adam_step",
            (
                (
                    'm = beta1 * state.get("m", np.zeros_like(w)) + (1 - beta1) * grad\n'
                    '    v = beta2 * state.get("v", np.zeros_like(w)) + (1 - beta2) * grad**2\n'
                    "    m_hat = m / (1 - beta1**t)\n"
                    "    v_hat = v / (1 - beta2**t)\n"
                    '    return w - lr * m_hat / (np.sqrt(v_hat) + eps), {"t": t, "m": m, "v": v}'
                ),
                (
                    'm = beta1 * state.get("m", 0 * w) + (1 - beta1) * grad\n'
                    '    v = beta2 * state.get("v", 0 * w) + (1 - beta2) * grad * grad\n'
                    "    m_hat = m\n"
                    "    v_hat = v\n"
                    "    w = w - lr * m_hat / (np.sqrt(v_hat) + eps)\n"
                    '    return w, {"t": t, "m": m, "v": v}'
                ),
            ),
        ),
        loses=["test_adam_step"],
        feedback=["bias correction", "w after the first step"],
        why="forgets the bias correction: the first steps are about 3 times too large",
    ),
    Mistake(
        name="adam_deck_correction",
        cell="adam_step",
        code=patched(
            MODULE,
            "adam_step",
            (
                (
                    'm = beta1 * state.get("m", np.zeros_like(w)) + (1 - beta1) * grad\n'
                    '    v = beta2 * state.get("v", np.zeros_like(w)) + (1 - beta2) * grad**2\n'
                    "    m_hat = m / (1 - beta1**t)\n"
                    "    v_hat = v / (1 - beta2**t)\n"
                    '    return w - lr * m_hat / (np.sqrt(v_hat) + eps), {"t": t, "m": m, "v": v}'
                ),
                (
                    'm = beta1 * state.get("m", 0 * w) + (1 - beta1) * grad\n'
                    '    v = beta2 * state.get("v", 0 * w) + (1 - beta2) * grad * grad\n'
                    "    m_hat = m / (1 - beta1)\n"
                    "    v_hat = v / (1 - beta2)\n"
                    "    w = w - lr * m_hat / (np.sqrt(v_hat) + eps)\n"
                    '    return w, {"t": t, "m": m, "v": v}'
                ),
            ),
        ),
        loses=["test_adam_step"],
        feedback=["1 - beta1**t", "w after step 2"],
        why="deck 002's correction without the power t: right at step 1, wrong from step 2 on",
    ),
    Mistake(
        name="adam_eps_inside",
        cell="adam_step",
        code=patched(
            MODULE,
            "adam_step",
            (
                (
                    'm = beta1 * state.get("m", np.zeros_like(w)) + (1 - beta1) * grad\n'
                    '    v = beta2 * state.get("v", np.zeros_like(w)) + (1 - beta2) * grad**2'
                ),
                (
                    'm = beta1 * state.get("m", 0 * w) + (1 - beta1) * grad\n'
                    '    v = beta2 * state.get("v", 0 * w) + (1 - beta2) * grad * grad'
                ),
            ),
            (
                'return w - lr * m_hat / (np.sqrt(v_hat) + eps), {"t": t, "m": m, "v": v}',
                'w = w - lr * m_hat / (np.sqrt(v_hat + eps))\n    return w, {"t": t, "m": m, "v": v}',
            ),
        ),
        loses=["test_adam_step"],
        feedback=["not by sqrt(v_hat + eps)"],
        no_hint=["Add the bias correction", "with the power t", "raw moments"],
        why="deck 001's sqrt(v_hat + eps): eps inside the square root",
    ),
    Mistake(
        name="adam_stores_hats",
        cell="adam_step",
        code=patched(
            MODULE,
            "adam_step",
            (
                '(np.sqrt(v_hat) + eps), {"t": t, "m": m, "v": v}',
                '(np.sqrt(v_hat) + eps), {"t": t, "m": m_hat, "v": v_hat}',
            ),
        ),
        loses=["test_adam_step"],
        feedback=["raw moments", 'state["m"]'],
        no_hint=["Add the bias correction", "with the power t"],
        why="keeps the bias-corrected m_hat and v_hat as the running averages, so the correction compounds",
    ),
    # -- adam_step_ratio -----------------------------------------------------------------------------
    Mistake(
        name="ratio_no_square_root",
        cell="adam_step_ratio",
        code=patched(
            MODULE,
            "adam_step_ratio",
            (
                "m = 1 - beta1**t  # m_t / g\n    v = 1 - beta2**t  # v_t / g**2",
                "m, v = 1 - beta1**t, 1 - beta2**t",
            ),
            (
                (
                    'elif correction != "none":\n'
                    "        raise ValueError(f\"correction must be 'paper', 'deck' or 'none', got {correction!r}\")\n"
                    "    return float(m / math.sqrt(v))"
                ),
                "return float(m / v)",
            ),
        ),
        loses=["test_adam_step_ratio"],
        feedback=["square root"],
        why="divides by v instead of sqrt(v)",
    ),
    Mistake(
        name="ratio_deck_with_power",
        cell="adam_step_ratio",
        code=patched(
            MODULE,
            "adam_step_ratio",
            (
                (
                    "m = 1 - beta1**t  # m_t / g\n"
                    "    v = 1 - beta2**t  # v_t / g**2\n"
                    '    if correction == "paper":\n'
                    "        m, v = m / (1 - beta1**t), v / (1 - beta2**t)\n"
                    '    elif correction == "deck":\n'
                    "        m, v = m / (1 - beta1), v / (1 - beta2)\n"
                    '    elif correction != "none":\n'
                    "        raise ValueError(f\"correction must be 'paper', 'deck' or 'none', got {correction!r}\")"
                ),
                (
                    "m, v = 1 - beta1**t, 1 - beta2**t\n"
                    '    if correction in ("paper", "deck"):\n'
                    "        m, v = m / (1 - beta1**t), v / (1 - beta2**t)"
                ),
            ),
        ),
        loses=["test_adam_step_ratio"],
        feedback=["without the power t"],
        why="reads the deck's correction as the paper's: does not see the bug",
    ),
    # -- schedules ----------------------------------------------------------------------------------
    Mistake(
        name="step_decay_off_by_one",
        cell="schedules",
        code=patched(
            MODULE,
            "schedules",
            (
                (
                    '"""lr0 * drop ** floor(epoch / every): multiply by `drop` every `every` epochs."""\n'
                    "    return float(lr0 * drop ** (epoch // every))\n"
                    "\n"
                    "\n"
                    "def exponential_decay(epoch, lr0, gamma=0.95):\n"
                    '    """lr0 * gamma ** epoch."""\n'
                    "    return float(lr0 * gamma**epoch)\n"
                    "\n"
                    "\n"
                    "def cosine_decay(epoch, lr0, total, lr_min=0.0):\n"
                    '    """Half a cosine from lr0 (epoch 0) down to lr_min (epoch `total`), for 0 <= epoch <= total:\n'
                    '    lr_min + (lr0 - lr_min) * (1 + cos(pi * epoch / total)) / 2."""\n'
                    "    return float(lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * epoch / total)) / 2)\n"
                    "\n"
                    "\n"
                    "def linear_warmup(epoch, lr0, warmup=5, start_factor=0.1):\n"
                    '    """A straight line from start_factor * lr0 (epoch 0) up to lr0 (epoch `warmup`), then lr0:\n'
                    '    lr0 * (start_factor + (1 - start_factor) * min(epoch, warmup) / warmup)."""\n'
                    "    return float(lr0 * (start_factor + (1 - start_factor) * min(epoch, warmup) / warmup))"
                ),
                (
                    "return lr0 * drop ** ((epoch + 1) // every)\n"
                    "\n"
                    "\n"
                    "def exponential_decay(epoch, lr0, gamma=0.95):\n"
                    "    return lr0 * gamma ** epoch\n"
                    "\n"
                    "\n"
                    "def cosine_decay(epoch, lr0, total, lr_min=0.0):\n"
                    "    return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * epoch / total)) / 2\n"
                    "\n"
                    "\n"
                    "def linear_warmup(epoch, lr0, warmup=5, start_factor=0.1):\n"
                    "    return lr0 * (start_factor + (1 - start_factor) * min(epoch, warmup) / warmup)"
                ),
            ),
        ),
        loses=["test_schedules"],
        feedback=["epoch // every", "step_decay at epochs", "one epoch too early"],
        no_hint=["not epoch / every", "(1 + cos(...)) / 2"],
        why="counts epochs from 1: the rate drops one epoch too early",
    ),
    Mistake(
        name="step_decay_true_division",
        cell="schedules",
        code=patched(
            MODULE,
            "schedules",
            ("return float(lr0 * drop ** (epoch // every))", "return float(lr0 * drop ** (epoch / every))"),
        ),
        loses=["test_schedules"],
        feedback=["not epoch / every", "step_decay at epochs"],
        no_hint=["one epoch too early"],
        why="drops the floor of the docstring's lr0 * drop ** floor(epoch / every): the rate decays every epoch",
    ),
    Mistake(
        name="exp_decay_from_one",
        cell="schedules",
        code=patched(
            MODULE,
            "schedules",
            ("return float(lr0 * gamma**epoch)", "return float(lr0 * gamma ** (epoch + 1))"),
        ),
        loses=["test_schedules"],
        feedback=["gamma ** (epoch + 1)", "exponential_decay over 30 epochs"],
        no_hint=["epoch // every", "start_factor * lr0"],
        why="counts epochs from 1, so the first epoch already runs at lr0 * gamma",
    ),
    Mistake(
        name="cosine_without_half",
        cell="schedules",
        code=patched(
            MODULE,
            "schedules",
            (
                (
                    '"""lr0 * drop ** floor(epoch / every): multiply by `drop` every `every` epochs."""\n'
                    "    return float(lr0 * drop ** (epoch // every))\n"
                    "\n"
                    "\n"
                    "def exponential_decay(epoch, lr0, gamma=0.95):\n"
                    '    """lr0 * gamma ** epoch."""\n'
                    "    return float(lr0 * gamma**epoch)\n"
                    "\n"
                    "\n"
                    "def cosine_decay(epoch, lr0, total, lr_min=0.0):\n"
                    '    """Half a cosine from lr0 (epoch 0) down to lr_min (epoch `total`), for 0 <= epoch <= total:\n'
                    '    lr_min + (lr0 - lr_min) * (1 + cos(pi * epoch / total)) / 2."""\n'
                    "    return float(lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * epoch / total)) / 2)\n"
                    "\n"
                    "\n"
                    "def linear_warmup(epoch, lr0, warmup=5, start_factor=0.1):\n"
                    '    """A straight line from start_factor * lr0 (epoch 0) up to lr0 (epoch `warmup`), then lr0:\n'
                    '    lr0 * (start_factor + (1 - start_factor) * min(epoch, warmup) / warmup)."""\n'
                    "    return float(lr0 * (start_factor + (1 - start_factor) * min(epoch, warmup) / warmup))"
                ),
                (
                    "return lr0 * drop ** (epoch // every)\n"
                    "\n"
                    "\n"
                    "def exponential_decay(epoch, lr0, gamma=0.95):\n"
                    "    return lr0 * gamma ** epoch\n"
                    "\n"
                    "\n"
                    "def cosine_decay(epoch, lr0, total, lr_min=0.0):\n"
                    "    return lr_min + (lr0 - lr_min) * math.cos(math.pi * epoch / total)\n"
                    "\n"
                    "\n"
                    "def linear_warmup(epoch, lr0, warmup=5, start_factor=0.1):\n"
                    "    return lr0 * (start_factor + (1 - start_factor) * min(epoch, warmup) / warmup)"
                ),
            ),
        ),
        loses=["test_schedules"],
        feedback=["(1 + cos(...)) / 2"],
        no_hint=["start_factor * lr0"],
        why="uses cos itself, which goes from 1 to -1, instead of (1 + cos) / 2",
    ),
    Mistake(
        name="warmup_from_zero",
        cell="schedules",
        code=patched(
            MODULE,
            "schedules",
            (
                (
                    '"""lr0 * drop ** floor(epoch / every): multiply by `drop` every `every` epochs."""\n'
                    "    return float(lr0 * drop ** (epoch // every))\n"
                    "\n"
                    "\n"
                    "def exponential_decay(epoch, lr0, gamma=0.95):\n"
                    '    """lr0 * gamma ** epoch."""\n'
                    "    return float(lr0 * gamma**epoch)\n"
                    "\n"
                    "\n"
                    "def cosine_decay(epoch, lr0, total, lr_min=0.0):\n"
                    '    """Half a cosine from lr0 (epoch 0) down to lr_min (epoch `total`), for 0 <= epoch <= total:\n'
                    '    lr_min + (lr0 - lr_min) * (1 + cos(pi * epoch / total)) / 2."""\n'
                    "    return float(lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * epoch / total)) / 2)\n"
                    "\n"
                    "\n"
                    "def linear_warmup(epoch, lr0, warmup=5, start_factor=0.1):\n"
                    '    """A straight line from start_factor * lr0 (epoch 0) up to lr0 (epoch `warmup`), then lr0:\n'
                    '    lr0 * (start_factor + (1 - start_factor) * min(epoch, warmup) / warmup)."""\n'
                    "    return float(lr0 * (start_factor + (1 - start_factor) * min(epoch, warmup) / warmup))"
                ),
                (
                    "return lr0 * drop ** (epoch // every)\n"
                    "\n"
                    "\n"
                    "def exponential_decay(epoch, lr0, gamma=0.95):\n"
                    "    return lr0 * gamma ** epoch\n"
                    "\n"
                    "\n"
                    "def cosine_decay(epoch, lr0, total, lr_min=0.0):\n"
                    "    return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * epoch / total)) / 2\n"
                    "\n"
                    "\n"
                    "def linear_warmup(epoch, lr0, warmup=5, start_factor=0.1):\n"
                    "    return lr0 * min(1.0, (epoch + 1) / warmup)"
                ),
            ),
        ),
        loses=["test_schedules"],
        feedback=["start_factor * lr0"],
        no_hint=["(1 + cos(...)) / 2", "gamma ** (epoch + 1)"],
        why="ignores start_factor and ramps up as (epoch + 1) / warmup",
    ),
    # -- clip_grad_norm -----------------------------------------------------------------------------
    Mistake(
        name="clip_each_array",
        cell="clip_grad_norm",
        code=patched(
            MODULE,
            "clip_grad_norm",
            (
                (
                    "total_norm = math.sqrt(sum(float(np.sum(g**2)) for g in grads))\n"
                    "    scale = max_norm / total_norm if total_norm > max_norm else 1.0\n"
                    "    return [g * scale for g in grads], total_norm"
                ),
                (
                    "clipped = []\n"
                    "    for g in grads:\n"
                    "        norm = np.sqrt(np.sum(g ** 2))\n"
                    "        clipped.append(g * max_norm / norm if norm > max_norm else g)\n"
                    "    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))\n"
                    "    return clipped, total"
                ),
            ),
        ),
        loses=["test_clip_grad_norm"],
        feedback=["one norm over all the arrays"],
        why="clips each array by its own norm instead of the joint norm",
    ),
    Mistake(
        name="clip_scales_up",
        cell="clip_grad_norm",
        code=patched(
            MODULE,
            "clip_grad_norm",
            (
                (
                    "total_norm = math.sqrt(sum(float(np.sum(g**2)) for g in grads))\n"
                    "    scale = max_norm / total_norm if total_norm > max_norm else 1.0\n"
                    "    return [g * scale for g in grads], total_norm"
                ),
                (
                    "total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))\n"
                    "    return [g * max_norm / total for g in grads], total"
                ),
            ),
        ),
        loses=["test_clip_grad_norm"],
        feedback=["never makes a gradient longer"],
        why="always rescales to max_norm, so short gradients get longer",
    ),
    # -- xavier_uniform -----------------------------------------------------------------------------
    Mistake(
        name="xavier_fan_in_only",
        cell="xavier_uniform",
        code=patched(
            MODULE,
            "xavier_uniform",
            ("return math.sqrt(6 / (fan_in + fan_out))", "return math.sqrt(6 / fan_in)"),
            (
                (
                    "bound = xavier_bound(fan_in, fan_out)\n"
                    "    return np.random.default_rng(seed).uniform(-bound, bound, size=(fan_out, fan_in))"
                ),
                (
                    "a = xavier_bound(fan_in, fan_out)\n"
                    "    return np.random.default_rng(seed).uniform(-a, a, size=(fan_out, fan_in))"
                ),
            ),
        ),
        loses=["test_xavier_uniform"],
        feedback=["fan_in + fan_out"],
        why="He's uniform bound sqrt(6 / fan_in) instead of Xavier's",
    ),
    Mistake(
        name="xavier_transposed",
        cell="xavier_uniform",
        code=patched(
            MODULE,
            "xavier_uniform",
            (
                (
                    "bound = xavier_bound(fan_in, fan_out)\n"
                    "    return np.random.default_rng(seed).uniform(-bound, bound, size=(fan_out, fan_in))"
                ),
                (
                    "a = xavier_bound(fan_in, fan_out)\n"
                    "    return np.random.default_rng(seed).uniform(-a, a, size=(fan_in, fan_out))"
                ),
            ),
        ),
        loses=["test_xavier_uniform"],
        feedback=["(fan_out, fan_in)", "transposed"],
        why="shape (fan_in, fan_out): one row per input instead of one per output",
    ),
    Mistake(
        name="xavier_normal",
        cell="xavier_uniform",
        code=patched(
            MODULE,
            "xavier_uniform",
            (
                (
                    "bound = xavier_bound(fan_in, fan_out)\n"
                    "    return np.random.default_rng(seed).uniform(-bound, bound, size=(fan_out, fan_in))"
                ),
                (
                    "a = xavier_bound(fan_in, fan_out)\n"
                    "    return np.random.default_rng(seed).normal(0, a, size=(fan_out, fan_in))"
                ),
            ),
        ),
        loses=["test_xavier_uniform"],
        feedback=["goes beyond the bound"],
        why="draws from a normal distribution with standard deviation a",
    ),
]

EQUIVALENT = [
    Mistake(
        name="mb_permute_then_slice",
        cell="minibatches",
        code=patched(
            MODULE,
            "minibatches",
            (
                (
                    "for start in range(0, n, batch_size):\n"
                    "        index = order[start : start + batch_size]\n"
                    "        yield X[index], y[index]"
                ),
                (
                    "X, y = X[order], y[order]  # one permutation for both\n"
                    "    start = 0\n"
                    "    while start < n:\n"
                    "        yield X[start:start + batch_size], y[start:start + batch_size]\n"
                    "        start += batch_size"
                ),
            ),
        ),
        loses=[],
        why="correct: reorders X and y once with the same order, then slices them in a while loop",
    ),
    Mistake(
        name="step_decay_floor",
        cell="schedules",
        code=patched(
            MODULE,
            "schedules",
            (
                "return float(lr0 * drop ** (epoch // every))",
                "return lr0 * drop ** math.floor(epoch / every)",
            ),
        ),
        loses=[],
        why="correct: the docstring's floor(epoch / every) with math.floor, returned without float()",
    ),
    Mistake(
        name="clip_concatenated_norm",
        cell="clip_grad_norm",
        code=patched(
            MODULE,
            "clip_grad_norm",
            (
                "total_norm = math.sqrt(sum(float(np.sum(g**2)) for g in grads))",
                "total_norm = float(np.linalg.norm(np.concatenate([np.ravel(g) for g in grads])))",
            ),
        ),
        loses=[],
        why="correct: the joint norm as the norm of every entry laid end to end",
    ),
]

SAMPLE = {"chen": ["gd_in_place", "adam_deck_correction", "xavier_fan_in_only"]}
