"""``Sequential``: a chain of modules, each feeding the next."""

from collections import OrderedDict

from nnlib.nn.linear import Linear
from nnlib.nn.module import Module


class Sequential(Module):
    """Run modules one after the other; backward runs them in reverse order.

    ``Sequential(Linear(2, 8), ReLU(), Linear(8, 1))`` names its children "0",
    "1", "2" (so parameters are "0.weight", "0.bias", ... as in PyTorch);
    ``Sequential(OrderedDict(hidden=Linear(2, 8), ...))`` uses your names.
    Supports ``len(model)``, ``model[i]``, ``model[i:j]`` (a new Sequential
    sharing the same modules), iteration and ``append``.
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self._add(name, module)
        else:
            for module in modules:
                self.append(module)

    def _add(self, name, module):
        if not isinstance(module, Module):
            raise TypeError(f"Sequential: expected a Module, got {type(module).__name__}.")
        setattr(self, str(name), module)

    def append(self, module):
        """Add ``module`` at the end; returns ``self``."""
        self._add(len(self), module)
        return self

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(*modules[index])
        try:
            return modules[index]
        except IndexError:
            raise IndexError(f"Sequential index {index} is out of range for {len(self)} modules.") from None

    def forward(self, x):
        for module in self:
            x = module(x)
        return x

    def backward(self, grad_output, input_grad=True):
        """Backpropagate through every module, last first; returns the gradient for the input.

        ``input_grad=False`` returns None instead and lets a first module that
        supports it (``Linear``, ``Sequential``) skip computing that gradient,
        which training never uses: for the module-08 MLP this saves a fifth of
        the work, as PyTorch does for inputs that do not require grad.
        """
        modules = list(self._modules.values())
        for module in reversed(modules[1:]):
            grad_output = module.backward(grad_output)
        if not modules:
            return grad_output if input_grad else None
        first = modules[0]
        if input_grad:
            return first.backward(grad_output)
        if isinstance(first, (Linear, Sequential)):
            first.backward(grad_output, input_grad=False)
        else:
            first.backward(grad_output)
        return None
