"""The uniform-random agent in Python: the built-in `random` agent's work, to measure what calling
into Python costs the host per step (benchmarks/python/python_speed.py)."""

import numpy as np

import pgbench


class PythonRandom(pgbench.Agent):
    name = "python_random"
    description = "Uniformly random actions, in Python"

    def __init__(self, context):
        super().__init__(context)
        self.rng = np.random.default_rng(context.seed)

    def act(self, observations):
        space = self.context.action_space
        if hasattr(space, "n"):
            return self.rng.integers(space.start, space.start + space.n, len(observations))
        return self.rng.uniform(space.low, space.high, (len(observations),) + space.shape)

    def act_eval(self, observations):
        # Deterministic: the first action, or the middle of the box.
        space = self.context.action_space
        if hasattr(space, "n"):
            return np.full(len(observations), space.start, dtype=np.int64)
        return np.tile((space.low + space.high) / 2, (len(observations), 1))
