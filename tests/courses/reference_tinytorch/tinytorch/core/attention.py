"""12_attention: multi-head attention."""

import numpy as np

from tinytorch.core.layers import Linear, Module
from tinytorch.core.activations import softmax
from tinytorch.core.tensor import Tensor

def causal_mask(seq_len):
    """(seq_len, seq_len) booleans, True on and below the diagonal: t sees 0..t only."""
    return np.tril(np.ones((seq_len, seq_len), dtype=bool))


def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q kᵀ / √d) v over the last two axes; `mask` is True where attending is allowed."""
    scores = (q @ k.transpose()) * (1.0 / np.sqrt(q.shape[-1]))  # (..., seq_q, seq_k)
    if mask is not None:
        scores = scores + np.where(np.asarray(mask, dtype=bool), 0.0, -1e9).astype(np.float32)
    return softmax(scores, axis=-1) @ v

class MultiHeadAttention(Module):
    """Self-attention with `num_heads` heads on (batch, seq, embed_dim) inputs."""

    def __init__(self, embed_dim, num_heads):
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}")
        self.embed_dim, self.num_heads, self.head_dim = embed_dim, num_heads, embed_dim // num_heads
        self.q_proj, self.k_proj = Linear(embed_dim, embed_dim), Linear(embed_dim, embed_dim)
        self.v_proj, self.out_proj = Linear(embed_dim, embed_dim), Linear(embed_dim, embed_dim)

    def forward(self, x, mask=None):
        """`x` is (batch, seq, embed_dim) or (seq, embed_dim); `mask` (seq, seq) as for causal_mask."""
        if x.ndim == 2:
            return self.forward(x.reshape(1, *x.shape), mask).reshape(*x.shape)
        batch, seq, _ = x.shape
        q, k, v = (self._split_heads(proj(x)) for proj in (self.q_proj, self.k_proj, self.v_proj))
        heads = scaled_dot_product_attention(q, k, v, mask)  # (batch, heads, seq, head_dim)
        return self.out_proj(heads.permute(0, 2, 1, 3).reshape(batch, seq, self.embed_dim))

    def _split_heads(self, x):
        batch, seq, _ = x.shape
        return x.reshape(batch, seq, self.num_heads, self.head_dim).permute(0, 2, 1, 3)

    def __repr__(self):
        return f"MultiHeadAttention({self.embed_dim}, num_heads={self.num_heads})"
