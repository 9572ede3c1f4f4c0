"""Algorithms written in Python, benchmarked by the pgbench host under its protocol.

A file on the plugin path that defines a subclass of ``pgbench.Agent`` is a plugin: pgbench's
Python plugin opens it, and the agent runs in a grid like any C++ algorithm, under its ``name``
(the file's name without ``.py`` when it sets none)::

    pgbench --suite classic-control --algos ppo,torch_ppo --plugin-path examples/python

It gets the protocol's seeds (``context.seed``: seed NumPy and PyTorch from it and from nothing
else), is evaluated with ``act_eval``, and its results land in the same run directory and report
as the built-in algorithms'. Each hyperparameter is declared once, in ``hyperparameters``, with
its default, meaning and bounds; the host validates ``--set name.key=value`` against it and
passes every value to ``__init__`` as a keyword argument.

Arrays: observations are float64 arrays of shape ``(rows, obs_dim)``; ``act`` and ``act_eval``
return one action per row, shape ``(rows, act_dim)`` floats for Box action spaces or ``(rows,)``
integers for Discrete ones. Anything raised fails the cell, with the traceback in its
summary.json; a wrong-shaped action fails it with the shapes named.
"""

import pickle


class Param:
    """The declaration of one hyperparameter: its default (whose type, bool, int, float or str,
    is the accepted type), a one-line meaning with its unit, inclusive bounds for numbers and the
    accepted values for strings."""

    def __init__(self, default, help, low=None, high=None, choices=None):
        if not isinstance(default, (bool, int, float, str)):
            raise TypeError(f"a hyperparameter's default must be a bool, int, float or str, not {type(default).__name__}")
        self.default = default
        self.help = help
        self.low = low
        self.high = high
        self.choices = list(choices) if choices is not None else None


class Context:
    """What an agent is created for: the spaces of one sub-environment (``pgbench.spaces`` Box
    or Discrete), the number of sub-environments it acts for while training, its seed and the
    run's env-step budget."""

    def __init__(self, observation_space, action_space, num_envs, seed, total_env_steps):
        self.observation_space = observation_space
        self.action_space = action_space
        self.num_envs = num_envs
        self.seed = seed
        self.total_env_steps = total_env_steps

    @property
    def discrete(self):
        return hasattr(self.action_space, "n")


class Agent:
    """The base of an algorithm written in Python. Override ``act``, ``act_eval``, ``observe`` and
    ``update``; ``save`` and ``load`` pickle the agent's attributes unless overridden."""

    name = None                       # the name users give to --algos; default: the file's name
    description = ""
    actions = ("box", "discrete")     # the action space kinds it handles
    num_envs = 1                      # sub-environments it trains on when a suite does not say
    hyperparameters = {}              # key -> Param

    def __init__(self, context, **hyperparameters):
        self.context = context

    def act(self, observations):
        """The exploring policy: one action per row of ``observations``."""
        raise NotImplementedError

    def act_eval(self, observations):
        """The evaluation policy: deterministic, and it must change nothing in the agent."""
        raise NotImplementedError

    def observe(self, observations, actions, rewards, next_observations, terminated, truncated):
        """The outcome of the last ``act``, one row per sub-environment; ``next_observations`` holds
        the final observation of an episode that ended. Returns True to ask for ``update`` now."""
        return False

    def update(self, env_steps_done):
        """One learning phase; returns a dict of metrics (``{"loss/policy": 0.3}``) or None."""
        return None

    def save(self, scope):
        """The agent's state as bytes: scope "policy" (what act_eval needs) or "full" (everything,
        so that training continues bit for bit after load)."""
        return pickle.dumps({k: v for k, v in self.__dict__.items() if k != "context"})

    def load(self, data, scope):
        self.__dict__.update(pickle.loads(data))
