"""09_spatial: convolution and pooling."""

import numpy as np

from tinytorch.core.layers import Module
from tinytorch.core.tensor import Tensor

def im2col(x, kernel_size, stride=1, padding=0):
    """(N, C, H, W) -> (N, OH, OW, C·kh·kw): every kh×kw patch as a row, differentiably."""
    kh, kw = kernel_size
    data = np.pad(x.data, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, c, h, w = data.shape
    windows = np.lib.stride_tricks.sliding_window_view(data, (kh, kw), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride]  # (N, C, OH, OW, kh, kw)
    oh, ow = windows.shape[2:4]
    patches = windows.transpose(0, 2, 3, 1, 4, 5).reshape(n, oh, ow, c * kh * kw)

    def backward(g):
        g = g.reshape(n, oh, ow, c, kh, kw)
        grad = np.zeros((n, c, h, w), dtype=np.float32)
        for i in range(kh):
            for j in range(kw):  # the pixels under kernel entry (i, j), for every output position
                grad[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] += g[..., i, j].transpose(0, 3, 1, 2)
        return (grad[:, :, padding:h - padding, padding:w - padding],)

    return Tensor.from_op(patches, (x,), backward)

def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


class Conv2d(Module):
    """2-D convolution of (N, C_in, H, W) images with `out_channels` filters of size kernel_size."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True):
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = _pair(kernel_size), stride, padding
        fan_in = in_channels * self.kernel_size[0] * self.kernel_size[1]
        shape = (out_channels, in_channels, *self.kernel_size)
        self.weight = Tensor(np.random.randn(*shape) * np.sqrt(1.0 / fan_in), requires_grad=True)
        self.bias = Tensor(np.zeros(out_channels), requires_grad=True) if bias else None

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        if x.ndim != 4 or x.shape[1] != self.in_channels:
            raise ValueError(f"Conv2d expects (N, {self.in_channels}, H, W) input, got shape {x.shape}")
        patches = im2col(x, self.kernel_size, self.stride, self.padding)  # (N, OH, OW, C·k·k)
        n, oh, ow, size = patches.shape
        filters = self.weight.reshape(self.out_channels, size).T  # (C·k·k, C_out)
        out = patches.reshape(n * oh * ow, size) @ filters
        if self.bias is not None:
            out = out + self.bias
        return out.reshape(n, oh, ow, self.out_channels).permute(0, 3, 1, 2)

    def __repr__(self):
        return f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size})"

class MaxPool2d(Module):
    """Maximum of each non-overlapping kernel_size×kernel_size block of (N, C, H, W) maps."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = _pair(kernel_size)
        if stride is not None and _pair(stride) != self.kernel_size:
            raise ValueError("MaxPool2d supports only stride == kernel_size (non-overlapping blocks)")

    def forward(self, x):
        (kh, kw), (n, c, h, w) = self.kernel_size, x.shape
        oh, ow = h // kh, w // kw
        if (oh * kh, ow * kw) != (h, w):
            x = x[:, :, :oh * kh, :ow * kw]
        return x.reshape(n, c, oh, kh, ow, kw).max(axis=(3, 5))

    def __repr__(self):
        return f"MaxPool2d({self.kernel_size})"


class Flatten(Module):
    """(N, ...) -> (N, everything else)."""

    def forward(self, x):
        return x.reshape(x.shape[0], -1)
