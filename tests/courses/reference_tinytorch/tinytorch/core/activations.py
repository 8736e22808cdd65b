"""02_activations: ReLU, Sigmoid, Tanh, softmax (plain callables without parameters)."""

from tinytorch.core.tensor import Tensor


def _tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis`."""
    shifted = _tensor(x) - _tensor(x).data.max(axis=axis, keepdims=True)
    e = shifted.exp()
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    """log(softmax(x)), computed as x - max - log(sum(exp(x - max)))."""
    shifted = _tensor(x) - _tensor(x).data.max(axis=axis, keepdims=True)
    return shifted - shifted.exp().sum(axis=axis, keepdims=True).log()


class Activation:
    """An element-wise function: call it like one; it has no parameters."""

    def __call__(self, x):
        return self.forward(x)

    def parameters(self):
        return []


class ReLU(Activation):
    def forward(self, x):
        return _tensor(x).relu()


class Sigmoid(Activation):
    def forward(self, x):
        return _tensor(x).sigmoid()


class Tanh(Activation):
    def forward(self, x):
        return _tensor(x).tanh()
