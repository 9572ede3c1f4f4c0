// The report's heaviest computation: 95% stratified-bootstrap intervals of the four aggregates
// (IQM, median, mean, optimality gap) with 50,000 replicates, for a MuJoCo-sized grid of
// 5 algorithms × 9 tasks × 10 runs. Runs on all cores TBB finds.
#include <benchmark/benchmark.h>

#include "pgbench/sdk/rng.hpp"
#include "stats/rliable.hpp"

namespace {

using pgbench::stats::TaskScores;

constexpr int kAlgorithms = 5;
constexpr int kTasks = 9;
constexpr int kRuns = 10;
constexpr std::size_t kReplicates = 50000;

std::vector<TaskScores> synthetic_grid() {
  pgb::Rng rng(1);
  std::vector<TaskScores> grid(kAlgorithms, TaskScores(kTasks));
  for (auto& algorithm : grid)
    for (auto& task : algorithm) {
      const double task_mean = rng.uniform(0.0, 1.2);
      for (int run = 0; run < kRuns; ++run) task.push_back(rng.normal(task_mean, 0.2));
    }
  return grid;
}

void BM_AggregateIntervals(benchmark::State& state) {
  const std::vector<TaskScores> grid = synthetic_grid();
  for (auto _ : state) {
    for (std::size_t a = 0; a < grid.size(); ++a) {
      const auto estimates = pgbench::stats::aggregate_estimates(grid[a], 0.95, {kReplicates, a});
      benchmark::DoNotOptimize(estimates);
    }
  }
  state.counters["replicates/s"] =
      benchmark::Counter(static_cast<double>(kReplicates * kAlgorithms), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_AggregateIntervals)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
