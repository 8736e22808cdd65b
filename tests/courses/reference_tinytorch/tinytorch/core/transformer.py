"""13_transformers: layer normalisation and the feed-forward block."""

import numpy as np

from tinytorch.core.layers import Linear, Module
from tinytorch.core.activations import ReLU
from tinytorch.core.tensor import Tensor


class LayerNorm(Module):
    """Normalises the last axis to mean 0, variance 1, then scales by `weight` and shifts by `bias`."""

    def __init__(self, normalized_shape, eps=1e-5):
        self.normalized_shape, self.eps = normalized_shape, eps
        self.weight = Tensor(np.ones(normalized_shape), requires_grad=True)
        self.bias = Tensor(np.zeros(normalized_shape), requires_grad=True)

    def forward(self, x):
        centred = x - x.mean(axis=-1, keepdims=True)
        variance = (centred * centred).mean(axis=-1, keepdims=True)
        return centred / (variance + self.eps) ** 0.5 * self.weight + self.bias

    def __repr__(self):
        return f"LayerNorm({self.normalized_shape})"


class FeedForward(Module):
    """Linear → ReLU → Linear, applied at every position."""

    def __init__(self, embed_dim, hidden_dim):
        self.up, self.relu, self.down = Linear(embed_dim, hidden_dim), ReLU(), Linear(hidden_dim, embed_dim)

    def forward(self, x):
        return self.down(self.relu(self.up(x)))
