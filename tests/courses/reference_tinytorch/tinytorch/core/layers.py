"""03_layers: Module, Linear and Sequential."""

import numpy as np

from tinytorch.core.tensor import Tensor


class Module:
    """Base of layers and models: call it like a function; `.parameters()` lists its tensors."""

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def parameters(self):
        """Every tensor with requires_grad=True in attributes, sub-modules, lists and dicts."""
        found, seen = [], set()

        def collect(value):
            if id(value) in seen:  # a tensor shared by two layers counts once
                return
            if isinstance(value, Tensor) and value.requires_grad:
                seen.add(id(value))
                found.append(value)
            elif isinstance(value, Module):
                seen.add(id(value))
                for item in vars(value).values():
                    collect(item)
            elif isinstance(value, (list, tuple, dict)):
                for item in value.values() if isinstance(value, dict) else value:
                    collect(item)

        collect(self)
        return found

    def zero_grad(self):
        for parameter in self.parameters():
            parameter.grad = None

    def __repr__(self):
        return f"{type(self).__name__}()"

# %% ../../work/wt/courses-tito/notebooks/02_autograd.ipynb, cell 20
def _as_input(x):
    return x if isinstance(x, Tensor) else Tensor(x)


class Linear(Module):
    """y = x @ weight + bias; `weight` is (in_features, out_features), `bias` is (out_features,)."""

    def __init__(self, in_features, out_features, bias=True):
        self.in_features, self.out_features = in_features, out_features
        scale = np.sqrt(1.0 / in_features)
        self.weight = Tensor(np.random.randn(in_features, out_features) * scale, requires_grad=True)
        self.bias = Tensor(np.zeros(out_features), requires_grad=True) if bias else None

    def forward(self, x):
        out = _as_input(x) @ self.weight
        return out + self.bias if self.bias is not None else out

    def __repr__(self):
        return f"Linear({self.in_features}, {self.out_features}, bias={self.bias is not None})"


class Sequential(Module):
    """Applies its layers in order."""

    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, index):
        return self.layers[index]

    def __repr__(self):
        return "Sequential(\n" + "".join(f"  {layer!r},\n" for layer in self.layers) + ")"

