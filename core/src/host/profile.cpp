#include "host/profile.hpp"

#include <map>

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace pgbench {

namespace {

std::string percent(double part, double whole) { return whole > 0 ? fmt::format("{:5.1f}%", 100 * part / whole) : "    -"; }

}  // namespace

void print_profile(const std::vector<CellProfile>& profiles, std::ostream& out) {
  struct Sum {
    PhaseTimes t;
    std::uint64_t steps = 0, updates = 0, cells = 0;
  };
  std::map<std::pair<std::string, std::string>, Sum> sums;  // sorted: the table does not depend on finishing order
  for (const auto& p : profiles) {
    Sum& s = sums[{p.task, p.algorithm}];
    s.t.env_step += p.time.env_step;
    s.t.act += p.time.act;
    s.t.observe += p.time.observe;
    s.t.update += p.time.update;
    s.t.eval += p.time.eval;
    s.t.wall += p.time.wall;
    s.steps += p.env_steps;
    s.updates += p.updates;
    ++s.cells;
  }
  out << fmt::format("\n{:<26} {:<12} {:>5} {:>12} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "task", "algorithm", "cells",
                     "env steps/s", "simulate", "act", "observe", "update", "evaluate", "other");
  for (const auto& [key, s] : sums) {
    const double other = s.t.wall - s.t.env_step - s.t.act - s.t.observe - s.t.update - s.t.eval;
    out << fmt::format("{:<26} {:<12} {:>5} {:>12.0f} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", key.first, key.second,
                       s.cells, s.t.wall > 0 ? static_cast<double>(s.steps) / s.t.wall : 0.0,
                       percent(s.t.env_step, s.t.wall), percent(s.t.act, s.t.wall), percent(s.t.observe, s.t.wall),
                       percent(s.t.update, s.t.wall), percent(s.t.eval, s.t.wall), percent(other, s.t.wall));
  }
  out << "(shares of the cells' wall time; steps/s is per cell, i.e. per core)\n";
}

CostTable print_dry_run(const ResolvedSuite& suite, std::uint64_t calibration_steps, unsigned threads, std::ostream& out) {
  CostTable costs;
  out << fmt::format("suite '{}': {} tasks x {} algorithms x {} seeds = {} cells\n", suite.suite.name, suite.tasks.size(),
                     suite.algorithms.size(), suite.suite.seeds.size(), suite.cells.size());
  for (const auto& s : suite.skipped) out << fmt::format("  skipped {} x {}: {}\n", s.task, s.algorithm, s.reason);

  // One calibration cell per (task, algorithm): the first seed's cell, cut to the calibration
  // budget, evaluated at its start and end only.
  struct Pair {
    const CellSpec* cell;
    TaskSpec task;
    CellResult result;
  };
  std::vector<Pair> pairs;
  for (const auto& cell : suite.cells)
    if (cell.seed_index == suite.suite.seeds.front()) {
      TaskSpec task = *cell.task;
      task.steps = std::min(task.steps, calibration_steps);
      task.eval_every = task.steps;
      pairs.push_back({&cell, task, {}});
    }
  out << fmt::format("calibrating {} (task, algorithm) pairs for {} env steps each...\n", pairs.size(), calibration_steps)
      << std::flush;
  tbb::task_arena arena(threads ? static_cast<int>(threads) : tbb::task_arena::automatic);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, pairs.size(), [&](std::size_t i) {
      CellSpec calibration = *pairs[i].cell;
      calibration.task = &pairs[i].task;
      RunControl control;
      pairs[i].result = run_cell(calibration, control);
    });
  });

  double total_core_seconds = 0;
  out << fmt::format("\n{:<26} {:<12} {:>12} {:>14} {:>12}\n", "task", "algorithm", "env steps/s", "per cell", "core-hours");
  for (const auto& p : pairs) {
    const CellResult& r = p.result;
    if (r.status != CellResult::Status::Ok) {
      out << fmt::format("{:<26} {:<12} calibration failed: {}\n", p.task.name, p.cell->algo->name, r.error);
      continue;
    }
    // Training time scales with the budget; evaluation time with the number of evaluations.
    const double per_eval = r.curve.empty() ? 0 : r.time.eval / static_cast<double>(r.curve.size());
    const double train_rate = static_cast<double>(r.env_steps) / std::max(1e-9, r.time.wall - r.time.eval);
    const TaskSpec& full = *p.cell->task;
    const double evals = static_cast<double>(full.steps / full.eval_every) + 2;
    const double cell_seconds = static_cast<double>(full.steps) / train_rate + evals * per_eval;
    costs.set(p.task.name, p.cell->algo->name, {train_rate, per_eval});
    const double seeds = static_cast<double>(suite.suite.seeds.size());
    total_core_seconds += cell_seconds * seeds;
    out << fmt::format("{:<26} {:<12} {:>12.0f} {:>13.0f}s {:>12.2f}\n", p.task.name, p.cell->algo->name, train_rate,
                       cell_seconds, cell_seconds * seeds / 3600);
  }
  const unsigned cores = threads ? threads : static_cast<unsigned>(tbb::this_task_arena::max_concurrency());
  out << fmt::format("\nestimated cost: {:.2f} core-hours, about {:.2f} hours on {} threads.\n", total_core_seconds / 3600,
                     total_core_seconds / 3600 / cores, cores)
      << "The estimate extrapolates the calibration's speed; an algorithm whose updates start after the calibration "
         "window (e.g. DDPG's random start steps) is underestimated: raise --calibration-steps.\n";
  return costs;
}

}  // namespace pgbench
