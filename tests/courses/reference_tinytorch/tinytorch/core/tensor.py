"""01_tensor: the Tensor; its backward engine comes from 05_autograd."""

from contextlib import contextmanager

import numpy as np

def _as_array(data):
    """`data` as a numpy array: floats become float32, integers and booleans keep their type."""
    array = np.asarray(data)
    if array.dtype.kind == "f" and array.dtype != np.float32:
        array = array.astype(np.float32)
    elif array.dtype.kind not in "fiub":
        raise TypeError(f"a Tensor holds numbers, not {array.dtype}")
    return array


_grad_enabled = True


@contextmanager
def no_grad():
    """Inside `with no_grad():` operations record nothing (for evaluation: faster, less memory)."""
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous

class _TensorData:
    """What a tensor holds: numbers, an optional gradient, and how it was computed."""

    def __init__(self, data, requires_grad=False):
        self.data = _as_array(data.data if isinstance(data, Tensor) else data)
        self.requires_grad = requires_grad
        self.grad = None  # a Tensor, filled in by backward()
        self._parents = ()  # the tensors this one was computed from
        self._backward = None  # gradient of this tensor -> tuple of gradients, one per parent

    @classmethod
    def from_op(cls, data, parents, backward):
        """The result of an operation on `parents`; `backward(grad)` gives each parent's gradient."""
        out = cls(data)
        if _grad_enabled and any(parent.requires_grad for parent in parents):
            out.requires_grad = True
            out._parents, out._backward = tuple(parents), backward
        return out

    def backward(self, grad=None):
        """Fill `.grad` of every tensor this one was computed from that requires a gradient."""
        if _backward_engine is None:
            _load_backward_engine()
        _backward_engine(self, grad)

    def zero_grad(self):
        self.grad = None

    def detach(self):
        """The same numbers, cut off from the graph."""
        return Tensor(self.data)

_backward_engine = None


def set_backward_engine(engine):
    """Make `Tensor.backward()` call `engine(tensor, grad)` (module 05_autograd installs one)."""
    global _backward_engine
    _backward_engine = engine


def _load_backward_engine():
    try:
        import tinytorch.core.autograd  # noqa: F401  (installs its engine when imported)
    except ModuleNotFoundError as error:
        if error.name not in ("tinytorch.core.autograd", "tinytorch.core", "tinytorch"):
            raise
        raise RuntimeError("backward() needs the autograd engine of module 05_autograd: "
                           "export 05_autograd first") from None

class _TensorInfo:
    """Shape, type and printing."""

    @property
    def shape(self):
        return self.data.shape

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return self.data.size

    @property
    def dtype(self):
        return self.data.dtype

    def __len__(self):
        return len(self.data)

    def item(self):
        """The single number in a one-element tensor, as a Python float or int."""
        return self.data.item()

    def numpy(self):
        return self.data

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __repr__(self):
        numbers = np.array2string(self.data, precision=4, separator=", ")
        return f"Tensor({numbers}{', requires_grad=True' if self.requires_grad else ''})"

def _tensor(value):
    """`value` as a Tensor: numbers and arrays become constants."""
    return value if isinstance(value, Tensor) else Tensor(value)


class _Arithmetic:
    """+ - * / with broadcasting. Python calls the `__r...__` forms for `2 * x`."""

    def __add__(self, other):
        other = _tensor(other)
        return Tensor.from_op(self.data + other.data, (self, other), lambda g: (g, g))

    def __sub__(self, other):
        other = _tensor(other)
        return Tensor.from_op(self.data - other.data, (self, other), lambda g: (g, -g))

    def __mul__(self, other):
        other = _tensor(other)
        a, b = self.data, other.data
        return Tensor.from_op(a * b, (self, other), lambda g: (g * b, g * a))

    def __truediv__(self, other):
        other = _tensor(other)
        a, b = self.data, other.data
        return Tensor.from_op(a / b, (self, other), lambda g: (g / b, -g * a / (b * b)))

    def __radd__(self, other):
        return _tensor(other) + self

    def __rsub__(self, other):
        return _tensor(other) - self

    def __rmul__(self, other):
        return _tensor(other) * self

    def __rtruediv__(self, other):
        return _tensor(other) / self

def _swap_last(x):
    return np.swapaxes(x, -1, -2)


class _MatMul:
    def __matmul__(self, other):
        other = _tensor(other)
        a, b = self.data, other.data

        def backward(g):
            a2 = a[None, :] if a.ndim == 1 else a  # vector -> 1-row matrix
            b2 = b[:, None] if b.ndim == 1 else b  # vector -> 1-column matrix
            g2 = np.expand_dims(g, -2) if a.ndim == 1 else g
            g2 = np.expand_dims(g2, -1) if b.ndim == 1 else g2
            grad_a, grad_b = g2 @ _swap_last(b2), _swap_last(a2) @ g2
            grad_a = grad_a[..., 0, :] if a.ndim == 1 else grad_a
            grad_b = grad_b[..., 0] if b.ndim == 1 else grad_b
            return grad_a, grad_b

        return Tensor.from_op(a @ b, (self, other), backward)

    def __rmatmul__(self, other):
        return _tensor(other) @ self

