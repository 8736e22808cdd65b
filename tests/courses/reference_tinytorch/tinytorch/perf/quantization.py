"""15_quantization: asymmetric INT8 quantization of a tensor (q = round(x / scale) + zero_point)."""

import numpy as np

from tinytorch.core.tensor import Tensor

INT8_MIN, INT8_MAX = -128, 127


def quantize_int8(tensor):
    """(q_tensor with int8 data, scale, zero_point) so that x ≈ (q - zero_point) * scale; 0 maps exactly."""
    data = np.asarray(tensor.data if isinstance(tensor, Tensor) else tensor, dtype=np.float32)
    low, high = min(float(data.min()), 0.0), max(float(data.max()), 0.0)
    scale = (high - low) / (INT8_MAX - INT8_MIN) or 1.0
    zero_point = int(np.clip(np.round(INT8_MIN - low / scale), INT8_MIN, INT8_MAX))
    q = np.clip(np.round(data / scale) + zero_point, INT8_MIN, INT8_MAX).astype(np.int8)
    return Tensor(q), float(scale), zero_point


def dequantize_int8(q_tensor, scale, zero_point):
    """The float32 tensor (q - zero_point) * scale."""
    q = np.asarray(q_tensor.data if isinstance(q_tensor, Tensor) else q_tensor)
    return Tensor((q.astype(np.float32) - zero_point) * np.float32(scale))


class Quantizer:
    """The same functions as static methods."""

    quantize_int8 = staticmethod(quantize_int8)
    dequantize_int8 = staticmethod(dequantize_int8)
