"""A new algorithm compared against the shipped reference, as the README shows it: a tiny grid run
with the reference's own suite file, then `pgbench report REFERENCE NEW`. The reference here is a
checked-in subset made by pgbench (data/mujoco-control-subset: PPO and the random agent on two
MuJoCo tasks, 2 seeds, 4000 env steps; its manifest records the command)."""

import csv
import os
import subprocess
import tempfile
import unittest

PGBENCH = os.environ["PGBENCH_BINARY"]
HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "data", "mujoco-control-subset")
# The reference's protocol as its manifest's command gave it; a new run repeats it.
PROTOCOL = ["--envs", "InvertedPendulum-v4,Reacher-v4", "--seeds", "2", "--steps", "4000",
            "--set", "InvertedPendulum-v4.eval_every=2000", "--set", "Reacher-v4.eval_every=2000"]


def pgbench(*args):
    return subprocess.run([PGBENCH, *args], capture_output=True, text=True)


def snapshot(folder):
    """Every file under `folder` with its bytes, to show that nothing was written there."""
    out = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = f.read()
    return out


class AgainstTheReference(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.addCleanup(self.work.cleanup)
        self.before = snapshot(REFERENCE)

    def tearDown(self):
        self.assertEqual(snapshot(REFERENCE), self.before, "the reference was written to")

    def new_run(self, *protocol):
        out = os.path.join(self.work.name, "new")
        run = pgbench("--suite", os.path.join(REFERENCE, "suite.yaml"), "--algos", "a2c", *protocol,
                      "--no-report", "--out", out)
        self.assertEqual(run.returncode, 0, run.stderr)
        return out

    def test_a_new_algorithm_is_reported_beside_the_reference_in_one_command(self):
        new = self.new_run(*PROTOCOL)
        report = os.path.join(self.work.name, "report")
        result = pgbench("report", REFERENCE, new, "--out", report)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(report, "tables", "cell_statistics.csv")) as f:
            runs = {(r["task"], r["algorithm"]): r["value"] for r in csv.DictReader(f) if r["statistic"] == "n"}
        self.assertEqual(runs, {(task, algorithm): "2" for task in ("InvertedPendulum-v4", "Reacher-v4")
                                for algorithm in ("ppo", "random", "a2c")})
        with open(os.path.join(report, "report.md")) as f:
            text = f.read()
        self.assertIn("mujoco-control-subset: pgbench", text)  # both runs' provenance
        self.assertIn("new: pgbench", text)
        self.assertNotIn("Protocol differences", text)

    def test_a_run_under_another_protocol_is_refused_naming_the_difference(self):
        other = [a for a in PROTOCOL if a != "4000"]
        other.insert(other.index("--steps") + 1, "2000")
        new = self.new_run(*other)
        result = pgbench("report", REFERENCE, new, "--out", os.path.join(self.work.name, "report"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("budget", result.stderr)
        self.assertIn("--allow-mismatch", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.work.name, "report", "report.md")))


if __name__ == "__main__":
    unittest.main()
