// Env steps per second of each task through its environment class, against a bare loop of the
// same MuJoCo calls on the same model (ctrl, frame_skip x mj_step, mj_rnePostConstraint): the
// physical limit. The difference is what the environment adds (observation, reward, checks).
//
// Both loops replay the same 1000 uniformly random actions and start a new episode every 1000
// steps; termination is ignored so that both simulate the same kind of motion.
#include <benchmark/benchmark.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <pgbench/sdk/rng.hpp>

#include "ant.hpp"
#include "half_cheetah.hpp"
#include "hopper.hpp"
#include "humanoid.hpp"
#include "inverted_double_pendulum.hpp"
#include "inverted_pendulum.hpp"
#include "pusher.hpp"
#include "reacher.hpp"
#include "swimmer.hpp"
#include "walker2d.hpp"

namespace mujoco_control {
namespace {

constexpr int kEpisodeSteps = 1000;

std::string model_file(const char* name) { return std::string(PGBENCH_MUJOCO_MODELS_DIR) + "/" + name; }

std::vector<std::vector<double>> random_actions(const pgb::EnvSpec& spec) {
  pgb::Rng rng(1);
  std::vector<std::vector<double>> actions(kEpisodeSteps, std::vector<double>(spec.action.dim()));
  for (auto& action : actions)
    for (std::size_t i = 0; i < action.size(); ++i) action[i] = rng.uniform(spec.action.low()[i], spec.action.high()[i]);
  return actions;
}

template <class Env>
void BM_Environment(benchmark::State& state, const char* file) {
  typename Env::Params params;
  params.common.model_path = model_file(file);
  Env env(params);
  const auto actions = random_actions(env.spec());
  std::vector<double> observation(env.spec().observation.dim());
  env.rng().reseed(1);
  env.reset(observation);
  int t = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(env.step(std::span<const double>(actions[t]), observation));
    if (++t == kEpisodeSteps) {
      t = 0;
      env.reset(observation);
    }
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Env>
void BM_BareMujoco(benchmark::State& state, const char* file) {
  typename Env::Params params;
  params.common.model_path = model_file(file);
  const Env env(params);  // only for its compiled model, spec and frame skip
  const mjModel* m = &env.model();
  const int frame_skip = env.frame_skip();
  const auto actions = random_actions(env.spec());
  std::unique_ptr<mjData, void (*)(mjData*)> data(mj_makeData(m), mj_deleteData);
  mjData* d = data.get();
  mj_resetData(m, d);
  mj_forward(m, d);
  int t = 0;
  for (auto _ : state) {
    std::copy(actions[t].begin(), actions[t].end(), d->ctrl);
    for (int frame = 0; frame < frame_skip; ++frame) mj_step(m, d);
    mj_rnePostConstraint(m, d);
    benchmark::DoNotOptimize(d->qpos[0]);
    if (++t == kEpisodeSteps) {
      t = 0;
      mj_resetData(m, d);
      mj_forward(m, d);
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// Registers the pair for one task: "<task>/bare_mujoco" and "<task>/environment".
template <class Env>
void register_task(const std::string& task, const char* file) {
  benchmark::RegisterBenchmark((task + "/bare_mujoco").c_str(), BM_BareMujoco<Env>, file)->MinTime(0.5);
  benchmark::RegisterBenchmark((task + "/environment").c_str(), BM_Environment<Env>, file)->MinTime(0.5);
}

[[maybe_unused]] const bool registered = [] {
  register_task<HalfCheetah>("HalfCheetah", "half_cheetah.xml");
  register_task<Hopper>("Hopper", "hopper.xml");
  register_task<Walker2d>("Walker2d", "walker2d.xml");
  register_task<Ant>("Ant", "ant.xml");
  register_task<Swimmer>("Swimmer", "swimmer.xml");
  register_task<Reacher>("Reacher", "reacher.xml");
  register_task<InvertedPendulum>("InvertedPendulum", "inverted_pendulum.xml");
  register_task<InvertedDoublePendulum>("InvertedDoublePendulum", "inverted_double_pendulum.xml");
  register_task<Humanoid>("Humanoid", "humanoid.xml");
  register_task<HumanoidStandup>("HumanoidStandup", "humanoidstandup.xml");
  register_task<Pusher>("Pusher", "pusher.xml");
  return true;
}();

}  // namespace
}  // namespace mujoco_control

BENCHMARK_MAIN();
