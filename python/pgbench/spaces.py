"""Observation and action spaces: Gymnasium's own when it is installed, else small equivalents
with the same attributes (``shape``, ``dtype``, ``low``/``high``, ``n``/``start``,
``sample()``, ``contains()``)."""

import numpy as np

try:  # Gymnasium is optional: Debian does not package it.
    import gymnasium.spaces as _gymnasium_spaces
except ImportError:  # pragma: no cover - depends on the machine
    _gymnasium_spaces = None


class Box:
    """A box of float64 values, bounded per dimension by ``low`` and ``high`` (inclusive)."""

    def __init__(self, low, high, shape=None, dtype=np.float64, seed=None):
        self.low = np.asarray(low, dtype=dtype)
        self.high = np.asarray(high, dtype=dtype)
        self.shape = tuple(shape) if shape is not None else self.low.shape
        self.dtype = np.dtype(dtype)
        self._rng = np.random.default_rng(seed)

    def sample(self):
        low = np.where(np.isfinite(self.low), self.low, -1.0)
        high = np.where(np.isfinite(self.high), self.high, 1.0)
        return self._rng.uniform(low, high).astype(self.dtype)

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


class Discrete:
    """The integers ``start`` .. ``start + n - 1``."""

    def __init__(self, n, start=0, seed=None):
        self.n = int(n)
        self.start = int(start)
        self.shape = ()
        self.dtype = np.dtype(np.int64)
        self._rng = np.random.default_rng(seed)

    def sample(self):
        return np.int64(self.start + self._rng.integers(self.n))

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)

    def contains(self, x):
        return int(x) == x and self.start <= int(x) < self.start + self.n

    def __repr__(self):
        return f"Discrete({self.n})" if self.start == 0 else f"Discrete({self.n}, start={self.start})"


def box(low, high):
    """A Box space: Gymnasium's when available."""
    if _gymnasium_spaces is not None:
        return _gymnasium_spaces.Box(low=low, high=high, dtype=np.float64)
    return Box(low, high)


def discrete(n, start=0):
    """A Discrete space: Gymnasium's when available."""
    if _gymnasium_spaces is not None:
        return _gymnasium_spaces.Discrete(n, start=start)
    return Discrete(n, start)


def batched(space, num_envs):
    """The space of a batch of ``num_envs`` values of ``space`` (Gymnasium's batch_space)."""
    if isinstance(space, (Box,)) or (_gymnasium_spaces is not None and isinstance(space, _gymnasium_spaces.Box)):
        return box(np.broadcast_to(space.low, (num_envs,) + space.shape).copy(),
                   np.broadcast_to(space.high, (num_envs,) + space.shape).copy())
    if _gymnasium_spaces is not None:
        return _gymnasium_spaces.MultiDiscrete(np.full(num_envs, space.n), start=np.full(num_envs, space.start))
    return Box(np.full(num_envs, space.start), np.full(num_envs, space.start + space.n - 1), dtype=np.int64)
