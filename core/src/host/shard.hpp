// Shards (DESIGN.md §6): a grid cut into N parts that run anywhere (Slurm array tasks, MPI ranks,
// machines) and merge back into the run one machine would have written.
//
// The partition is a pure function of the resolved grid, N and the cost table, so every shard
// computes the same one without talking to the others: cells are taken in order of expected cost,
// most expensive first (ties in grid order), each onto the shard with the least expected cost so
// far (ties to the lowest index): the longest-processing-time rule, within 4/3 of the best
// possible balance.
//
// Expected cost: with a cost table (written by `pgbench --dry-run --write-costs FILE`, which
// calibrates each (task, algorithm)), a cell costs steps / training rate + evaluations x seconds
// per evaluation; without one, a cell costs its env-step budget.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/suite.hpp"

namespace pgbench {

struct ShardSpec {
  unsigned index = 1;  // 1 .. count
  unsigned count = 1;
};

// "K/N" with 1 <= K <= N; throws std::invalid_argument naming what is accepted.
ShardSpec parse_shard(const std::string& text);

// Calibrated seconds of one (task, algorithm) pair, as --dry-run measured them.
struct PairCost {
  double train_steps_per_s = 0;
  double seconds_per_eval = 0;
};

class CostTable {
 public:
  CostTable() = default;  // uncalibrated: a cell costs its budget
  static CostTable load(const std::filesystem::path& file);  // throws std::invalid_argument
  void set(const std::string& task, const std::string& algorithm, PairCost cost);
  nlohmann::json to_json(const std::string& cpu) const;

  bool calibrated() const noexcept { return !pairs_.empty(); }
  // Seconds of one core for `cell` when calibrated, else its env-step budget.
  double cell_cost(const CellSpec& cell) const;
  // "calibrated on <cpu> (<file>)" or "env-step budgets".
  const std::string& source() const noexcept { return source_; }

 private:
  std::map<std::pair<std::string, std::string>, PairCost> pairs_;
  std::string source_ = "env-step budgets (no cost table)";
};

// The cells of `suite` each shard runs: cells[k-1] holds the indices into suite.cells of shard k,
// in grid order; cost[k-1] is its expected cost (CostTable::cell_cost summed).
struct Partition {
  std::vector<std::vector<std::size_t>> cells;
  std::vector<double> cost;
};
Partition partition_cells(const ResolvedSuite& suite, unsigned count, const CostTable& costs);

}  // namespace pgbench
