"""04_losses: binary and multi-class cross-entropy."""

import numpy as np

from tinytorch.core.activations import log_softmax
from tinytorch.core.tensor import Tensor


class BinaryCrossEntropyLoss:
    """Mean of -(y log p + (1 - y) log(1 - p)) for probabilities p and 0/1 targets y."""

    eps = 1e-6

    def __call__(self, predictions, targets):
        p = predictions.clip(self.eps, 1 - self.eps)
        y = Tensor(np.asarray(targets.data if isinstance(targets, Tensor) else targets, dtype=np.float32).reshape(p.shape))
        return -(y * p.log() + (1 - y) * (1 - p).log()).mean()


class CrossEntropyLoss:
    """Mean of -log softmax(logits)[label] over all rows; logits (..., classes), labels (...)."""

    def __call__(self, logits, labels):
        labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
        classes = logits.shape[-1]
        if labels.shape == logits.shape:
            labels = labels.argmax(axis=-1)
        labels = labels.reshape(-1).astype(np.int64)
        logp = log_softmax(logits.reshape(-1, classes), axis=-1)
        return -logp[np.arange(len(labels)), labels].mean()
