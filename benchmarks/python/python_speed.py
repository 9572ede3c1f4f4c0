"""The cost of Python, measured side by side in one run on this machine:

1. stepping an environment through pgbench.make_vec (random actions drawn in NumPy) against the
   same loop in C++ with no Python between steps (pgbench._pgbench.time_host_loop);
2. a Python agent under the host against the built-in C++ agent doing the same work (uniform
   random actions), from the cells' timing in summary.json.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python/python_speed.py [--steps N]
"""

import argparse
import json
import os
import platform
import subprocess
import tempfile
import time

import numpy as np

import pgbench
from pgbench import _pgbench

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def python_loop_seconds(env_id, num_envs, steps):
    with pgbench.make_vec(env_id, num_envs, seed=0) as envs:
        rng = np.random.default_rng(0)
        space = envs.single_action_space
        envs.reset(seed=0)
        start = time.perf_counter()
        for _ in range(steps):
            if hasattr(space, "n"):
                actions = rng.integers(space.start, space.start + space.n, num_envs)
            else:
                actions = rng.uniform(space.low, space.high, (num_envs,) + space.shape)
            envs.step(actions)
        return time.perf_counter() - start


def agent_seconds_per_step(pgbench_binary, algorithm, steps, work):
    out = os.path.join(work, algorithm)
    subprocess.run([pgbench_binary, "--suite", "classic-control", "--envs", "CartPole-v1", "--algos", algorithm,
                    "--plugin-path", os.path.join(HERE, "agents"), "--steps", str(steps), "--seeds", "1",
                    "--set", f"CartPole-v1.eval_every={steps}", "--set", "CartPole-v1.eval_episodes=1",
                    "--set", f"{algorithm}.num_envs=1", "--out", out, "--no-report"], check=True,
                   capture_output=True)
    with open(os.path.join(out, "cells", "CartPole-v1", algorithm, "seed-0", "summary.json")) as f:
        timing = json.load(f)["timing"]
    return (timing["act_s"] + timing["observe_s"] + timing["update_s"]) / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20000, help="vector steps per measurement")
    parser.add_argument("--pgbench", default=os.path.join(ROOT, "build", "bin", "pgbench"))
    args = parser.parse_args()
    print(f"CPU: {cpu_model()}; Python {platform.python_version()}, NumPy {np.__version__}\n")
    print("| what | C++ | Python | Python / C++ |\n| --- | ---: | ---: | ---: |")
    for env_id, num_envs in (("HalfCheetah-v4", 8), ("CartPole-v1", 8)):
        if env_id not in pgbench.list_envs():
            continue
        cpp = min(_pgbench.time_host_loop(env_id, num_envs, args.steps) for _ in range(3))
        py = min(python_loop_seconds(env_id, num_envs, args.steps) for _ in range(3))
        per = lambda s: s / (args.steps * num_envs) * 1e6
        print(f"| {env_id}, {num_envs} envs, random actions: µs per env step | {per(cpp):.2f} | {per(py):.2f} | "
              f"{py / cpp:.2f} |")
    with tempfile.TemporaryDirectory() as work:
        cpp = agent_seconds_per_step(args.pgbench, "random", args.steps, work)
        py = agent_seconds_per_step(args.pgbench, "python_random", args.steps, work)
        print(f"| an agent under the host (act + observe + update), µs per step | {cpp * 1e6:.2f} | {py * 1e6:.2f} | "
              f"{py / cpp:.1f} |")


if __name__ == "__main__":
    main()
