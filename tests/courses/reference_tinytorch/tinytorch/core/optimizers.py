"""06_optimizers: stochastic gradient descent."""

class SGD:
    """Stochastic gradient descent: `step()` sets p ← p - lr · p.grad for every parameter."""

    def __init__(self, params, lr=0.01):
        self.params, self.lr = list(params), lr

    def step(self):
        for p in self.params:
            if p.grad is not None:
                p.data = p.data - self.lr * p.grad.data

    def zero_grad(self):
        for p in self.params:
            p.grad = None
