"""16_compression: magnitude pruning and sparsity of a model's weights."""

import numpy as np


def _weights(model):
    return [layer.weight for layer in model.layers if getattr(layer, "weight", None) is not None]


def magnitude_prune(model, sparsity=0.5):
    """Zero the `sparsity` fraction of smallest-magnitude weights, over all the model's layers, in place."""
    weights = _weights(model)
    magnitudes = np.concatenate([np.abs(w.data).ravel() for w in weights])
    count = int(round(sparsity * magnitudes.size))
    if count == 0:
        return model
    threshold = np.partition(magnitudes, count - 1)[count - 1]
    for w in weights:
        w.data = np.where(np.abs(w.data) <= threshold, 0.0, w.data).astype(w.data.dtype)
    return model


def measure_sparsity(model):
    """The fraction of the model's weights that are exactly zero."""
    weights = _weights(model)
    zeros = sum(int(np.count_nonzero(w.data == 0)) for w in weights)
    return zeros / sum(w.data.size for w in weights)


class Compressor:
    """The same functions as static methods."""

    magnitude_prune = staticmethod(magnitude_prune)
    measure_sparsity = staticmethod(measure_sparsity)
