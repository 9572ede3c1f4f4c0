// What the host costs: env steps per second of each classic env (a) called directly as a C++
// object and (b) through the whole host loop: the C ABI, action validation, time limits, episode
// bookkeeping, the algorithm's act/observe (the uniform-random agent, itself behind the ABI) and
// evaluation. Both loops draw uniform random actions, so the difference is the host's overhead.
//
//   build/bin/pgbench_host_benchmarks --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "acrobot.hpp"
#include "cartpole.hpp"
#include "host/run_loop.hpp"
#include "host/suite.hpp"
#include "mountain_car_continuous.hpp"
#include "pendulum.hpp"

namespace {

constexpr std::uint64_t kSteps = 200000;

// (a) The environment object alone, with the same random actions and time limit.
template <class Env>
void BM_EnvDirect(benchmark::State& state) {
  Env env;
  const pgb::EnvSpec spec = env.spec();
  std::vector<double> obs(spec.observation.dim()), action(spec.action.dim());
  pgb::Rng rng(1);
  env.rng().reseed(2);
  for (auto _ : state) {
    env.reset(obs);
    std::uint32_t t = 0;
    for (std::uint64_t i = 0; i < kSteps; ++i) {
      pgb::StepResult r;
      if (spec.action.is_discrete()) {
        r = env.step(static_cast<std::int64_t>(rng.below(spec.action.n())), obs);
      } else {
        for (std::size_t d = 0; d < action.size(); ++d) action[d] = rng.uniform(spec.action.low()[d], spec.action.high()[d]);
        r = env.step(std::span<const double>(action), obs);
      }
      if (r.terminated || r.truncated || ++t >= spec.max_episode_steps) {
        env.reset(obs);
        t = 0;
      }
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kSteps));
}

// (b) One cell of the random agent through the host loop. The evaluations at the cell's start
// and end are not part of the per-step cost, so the time reported is the cell's wall time minus
// its evaluation time.
void BM_HostLoop(benchmark::State& state, const std::string& env, std::uint64_t steps) {
  static pgbench::PluginRegistry plugins = [] {
    pgbench::PluginRegistry r;
    r.load({PGBENCH_PLUGIN_DIR});
    return r;
  }();
  const auto file = std::filesystem::temp_directory_path() / ("pgbench-bench-" + env + ".yaml");
  std::ofstream(file) << "name: bench\nmaster_seed: 1\nseeds: 1\ntasks:\n  task: {env: " << env << ", steps: " << steps
                      << ", eval_every: " << steps << ", eval_episodes: 1}\nalgorithms:\n  random: {}\n";
  if (!plugins.find_env(env)) {
    state.SkipWithError((env + " is not built (MuJoCo missing?)").c_str());
    return;
  }
  const auto suite = pgbench::resolve_suite(pgbench::load_suite(file), plugins);
  std::filesystem::remove(file);
  for (auto _ : state) {
    pgbench::RunControl control;
    const pgbench::CellResult r = pgbench::run_cell(suite->cells.at(0), control);
    if (r.status != pgbench::CellResult::Status::Ok) state.SkipWithError(r.error.c_str());
    state.SetIterationTime(r.time.wall - r.time.eval);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * steps));
}

#define PGB_HOST_BENCHMARK(tag, env, steps) \
  BENCHMARK_CAPTURE(BM_HostLoop, tag, std::string(env), steps)->Name("host/" env)->UseManualTime()->Unit(benchmark::kMillisecond)

BENCHMARK(BM_EnvDirect<classic_control::CartPole>)->Name("direct/CartPole-v1")->Unit(benchmark::kMillisecond);
PGB_HOST_BENCHMARK(CartPole, "CartPole-v1", kSteps);
BENCHMARK(BM_EnvDirect<classic_control::Acrobot>)->Name("direct/Acrobot-v1")->Unit(benchmark::kMillisecond);
PGB_HOST_BENCHMARK(Acrobot, "Acrobot-v1", kSteps);
BENCHMARK(BM_EnvDirect<classic_control::Pendulum>)->Name("direct/Pendulum-v1")->Unit(benchmark::kMillisecond);
PGB_HOST_BENCHMARK(Pendulum, "Pendulum-v1", kSteps);
BENCHMARK(BM_EnvDirect<classic_control::MountainCarContinuous>)->Name("direct/MountainCarContinuous-v0")->Unit(benchmark::kMillisecond);
PGB_HOST_BENCHMARK(MountainCar, "MountainCarContinuous-v0", kSteps);
// A MuJoCo task through the host; compare with benchmarks/mujoco (the env class alone, and a
// bare mj_step loop).
PGB_HOST_BENCHMARK(HalfCheetah, "HalfCheetah-v4", 20000);

}  // namespace

BENCHMARK_MAIN();
