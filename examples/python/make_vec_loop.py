"""A Gymnasium-style training loop over pgbench.make_vec: the cross-entropy method on a linear
policy for CartPole-v1 (each candidate policy runs one episode in its own sub-environment).

    PYTHONPATH=build/python /usr/bin/python3 examples/python/make_vec_loop.py
"""

import numpy as np

import pgbench

POPULATION, ELITE, GENERATIONS = 32, 6, 15

rng = np.random.default_rng(0)
with pgbench.make_vec("CartPole-v1", num_envs=POPULATION, seed=0) as envs:
    obs_dim = envs.single_observation_space.shape[0]
    mean, std = np.zeros(obs_dim + 1), np.ones(obs_dim + 1)
    for generation in range(GENERATIONS):
        candidates = rng.normal(mean, std, (POPULATION, obs_dim + 1))  # one linear policy per sub-env
        returns, running = np.zeros(POPULATION), np.ones(POPULATION, dtype=bool)
        obs, _ = envs.reset(seed=generation * POPULATION)
        while running.any():
            actions = ((obs * candidates[:, :-1]).sum(axis=1) + candidates[:, -1] > 0).astype(np.int64)
            obs, rewards, terminated, truncated, infos = envs.step(actions)
            returns += rewards * running  # count each candidate's first episode only
            running &= ~(terminated | truncated)
        elite = candidates[np.argsort(returns)[-ELITE:]]
        mean, std = elite.mean(axis=0), elite.std(axis=0) + 0.05
        print(f"generation {generation:2d}: mean return {returns.mean():6.1f}, best {returns.max():5.0f}")
