"""08_dataloader: datasets and mini-batches."""

import numpy as np

from tinytorch.core.tensor import Tensor


class Dataset:
    """Anything with `len(dataset)` and `dataset[i]` -> one example (a tuple of tensors)."""

    def __len__(self):
        raise NotImplementedError

    def __getitem__(self, index):
        raise NotImplementedError


class TensorDataset(Dataset):
    """Example i is (tensors[0][i], tensors[1][i], ...); an index array gives a whole batch."""

    def __init__(self, *tensors):
        self.tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
        if len({len(t) for t in self.tensors}) > 1:
            raise ValueError(f"tensors of different lengths: {[len(t) for t in self.tensors]}")

    def __len__(self):
        return len(self.tensors[0])

    def __getitem__(self, index):
        return tuple(Tensor(t.data[index]) for t in self.tensors)

class DataLoader:
    """Iterates over `dataset` in batches of `batch_size` examples, each a tuple of tensors."""

    def __init__(self, dataset, batch_size=32, shuffle=False):
        self.dataset, self.batch_size, self.shuffle = dataset, batch_size, shuffle

    def __len__(self):
        return -(-len(self.dataset) // self.batch_size)  # batches per epoch, rounded up

    def __iter__(self):
        n = len(self.dataset)
        order = np.random.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, n, self.batch_size):
            indices = order[start:start + self.batch_size]
            if isinstance(self.dataset, TensorDataset):
                yield self.dataset[indices]
            else:
                yield _collate([self.dataset[i] for i in indices])


def _collate(examples):
    """A list of examples (tuples) -> one tuple of stacked tensors."""
    return tuple(Tensor(np.stack([np.asarray(field) for field in fields])) for fields in zip(*examples))
