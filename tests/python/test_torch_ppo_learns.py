"""The PyTorch PPO example learns CartPole-v1 under pgbench: mean final evaluation return over 3
seeds >= 400 within 100k env steps, in the same report table as the built-in ppo."""

import json
import os
import subprocess
import tempfile
import unittest

PGBENCH = os.environ["PGBENCH_BINARY"]
EXAMPLES = os.environ["PGBENCH_PYTHON_EXAMPLES"]


class TorchPpoLearns(unittest.TestCase):
    def test_cartpole(self):
        try:
            import torch  # noqa: F401
        except ImportError:
            self.skipTest("PyTorch is not installed (apt-get install python3-torch)")
        with tempfile.TemporaryDirectory() as work:
            out = os.path.join(work, "run")
            result = subprocess.run([PGBENCH, "--suite", "classic-control", "--envs", "CartPole-v1", "--algos",
                                     "ppo,torch_ppo", "--seeds", "3", "--plugin-path", EXAMPLES, "--out", out,
                                     "--threads", "2"], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stderr)
            finals = []
            for seed in range(3):
                with open(os.path.join(out, "cells", "CartPole-v1", "torch_ppo", f"seed-{seed}", "summary.json")) as f:
                    s = json.load(f)
                self.assertEqual(s["env_steps"], 100000)
                finals.append(s["final_eval_return_mean"])
            print(f"torch_ppo on CartPole-v1 at 100k steps: final returns {finals}")
            self.assertGreaterEqual(sum(finals) / 3, 400)
            with open(os.path.join(out, "report", "report.md")) as f:
                self.assertIn("| Task | ppo | torch_ppo |", f.read())


if __name__ == "__main__":
    unittest.main()
