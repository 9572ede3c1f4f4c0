// What a mid-cell checkpoint costs: the time to take one (the environment's and the algorithm's
// state, through the ABI) and to write it (atomically, with fsync, as a running cell does), and
// its size, for PPO on HalfCheetah (8 sub-envs, its rollout and optimiser state) and DDPG on
// HalfCheetah with a full 1M-transition replay buffer.
//
//   build/bin/pgbench_checkpoint_benchmarks --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <filesystem>
#include <vector>

#include "host/instances.hpp"
#include "host/plugins.hpp"
#include "host/results.hpp"
#include "host/value.hpp"

namespace {

namespace fs = std::filesystem;

const pgbench::PluginRegistry& plugins() {
  static const pgbench::PluginRegistry registry = [] {
    pgbench::PluginRegistry r;
    r.load({PGBENCH_PLUGIN_DIR});
    return r;
  }();
  return registry;
}

// An env and an algorithm on it, after `transitions` random-action steps fed to observe()
// (no update: enough to fill a replay buffer or a rollout).
struct Cell {
  Cell(const char* env_name, const char* algorithm, std::uint32_t num_envs, pgbench::Overrides hyperparameters,
       std::uint64_t transitions) {
    const pgbench::EnvType& env_type = *plugins().find_env(env_name);
    const pgbench::AlgoType& algo_type = *plugins().find_algorithm(algorithm);
    env = std::make_unique<pgbench::EnvHandle>(
        env_type, num_envs, pgbench::resolve_config("env", env_type.desc->params, env_type.desc->param_count, {}), 1);
    const auto config = pgbench::resolve_config("algorithm", algo_type.desc->params, algo_type.desc->param_count,
                                                hyperparameters);
    algo = std::make_unique<pgbench::AlgoHandle>(algo_type, num_envs, *env->info().observation_space,
                                                 *env->info().action_space, config, 2, 1'000'000);
    const std::size_t od = env->obs_dim(), ad = env->act_dim();
    std::vector<double> obs(num_envs * od), next(num_envs * od), action(num_envs * ad), reward(num_envs);
    std::vector<std::uint8_t> terminated(num_envs), truncated(num_envs);
    env->reset(nullptr, nullptr, obs.data());
    pgb_step_out_t out{sizeof out, num_envs, next.data(), reward.data(), terminated.data(), truncated.data(), {}};
    pgb_transition_batch_t batch{};
    batch.struct_size = sizeof batch;
    batch.rows = num_envs;
    batch.observation = obs.data();
    batch.action = action.data();
    batch.reward = reward.data();
    batch.next_observation = next.data();
    batch.terminated = terminated.data();
    batch.truncated = truncated.data();
    for (std::uint64_t step = 0; step < transitions; step += num_envs) {
      algo->act(obs.data(), num_envs, action.data());
      env->step(action.data(), nullptr, out);
      algo->observe(batch);
      std::fill(terminated.begin(), terminated.end(), 0);
      std::fill(truncated.begin(), truncated.end(), 0);
    }
  }
  std::unique_ptr<pgbench::EnvHandle> env;
  std::unique_ptr<pgbench::AlgoHandle> algo;
};

void take_and_write(benchmark::State& state, Cell& cell) {
  const fs::path file = fs::temp_directory_path() / "pgbench-checkpoint-benchmark.bin";
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto env_state = cell.env->save_state();
    const auto algo_state = cell.algo->save(PGB_STATE_FULL);
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
  static Cell cell("HalfCheetah-v4", "ppo", 8, {}, 2048 - 8);  // a rollout (2048 steps) all but complete
  take_and_write(state, cell);
}
BENCHMARK(BM_CheckpointPpoHalfCheetah)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CheckpointDdpgHalfCheetahFullReplay(benchmark::State& state) {
  static Cell cell("HalfCheetah-v4", "ddpg", 1, {{"start_steps", "2000000"}}, 1'000'000);
  take_and_write(state, cell);
}
BENCHMARK(BM_CheckpointDdpgHalfCheetahFullReplay)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
