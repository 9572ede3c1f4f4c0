"""torch_ppo: Proximal Policy Optimization with the clipped surrogate (Schulman et al. 2017) in
PyTorch, run by the pgbench host next to its built-in ``ppo`` under the same protocol:

    pgbench --suite classic-control --envs CartPole-v1 --algos ppo,torch_ppo --plugin-path examples/python

Every ``steps_per_batch`` env steps (over all sub-envs), with the batch collected by pi_old:
    advantages A and returns R = A + V by GAE(gamma, lambda)
    for each of `epochs` passes, for each minibatch of a fresh shuffle:
        ratio = pi(a|s) / pi_old(a|s)
        loss  = -mean(min(ratio A, clip(ratio, 1 - eps, 1 + eps) A)) + value_coef mean((V(s) - R)^2)
        one Adam step on actor and critic, the joint gradient norm clipped to max_grad_norm
Discrete actions (a softmax policy); separate 64x64 tanh actor and critic.

Randomness: every draw (initial weights, actions, shuffles) comes from one NumPy generator seeded
by the protocol's seed, never from torch's global generator, so that agents in one process do not
disturb each other and a seed reproduces a run.
"""

import io

import numpy as np
import torch
from torch import nn

import pgbench


def mlp(sizes, rng, last_gain):
    """A tanh MLP whose weights are orthogonal matrices drawn from `rng` (gain sqrt(2), and
    `last_gain` for the output layer) and whose biases are 0."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layer = nn.Linear(n_in, n_out)
        gain = last_gain if i == len(sizes) - 2 else np.sqrt(2.0)
        q, r = np.linalg.qr(rng.standard_normal((max(n_in, n_out), min(n_in, n_out))))
        q *= np.sign(np.diag(r))
        weight = q if n_out >= n_in else q.T
        with torch.no_grad():
            layer.weight.copy_(torch.as_tensor(gain * weight[:n_out, :n_in], dtype=torch.float32))
            layer.bias.zero_()
        layers += [layer, nn.Tanh()]
    return nn.Sequential(*layers[:-1])


class TorchPpo(pgbench.Agent):
    name = "torch_ppo"
    description = "PPO (clipped surrogate) in PyTorch, Discrete actions"
    actions = ("discrete",)
    num_envs = 8
    hyperparameters = {
        "learning_rate": pgbench.Param(3e-4, "Adam step size, decayed linearly to 0 over the budget", 0.0, 1.0),
        "steps_per_batch": pgbench.Param(2048, "env steps per update, over all sub-envs", 1, 10**7),
        "epochs": pgbench.Param(10, "passes over each batch", 1, 1000),
        "minibatch_size": pgbench.Param(64, "samples per Adam step", 1, 10**7),
        "gamma": pgbench.Param(0.99, "discount factor", 0.0, 1.0),
        "gae_lambda": pgbench.Param(0.95, "GAE lambda", 0.0, 1.0),
        "clip_epsilon": pgbench.Param(0.2, "surrogate clip range", 0.0, 1.0),
        "value_coef": pgbench.Param(0.5, "weight of the value loss", 0.0, 100.0),
        "max_grad_norm": pgbench.Param(0.5, "global gradient-norm clip", 0.0, 1e6),
    }

    def __init__(self, context, learning_rate, steps_per_batch, epochs, minibatch_size, gamma, gae_lambda,
                 clip_epsilon, value_coef, max_grad_norm):
        super().__init__(context)
        torch.set_num_threads(1)  # one core per cell: the grid runs cells in parallel
        self.rng = np.random.default_rng(context.seed)
        self.learning_rate, self.epochs, self.minibatch_size = learning_rate, epochs, minibatch_size
        self.gamma, self.gae_lambda, self.clip_epsilon = gamma, gae_lambda, clip_epsilon
        self.value_coef, self.max_grad_norm = value_coef, max_grad_norm
        obs_dim, n_actions = context.observation_space.shape[0], context.action_space.n
        self.actor = mlp([obs_dim, 64, 64, n_actions], self.rng, last_gain=0.01)
        self.critic = mlp([obs_dim, 64, 64, 1], self.rng, last_gain=1.0)
        self.optimizer = torch.optim.Adam(list(self.actor.parameters()) + list(self.critic.parameters()),
                                          lr=learning_rate, eps=1e-5)
        self.steps_per_env = max(1, steps_per_batch // context.num_envs)
        self.batch = []  # per step: observations, actions, log-probs, values, rewards, terminated

    def policy(self, observations):
        return torch.distributions.Categorical(logits=self.actor(torch.as_tensor(observations, dtype=torch.float32)))

    def act(self, observations):
        with torch.no_grad():
            probs = self.policy(observations).probs.double().numpy()
        u = self.rng.random((len(probs), 1))
        return np.minimum((u > np.cumsum(probs, axis=1)).sum(axis=1), probs.shape[1] - 1).astype(np.int64)

    def act_eval(self, observations):
        with torch.no_grad():
            return self.policy(observations).logits.argmax(dim=1).numpy().astype(np.int64)

    def value(self, observations):
        with torch.no_grad():
            return self.critic(torch.as_tensor(observations, dtype=torch.float32)).squeeze(1).double().numpy()

    def observe(self, observations, actions, rewards, next_observations, terminated, truncated):
        with torch.no_grad():
            log_probs = self.policy(observations).log_prob(torch.as_tensor(actions)).double().numpy()
        rewards = rewards.copy()
        cut = truncated & ~terminated  # a time limit: the episode would have gone on, so bootstrap V
        if cut.any():
            rewards[cut] += self.gamma * self.value(next_observations[cut])
        self.batch.append((observations, actions, log_probs, self.value(observations), rewards,
                           terminated | truncated, next_observations))
        return len(self.batch) == self.steps_per_env

    def update(self, env_steps_done):
        obs, actions, old_log_probs, values, rewards, ended, next_obs = (np.array(x) for x in zip(*self.batch))
        self.batch = []
        # GAE(gamma, lambda), backwards; the last step bootstraps from V(s_T) unless it ended.
        advantages = np.zeros_like(rewards)
        next_value, next_advantage = self.value(next_obs[-1]), 0.0
        for t in reversed(range(len(rewards))):
            not_ended = 1.0 - ended[t]
            delta = rewards[t] + self.gamma * next_value * not_ended - values[t]
            next_advantage = delta + self.gamma * self.gae_lambda * not_ended * next_advantage
            advantages[t] = next_advantage
            next_value = values[t]
        returns = advantages + values

        flat = lambda x: torch.as_tensor(x.reshape((-1,) + x.shape[2:]))
        obs, actions, old_log_probs = flat(obs).float(), flat(actions), flat(old_log_probs).float()
        advantages, returns = flat(advantages).float(), flat(returns).float()
        fraction_left = max(0.0, 1.0 - env_steps_done / max(1, self.context.total_env_steps))
        for group in self.optimizer.param_groups:
            group["lr"] = self.learning_rate * fraction_left
        n = len(obs)
        for _ in range(self.epochs):
            order = torch.as_tensor(self.rng.permutation(n))
            for start in range(0, n, self.minibatch_size):
                i = order[start:start + self.minibatch_size]
                a = (advantages[i] - advantages[i].mean()) / (advantages[i].std() + 1e-8)
                ratio = torch.exp(self.policy(obs[i]).log_prob(actions[i]) - old_log_probs[i])
                clipped = torch.clamp(ratio, 1 - self.clip_epsilon, 1 + self.clip_epsilon)
                policy_loss = -torch.min(ratio * a, clipped * a).mean()
                value_loss = ((self.critic(obs[i]).squeeze(1) - returns[i]) ** 2).mean()
                self.optimizer.zero_grad()
                (policy_loss + self.value_coef * value_loss).backward()
                nn.utils.clip_grad_norm_(list(self.actor.parameters()) + list(self.critic.parameters()),
                                         self.max_grad_norm)
                self.optimizer.step()
        return {"loss/policy": float(policy_loss), "loss/value": float(value_loss), "optim/lr": self.learning_rate *
                fraction_left}

    def save(self, scope):
        state = {"actor": self.actor.state_dict()}
        if scope == "full":
            state.update(critic=self.critic.state_dict(), optimizer=self.optimizer.state_dict(),
                         rng=self.rng.bit_generator.state, batch=self.batch)
        out = io.BytesIO()
        torch.save(state, out)
        return out.getvalue()

    def load(self, data, scope):
        state = torch.load(io.BytesIO(data))
        self.actor.load_state_dict(state["actor"])
        if scope == "full":
            self.critic.load_state_dict(state["critic"])
            self.optimizer.load_state_dict(state["optimizer"])
            self.rng.bit_generator.state = state["rng"]
            self.batch = state["batch"]
