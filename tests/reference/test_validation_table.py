"""scripts/validation-table: the ratio to the published record, the rows that must say why, N per
row and the cells in, and the random agent's pooled spread, on a small run directory written here."""

import importlib.machinery
import importlib.util
import json
import os
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "validation-table")
loader = importlib.machinery.SourceFileLoader("validation_table", SCRIPT)
validation_table = importlib.util.module_from_spec(importlib.util.spec_from_loader("validation_table", loader))
loader.exec_module(validation_table)

PUBLISHED = {
    "tianshou": {"ppo": {"Hopper-v4": {"published_env": "Hopper-v3",
                                       "at_1m": {"mean": 2018.0, "std": 500.0, "step": 983040},
                                       "max_1m": {"mean": 2600.0, "std": 700.0, "step": 890880}}}},
    "random": {"Hopper-v4": {"published_env": "Hopper-v4", "mean": 18.0, "std": 17.0}},
}


def write_run(root, finals):
    """A run directory whose cells (algorithm, task, seed) end with the given final returns; None:
    listed, not finished."""
    cells = []
    for (algorithm, task, seed), final in finals.items():
        folder = f"cells/{task}/{algorithm}/seed-{seed}"
        cells.append({"algorithm": algorithm, "task": task, "seed_index": seed, "dir": folder})
        if final is None:
            continue
        os.makedirs(os.path.join(root, folder))
        mean, std = final
        with open(os.path.join(root, folder, "summary.json"), "w") as f:
            json.dump({"status": "ok", "final_eval_return_mean": mean, "final_eval_return_std": std,
                       "timing": {"wall_s": 1800.0}}, f)
    suite = {"name": "t", "master_seed": 1, "tasks": {"Hopper-v4": {}},
             "algorithms": {"ppo": {}, "random": {}}}
    with open(os.path.join(root, "manifest.json"), "w") as f:
        json.dump({"suite": suite, "cells": cells}, f)


class ValidationTable(unittest.TestCase):
    def table(self, finals, notes):
        with tempfile.TemporaryDirectory() as run:
            write_run(run, finals)
            text, missing, _ = validation_table.validation_tables(run, PUBLISHED, notes)
            return text, missing

    def row(self, text, start):
        return next(line for line in text.splitlines() if line.startswith(start))

    def test_a_row_within_the_published_spread_needs_no_reason(self):
        text, missing = self.table({("ppo", "Hopper-v4", 0): (2000.0, 0), ("ppo", "Hopper-v4", 1): (2200.0, 0),
                                    ("random", "Hopper-v4", 0): (20.0, 10.0)}, {})
        self.assertEqual(missing, [])
        # mean 2100 ± 141 over 2 seeds; (2100 - 18) / (2018 - 18) = 1.04
        self.assertEqual(self.row(text, "| ppo | Hopper-v4"),
                         "| ppo | Hopper-v4 | 2100 ± 141 (2) | 2018 ± 500 | 2600 ± 700 | 1.04 |  |")
        self.assertTrue(text.startswith("All 3 cells finished, 1.50 core-hours of cell wall time.\n"))

    def test_a_shortfall_or_a_score_beyond_the_spread_must_say_why(self):
        low = {("ppo", "Hopper-v4", 0): (1000.0, 0), ("random", "Hopper-v4", 0): (18.0, 1.0)}
        text, missing = self.table(low, {})
        self.assertEqual(missing, ["ppo/Hopper-v4 (below 70% of Tianshou)"])
        text, missing = self.table(low, {"ppo/Hopper-v4": "the reason"})
        self.assertEqual(missing, [])
        self.assertIn("| 0.49 | below 70% of Tianshou: the reason |", self.row(text, "| ppo | Hopper-v4"))
        text, missing = self.table({("ppo", "Hopper-v4", 0): (3000.0, 0), ("random", "Hopper-v4", 0): (18.0, 1.0)}, {})
        self.assertEqual(missing, ["ppo/Hopper-v4 (above Tianshou's spread)"])

    def test_unfinished_cells_are_counted_not_hidden(self):
        text, missing = self.table({("ppo", "Hopper-v4", 0): (2000.0, 0), ("ppo", "Hopper-v4", 1): None,
                                    ("random", "Hopper-v4", 0): None}, {})
        self.assertIn("| 2000 (1 of 2) |", self.row(text, "| ppo | Hopper-v4"))
        self.assertIn("| not yet run (0 of 1) |", self.row(text, "| Hopper-v4 |"))
        self.assertEqual(missing, [])
        self.assertTrue(text.startswith("1 of 3 cells finished so far, 0.50 core-hours of cell wall time.\n"))
        # A shortfall with seeds still to come is shown, and its reason waits for them.
        text, missing = self.table({("ppo", "Hopper-v4", 0): (500.0, 0), ("ppo", "Hopper-v4", 1): None,
                                    ("random", "Hopper-v4", 0): (18.0, 1.0)}, {})
        self.assertIn("| below 70% of Tianshou so far |", self.row(text, "| ppo | Hopper-v4"))
        self.assertEqual(missing, [])

    def test_the_random_agent_pools_its_episodes_over_seeds(self):
        # Two seeds of 10 episodes each, means 10 and 30, population stds 3 and 4 over episodes:
        # pooled variance = (9 + 16) / 2 + ((10 - 20)^2 + (30 - 20)^2) / 2 = 112.5.
        text, missing = self.table({("random", "Hopper-v4", 0): (10.0, 3.0), ("random", "Hopper-v4", 1): (30.0, 4.0)}, {})
        self.assertEqual(self.row(text, "| Hopper-v4 |"), "| Hopper-v4 | 20.0 ± 10.6 (2) | 18.0 ± 17.0 |  |")
        text, missing = self.table({("random", "Hopper-v4", 0): (60.0, 3.0)}, {})
        self.assertEqual(missing, ["random/Hopper-v4 (outside JAT's spread)"])


if __name__ == "__main__":
    unittest.main()