class _Shaping:
    def reshape(self, *shape):
        """`x.reshape(2, 3)` or `x.reshape((2, 3))`; one size may be -1."""
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        old = self.shape
        return Tensor.from_op(self.data.reshape(shape), (self,), lambda g: (g.reshape(old),))

    def transpose(self, dim0=-2, dim1=-1):
        """Swap two dimensions, by default the last two."""
        swap = lambda x: np.swapaxes(x, dim0, dim1)  # noqa: E731
        return Tensor.from_op(swap(self.data), (self,), lambda g: (swap(g),))

    @property
    def T(self):
        return self if self.ndim < 2 else self.transpose()

    def permute(self, *axes):
        """Reorder all dimensions: `x.permute(0, 2, 1, 3)`."""
        inverse = np.argsort(axes)
        return Tensor.from_op(self.data.transpose(axes), (self,), lambda g: (g.transpose(inverse),))

    def __getitem__(self, index):
        """Numpy indexing: ints, slices, and integer arrays or Tensors (a gather)."""
        unwrap = lambda i: i.data if isinstance(i, Tensor) else i  # noqa: E731
        index = tuple(map(unwrap, index)) if isinstance(index, tuple) else unwrap(index)
        shape = self.shape

        def backward(g):
            grad = np.zeros(shape, dtype=np.float32)
            np.add.at(grad, index, g)  # entries picked several times collect every gradient
            return (grad,)

        return Tensor.from_op(self.data[index], (self,), backward)

def _unreduce(g, axis, keepdims):
    """Put back the axes a reduction removed, so `g` broadcasts against the input."""
    return g if keepdims or axis is None else np.expand_dims(g, axis)


class _Reductions:
    def sum(self, axis=None, keepdims=False):
        shape = self.shape
        backward = lambda g: (np.broadcast_to(_unreduce(g, axis, keepdims), shape),)  # noqa: E731
        return Tensor.from_op(self.data.sum(axis=axis, keepdims=keepdims), (self,), backward)

    def mean(self, axis=None, keepdims=False):
        total = self.sum(axis=axis, keepdims=keepdims)
        return total * (total.size / max(self.size, 1))

    def max(self, axis=None, keepdims=False):
        x = self.data
        winners = x == x.max(axis=axis, keepdims=True)
        share = winners / winners.sum(axis=axis, keepdims=True)  # 1 / number of tied maxima
        backward = lambda g: (share * _unreduce(g, axis, keepdims),)  # noqa: E731
        return Tensor.from_op(x.max(axis=axis, keepdims=keepdims), (self,), backward)

class _Elementwise:
    def __neg__(self):
        return Tensor.from_op(-self.data, (self,), lambda g: (-g,))

    def __pow__(self, exponent):
        """`x ** p` for a plain number `p`."""
        a = self.data
        return Tensor.from_op(a**exponent, (self,), lambda g: (g * exponent * a ** (exponent - 1),))

    def exp(self):
        out = np.exp(self.data)
        return Tensor.from_op(out, (self,), lambda g: (g * out,))

    def log(self):
        x = self.data
        return Tensor.from_op(np.log(x), (self,), lambda g: (g / x,))

    def relu(self):
        x = self.data
        return Tensor.from_op(np.maximum(x, 0), (self,), lambda g: (g * (x > 0),))

    def sigmoid(self):
        s = 0.5 * (1 + np.tanh(0.5 * self.data))
        return Tensor.from_op(s, (self,), lambda g: (g * s * (1 - s),))

    def tanh(self):
        t = np.tanh(self.data)
        return Tensor.from_op(t, (self,), lambda g: (g * (1 - t * t),))

    def clip(self, low, high):
        x = self.data
        inside = (x >= low) & (x <= high)
        return Tensor.from_op(np.clip(x, low, high), (self,), lambda g: (g * inside,))

class Tensor(_TensorData, _TensorInfo, _Arithmetic, _MatMul, _Shaping, _Reductions, _Elementwise):
    """An n-dimensional array (`.data`, numpy) that records the operations that produced it.

    `Tensor(data, requires_grad=False)`: floats are stored as float32, integers stay integers.
    After `loss.backward()`, `.grad` of every tensor with `requires_grad=True` that `loss`
    was computed from holds d(loss)/d(tensor), as a Tensor (None before).
    """

    __array_ufunc__ = None  # `numpy_array * tensor` calls Tensor.__rmul__ instead of numpy
