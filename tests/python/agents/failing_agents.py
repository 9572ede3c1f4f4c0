"""Agents that fail on purpose, for the tests: one raises inside act() after a few steps, one
returns actions of the wrong shape."""

import numpy as np

import pgbench


class Raising(pgbench.Agent):
    name = "raising"
    description = "Acts at random, then raises"
    actions = ("discrete",)

    def __init__(self, context):
        super().__init__(context)
        self.rng = np.random.default_rng(context.seed)
        self.steps = 0

    def act(self, observations):
        self.steps += 1
        if self.steps > 50:
            raise ValueError("raising on purpose at step 51")
        return self.rng.integers(0, self.context.action_space.n, len(observations))

    def act_eval(self, observations):
        return np.zeros(len(observations), dtype=np.int64)


class WrongShape(pgbench.Agent):
    name = "wrong_shape"
    description = "Evaluates well, but acts with one action too many"
    actions = ("discrete",)

    def act(self, observations):
        return np.zeros(len(observations) + 1, dtype=np.int64)

    def act_eval(self, observations):
        return np.zeros(len(observations), dtype=np.int64)
