"""An independent TinyTorch, written for the verification tests (not derived from notebooks/).

Copied as `tinytorch/_impl.py` into a test project by `package.py`; `_config.py` beside it holds
`DEFECT` (one realistic student bug, or None) and `VARIANTS` (harmless differences: other
initialisations, float64, conv without bias, a learned positional encoding, `.data` as a property
that hands out copies). Every `if DEFECT ==`
branch below is one bug of `DEFECTS` in package.py.
"""

import numpy as np

from ._config import DEFECT, VARIANTS

FLOAT = np.float64 if "float64" in VARIANTS else np.float32


def _array(value):
    array = np.asarray(value.data if isinstance(value, Tensor) else value)
    if array.dtype.kind == "f" or array.dtype.kind == "b":
        array = array.astype(FLOAT)
    return array


def _sum_to(grad, shape):
    """Undo broadcasting: sum `grad` down to `shape`."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Tensor:
    """data (numpy), grad (Tensor or None), requires_grad, and the op that made it."""

    def __init__(self, data, requires_grad=False):
        self.data = _array(data)
        self.requires_grad = requires_grad
        self.grad = None
        self._inputs = ()
        self._backward = None

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        return f"Tensor(shape={self.data.shape})"

    @staticmethod
    def _op(data, inputs, backward):
        out = Tensor(data)
        if any(t.requires_grad for t in inputs):
            out.requires_grad = True
            out._inputs, out._backward = inputs, backward
        return out

    def backward(self, grad=None):
        order, seen = [], set()

        def visit(node):
            if id(node) in seen:
                return
            seen.add(id(node))
            for parent in node._inputs:
                visit(parent)
            order.append(node)

        visit(self)
        grads = {id(self): np.ones_like(self.data) if grad is None else _array(grad)}
        for node in reversed(order):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if node._backward is None:
                if node.requires_grad:
                    node.grad = Tensor(g if node.grad is None else node.grad.data + g)
                continue
            for parent, pg in zip(node._inputs, node._backward(g)):
                if parent.requires_grad and pg is not None:
                    pg = _sum_to(np.asarray(pg, dtype=FLOAT), parent.shape)
                    grads[id(parent)] = grads[id(parent)] + pg if id(parent) in grads else pg

    # --- arithmetic -----------------------------------------------------------------------
    def __add__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        return Tensor._op(self.data + other.data, (self, other), lambda g: (g, g))

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        a, b = self.data, other.data
        if DEFECT == "mul_grad_swapped":
            return Tensor._op(a * b, (self, other), lambda g: (g * a, g * b))
        return Tensor._op(a * b, (self, other), lambda g: (g * b, g * a))

    __rmul__ = __mul__

    def __neg__(self):
        return Tensor._op(-self.data, (self,), lambda g: (-g,))

    def __sub__(self, other):
        return self + (-(other if isinstance(other, Tensor) else Tensor(other)))

    def __matmul__(self, other):
        a, b = self.data, other.data
        return Tensor._op(a @ b, (self, other),
                          lambda g: (g @ np.swapaxes(b, -1, -2), np.swapaxes(a, -1, -2) @ g))

    def sum(self, axis=None):
        shape, size = self.data.shape, self.data.size

        def backward(g):
            g = g if axis is None else np.expand_dims(g, axis)
            full = np.broadcast_to(g, shape)
            return (full / size if DEFECT == "sum_grad_averaged" else full,)

        return Tensor._op(self.data.sum(axis=axis), (self,), backward)

    def reshape(self, *shape):
        old = self.data.shape
        if DEFECT == "reshape_cuts_graph":
            return Tensor(self.data.reshape(*shape))
        return Tensor._op(self.data.reshape(*shape), (self,), lambda g: (g.reshape(old),))

    def swap(self, a, b):
        return Tensor._op(np.swapaxes(self.data, a, b), (self,), lambda g: (np.swapaxes(g, a, b),))


if "data_property" in VARIANTS:  # `.data` a property handing out copies: only assignment changes it
    def _get_data(tensor):
        return tensor._stored.copy()

    def _set_data(tensor, value):
        tensor._stored = np.asarray(value)

    Tensor.data = property(_get_data, _set_data)


def _op(data, inputs, backward):
    return Tensor._op(data, inputs, backward)


# --- layers -------------------------------------------------------------------------------
def _init(shape, fan_in, fan_out, bias=False):
    if "torch_init" in VARIANTS:
        bound = 1 / np.sqrt(fan_in)
        return np.random.uniform(-bound, bound, shape)
    if "small_init" in VARIANTS:
        return np.random.uniform(-0.1, 0.1, shape)
    if bias:
        return np.zeros(shape)
    if "xavier" in VARIANTS:
        bound = np.sqrt(6 / (fan_in + fan_out))
        return np.random.uniform(-bound, bound, shape)
    return np.random.randn(*shape) * np.sqrt(2 / fan_in)


class Module:
    def __call__(self, *args):
        return self.forward(*args)

    def parameters(self):
        found = []
        for value in vars(self).values():
            if isinstance(value, Tensor) and value.requires_grad:
                found.append(value)
            elif isinstance(value, Module):
                found.extend(value.parameters())
        return found


class Linear(Module):
    def __init__(self, in_features, out_features):
        self.weight = Tensor(_init((in_features, out_features), in_features, out_features), requires_grad=True)
        self.bias = Tensor(_init((out_features,), in_features, out_features, bias=True), requires_grad=True)

    def forward(self, x):
        w, b = self.weight, self.bias
        xd = x.data

        def backward(g):
            x2, g2 = xd.reshape(-1, xd.shape[-1]), g.reshape(-1, g.shape[-1])
            dx = g @ w.data.T
            dw = x2.T @ g2
            db = g2.mean(axis=0) if DEFECT == "bias_grad_mean" else g2.sum(axis=0)
            if DEFECT == "linear_weight_grad_transposed":
                dw = g2.T @ x2
            if DEFECT == "linear_weight_grad_first_sample":
                dw = x2[:1].T @ g2[:1]
            if DEFECT == "bias_grad_wrong_sign":
                db = -db
            if DEFECT == "linear_input_grad_untransposed":
                dx = (g @ w.data.reshape(w.data.shape[::-1]))
            return dx, dw, db

        return _op(xd @ w.data + b.data, (x, w, b), backward)


class ReLU(Module):
    def forward(self, x):
        mask = x.data > 0
        if DEFECT == "relu_forward_abs":  # |x| with its own, consistent backward: only a forward check sees it
            return _op(np.abs(x.data), (x,), lambda g: (g * np.sign(x.data),))
        if DEFECT == "relu_backward_passes_all":
            return _op(x.data * mask, (x,), lambda g: (g,))
        return _op(x.data * mask, (x,), lambda g: (g * mask,))


class Sigmoid(Module):
    def forward(self, x):
        s = 1 / (1 + np.exp(-x.data))
        if DEFECT == "sigmoid_grad_of_input":
            return _op(s, (x,), lambda g: (g * x.data * (1 - x.data),))
        return _op(s, (x,), lambda g: (g * s * (1 - s),))


class BinaryCrossEntropyLoss(Module):
    def forward(self, p, y):
        pd = np.clip(p.data, 1e-7, 1 - 1e-7)
        yd = np.asarray(y.data, dtype=FLOAT).reshape(pd.shape)
        n = pd.size
        loss = -np.mean(yd * np.log(pd) + (1 - yd) * np.log(1 - pd))
        if DEFECT == "bce_summed":  # a summed loss with its own, consistent backward
            loss, n = loss * n, 1

        def backward(g):
            grad = (pd - yd) / (pd * (1 - pd))
            return (g * grad if DEFECT == "bce_grad_not_averaged" else g * grad / n,)

        return _op(np.array(loss, dtype=FLOAT), (p,), backward)


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class CrossEntropyLoss(Module):
    def forward(self, logits, labels):
        z = logits.data
        ids = np.asarray(labels.data).reshape(-1).astype(np.int64)
        probs = _softmax(z)
        n = len(ids)
        loss = -np.mean(np.log(probs[np.arange(n), ids] + 1e-12))
        scale = 1 if DEFECT == "ce_summed" else n  # a summed loss with its own, consistent backward
        if DEFECT == "ce_summed":
            loss = loss * n

        def backward(g):
            grad = probs.copy()
            grad[np.arange(len(ids)), ids] -= 1
            return (g * grad if DEFECT == "ce_grad_not_averaged" else g * grad / scale,)

        return _op(np.array(loss, dtype=FLOAT), (logits,), backward)


class SGD:
    def __init__(self, params, lr=0.01):
        self.params, self.lr = list(params), lr

    def step(self):
        for p in self.params:
            if p.grad is None:
                continue
            lr = 1.0 if DEFECT == "sgd_ignores_lr" else self.lr
            sign = -1.0 if DEFECT == "sgd_ascends" else 1.0
            p.data = p.data - sign * lr * p.grad.data

    def zero_grad(self):
        if DEFECT == "zero_grad_noop":
            return
        for p in self.params:
            p.grad = None


# --- data ---------------------------------------------------------------------------------
class TensorDataset:
    def __init__(self, *tensors):
        self.tensors = tensors

    def __len__(self):
        return len(self.tensors[0].data)

    def __getitem__(self, index):
        return tuple(Tensor(t.data[index]) for t in self.tensors)


class DataLoader:
    def __init__(self, dataset, batch_size=32, shuffle=False):
        self.dataset, self.batch_size, self.shuffle = dataset, batch_size, shuffle

    def __iter__(self):
        order = np.random.permutation(len(self.dataset)) if self.shuffle else np.arange(len(self.dataset))
        for start in range(0, len(order), self.batch_size):
            yield self.dataset[order[start:start + self.batch_size]]


# --- spatial ------------------------------------------------------------------------------
class Conv2d(Module):
    def __init__(self, in_channels, out_channels, kernel_size):
        k = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
        fan_in, fan_out = in_channels * k[0] * k[1], out_channels * k[0] * k[1]
        self.k = k
        self.weight = Tensor(_init((out_channels, in_channels, *k), fan_in, fan_out), requires_grad=True)
        self.bias = (None if "conv_no_bias" in VARIANTS else
                     Tensor(_init((out_channels,), fan_in, fan_out, bias=True), requires_grad=True))

    def forward(self, x):
        (kh, kw), w, b = self.k, self.weight, self.bias
        xd = x.data
        n, c, h, wd = xd.shape
        oh, ow = h - kh + 1, wd - kw + 1
        cols = np.lib.stride_tricks.sliding_window_view(xd, (kh, kw), axis=(2, 3))  # n c oh ow kh kw
        cols = cols.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
        wm = w.data.reshape(w.data.shape[0], -1)
        out = cols @ wm.T
        if b is not None:
            out = out + b.data
        out = out.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)

        def backward(g):
            g2 = g.transpose(0, 2, 3, 1).reshape(n * oh * ow, -1)
            dw = (g2.T @ cols).reshape(w.data.shape)
            if DEFECT == "conv_weight_grad_flipped":
                dw = dw[:, :, ::-1, ::-1]
            dcols = (g2 @ wm).reshape(n, oh, ow, c, kh, kw)
            dx = np.zeros_like(xd)
            for i in range(kh):
                for j in range(kw):
                    dx[:, :, i:i + oh, j:j + ow] += dcols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
            grads = [dx, dw]
            if b is not None:
                grads.append(g2[:n].sum(axis=0) if DEFECT == "conv_bias_grad_one_position" else g2.sum(axis=0))
            return tuple(grads)

        inputs = (x, w) if b is None else (x, w, b)
        return _op(out, inputs, backward)


class MaxPool2d(Module):
    def __init__(self, kernel_size):
        self.k = kernel_size

    def forward(self, x):
        k, xd = self.k, x.data
        n, c, h, w = xd.shape
        windows = xd[:, :, : h // k * k, : w // k * k].reshape(n, c, h // k, k, w // k, k)
        windows = windows.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // k, w // k, k * k)
        winner = windows.argmax(axis=-1)
        if DEFECT == "maxpool_routes_to_first_cell":
            winner = np.zeros_like(winner)

        def backward(g):
            onehot = np.zeros(windows.shape, dtype=FLOAT)
            np.put_along_axis(onehot, winner[..., None], g[..., None], axis=-1)
            onehot = onehot.reshape(n, c, h // k, w // k, k, k).transpose(0, 1, 2, 4, 3, 5)
            dx = np.zeros_like(xd)
            dx[:, :, : h // k * k, : w // k * k] = onehot.reshape(n, c, h // k * k, w // k * k)
            return (dx,)

        return _op(windows.max(axis=-1), (x,), backward)


# --- text ---------------------------------------------------------------------------------
class Embedding(Module):
    def __init__(self, vocab_size, embed_dim):
        shape = (vocab_size, embed_dim)
        table = np.random.uniform(-0.1, 0.1, shape) if "small_init" in VARIANTS else np.random.randn(*shape)
        self.weight = Tensor(table, requires_grad=True)

    def forward(self, tokens):
        ids = np.asarray(tokens.data).astype(np.int64)
        w = self.weight

        def backward(g):
            grad = np.zeros_like(w.data)
            if DEFECT == "embedding_grad_not_accumulated":
                grad[ids.reshape(-1)] = g.reshape(-1, g.shape[-1])
            else:
                np.add.at(grad, ids.reshape(-1), g.reshape(-1, g.shape[-1]))
            return (grad,)

        return _op(w.data[ids], (w,), backward)


class PositionalEncoding(Module):
    def __init__(self, max_len, embed_dim):
        position = np.arange(max_len)[:, None]
        rate = np.exp(-np.log(10000.0) * np.arange(0, embed_dim, 2) / embed_dim)
        table = np.zeros((max_len, embed_dim))
        table[:, 0::2], table[:, 1::2] = np.sin(position * rate), np.cos(position * rate)
        self.table = Tensor(table * 0.1 if "learned_pe" in VARIANTS else table,
                            requires_grad="learned_pe" in VARIANTS)

    def forward(self, x):
        length = x.data.shape[-2]
        table = self.table
        if DEFECT == "pe_drops_input_grad":
            return _op(x.data + table.data[:length], (table,), lambda g: (_table_grad(g, table, length),))
        return _op(x.data + table.data[:length], (x, table), lambda g: (g, _table_grad(g, table, length)))


def _table_grad(g, table, length):
    grad = np.zeros_like(table.data)
    grad[:length] = g.reshape(-1, length, g.shape[-1]).sum(axis=0)
    return grad


def softmax(x):
    s = _softmax(x.data)

    def backward(g):
        if DEFECT == "softmax_backward_elementwise":
            return (g * s * (1 - s),)
        return (s * (g - (g * s).sum(axis=-1, keepdims=True)),)

    return _op(s, (x,), backward)


class MultiHeadAttention(Module):
    def __init__(self, embed_dim, num_heads):
        self.heads, self.dim = num_heads, embed_dim
        self.q, self.k = Linear(embed_dim, embed_dim), Linear(embed_dim, embed_dim)
        self.v, self.out = Linear(embed_dim, embed_dim), Linear(embed_dim, embed_dim)

    def _split(self, t, batch, seq):
        return t.reshape(batch, seq, self.heads, self.dim // self.heads).swap(1, 2)

    def forward(self, x):
        batch, seq, _ = x.data.shape
        q, k, v = (self._split(layer(x), batch, seq) for layer in (self.q, self.k, self.v))
        scores = (q @ k.swap(-1, -2)) * (1.0 / np.sqrt(self.dim // self.heads))
        mixed = (softmax(scores) @ v).swap(1, 2).reshape(batch, seq, self.dim)
        return self.out(mixed)


class LayerNorm(Module):
    def __init__(self, dim, eps=1e-5):
        self.eps = eps
        self.gamma = Tensor(np.ones(dim), requires_grad=True)
        self.beta = Tensor(np.zeros(dim), requires_grad=True)

    def forward(self, x):
        xd, gamma, beta = x.data, self.gamma, self.beta
        mean = xd.mean(axis=-1, keepdims=True)
        std = np.sqrt(xd.var(axis=-1, keepdims=True) + self.eps)
        normal = (xd - mean) / std

        def backward(g):
            gn = g * gamma.data
            if DEFECT == "layernorm_backward_drops_mean_terms":
                dx = gn / std
            else:
                dx = (gn - gn.mean(axis=-1, keepdims=True)
                      - normal * (gn * normal).mean(axis=-1, keepdims=True)) / std
            return dx, g * normal, g

        return _op(normal * gamma.data + beta.data, (x, gamma, beta), backward)
