"""Vector environments over pgbench's environment plugins, with Gymnasium's vector-env API."""

import numpy as np

from pgbench import _pgbench
from pgbench import spaces


def list_envs():
    """The names of every environment the plugins provide ("CartPole-v1", "HalfCheetah-v4", ...)."""
    return [d["name"] for d in _pgbench.env_descriptions()]


def describe(env_id):
    """An environment's description, plugin and parameters (key, type, default, bounds, help)."""
    for d in _pgbench.env_descriptions():
        if env_id in (d["name"], d["id"]):
            return d
    raise ValueError(f"no environment '{env_id}'; pgbench.list_envs() lists them")


class VectorEnv:
    """``num_envs`` sub-environments of one pgbench environment, stepped together in C++.

    Gymnasium's vector-env API: ``reset(seed=None) -> (obs, infos)``,
    ``step(actions) -> (obs, rewards, terminated, truncated, infos)``. Observations are float64
    arrays of shape ``(num_envs, obs_dim)``; actions are ``(num_envs, act_dim)`` floats for Box
    action spaces and ``(num_envs,)`` integers for Discrete ones. ``truncated`` includes the
    environment's registered time limit. A sub-environment whose episode ended is reset in the same
    step: ``obs[i]`` is then the first observation of its next episode, and
    ``infos["final_observation"][i]`` the last one of the episode that ended (with
    ``infos["_final_observation"][i]`` True).

    Seeding: ``seed`` seeds the instance; ``reset(seed=s)`` reseeds sub-env i with ``s + i``, and
    ``reset()`` continues each sub-env's own stream. The same seeds and actions give the same
    trajectories as the pgbench host.
    """

    metadata = {"autoreset_mode": "same-step"}

    def __init__(self, env_id, num_envs=1, seed=0, **env_config):
        self._env = _pgbench.VecEnv(env_id, int(num_envs), int(seed), env_config)
        self.num_envs = self._env.num_envs
        self.spec_id = self._env.name
        self.max_episode_steps = self._env.max_episode_steps or None
        low, high = self._env.observation_bounds()
        self.single_observation_space = spaces.box(low, high)
        if self._env.discrete:
            n, start = self._env.action_bounds()
            self.single_action_space = spaces.discrete(n, start)
        else:
            low, high = self._env.action_bounds()
            self.single_action_space = spaces.box(low, high)
        self.observation_space = spaces.batched(self.single_observation_space, self.num_envs)
        self.action_space = spaces.batched(self.single_action_space, self.num_envs)

    @property
    def config(self):
        """The environment's parameters, every declared one, as resolved."""
        return self._env.config

    def reset(self, *, seed=None, options=None):
        del options  # pgbench environments take no reset options
        if seed is not None and not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an int or None, not {type(seed).__name__}")
        return self._env.reset(None if seed is None else int(seed)), {}

    def step(self, actions):
        obs, rewards, terminated, truncated, final_obs, ended = self._env.step(np.asarray(actions))
        infos = {}
        if ended.any():
            final = np.empty(self.num_envs, dtype=object)
            for i in range(self.num_envs):
                final[i] = final_obs[i] if ended[i] else None
            infos["final_observation"] = final
            infos["_final_observation"] = ended
        return obs, rewards, terminated, truncated, infos

    def close(self):
        self._env.close()

    @property
    def closed(self):
        return self._env.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return f"pgbench.VectorEnv({self.spec_id!r}, num_envs={self.num_envs})"


class Env:
    """One pgbench environment with Gymnasium's single-env API (``reset``, ``step`` returning
    ``(obs, reward, terminated, truncated, info)``). After an episode ends, call ``reset()``."""

    def __init__(self, env_id, seed=0, **env_config):
        self._vec = VectorEnv(env_id, 1, seed, **env_config)
        self.observation_space = self._vec.single_observation_space
        self.action_space = self._vec.single_action_space
        self.spec_id = self._vec.spec_id
        self._ended = True

    def reset(self, *, seed=None, options=None):
        obs, info = self._vec.reset(seed=seed, options=options)
        self._ended = False
        return obs[0], info

    def step(self, action):
        if self._ended:
            raise RuntimeError(f"{self.spec_id}: the episode ended; call reset() before step()")
        action = np.asarray(action)
        batch = action.reshape(1) if self._vec._env.discrete else action.reshape(1, -1)
        obs, rewards, terminated, truncated, infos = self._vec.step(batch)
        self._ended = bool(terminated[0] or truncated[0])
        if self._ended:
            return infos["final_observation"][0], float(rewards[0]), bool(terminated[0]), bool(truncated[0]), {}
        return obs[0], float(rewards[0]), bool(terminated[0]), bool(truncated[0]), {}

    def close(self):
        self._vec.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def make_vec(env_id, num_envs=1, seed=0, **env_config):
    """``num_envs`` sub-environments of ``env_id`` (a name or id from ``list_envs()``), with the
    environment's parameters given as keywords (``make_vec("Pendulum-v1", 4, g=9.81)``)."""
    return VectorEnv(env_id, num_envs, seed, **env_config)


def make(env_id, seed=0, **env_config):
    """One environment with Gymnasium's single-env API."""
    return Env(env_id, seed, **env_config)
