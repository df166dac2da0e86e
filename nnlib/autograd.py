"""A tiny automatic-differentiation engine on scalars.

A :class:`Value` holds a number and remembers how it was computed: its
``parents`` (the Values it came from) and ``local_grads``, the derivative of
this Value with respect to each parent. ``out.backward()`` then applies the
chain rule from ``out`` back to every Value it depends on::

    w0, x0 = Value(2.0), Value(-1.0)
    f = (w0 * x0).sigmoid()
    f.backward()
    w0.grad   # d f / d w0

Each node's gradient is the sum, over the nodes it feeds, of
(that node's gradient) * (the local derivative): the same rule that
backpropagation applies to whole arrays in ``nnlib.nn``.
"""

import math
from numbers import Real


class Value:
    """A scalar that records the operations that produce it.

    Attributes:
        data: the number (a float).
        grad: d(output) / d(this Value), filled in by ``output.backward()``.
        parents: the Values this one was computed from (empty for inputs).
        local_grads: d(this) / d(parent), one per parent.
        op: the operation's name ("+", "*", "exp", ...), "" for inputs.
        label: an optional name, shown in the repr.
    """

    def __init__(self, data, label="", parents=(), local_grads=(), op=""):
        if isinstance(data, Value) or not isinstance(data, Real):
            raise TypeError(f"Value: data must be a real number, got {type(data).__name__}.")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.parents = tuple(parents)
        self.local_grads = tuple(local_grads)
        self.op = op

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g}{label})"

    def __float__(self):
        return self.data

    # -- arithmetic --------------------------------------------------------
    @staticmethod
    def _lift(other):
        if isinstance(other, Value):
            return other
        if isinstance(other, Real):
            return Value(other)
        return None

    def __add__(self, other):
        other = self._lift(other)
        if other is None:
            return NotImplemented
        return Value(self.data + other.data, parents=(self, other), local_grads=(1.0, 1.0), op="+")

    def __mul__(self, other):
        other = self._lift(other)
        if other is None:
            return NotImplemented
        return Value(
            self.data * other.data, parents=(self, other), local_grads=(other.data, self.data), op="*"
        )

    def __pow__(self, exponent):
        if isinstance(exponent, Value) or not isinstance(exponent, Real):
            return NotImplemented  # only number exponents: x ** 2, x ** -1, x ** 0.5
        exponent = float(exponent)
        if self.data < 0 and not exponent.is_integer():
            raise ValueError(f"Value.__pow__: {self.data} ** {exponent} is not a real number.")
        if self.data == 0 and exponent < 0:
            raise ZeroDivisionError(f"Value.__pow__: 0 ** {exponent} is undefined.")
        if exponent == 0:
            local = 0.0
        elif self.data == 0 and exponent < 1:
            local = math.inf  # e.g. the square root's slope at 0
        else:
            local = exponent * self.data ** (exponent - 1)
        return Value(self.data**exponent, parents=(self,), local_grads=(local,), op=f"**{exponent:g}")

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        other = self._lift(other)
        return NotImplemented if other is None else self + (-other)

    def __truediv__(self, other):
        other = self._lift(other)
        return NotImplemented if other is None else self * other**-1

    def __radd__(self, other):  # other + self, e.g. sum() starting from 0
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        other = self._lift(other)
        return NotImplemented if other is None else other - self

    def __rtruediv__(self, other):
        other = self._lift(other)
        return NotImplemented if other is None else other / self

    # -- functions ---------------------------------------------------------
    def _apply(self, data, local, op):
        return Value(data, parents=(self,), local_grads=(local,), op=op)

    def exp(self):
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"Value.exp: exp({self.data}) is too large for a float.") from None
        return self._apply(e, e, "exp")

    def log(self):
        if self.data <= 0:
            raise ValueError(f"Value.log: log is only defined for positive numbers; got {self.data}.")
        return self._apply(math.log(self.data), 1.0 / self.data, "log")

    def tanh(self):
        t = math.tanh(self.data)
        return self._apply(t, 1.0 - t * t, "tanh")

    def sigmoid(self):
        e = math.exp(-abs(self.data))  # never overflows
        s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
        return self._apply(s, s * (1.0 - s), "sigmoid")

    def relu(self):
        positive = self.data > 0
        return self._apply(self.data if positive else 0.0, 1.0 if positive else 0.0, "relu")

    # -- backpropagation ---------------------------------------------------
    def _topological_order(self):
        """Every Value this one depends on (itself included), each after all of its parents."""
        order, visited = [], set()
        stack = [(self, False)]
        while stack:  # a depth-first search without recursion, so long chains work too
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((parent, False) for parent in node.parents if parent not in visited)
        return order

    def backward(self):
        """Fill in ``grad`` = d(self) / d(node) for every node of the graph behind ``self``.

        Gradients are reset first, so calling ``backward()`` twice gives the same result.
        """
        order = self._topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                parent.grad += local * node.grad
