"""`scripts/check-reference --rerun RUN`: the cells of a run made again are checked bit for bit
against the reference's cells of the same name, wall-clock timing aside, and every difference is
named. The reference here is a tiny grid made by the test itself with the build under test (a
native build rounds differently from the portable one that made the shipped reference)."""

import csv
import os
import shutil
import subprocess
import tempfile
import unittest

PGBENCH = os.environ["PGBENCH_BINARY"]
HERE = os.path.dirname(os.path.abspath(__file__))
CHECK_REFERENCE = os.path.join(HERE, "..", "..", "scripts", "check-reference")
SUITE = os.path.join(HERE, "data", "mujoco-control-subset", "suite.yaml")
GRID = ["--envs", "InvertedPendulum-v4,Reacher-v4", "--algos", "ppo", "--steps", "4000",
        "--set", "InvertedPendulum-v4.eval_every=2000", "--set", "Reacher-v4.eval_every=2000"]
CELL = os.path.join("cells", "InvertedPendulum-v4", "ppo", "seed-0")


def run_grid(out, *extra):
    result = subprocess.run([PGBENCH, "--suite", SUITE, *GRID, *extra, "--no-report", "--out", out],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return out


def check_rerun(rerun, reference):
    return subprocess.run(["/usr/bin/python3", CHECK_REFERENCE, "--rerun", rerun, "--reference", reference],
                          capture_output=True, text=True)


class RerunOfTheReference(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory()
        cls.reference = run_grid(os.path.join(cls.work.name, "reference"), "--seeds", "2")
        cls.rerun = run_grid(os.path.join(cls.work.name, "rerun"), "--seeds", "1")

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def copy_of_rerun(self, name):
        return shutil.copytree(self.rerun, os.path.join(self.work.name, name))

    def test_the_same_cells_made_again_are_identical_timing_aside(self):
        result = check_rerun(self.rerun, self.reference)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"{CELL}: identical to the reference, timing aside", result.stdout)
        self.assertIn("2 identical to the reference; 0 differences", result.stdout)

    def test_a_changed_number_is_named_with_the_row_and_column_where_it_first_differs(self):
        rerun = self.copy_of_rerun("changed")
        curve = os.path.join(rerun, CELL, "curve.csv")
        with open(curve, newline="") as f:
            rows = list(csv.reader(f))
        column = rows[0].index("eval_return_mean")
        value = float(rows[2][column])
        rows[2][column] = repr(value + max(abs(value), 1.0) * 1e-12)  # a change in the last digits
        with open(curve, "w", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        result = check_rerun(rerun, self.reference)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{CELL}: curve.csv first differs at env_step {rows[2][0]}: eval_return_mean", result.stderr)
        self.assertIn("1 identical to the reference; 1 differences", result.stdout)

    def test_a_cell_run_with_other_settings_names_the_settings(self):
        other = run_grid(os.path.join(self.work.name, "other"), "--seeds", "1", "--set", "ppo.learning_rate=0.001")
        result = check_rerun(other, self.reference)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{CELL}: config.json differs in hyperparameters.learning_rate", result.stderr)

    def test_a_folder_that_is_not_a_run_is_refused(self):
        result = check_rerun(self.work.name, self.reference)
        self.assertEqual(result.returncode, 1)
        self.assertIn("not a run directory (no manifest.json)", result.stderr)


if __name__ == "__main__":
    unittest.main()
