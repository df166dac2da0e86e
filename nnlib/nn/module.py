"""The building blocks every layer shares: ``Parameter`` and ``Module``.

Names follow PyTorch so that what you learn here transfers: a layer is a
``Module``; calling it runs ``forward``; ``parameters()`` lists what an
optimiser updates; ``train()`` and ``eval()`` switch modes. Unlike PyTorch,
nnlib has no automatic differentiation: every module writes its own
``backward(grad_output)``, which returns the gradient for the module's input
and adds the gradients of its parameters into ``param.grad``.
"""

from collections import OrderedDict

from nnlib import backend


class Parameter:
    """An array that a model learns, together with its gradient.

    Attributes:
        data: the values, an array (NumPy or torch) of any shape.
        grad: the gradient of the loss with respect to ``data`` (same shape),
            or ``None`` before the first backward pass.
    """

    def __init__(self, data):
        if isinstance(data, Parameter):
            data = data.data
        self.data = data if backend.is_tensor(data) else backend.asarray(data)
        self.grad = None

    @property
    def shape(self):
        return tuple(self.data.shape)

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def device(self):
        return backend.device_of(self.data)

    def accumulate_grad(self, grad, owned=False):
        """Add ``grad`` into ``self.grad`` (gradients add up until ``zero_grad``).

        ``owned=True`` says that ``grad`` is a fresh array nobody else holds (a layer's own product), so the
        first gradient is kept as it is instead of copied.
        """
        if grad.shape != self.data.shape:  # both tuples (torch.Size is one)
            raise ValueError(f"Gradient for a parameter of shape {self.shape} has shape {tuple(grad.shape)}.")
        if self.grad is None:
            self.grad = grad if owned else grad + 0  # never an alias of someone else's array
        else:
            self.grad += grad

    def zero_grad(self):
        self.grad = None

    def __repr__(self):
        return f"Parameter(shape={self.shape}, dtype={self.dtype}, device={self.device!r})"


class Module:
    """Base class of every layer and model.

    Subclasses set parameters and sub-modules as attributes in ``__init__``
    and implement ``forward`` and ``backward``.
    """

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}.__init__ must call super().__init__() before setting attributes."
            )
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        object.__delattr__(self, name)

    # -- running -----------------------------------------------------------
    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward().")

    def backward(self, grad_output):
        raise NotImplementedError(f"{type(self).__name__} does not define backward().")

    # -- structure ---------------------------------------------------------
    def named_children(self):
        return iter(self._modules.items())

    def children(self):
        return iter(self._modules.values())

    def named_modules(self, prefix=""):
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix=""):
        seen = set()
        for module_name, module in self.named_modules(prefix):
            for name, param in module._parameters.items():
                if id(param) in seen:
                    continue
                seen.add(id(param))
                yield (f"{module_name}.{name}" if module_name else name), param

    def parameters(self):
        """All learnable parameters, each once, in definition order."""
        for _, param in self.named_parameters():
            yield param

    # -- modes and housekeeping --------------------------------------------
    def train(self, mode=True):
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self):
        return self.train(False)

    def zero_grad(self):
        for param in self.parameters():
            param.zero_grad()

    def to(self, device=None, dtype=None):
        """Move (and optionally cast) every parameter; returns ``self``.

        Modules that keep other arrays (running statistics, say) override
        ``_to_extra`` to move those too.
        """
        for module in self.modules():
            for param in module._parameters.values():
                target = device if device is not None else param.device
                param.data = backend.to(param.data, target, dtype)
                if param.grad is not None:
                    param.grad = backend.to(param.grad, target, dtype)
            module._to_extra(device, dtype)
        return self

    def _to_extra(self, device, dtype):
        """Hook for modules that hold arrays besides their parameters."""

    def state_dict(self):
        """A dictionary of copies of every parameter's values (and buffers)."""
        state = OrderedDict((name, param.data + 0) for name, param in self.named_parameters())
        for module_name, module in self.named_modules():
            for name, value in module._buffers().items():
                state[f"{module_name}.{name}" if module_name else name] = value + 0
        return state

    def load_state_dict(self, state):
        """Copy values saved by :meth:`state_dict` back into this module."""
        own = dict(self.named_parameters())
        buffers = {}
        for module_name, module in self.named_modules():
            for name in module._buffers():
                buffers[f"{module_name}.{name}" if module_name else name] = (module, name)
        expected = set(own) | set(buffers)
        if set(state) != expected:
            missing = sorted(expected - set(state))
            unexpected = sorted(set(state) - expected)
            raise KeyError(
                f"{type(self).__name__}.load_state_dict: missing keys {missing}, unexpected keys {unexpected}."
            )
        for name, value in state.items():
            if name in own:
                if tuple(value.shape) != own[name].shape:
                    raise ValueError(
                        f"{type(self).__name__}.load_state_dict: '{name}' has shape "
                        f"{tuple(value.shape)}, expected {own[name].shape}."
                    )
                own[name].data = value + 0
            else:
                module, attr = buffers[name]
                object.__setattr__(module, attr, value + 0)

    def _buffers(self):
        """Arrays that are part of the state but not learned (e.g. running means)."""
        return {}

    # -- display -----------------------------------------------------------
    def extra_repr(self):
        return ""

    def __repr__(self):
        children = [
            f"  ({name}): " + repr(child).replace("\n", "\n  ") for name, child in self._modules.items()
        ]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not children:
            return head + ")"
        return head + "\n" + "\n".join(children) + "\n)"
