"""Python agents run by the pgbench host: next to the built-in algorithms in one grid and one
report; one that raises, or returns a wrong-shaped action, fails only its cell, with the
traceback or the shapes in summary.json."""

import json
import os
import subprocess
import tempfile
import unittest

PGBENCH = os.environ["PGBENCH_BINARY"]
EXAMPLES = os.environ["PGBENCH_PYTHON_EXAMPLES"]
HERE = os.path.dirname(os.path.abspath(__file__))


def run_grid(out, algos, plugin_path, steps=5000, seeds=1):
    return subprocess.run([PGBENCH, "--suite", "classic-control", "--envs", "CartPole-v1", "--algos", algos,
                           "--plugin-path", plugin_path, "--steps", str(steps), "--seeds", str(seeds),
                           "--set", "CartPole-v1.eval_every=2500", "--out", out, "--threads", "2"],
                          capture_output=True, text=True)


def summary(out, algorithm, seed=0):
    with open(os.path.join(out, "cells", "CartPole-v1", algorithm, f"seed-{seed}", "summary.json")) as f:
        return json.load(f)


class AgentsInTheGrid(unittest.TestCase):
    def test_a_numpy_agent_runs_next_to_the_builtin_algorithms(self):
        with tempfile.TemporaryDirectory() as work:
            out = os.path.join(work, "run")
            result = run_grid(out, "random,numpy_reinforce", EXAMPLES, seeds=2)
            self.assertEqual(result.returncode, 0, result.stderr)
            for seed in (0, 1):
                self.assertEqual(summary(out, "numpy_reinforce", seed)["status"], "ok")
            with open(os.path.join(out, "manifest.json")) as f:
                manifest = json.load(f)
            files = [p["file"] for p in manifest["plugins"]]
            self.assertIn("numpy_reinforce.py", files)  # recorded with its SHA-256 like any plugin
            with open(os.path.join(out, "report", "report.md")) as f:
                self.assertIn("| Task | numpy_reinforce | random |", f.read())

    def test_the_same_seed_gives_the_same_run(self):
        with tempfile.TemporaryDirectory() as work:
            finals = []
            for name in ("a", "b"):
                out = os.path.join(work, name)
                self.assertEqual(run_grid(out, "numpy_reinforce", EXAMPLES).returncode, 0)
                with open(os.path.join(out, "cells", "CartPole-v1", "numpy_reinforce", "seed-0", "curve.csv")) as f:
                    rows = [line.split(",") for line in f.read().splitlines()]
                timed = [i for i, column in enumerate(rows[0]) if column.endswith("_s")]  # wall-clock columns
                finals.append([[v for i, v in enumerate(row) if i not in timed] for row in rows])
            self.assertEqual(finals[0], finals[1])

    def test_a_failing_agent_fails_only_its_cell_and_says_why(self):
        with tempfile.TemporaryDirectory() as work:
            out = os.path.join(work, "run")
            result = run_grid(out, "random,raising,wrong_shape", os.path.join(HERE, "agents"))
            self.assertEqual(result.returncode, 1, result.stderr)  # some cells failed
            self.assertEqual(summary(out, "random")["status"], "ok")
            raising = summary(out, "raising")
            self.assertEqual(raising["status"], "failed")
            self.assertIn("Traceback", raising["error"])
            self.assertIn("ValueError: raising on purpose at step 51", raising["error"])
            self.assertIn("failing_agents.py", raising["error"])
            wrong = summary(out, "wrong_shape")
            self.assertEqual(wrong["status"], "failed")
            self.assertIn("act() returned an array of shape (2,); Discrete actions need shape (1,)", wrong["error"])


if __name__ == "__main__":
    unittest.main()
