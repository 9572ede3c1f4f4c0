"""pgbench's DDPG and PPO against the same algorithms in PyTorch, side by side in one run on this
machine, on MuJoCo HalfCheetah-v4:

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python/torch_peer.py

Each side does the same work per env step, one thread each:
  DDPG  1 env; actor 17-256-256-6 (ReLU, tanh out) and critic 23-256-256-1 (ReLU), Adam 1e-3 for
        both, batch 256, gamma 0.99, tau 0.005, Gaussian exploration 0.1; uniformly random actions
        for the first start_steps, then one update per env step (pgbench's ddpg defaults, with a
        shorter random phase so that most of the measured steps update).
  PPO   8 envs, 2048 steps per batch, 10 epochs of minibatches of 64; 64x64 tanh actor (Gaussian,
        state-independent log std) and critic; advantages recomputed every epoch by GAE(0.99, 0.95)
        and normalised per minibatch; running observation normalisation and return scaling;
        clipped surrogate 0.2, value weight 0.25, gradient norm clipped to 0.5, Adam 3e-4 decayed
        linearly (pgbench's ppo defaults on mujoco-control).
pgbench runs under its host (`pgbench --suite mujoco-control`), the PyTorch peer steps the same
environment plugin through pgbench's Python bindings (pgbench.make_vec). The rate counted is env
steps per second of training: acting, simulating, storing and updating, evaluation excluded.
"""

import os

# One thread each, also inside the BLAS: Debian's PyTorch multiplies through libblas.so.3, OpenBLAS
# where it is installed, whose own thread pool torch.set_num_threads does not govern. Set before
# NumPy or PyTorch load it.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import argparse
import copy
import json
import platform
import subprocess
import tempfile
import time

import numpy as np
import torch
from torch import nn

import pgbench
from python_speed import ROOT, cpu_model

TASK = "HalfCheetah-v4"


def pgbench_steps_per_second(binary, algorithm, steps, settings, work):
    """Env steps per second of training of one pgbench cell, from its summary.json timing."""
    out = os.path.join(work, algorithm)
    command = [binary, "--suite", "mujoco-control", "--envs", TASK, "--algos", algorithm, "--steps", str(steps),
               "--seeds", "1", "--threads", "1", "--set", f"{TASK}.eval_every={steps}",
               "--set", f"{TASK}.eval_episodes=1", "--out", out, "--no-report"]
    for setting in settings:
        command += ["--set", f"{algorithm}.{setting}"]
    subprocess.run(command, check=True, capture_output=True)
    with open(os.path.join(out, "cells", TASK, algorithm, "seed-0", "summary.json")) as f:
        timing = json.load(f)["timing"]
    return steps / (timing["act_s"] + timing["env_step_s"] + timing["observe_s"] + timing["update_s"])


def action_scale(envs):
    space = envs.single_action_space
    return (space.high + space.low) / 2, (space.high - space.low) / 2


def ended_observations(next_obs, infos):
    """s' of each sub-env's transition: the episode's last observation where it ended (the
    returned observation then already starts the next episode)."""
    if "_final_observation" not in infos:
        return next_obs
    real = next_obs.copy()
    for i in np.flatnonzero(infos["_final_observation"]):
        real[i] = infos["final_observation"][i]
    return real


def mlp(sizes, activation, out=None):
    """Linear layers of `sizes` with `activation` between them, and `out` after the last if given."""
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), activation()]
    layers = layers[:-1] + ([out] if out is not None else [])
    return nn.Sequential(*layers)


