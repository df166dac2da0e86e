"""Realistic wrong answers for module 07 (PyTorch and the GPU)."""

from tests.mistakes import Mistake, patched

MODULE = "07_pytorch_gpu"

MISTAKES = [
    # -- exercise 1: autograd on the sigmoid neuron
    Mistake(
        name="neuron_x_without_requires_grad",
        cell="neuron_gradients",
        code=patched(
            MODULE,
            "neuron_gradients",
            (
                "x = torch.tensor(x, dtype=torch.float64, requires_grad=True)",
                "x = torch.tensor(x, dtype=torch.float64)",
            ),
        ),
        loses=["test_neuron_gradients"],
        feedback=["requires_grad=True", "x.grad stays None"],
        why="only the weights are marked requires_grad, so x.grad is None",
    ),
    Mistake(
        name="neuron_returns_tensor_and_values",
        cell="neuron_gradients",
        code=patched(
            MODULE,
            "neuron_gradients",
            ('return {"f": f.item(), "dw": w.grad, "dx": x.grad}', 'return {"f": f, "dw": w, "dx": x}'),
        ),
        loses=["test_neuron_gradients"],
        feedback=["single number", ".item()", "w.grad"],
        why="returns the tensor f and the leaves themselves instead of f.item() and their .grad",
    ),
    # -- exercise 2: weights from nnlib, gradients from autograd
    Mistake(
        name="gradients_sum_reduction",
        cell="torch_gradients",
        code=patched(
            MODULE,
            "torch_gradients",
            (
                (
                    "model = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, classes)).double()\n"
                    "    model.load_state_dict({name: torch.tensor(value) for name, value in state.items()})\n"
                    "    loss = F.cross_entropy(model(torch.tensor(X)), torch.tensor(y))"
                ),
                (
                    "model = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, classes))\n"
                    "    model = model.double()\n"
                    "    model.load_state_dict({k: torch.tensor(v) for k, v in state.items()})\n"
                    '    loss = F.cross_entropy(model(torch.tensor(X)), torch.tensor(y), reduction="sum")'
                ),
            ),
        ),
        loses=["test_torch_gradients"],
        feedback=["MEAN cross-entropy"],
        why="sums the losses of the batch: every gradient is N times too large",
    ),
    Mistake(
        name="gradients_float32",
        cell="torch_gradients",
        code=patched(
            MODULE,
            "torch_gradients",
            (
                (
                    "model = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, classes)).double()\n"
                    "    model.load_state_dict({name: torch.tensor(value) for name, value in state.items()})\n"
                    "    loss = F.cross_entropy(model(torch.tensor(X)), torch.tensor(y))"
                ),
                (
                    "model = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, classes))\n"
                    "    model.load_state_dict({k: torch.tensor(v, dtype=torch.float32) for k, v in state.items()})\n"
                    "    loss = F.cross_entropy(model(torch.tensor(X, dtype=torch.float32)), torch.tensor(y))"
                ),
            ),
        ),
        loses=["test_torch_gradients"],
        feedback=["float64", ".double()"],
        why="computes in float32, whose gradients are only right to about 1e-7",
    ),
    Mistake(
        name="gradients_transposed_weights",
        cell="torch_gradients",
        code=patched(
            MODULE,
            "torch_gradients",
            (
                (
                    'hidden, inputs = state["0.weight"].shape\n'
                    '    classes = state["2.weight"].shape[0]\n'
                    "    model = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, "
                    "classes)).double()\n"
                    "    model.load_state_dict({name: torch.tensor(value) for name, value in state.items()})"
                ),
                (
                    'inputs, hidden = state["0.weight"].T.shape\n'
                    '    classes = state["2.weight"].shape[0]\n'
                    "    model = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, classes))\n"
                    "    model = model.double()\n"
                    "    with torch.no_grad():\n"
                    "        for name, param in model.named_parameters():\n"
                    "            value = torch.tensor(state[name])\n"
                    '            param.copy_(value.T if name.endswith("weight") else value)'
                ),
            ),
        ),
        loses=["test_torch_gradients"],
        feedback=["no transpose"],
        why="transposes the weights as if one library stored them (in, out)",
    ),
    Mistake(
        name="gradients_softmax_in_model",
        cell="torch_gradients",
        code=patched(
            MODULE,
            "torch_gradients",
            (
                "nn.Linear(hidden, classes)).double()",
                "nn.Linear(hidden, classes), nn.Softmax(dim=1)).double()",
            ),
        ),
        loses=["test_torch_gradients"],
        feedback=["no softmax in the model"],
        no_hint=["N times too large", "no transpose", "float32 numbers"],
        why="ends the model with a softmax, as deck 001 does: F.cross_entropy then takes the log-softmax of "
        "probabilities",
    ),
    # -- exercise 3: FFNN with logits
    Mistake(
        name="ffnn_softmax_output",
        cell="FFNN",
        code=patched(
            MODULE,
            "FFNN",
            (
                "\n    def forward(self, x):",
                "        self.softmax = nn.Softmax(dim=1)\n\n    def forward(self, x):",
            ),
            ("return self.w(self.g(self.v(x)))", "return self.softmax(self.w(self.g(self.v(x))))"),
        ),
        loses=["test_FFNN"],
        feedback=["probabilities, not logits", "leave it out"],
        why="keeps deck 001's softmax at the end (with the right dim)",
    ),
    Mistake(
        name="ffnn_relu_instead_of_tanh",
        cell="FFNN",
        code=patched(
            MODULE,
            "FFNN",
            ("return self.w(self.g(self.v(x)))", "return self.w(torch.relu(self.v(x)))"),
        ),
        loses=["test_FFNN"],
        feedback=["tanh between the two layers"],
        why="ReLU instead of the deck's tanh",
    ),
    Mistake(
        name="ffnn_batch_of_one",
        cell="FFNN",
        code=patched(
            MODULE,
            "FFNN",
            (
                "return self.w(self.g(self.v(x)))",
                (
                    "if x.dim() == 1:\n"
                    "            x = x.unsqueeze(0)  # make one example a batch of one\n"
                    "        return self.w(self.g(self.v(x)))"
                ),
            ),
        ),
        loses=["test_FFNN"],
        feedback=["do not add a batch axis"],
        no_hint=["leave it out", "tanh between the two layers"],
        why="turns one example into a batch of one and never removes that axis: logits of shape (1, 3), not (3,)",
    ),
    # -- exercise 4: a stable cross-entropy
    Mistake(
        name="ce_log_of_softmax",
        cell="cross_entropy_from_logits",
        code=patched(
            MODULE,
            "cross_entropy_from_logits",
            (
                (
                    "shifted = logits - logits.max(dim=1, keepdim=True).values\n"
                    "    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))\n"
                    "    return -log_probs[torch.arange(len(targets)), targets].mean()"
                ),
                (
                    "probs = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)\n"
                    "    return -torch.log(probs[torch.arange(len(targets)), targets]).mean()"
                ),
            ),
        ),
        loses=["test_cross_entropy_from_logits"],
        feedback=["subtract each row's maximum"],
        why="log of a softmax without the max shift: exp(1000) overflows to inf and the loss is nan",
    ),
    Mistake(
        name="ce_wrong_indexing",
        cell="cross_entropy_from_logits",
        code=patched(
            MODULE,
            "cross_entropy_from_logits",
            (
                "return -log_probs[torch.arange(len(targets)), targets].mean()",
                "return -log_probs[:, targets].mean()",
            ),
        ),
        loses=["test_cross_entropy_from_logits"],
        feedback=["torch.arange(N), targets"],
        no_hint=["wrong sign", "not the sum", "subtract each row's maximum"],
        why="log_probs[:, targets] picks an N x N block instead of one entry per row",
    ),
    Mistake(
        name="ce_missing_minus",
        cell="cross_entropy_from_logits",
        code=patched(
            MODULE,
            "cross_entropy_from_logits",
            (
                "return -log_probs[torch.arange(len(targets)), targets].mean()",
                "return log_probs[torch.arange(len(targets)), targets].mean()",
            ),
        ),
        loses=["test_cross_entropy_from_logits"],
        feedback=["wrong sign"],
        no_hint=["not the sum", "N x N block", "subtract each row's maximum"],
        why="returns the mean log-probability of the gold classes and forgets the minus sign",
    ),
    Mistake(
        name="ce_sum_not_mean",
        cell="cross_entropy_from_logits",
        code=patched(
            MODULE,
            "cross_entropy_from_logits",
            (
                "return -log_probs[torch.arange(len(targets)), targets].mean()",
                "return -log_probs[torch.arange(len(targets)), targets].sum()",
            ),
        ),
        loses=["test_cross_entropy_from_logits"],
        feedback=["not the sum"],
        no_hint=["wrong sign", "N x N block", "subtract each row's maximum"],
        why="sums the losses of the batch instead of averaging them (right for one example only)",
    ),
    Mistake(
        name="ce_returns_float",
        cell="cross_entropy_from_logits",
        code=patched(
            MODULE,
            "cross_entropy_from_logits",
            (
                "return -log_probs[torch.arange(len(targets)), targets].mean()",
                "return -log_probs[torch.arange(len(targets)), targets].mean().item()",
            ),
        ),
        loses=["test_cross_entropy_from_logits"],
        feedback=["torch tensor", ".item()"],
        why="returns a Python float: the loss is cut off from the graph",
    ),
    Mistake(
        name="ce_numpy_loss_with_flag",
        cell="cross_entropy_from_logits",
        code=patched(
            MODULE,
            "cross_entropy_from_logits",
            (
                (
                    "shifted = logits - logits.max(dim=1, keepdim=True).values\n"
                    "    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))\n"
                    "    return -log_probs[torch.arange(len(targets)), targets].mean()"
                ),
                (
                    "z = logits.detach().numpy().astype(float)\n"
                    "    z = z - z.max(axis=1, keepdims=True)\n"
                    "    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))\n"
                    "    loss = -log_probs[np.arange(len(z)), targets.numpy()].mean()\n"
                    "    return torch.tensor(loss, dtype=logits.dtype, requires_grad=True)"
                ),
            ),
        ),
        loses=["test_cross_entropy_from_logits"],
        feedback=["no path from the logits"],
        why="computes the loss in NumPy and wraps it in a tensor that requires grad: right values, no graph",
    ),
    Mistake(
        name="ce_log_softmax_float32_correct",
        cell="cross_entropy_from_logits",
        code=patched(
            MODULE,
            "cross_entropy_from_logits",
            (
                (
                    "shifted = logits - logits.max(dim=1, keepdim=True).values\n"
                    "    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))\n"
                    "    return -log_probs[torch.arange(len(targets)), targets].mean()"
                ),
                (
                    "m, _ = torch.max(logits, dim=1, keepdim=True)\n"
                    "    lse = m + torch.log(torch.sum(torch.exp(logits - m), dim=1, keepdim=True))\n"
                    "    picked = torch.gather(logits, 1, targets[:, None])\n"
                    "    return torch.mean(lse - picked)"
                ),
            ),
        ),
        loses=[],
        why="correct, written differently: log-sum-exp with the max added back and gather for the gold entries",
    ),
    # -- exercise 5: one training step
    Mistake(
        name="step_without_zero_grad",
        cell="train_step",
        code=patched(
            MODULE,
            "train_step",
            ("    optimizer.zero_grad()\n", ""),
        ),
        loses=["test_train_step"],
        feedback=["optimizer.zero_grad()", "sum of two gradients"],
        absent=["append their mean", "model.eval()", "The weights did not move"],
        why="never clears the gradients, so they add up from step to step (fit, which calls it, keeps its marks)",
    ),
    Mistake(
        name="step_returns_tensor",
        cell="train_step",
        code=patched(
            MODULE,
            "train_step",
            ("return loss.item()", "return loss"),
        ),
        loses=["test_train_step"],
        feedback=["loss.item()", "torch tensor"],
        why="returns the loss tensor (and its whole graph) instead of a float",
    ),
    Mistake(
        name="step_before_backward",
        cell="train_step",
        code=patched(
            MODULE,
            "train_step",
            (
                "loss.backward()\n    optimizer.step()",
                "optimizer.step()\n    loss.backward()",
            ),
        ),
        loses=["test_train_step", "test_fit"],  # a step that never trains leaves fit nothing to be checked on
        feedback=["The weights did not move", "optimizer.step()"],
        why="steps before the backward pass: the update has no gradients to use",
    ),
    # the attack of issue 11: a provided helper rewritten so that an empty train_step looks as if it trained
    Mistake(
        name="attack_rewritten_toy_problem",
        cell="train_step",
        code=patched(
            MODULE,
            "train_step",
            (
                "def make_toy_problem(seed=0, lr=0.1, momentum=0.0, dropout=0.0):",
                (
                    "class _Frozen(torch.optim.SGD):\n"
                    "    def step(self, closure=None):\n"
                    "        return None\n"
                    "\n"
                    "\n"
                    "def make_toy_problem(seed=0, lr=0.1, momentum=0.0, dropout=0.0):"
                ),
            ),
            (
                "return reference.make_toy_problem(seed=seed, lr=lr, momentum=momentum, dropout=dropout)",
                (
                    "torch.manual_seed(seed)\n"
                    "    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Dropout(dropout), nn.Linear(8, 3))\n"
                    "    optimizer = _Frozen(model.parameters(), lr=0.0)\n"
                    "    X = torch.zeros(32, 4)\n"
                    "    y = torch.zeros(32, dtype=torch.int64)\n"
                    "    return model, optimizer, nn.CrossEntropyLoss(), X, y"
                ),
            ),
            (
                (
                    "optimizer.zero_grad()\n"
                    "    loss = loss_fn(model(x), y)\n"
                    "    loss.backward()\n"
                    "    optimizer.step()\n"
                    "    return loss.item()"
                ),
                "return 0.0",
            ),
        ),
        also_cells=(
            (
                "fit",
                patched(
                    MODULE,
                    "fit",
                    (
                        (
                            'history = {"train_loss": [], "val_loss": [], "val_accuracy": []}\n'
                            "    for _ in range(epochs):\n"
                            "        model.train()\n"
                            "        losses = [train_step(model, loss_fn, optimizer, xb, yb) for xb, yb in batches]\n"
                            '        history["train_loss"].append(sum(losses) / len(losses))\n'
                            "        model.eval()\n"
                            "        with torch.no_grad():\n"
                            "            logits = model(X_dev)\n"
                            '            history["val_loss"].append(loss_fn(logits, y_dev).item())\n'
                            '            history["val_accuracy"].append((logits.argmax(dim=1) == '
                            "y_dev).float().mean().item())\n"
                            "    return history"
                        ),
                        (
                            "with torch.no_grad():\n"
                            "        logits = model(X_dev)\n"
                            "        loss = loss_fn(logits, y_dev).item()\n"
                            "        accuracy = (logits.argmax(dim=1) == y_dev).float().mean().item()\n"
                            '    return {"train_loss": [0.0] * epochs, "val_loss": [loss] * epochs,\n'
                            '            "val_accuracy": [accuracy] * epochs}'
                        ),
                    ),
                ),
            ),
        ),
        loses=["test_train_step", "test_fit"],
        why="issue 11's attack: a make_toy_problem rewritten (frozen optimiser, all-zero data) with a train_step "
        "that does nothing and a fit that never trains",
    ),
    # -- exercise 6: a seeded loader
    Mistake(
        name="loader_no_shuffle",
        cell="make_loader",
        code=patched(
            MODULE,
            "make_loader",
            (
                "return DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True, generator=generator)",
                "return DataLoader(TensorDataset(X, y), batch_size=batch_size, generator=generator)",
            ),
        ),
        loses=["test_make_loader"],
        feedback=["does not shuffle", "shuffle=True"],
        why="forgets shuffle=True: every epoch sees the examples in the same order",
    ),
    Mistake(
        name="loader_global_seed",
        cell="make_loader",
        code=patched(
            MODULE,
            "make_loader",
            (
                (
                    "generator = torch.Generator().manual_seed(seed)\n"
                    "    return DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True, "
                    "generator=generator)"
                ),
                (
                    "torch.manual_seed(seed)\n"
                    "    return DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True)"
                ),
            ),
        ),
        loses=["test_make_loader"],
        feedback=["generator=torch.Generator().manual_seed(seed)"],
        why="seeds the global generator when the loader is made; its order is drawn later, when iterating",
    ),
    Mistake(
        name="loader_drop_last",
        cell="make_loader",
        code=patched(
            MODULE,
            "make_loader",
            (
                "return DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True, generator=generator)",
                (
                    "return DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True, generator=generator,\n"
                    "                      drop_last=True)"
                ),
            ),
        ),
        loses=["test_make_loader"],
        feedback=["drop_last=False"],
        why="drops the last, smaller batch: some examples are never used in an epoch",
    ),
    # -- exercise 7: the training loop
    Mistake(
        name="fit_without_eval_mode",
        cell="fit",
        code=patched(
            MODULE,
            "fit",
            ("        model.train()\n", ""),
            ("        model.eval()\n", ""),
        ),
        loses=["test_fit"],
        feedback=["model.eval()"],
        why="evaluates the dev set in training mode, with dropout on",
    ),
    Mistake(
        name="fit_last_batch_loss",
        cell="fit",
        code=patched(
            MODULE,
            "fit",
            (
                (
                    "losses = [train_step(model, loss_fn, optimizer, xb, yb) for xb, yb in batches]\n"
                    '        history["train_loss"].append(sum(losses) / len(losses))'
                ),
                (
                    "for xb, yb in batches:\n"
                    "            loss = train_step(model, loss_fn, optimizer, xb, yb)\n"
                    '        history["train_loss"].append(loss)'
                ),
            ),
        ),
        loses=["test_fit"],
        feedback=["append their mean"],
        why="records the loss of the last batch of the epoch instead of the mean over the epoch",
    ),
    Mistake(
        name="fit_accuracy_count",
        cell="fit",
        code=patched(
            MODULE,
            "fit",
            (
                'history["val_accuracy"].append((logits.argmax(dim=1) == y_dev).float().mean().item())',
                'history["val_accuracy"].append(float((logits.argmax(dim=1) == y_dev).sum()))',
            ),
        ),
        loses=["test_fit"],
        feedback=["between 0 and 1"],
        why="counts the correct dev examples instead of taking the fraction",
    ),
    # -- exercise 8: deck 004's model
    Mistake(
        name="mlp_softmax_at_end",
        cell="deck004_mlp",
        code=patched(
            MODULE,
            "deck004_mlp",
            (
                "    )",
                "        nn.Softmax(dim=1),\n    )",
            ),
        ),
        loses=["test_deck004_mlp"],
        feedback=["no nn.Softmax", "log-softmax itself"],
        why="copies Keras's softmax output layer literally",
    ),
    Mistake(
        name="mlp_keep_probability",
        cell="deck004_mlp",
        code=patched(
            MODULE,
            "deck004_mlp",
            (
                "nn.Dropout(p),\n        nn.Linear(hidden, hidden),",
                "nn.Dropout(1 - p),\n        nn.Linear(hidden, hidden),",
            ),
            ("nn.Dropout(p),", "nn.Dropout(1 - p),"),
        ),
        loses=["test_deck004_mlp"],
        feedback=["DROPPING a unit", "not nn.Dropout(1 - p)"],
        why="treats p as the keep probability; only visible when p is not 0.5",
    ),
    Mistake(
        name="mlp_one_dropout",
        cell="deck004_mlp",
        code=patched(
            MODULE,
            "deck004_mlp",
            (
                "nn.Dropout(p),\n        nn.Linear(hidden, num_classes),",
                "nn.Linear(hidden, num_classes),",
            ),
        ),
        loses=["test_deck004_mlp"],
        feedback=["Dropout comes after each ReLU"],
        no_hint=["no nn.Softmax", "DROPPING"],
        why="forgets the second dropout layer",
    ),
    Mistake(
        name="mlp_fixed_sizes",
        cell="deck004_mlp",
        code=patched(
            MODULE,
            "deck004_mlp",
            ("nn.Linear(num_features, hidden),", "nn.Linear(800, 256),"),
            ("nn.Linear(hidden, hidden),", "nn.Linear(256, 256),"),
            ("nn.Linear(hidden, num_classes),", "nn.Linear(256, 5),"),
        ),
        loses=["test_deck004_mlp"],
        feedback=["Use the arguments num_features, hidden and num_classes"],
        no_hint=["DROPPING", "no nn.Softmax"],
        why="copies deck 004's numbers 800, 256 and 5 into the layers instead of using the arguments",
    ),
    # -- exercise 9: predicting classes
    Mistake(
        name="predict_without_eval",
        cell="predict_classes",
        code=patched(MODULE, "predict_classes", ("    model.eval()  # dropout off\n", "")),
        loses=["test_predict_classes"],
        feedback=["Dropout was still on", "model.eval()"],
        no_hint=["keep training", "over the classes"],
        why="forgets model.eval(): dropout stays on and the classes change from call to call",
    ),
    Mistake(
        name="predict_leaves_eval",
        cell="predict_classes",
        code=patched(
            MODULE,
            "predict_classes",
            ("    was_training = model.training\n", ""),
            ("    model.train(was_training)  # put back the mode the model was in\n", ""),
        ),
        loses=["test_predict_classes"],
        feedback=["keep training", "model.train(was_training)"],
        no_hint=["Dropout was still on", "stay in evaluation mode"],
        why="switches to evaluation mode and never back: training after a prediction goes on without dropout",
    ),
    Mistake(
        name="predict_back_to_train",
        cell="predict_classes",
        code=patched(
            MODULE,
            "predict_classes",
            ("    was_training = model.training\n", ""),
            (
                "model.train(was_training)  # put back the mode the model was in",
                "model.train()  # back to training",
            ),
        ),
        loses=["test_predict_classes"],
        feedback=["stay in evaluation mode"],
        no_hint=["Dropout was still on", "keep training"],
        why="always ends with model.train(), which switches dropout on in a model that was in evaluation mode",
    ),
    Mistake(
        name="predict_wrong_dim",
        cell="predict_classes",
        code=patched(MODULE, "predict_classes", ("argmax(dim=1)", "argmax(dim=0)")),
        loses=["test_predict_classes"],
        feedback=["over the classes", "argmax(dim=1)"],
        no_hint=["Dropout was still on", "keep training"],
        why="takes the arg-max down the rows (dim=0): one row index per class instead of one class per row",
    ),
    # -- exercise 10: the device
    Mistake(
        name="device_mps_first",
        cell="pick_device",
        code=patched(
            MODULE,
            "pick_device",
            (
                (
                    "if cuda_available:\n"
                    '        return "cuda"  # the fastest, and it holds every number type\n'
                    '    if mps_available and dtype != "float64":\n'
                    '        return "mps"  # an Apple GPU, but it cannot hold float64 numbers\n'
                    '    return "cpu"  # always there, and it computes in any dtype'
                ),
                (
                    'if mps_available and dtype != "float64":\n'
                    '        return "mps"\n'
                    '    return "cuda" if cuda_available else "cpu"'
                ),
            ),
        ),
        loses=["test_pick_device"],
        feedback=["Test cuda_available before mps_available"],
        absent=["MPS cannot hold float64"],
        why="checks the Apple GPU first",
    ),
    Mistake(
        name="device_says_gpu",
        cell="pick_device",
        code=patched(
            MODULE,
            "pick_device",
            (
                (
                    'return "cuda"  # the fastest, and it holds every number type\n'
                    '    if mps_available and dtype != "float64":\n'
                    '        return "mps"  # an Apple GPU, but it cannot hold float64 numbers\n'
                    '    return "cpu"  # always there, and it computes in any dtype'
                ),
                'return "gpu"\n    return "mps" if mps_available and dtype == "float32" else "cpu"',
            ),
        ),
        loses=["test_pick_device"],
        feedback=["'cuda'", "'gpu'"],
        absent=["Test cuda_available before", "MPS cannot hold float64"],
        why='"gpu" is not a device name PyTorch knows',
    ),
    Mistake(
        name="device_mps_float64",
        cell="pick_device",
        code=patched(
            MODULE,
            "pick_device",
            (
                (
                    "if cuda_available:\n"
                    '        return "cuda"  # the fastest, and it holds every number type\n'
                    '    if mps_available and dtype != "float64":\n'
                    '        return "mps"  # an Apple GPU, but it cannot hold float64 numbers\n'
                    '    return "cpu"  # always there, and it computes in any dtype'
                ),
                'return "cuda" if cuda_available else ("mps" if mps_available else "cpu")',
            ),
        ),
        loses=["test_pick_device"],
        feedback=["MPS cannot hold float64"],
        absent=["Test cuda_available before"],
        why="the one-line choice without the reason: float64 numbers sent to an Apple GPU, which cannot hold them",
    ),
    Mistake(
        name="device_float64_on_cpu",
        cell="pick_device",
        code=patched(
            MODULE,
            "pick_device",
            (
                "    if cuda_available:\n",
                '    if dtype == "float64":\n        return "cpu"\n    if cuda_available:\n',
            ),
        ),
        loses=["test_pick_device"],
        feedback=["A CUDA GPU holds float64 numbers"],
        absent=["Test cuda_available before", "MPS cannot hold float64"],
        why="overgeneralises the Apple GPU's limit: sends every float64 computation to the CPU, even with CUDA",
    ),
    Mistake(
        name="device_table_correct",
        cell="pick_device",
        code=patched(
            MODULE,
            "pick_device",
            (
                (
                    "if cuda_available:\n"
                    '        return "cuda"  # the fastest, and it holds every number type\n'
                    '    if mps_available and dtype != "float64":\n'
                    '        return "mps"  # an Apple GPU, but it cannot hold float64 numbers\n'
                    '    return "cpu"  # always there, and it computes in any dtype'
                ),
                (
                    "# CUDA: fastest, any dtype; MPS: no float64; the CPU always works\n"
                    '    for name, usable in (("cuda", cuda_available), ("mps", mps_available and dtype == '
                    '"float32")):\n'
                    "        if usable:\n"
                    "            return name\n"
                    '    return "cpu"'
                ),
            ),
        ),
        loses=[],
        why="correct, written differently: a table of devices in order of preference",
    ),
    # -- exercise 11: timing
    Mistake(
        name="timing_no_warmup",
        cell="time_per_epoch",
        code=patched(
            MODULE,
            "time_per_epoch",
            (
                (
                    "        run_epoch(batch_size)  # warm-up\n"
                    "        if sync is not None:\n"
                    "            sync()\n"
                ),
                "",
            ),
        ),
        loses=["test_time_per_epoch"],
        feedback=["one untimed call"],
        why="times the first call too, which pays for memory allocation and loading",
    ),
    Mistake(
        name="timing_mean",
        cell="time_per_epoch",
        code=patched(
            MODULE,
            "time_per_epoch",
            (
                (
                    "run_epoch(batch_size)  # warm-up\n"
                    "        if sync is not None:\n"
                    "            sync()\n"
                    "        fastest = math.inf\n"
                    "        for _ in range(repeats):\n"
                    "            started = time.perf_counter()"
                ),
                (
                    "run_epoch(batch_size)\n"
                    "        started = time.perf_counter()\n"
                    "        for _ in range(repeats):"
                ),
            ),
            (
                (
                    "    fastest = min(fastest, time.perf_counter() - started)\n"
                    "        results.append(fastest)"
                ),
                "results.append((time.perf_counter() - started) / repeats)",
            ),
        ),
        loses=["test_time_per_epoch"],
        feedback=["min(...)"],
        why="reports the mean of the repeats, which other programs inflate, instead of the fastest",
    ),
    Mistake(
        name="timing_sync_after_clock",
        cell="time_per_epoch",
        code=patched(
            MODULE,
            "time_per_epoch",
            (
                "run_epoch(batch_size)  # warm-up\n        if sync is not None:\n            sync()",
                "run_epoch(batch_size)",
            ),
            (
                "if sync is not None:",
                "fastest = min(fastest, time.perf_counter() - started)\n            if sync is not None:",
            ),
            (
                (
                    "    fastest = min(fastest, time.perf_counter() - started)\n"
                    "        results.append(fastest)"
                ),
                "results.append(fastest)",
            ),
        ),
        loses=["test_time_per_epoch"],
        feedback=["read the clock"],
        why="reads the clock before waiting for the device: measures how fast GPU work is queued",
    ),
]

