"""05_autograd: reverse-mode differentiation; importing it installs Tensor's backward engine."""


import numpy as np

from tinytorch.core.tensor import Tensor, set_backward_engine

def _unbroadcast(grad, shape):
    """Sum `grad` down to `shape`, undoing numpy broadcasting."""
    while grad.ndim > len(shape):  # dimensions broadcasting added in front
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):  # dimensions of size 1 that were stretched
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad

def _topological_order(root):
    """Every tensor `root` depends on that requires a gradient, each after all of its parents."""
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))  # comes back after its parents
            stack.extend((parent, False) for parent in node._parents if parent.requires_grad)
    return order

def backward(tensor, grad=None):
    """Add d(tensor)/d(leaf) to `.grad` of every leaf `tensor` depends on that requires a gradient."""
    if not tensor.requires_grad:
        raise RuntimeError("backward(): this tensor does not depend on anything with requires_grad=True")
    if grad is None:
        if tensor.size != 1:
            raise RuntimeError(f"backward() without a gradient needs one number, not shape {tensor.shape}")
        grad = np.ones(tensor.shape, dtype=np.float32)
    grads = {id(tensor): np.broadcast_to(np.asarray(grad, dtype=np.float32), tensor.shape)}
    for node in reversed(_topological_order(tensor)):
        g = grads.pop(id(node))  # complete: everything computed from `node` is done
        if not node._parents:  # a leaf keeps its gradient
            g = g if node.grad is None else node.grad.data + g
            node.grad = Tensor(np.array(g, dtype=np.float32))
            continue
        for parent, parent_grad in zip(node._parents, node._backward(g)):
            if parent.requires_grad:
                parent_grad = _unbroadcast(np.asarray(parent_grad, dtype=np.float32), parent.shape)
                previous = grads.get(id(parent))
                grads[id(parent)] = parent_grad if previous is None else previous + parent_grad

set_backward_engine(backward)  # from now on, Tensor.backward() runs this engine

def numerical_grad(f, x, eps=1e-2):
    """d(f().sum())/dx by central differences, nudging one entry of `x.data` at a time."""
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x.data[i]
        x.data[i] = old + eps
        up = f().data.sum(dtype=np.float64)
        x.data[i] = old - eps
        down = f().data.sum(dtype=np.float64)
        x.data[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad

def gradcheck(f, *inputs, eps=1e-2, tol=1e-2):
    """True when backward() through `f(*inputs).sum()` matches `numerical_grad` for every input."""
    for x in inputs:
        x.grad = None
    f(*inputs).sum().backward()
    return all(np.allclose(x.grad.data, numerical_grad(lambda: f(*inputs), x, eps), rtol=tol, atol=tol)
               for x in inputs)