def torch_ddpg_steps_per_second(steps, start_steps, seed=0):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    envs = pgbench.make_vec(TASK, 1, seed=seed)
    obs_dim, act_dim = envs.single_observation_space.shape[0], envs.single_action_space.shape[0]
    centre, half_range = action_scale(envs)
    actor = mlp([obs_dim, 256, 256, act_dim], nn.ReLU, out=nn.Tanh())
    critic = mlp([obs_dim + act_dim, 256, 256, 1], nn.ReLU)
    target_actor, target_critic = copy.deepcopy(actor), copy.deepcopy(critic)
    actor_optimizer = torch.optim.Adam(actor.parameters(), lr=1e-3)
    critic_optimizer = torch.optim.Adam(critic.parameters(), lr=1e-3)
    gamma, tau, batch_size = 0.99, 0.005, 256
    buffer = {"s": np.zeros((steps, obs_dim), np.float32), "u": np.zeros((steps, act_dim), np.float32),
              "r": np.zeros((steps, 1), np.float32), "s2": np.zeros((steps, obs_dim), np.float32),
              "d": np.zeros((steps, 1), np.float32)}

    obs, _ = envs.reset(seed=seed)
    start = time.perf_counter()
    for t in range(steps):
        if t < start_steps:
            u = rng.uniform(-1, 1, (1, act_dim))
        else:
            with torch.no_grad():
                u = actor(torch.as_tensor(obs, dtype=torch.float32)).numpy()
            u = np.clip(u + 0.1 * rng.standard_normal(u.shape), -1, 1)
        next_obs, rewards, terminated, _, infos = envs.step(centre + half_range * u)
        buffer["s"][t], buffer["u"][t], buffer["r"][t] = obs[0], u[0], rewards[0]
        buffer["s2"][t], buffer["d"][t] = ended_observations(next_obs, infos)[0], terminated[0]
        obs = next_obs
        if t < start_steps:
            continue
        i = rng.integers(0, t + 1, batch_size)
        s, a, r, s2, d = (torch.as_tensor(buffer[k][i]) for k in ("s", "u", "r", "s2", "d"))
        with torch.no_grad():
            y = r + gamma * (1 - d) * target_critic(torch.cat([s2, target_actor(s2)], 1))
        critic_loss = ((critic(torch.cat([s, a], 1)) - y) ** 2).mean()
        critic_optimizer.zero_grad()
        critic_loss.backward()
        critic_optimizer.step()
        actor_loss = -critic(torch.cat([s, actor(s)], 1)).mean()
        actor_optimizer.zero_grad()
        actor_loss.backward()
        actor_optimizer.step()
        with torch.no_grad():
            for net, target in ((actor, target_actor), (critic, target_critic)):
                for p, p_target in zip(net.parameters(), target.parameters()):
                    p_target.mul_(1 - tau).add_(tau * p)
    elapsed = time.perf_counter() - start
    envs.close()
    return steps / elapsed


class RunningMeanStd:
    def __init__(self, shape):
        self.mean, self.var, self.count = np.zeros(shape), np.ones(shape), 1e-4

    def update(self, x):
        batch_mean, batch_var, n = x.mean(0), x.var(0), len(x)
        delta, total = batch_mean - self.mean, self.count + n
        self.mean = self.mean + delta * n / total
        self.var = (self.var * self.count + batch_var * n + delta ** 2 * self.count * n / total) / total
        self.count = total


