// What a mid-cell checkpoint costs: the time to take one (the environment's and the algorithm's
// state, through the ABI) and to write it (atomically, with fsync, as a running cell does), and
// its size, for PPO on HalfCheetah (8 sub-envs, its rollout and optimiser state) and DDPG on
// HalfCheetah with a full 1M-transition replay buffer.
//
//   build/bin/pgbench_checkpoint_benchmarks --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "host/results.hpp"
#include "support/algorithm_runner.hpp"

namespace {

namespace fs = std::filesystem;
using pgbench::test::Runner;

// `steps` host steps of the algorithm on the runner's env, in chunks (Runner::run keeps the
// actions it returns).
void advance(Runner& runner, pgbench::AlgoHandle& algo, int steps) {
  for (int done = 0; done < steps; done += 10000) runner.run(algo, std::min(10000, steps - done));
}

void take_and_write(benchmark::State& state, const Runner& runner, pgbench::AlgoHandle& algo) {
  const fs::path file = fs::temp_directory_path() / "pgbench-checkpoint-benchmark.bin";
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto env_state = runner.env().save_state();
    const auto algo_state = algo.save(PGB_STATE_FULL);
    std::string blob(env_state.begin(), env_state.end());
    blob.append(algo_state.begin(), algo_state.end());
    pgbench::write_file_atomic(file, blob);
    bytes = blob.size();
  }
  fs::remove(file);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(bytes) / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_CheckpointPpoHalfCheetah(benchmark::State& state) {
  static Runner runner("HalfCheetah-v4", 8, 1);
  static pgbench::AlgoHandle ppo = runner.make("ppo", {}, 2);
  [[maybe_unused]] static const bool rollout_all_but_complete = (advance(runner, ppo, 2048 / 8 - 1), true);
  take_and_write(state, runner, ppo);
}
BENCHMARK(BM_CheckpointPpoHalfCheetah)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CheckpointDdpgHalfCheetahFullReplay(benchmark::State& state) {
  static Runner runner("HalfCheetah-v4", 1, 1);
  // Random actions only (start_steps beyond the run): the buffer fills without a single update.
  static pgbench::AlgoHandle ddpg = runner.make("ddpg", {{"start_steps", "2000000"}}, 2, 2'000'000);
  [[maybe_unused]] static const bool replay_full = (advance(runner, ddpg, 1'000'000), true);
  take_and_write(state, runner, ddpg);
}
BENCHMARK(BM_CheckpointDdpgHalfCheetahFullReplay)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
