"""11_embeddings: token and positional embeddings."""

import numpy as np

from tinytorch.core.layers import Module
from tinytorch.core.tensor import Tensor

def _token_ids(tokens, vocab_size):
    """`tokens` (a Tensor or array of integer ids) as an int64 array, checked against the vocabulary."""
    ids = np.asarray(tokens.data if isinstance(tokens, Tensor) else tokens)
    if ids.dtype.kind == "f" and np.all(ids == np.round(ids)):
        ids = ids.astype(np.int64)  # integral floats are accepted as ids
    if ids.dtype.kind not in "iu":
        raise TypeError(f"token ids must be integers, not {ids.dtype}")
    if ids.size and (ids.min() < 0 or ids.max() >= vocab_size):
        raise IndexError(f"token ids must be in [0, {vocab_size}), got {ids.min()}..{ids.max()}")
    return ids.astype(np.int64)


class Embedding(Module):
    """A learned vector per token id: integer ids (...) -> vectors (..., embed_dim)."""

    def __init__(self, vocab_size, embed_dim):
        self.vocab_size, self.embed_dim = vocab_size, embed_dim
        self.weight = Tensor(np.random.randn(vocab_size, embed_dim), requires_grad=True)

    def forward(self, tokens):
        return self.weight[_token_ids(tokens, self.vocab_size)]

    def __repr__(self):
        return f"Embedding({self.vocab_size}, {self.embed_dim})"

def sinusoidal_positions(max_len, embed_dim):
    """The (max_len, embed_dim) table of sin/cos waves of "Attention Is All You Need"."""
    positions = np.arange(max_len)[:, None]
    frequencies = 1.0 / 10000 ** (np.arange(0, embed_dim, 2) / embed_dim)
    table = np.zeros((max_len, embed_dim))
    table[:, 0::2] = np.sin(positions * frequencies)
    table[:, 1::2] = np.cos(positions * frequencies[: embed_dim // 2])
    return table


class PositionalEncoding(Module):
    """Adds a vector per position to (..., seq, embed_dim) inputs; learned unless learned=False."""

    def __init__(self, max_len, embed_dim, learned=True):
        self.max_len, self.embed_dim = max_len, embed_dim
        self.weight = Tensor(sinusoidal_positions(max_len, embed_dim), requires_grad=learned)

    def forward(self, x):
        seq_len = x.shape[-2]
        if seq_len > self.max_len:
            raise ValueError(f"sequence of {seq_len} positions, but max_len is {self.max_len}")
        return x + self.weight[:seq_len]

    def __repr__(self):
        return f"PositionalEncoding({self.max_len}, {self.embed_dim})"
