// Where a grid's time goes: the per-phase profile of a run (--profile), and a cost estimate of a
// grid before it runs, from a short calibration of each (task, algorithm) pair (--dry-run).
#pragma once

#include <ostream>
#include <vector>

#include "host/grid.hpp"
#include "host/shard.hpp"
#include "host/suite.hpp"

namespace pgbench {

// A table per (task, algorithm): env steps/s, and the share of wall time in simulate (env step
// and resets), act, observe, update and evaluate, summed over the cells that ran.
void print_profile(const std::vector<CellProfile>& profiles, std::ostream& out);

// Prints the grid (tasks, algorithms, seeds, skipped pairs) and, after running each (task,
// algorithm) pair for `calibration_steps` env steps (in parallel on `threads`), the estimated
// core-hours of the whole grid and of each pair. Returns the calibration as a cost table (for
// --write-costs, and the balance of shards).
CostTable print_dry_run(const ResolvedSuite& suite, std::uint64_t calibration_steps, unsigned threads, std::ostream& out);

}  // namespace pgbench