EQUIVALENT = [
    Mistake(
        name="predict_softmax_first",
        cell="predict_classes",
        code=patched(
            MODULE,
            "predict_classes",
            ("classes = model(X).argmax(dim=1)", "classes = torch.softmax(model(X), dim=1).argmax(dim=1)"),
        ),
        loses=(),
        why="correct, written differently: the softmax keeps the order of the scores, so the arg-max is the same",
    ),
    Mistake(
        name="predict_train_false",
        cell="predict_classes",
        code=patched(
            MODULE, "predict_classes", ("model.eval()  # dropout off", "model.train(False)  # dropout off")
        ),
        loses=(),
        why="correct, written differently: model.train(False) is model.eval()",
    ),
    Mistake(
        name="predict_inference_mode",
        cell="predict_classes",
        code=patched(MODULE, "predict_classes", ("with torch.no_grad():", "with torch.inference_mode():")),
        loses=(),
        why="correct, written differently: inference_mode records no graph either",
    ),
    Mistake(
        name="predict_max_indices",
        cell="predict_classes",
        code=patched(
            MODULE,
            "predict_classes",
            ("classes = model(X).argmax(dim=1)", "classes = model(X).max(dim=1).indices"),
            ("model.train(was_training)", "if was_training:\n        model.train()"),
        ),
        loses=(),
        why="correct, written differently: the indices of max over the classes, and train() only if it was training",
    ),
]

SAMPLE = {
    "chen": ["ffnn_softmax_output", "step_without_zero_grad", "loader_no_shuffle", "predict_back_to_train"]
}