def torch_ppo_steps_per_second(steps, seed=0, num_envs=8, steps_per_batch=2048, epochs=10, minibatch=64):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    envs = pgbench.make_vec(TASK, num_envs, seed=seed)
    obs_dim, act_dim = envs.single_observation_space.shape[0], envs.single_action_space.shape[0]
    low, high = envs.single_action_space.low, envs.single_action_space.high
    actor, critic = mlp([obs_dim, 64, 64, act_dim], nn.Tanh), mlp([obs_dim, 64, 64, 1], nn.Tanh)
    log_std = nn.Parameter(torch.zeros(act_dim))
    parameters = list(actor.parameters()) + list(critic.parameters()) + [log_std]
    optimizer = torch.optim.Adam(parameters, lr=3e-4, eps=1e-5)
    gamma, lam, clip, value_coef = 0.99, 0.95, 0.2, 0.25
    obs_stats, return_stats = RunningMeanStd(obs_dim), RunningMeanStd(())
    discounted = np.zeros(num_envs)
    horizon = steps_per_batch // num_envs

    def normalise(o):
        return torch.as_tensor(np.clip((o - obs_stats.mean) / np.sqrt(obs_stats.var + 1e-8), -10, 10),
                               dtype=torch.float32)

    obs, _ = envs.reset(seed=seed)
    start = time.perf_counter()
    done_steps = 0
    while done_steps < steps:
        batch_obs, batch_next, batch_u, batch_logp = [], [], [], []
        batch_r, batch_term, batch_end = [], [], []
        for _ in range(horizon):
            obs_stats.update(obs)
            o = normalise(obs)
            with torch.no_grad():
                dist = torch.distributions.Normal(actor(o), log_std.exp())
                u = dist.sample()
                logp = dist.log_prob(u).sum(1)
            next_obs, rewards, terminated, truncated, infos = envs.step(np.clip(u.numpy(), low, high))
            discounted = gamma * discounted + rewards
            return_stats.update(discounted)
            ended = terminated | truncated
            discounted[ended] = 0
            batch_obs.append(o), batch_u.append(u), batch_logp.append(logp)
            batch_next.append(normalise(ended_observations(next_obs, infos)))
            batch_r.append(torch.as_tensor(rewards / np.sqrt(return_stats.var + 1e-8), dtype=torch.float32))
            batch_term.append(torch.as_tensor(terminated, dtype=torch.float32))
            batch_end.append(torch.as_tensor(ended, dtype=torch.float32))
            obs = next_obs
        done_steps += horizon * num_envs
        o, o2, u, old_logp = (torch.stack(x) for x in (batch_obs, batch_next, batch_u, batch_logp))
        r, term, end = (torch.stack(x) for x in (batch_r, batch_term, batch_end))
        fraction_left = max(0.0, 1.0 - done_steps / steps)
        for group in optimizer.param_groups:
            group["lr"] = 3e-4 * fraction_left
        for _ in range(epochs):
            with torch.no_grad():  # GAE under the current critic, every epoch
                v, v2 = critic(o).squeeze(-1), critic(o2).squeeze(-1)
                delta = r + gamma * (1 - term) * v2 - v
                advantages = torch.zeros_like(r)
                running = torch.zeros(num_envs)
                for t in reversed(range(horizon)):
                    running = delta[t] + gamma * lam * (1 - end[t]) * running
                    advantages[t] = running
                returns = advantages + v
            flat = lambda x: x.reshape((horizon * num_envs,) + x.shape[2:])
            fo, fu, flogp, fa, fret = flat(o), flat(u), flat(old_logp), flat(advantages), flat(returns)
            order = torch.as_tensor(rng.permutation(horizon * num_envs))
            for begin in range(0, len(order), minibatch):
                i = order[begin:begin + minibatch]
                a = (fa[i] - fa[i].mean()) / (fa[i].std() + 1e-8)
                ratio = torch.exp(torch.distributions.Normal(actor(fo[i]), log_std.exp()).log_prob(fu[i]).sum(1) - flogp[i])
                policy_loss = -torch.min(ratio * a, torch.clamp(ratio, 1 - clip, 1 + clip) * a).mean()
                value_loss = ((critic(fo[i]).squeeze(-1) - fret[i]) ** 2).mean()
                optimizer.zero_grad()
                (policy_loss + value_coef * value_loss).backward()
                nn.utils.clip_grad_norm_(parameters, 0.5)
                optimizer.step()
    elapsed = time.perf_counter() - start
    envs.close()
    return done_steps / elapsed


def loaded_blas():
    """The BLAS library this process has mapped (Debian's PyTorch calls libblas.so.3, which the
    alternatives system points at OpenBLAS where it is installed)."""
    with open("/proc/self/maps") as maps:
        names = {os.path.basename(line.split()[-1]) for line in maps if "blas" in line.lower() and "/" in line}
    return ", ".join(sorted(names)) or "none mapped"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ddpg-steps", type=int, default=3000, help="env steps of each DDPG run")
    parser.add_argument("--ddpg-start-steps", type=int, default=1000, help="random steps before DDPG updates")
    parser.add_argument("--ppo-steps", type=int, default=8192, help="env steps of each PPO run (2048 per update)")
    parser.add_argument("--pgbench", default=os.path.join(ROOT, "build", "bin", "pgbench"))
    args = parser.parse_args()
    if TASK not in pgbench.list_envs():
        raise SystemExit(f"{TASK} is not available: pgbench was built without MuJoCo (apt-get install libmujoco-dev)")
    torch.set_num_threads(1)
    print(f"CPU: {cpu_model()}; Python {platform.python_version()}, PyTorch {torch.__version__} "
          f"(BLAS: {loaded_blas()}), one thread each\n")
    print("| HalfCheetah-v4, env steps/s of training | pgbench | PyTorch | pgbench / PyTorch |")
    print("| --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work:
        ours = pgbench_steps_per_second(args.pgbench, "ddpg", args.ddpg_steps,
                                        [f"start_steps={args.ddpg_start_steps}"], work)
        theirs = torch_ddpg_steps_per_second(args.ddpg_steps, args.ddpg_start_steps)
        print(f"| DDPG, {args.ddpg_steps} steps, updates after {args.ddpg_start_steps} | {ours:.0f} | {theirs:.0f} | "
              f"{ours / theirs:.1f} |")
        ours = pgbench_steps_per_second(args.pgbench, "ppo", args.ppo_steps, [], work)
        theirs = torch_ppo_steps_per_second(args.ppo_steps)
        print(f"| PPO, {args.ppo_steps} steps | {ours:.0f} | {theirs:.0f} | {ours / theirs:.1f} |")


if __name__ == "__main__":
    main()
