#include "host/profile.hpp"

#include <algorithm>
#include <map>
#include <variant>

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace pgbench {

namespace {

std::string percent(double part, double whole) { return whole > 0 ? fmt::format("{:5.1f}%", 100 * part / whole) : "    -"; }

// The steps an algorithm acts at random before it starts to learn: its `start_steps`
// hyperparameter (the shared vocabulary's name for it; DDPG's 25k), 0 when it has none.
std::uint64_t warm_up_steps(const CellSpec& cell) {
  for (const auto& [key, value] : cell.hyperparameters)
    if (const auto* steps = std::get_if<std::int64_t>(&value); key == "start_steps" && steps && *steps > 0)
      return static_cast<std::uint64_t>(*steps);
  return 0;
}

// A full cell's cost in core-seconds, from a calibration run: simulation and the per-step work of
// the algorithm (act, observe, the host's loop) scale with every step, updates only with the steps
// after the warm-up, evaluation with the number of evaluations.
struct CellCost {
  double simulation = 0, learning = 0, evaluation = 0;
  double per_evaluation = 0;  // seconds of one evaluation
  double total() const { return simulation + learning + evaluation; }
  // Adds `cells` cells of this cost to a sum (per_evaluation is not summed).
  void add_to(CellCost& sum, double cells) const {
    sum.simulation += cells * simulation;
    sum.learning += cells * learning;
    sum.evaluation += cells * evaluation;
  }
};

CellCost extrapolate(const CellResult& calibration, std::uint64_t warm_up, const TaskSpec& full) {
  const auto steps = static_cast<double>(std::max<std::uint64_t>(calibration.env_steps, 1));
  const double learning_steps = std::max(1.0, steps - static_cast<double>(std::min(warm_up, calibration.env_steps)));
  const PhaseTimes& t = calibration.time;
  const double loop = std::max(0.0, t.wall - t.env_step - t.act - t.observe - t.update - t.eval);
  const auto budget = static_cast<double>(full.steps);
  const double after_warm_up = static_cast<double>(full.steps - std::min(warm_up, full.steps));
  CellCost cost;
  cost.per_evaluation = calibration.curve.empty() ? 0 : t.eval / static_cast<double>(calibration.curve.size());
  cost.simulation = budget * t.env_step / steps;
  cost.learning = budget * (t.act + t.observe + loop) / steps + after_warm_up * t.update / learning_steps;
  cost.evaluation = (static_cast<double>(full.steps / full.eval_every) + 2) * cost.per_evaluation;
  return cost;
}

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
  out << fmt::format("suite '{}': {} = {} cells\n", suite.suite.name, suite.shape(), suite.cells.size());
  for (const auto& s : suite.skipped) out << fmt::format("  skipped {} x {}: {}\n", s.task, s.algorithm, s.reason);

  // One calibration cell per (task, algorithm): its first seed's cell, cut to the calibration
  // budget past the algorithm's warm-up (so that its updates are measured), evaluated at its start
  // and end only; its cost counts once for each of the pair's seeds.
  struct Pair {
    const CellSpec* cell;
    TaskSpec task;
    std::uint64_t warm_up;
    double seeds;
    CellResult result;
  };
  std::vector<Pair> pairs;
  for (const auto& cell : suite.cells) {
    const auto same_pair = [&](const Pair& p) { return p.cell->task == cell.task && p.cell->algo == cell.algo; };
    if (auto p = std::find_if(pairs.begin(), pairs.end(), same_pair); p != pairs.end()) {
      ++p->seeds;
      continue;
    }
    TaskSpec task = *cell.task;
    const std::uint64_t warm_up = warm_up_steps(cell);
    task.steps = std::min(task.steps, warm_up + calibration_steps);
    task.eval_every = task.steps;
    pairs.push_back({&cell, task, warm_up, 1, {}});
  }
  out << fmt::format("calibrating {} (task, algorithm) pairs for {} env steps each, after the warm-up of those that "
                     "have one (start_steps)...\n",
                     pairs.size(), calibration_steps)
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

  std::map<std::string, CellCost> by_algorithm;  // core-seconds over every seed
  std::vector<std::string> algorithm_order;
  CellCost total;
  out << fmt::format("\n{:<26} {:<12} {:>12} {:>14} {:>12}\n", "task", "algorithm", "env steps/s", "per cell", "core-hours");
  for (const auto& p : pairs) {
    const CellResult& r = p.result;
    if (r.status != CellResult::Status::Ok) {
      out << fmt::format("{:<26} {:<12} calibration failed: {}\n", p.task.name, p.cell->algo->name, r.error);
      continue;
    }
    const TaskSpec& full = *p.cell->task;
    const CellCost cell = extrapolate(r, p.warm_up, full);
    const double training = cell.simulation + cell.learning;
    costs.set(p.task.name, p.cell->algo->name,
              {static_cast<double>(full.steps) / std::max(1e-9, training), cell.per_evaluation});
    const std::string& algorithm = p.cell->algo->name;
    if (!by_algorithm.count(algorithm)) algorithm_order.push_back(algorithm);
    cell.add_to(by_algorithm[algorithm], p.seeds);
    cell.add_to(total, p.seeds);
    out << fmt::format("{:<26} {:<12} {:>12.0f} {:>13.0f}s {:>12.2f}{}\n", p.task.name, algorithm,
                       static_cast<double>(full.steps) / std::max(1e-9, training), cell.total(),
                       p.seeds * cell.total() / 3600,
                       p.warm_up ? fmt::format("   (calibrated on {} steps after {} warm-up)",
                                               r.env_steps - std::min(r.env_steps, p.warm_up), p.warm_up)
                                 : "");
  }

  out << fmt::format("\n{:<12} {:>12} {:>12} {:>12} {:>12}   (core-hours)\n", "algorithm", "simulation", "learning",
                     "evaluation", "total");
  const auto row = [&](const std::string& name, const CellCost& c) {
    out << fmt::format("{:<12} {:>12.2f} {:>12.2f} {:>12.2f} {:>12.2f}\n", name, c.simulation / 3600, c.learning / 3600,
                       c.evaluation / 3600, c.total() / 3600);
  };
  for (const auto& algorithm : algorithm_order) row(algorithm, by_algorithm[algorithm]);
  row("all", total);
  const unsigned cores = threads ? threads : static_cast<unsigned>(tbb::this_task_arena::max_concurrency());
  out << fmt::format("\nestimated cost: {:.2f} core-hours, about {:.2f} hours on {} threads.\n", total.total() / 3600,
                     total.total() / 3600 / cores, cores)
      << "Simulation is the environments' steps; learning, the algorithm's act, observe and updates (updates only "
         "after its warm-up); evaluation, the protocol's evaluation episodes.\n";
  return costs;
}

}  // namespace pgbench
