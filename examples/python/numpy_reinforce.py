"""numpy_reinforce: REINFORCE (Williams 1992) with a linear softmax policy, in NumPy, run by the
pgbench host next to the built-in algorithms:

    pgbench --suite classic-control --envs CartPole-v1 --algos reinforce,numpy_reinforce --plugin-path examples/python

    pi(a|s) = softmax(W [s; 1])
    every `episodes_per_update` finished episodes:
        W <- W + lr * mean over episodes of sum_t (G_t - b) grad log pi(a_t|s_t),  G_t the reward-to-go,
    with b the running mean of the episodes' returns.
"""

import numpy as np

import pgbench


class NumpyReinforce(pgbench.Agent):
    name = "numpy_reinforce"
    description = "REINFORCE with a linear softmax policy, in NumPy"
    actions = ("discrete",)
    num_envs = 4
    hyperparameters = {
        "learning_rate": pgbench.Param(0.01, "step size of the gradient ascent", 0.0, 10.0),
        "gamma": pgbench.Param(0.99, "discount factor", 0.0, 1.0),
        "episodes_per_update": pgbench.Param(8, "finished episodes per update", 1, 10000),
    }

    def __init__(self, context, learning_rate, gamma, episodes_per_update):
        super().__init__(context)
        self.rng = np.random.default_rng(context.seed)  # the protocol's seed, and nothing else
        self.learning_rate, self.gamma, self.episodes_per_update = learning_rate, gamma, episodes_per_update
        n_features = context.observation_space.shape[0] + 1
        self.weights = np.zeros((context.action_space.n, n_features))
        self.gradient = np.zeros_like(self.weights)
        self.baseline, self.episodes_seen, self.episodes_in_batch = 0.0, 0, 0
        self.episodes = [[] for _ in range(context.num_envs)]  # (features, action, reward) per sub-env

    def probabilities(self, features):
        logits = features @ self.weights.T
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    @staticmethod
    def features(observations):
        return np.hstack([observations, np.ones((len(observations), 1))])

    def act(self, observations):
        p = self.probabilities(self.features(observations))
        u = self.rng.random((len(p), 1))
        return np.minimum((u > np.cumsum(p, axis=1)).sum(axis=1), p.shape[1] - 1)

    def act_eval(self, observations):
        return np.argmax(self.probabilities(self.features(observations)), axis=1)

    def observe(self, observations, actions, rewards, next_observations, terminated, truncated):
        for i, x in enumerate(self.features(observations)):
            self.episodes[i].append((x, actions[i] - self.context.action_space.start, rewards[i]))
            if terminated[i] or truncated[i]:
                self.add_episode(self.episodes[i])
                self.episodes[i] = []
        return self.episodes_in_batch >= self.episodes_per_update

    def add_episode(self, episode):
        g = 0.0
        for x, a, r in reversed(episode):
            g = r + self.gamma * g
            p = self.probabilities(x[None, :])[0]
            indicator = np.zeros_like(p)
            indicator[a] = 1.0
            self.gradient += (g - self.baseline) * np.outer(indicator - p, x)
        self.episodes_seen += 1
        self.baseline += (g - self.baseline) / self.episodes_seen
        self.episodes_in_batch += 1

    def update(self, env_steps_done):
        self.weights += self.learning_rate * self.gradient / self.episodes_in_batch
        norm = float(np.linalg.norm(self.gradient))
        self.gradient[:] = 0.0
        self.episodes_in_batch = 0
        return {"optim/grad_norm": norm, "baseline/mean_return": self.baseline}
