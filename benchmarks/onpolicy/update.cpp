// What one update of an on-policy algorithm costs, measured through the plugin's C ABI as the
// host calls it (the plugin .so loaded by the host's PluginRegistry), on a batch of 2048 samples
// from a MuJoCo-sized task (11-dimensional observations, 3-dimensional Box actions; Hopper's
// shape) with the plugins' 64×64 tanh actor and critic:
//   ppo/update      GAE, then 10 epochs of minibatch-64 Adam steps on the clipped surrogate
//   trpo/step       GAE, then the natural-gradient step: 10 conjugate-gradient iterations on the
//                   Fisher-vector product and the backtracking line search (critic_iterations = 0,
//                   so the critic's Adam steps are left out of the time)
// Collecting the batch (act/observe of 2048 synthetic transitions) is outside the timed region.
//
//   build/bin/pgbench_onpolicy_benchmarks
#include <benchmark/benchmark.h>

#include <pgbench/sdk/rng.hpp>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/instances.hpp"
#include "host/plugins.hpp"
#include "host/value.hpp"

namespace {

constexpr std::uint32_t kObservationDim = 11, kActionDim = 3, kBatch = 2048, kEpisodeLength = 1000;

const pgbench::PluginRegistry& plugins() {
  static const pgbench::PluginRegistry registry = [] {
    pgbench::PluginRegistry r;
    r.load({PGBENCH_PLUGIN_DIR});
    return r;
  }();
  return registry;
}

// A Box space of `dim` unbounded (observations) or [-1, 1] (actions) coordinates.
pgb_space_t box(std::uint32_t dim, const std::vector<double>& low, const std::vector<double>& high) {
  pgb_space_t space{};
  space.struct_size = sizeof space;
  space.kind = PGB_SPACE_BOX;
  space.dtype = PGB_DTYPE_F64;
  space.ndim = 1;
  space.shape[0] = dim;
  space.low = low.data();
  space.high = high.data();
  return space;
}

// One instance of `algorithm` with `overrides`, and synthetic transitions to fill its batches:
// random observations and rewards, an episode truncated every kEpisodeLength steps.
class Bench {
 public:
  Bench(const std::string& algorithm, const pgbench::Overrides& overrides)
      : observation_low_(kObservationDim, -INFINITY),
        observation_high_(kObservationDim, INFINITY),
        action_low_(kActionDim, -1.0),
        action_high_(kActionDim, 1.0),
        observation_space_(box(kObservationDim, observation_low_, observation_high_)),
        action_space_(box(kActionDim, action_low_, action_high_)),
        algo_(type(algorithm), 1, observation_space_, action_space_,
              pgbench::resolve_config(algorithm, type(algorithm).desc->params, type(algorithm).desc->param_count,
                                      overrides),
              1, 1'000'000),
        observation_(kObservationDim),
        next_observation_(kObservationDim),
        action_(kActionDim) {
    for (double& x : observation_) x = rng_.normal();
  }

  // Acts and observes until the algorithm asks for an update.
  void collect() {
    std::uint8_t terminated = 0, truncated = 0;
    double reward = 0;
    pgb_transition_batch_t batch{};
    batch.struct_size = sizeof batch;
    batch.rows = 1;
    batch.observation = observation_.data();
    batch.action = action_.data();
    batch.reward = &reward;
    batch.next_observation = next_observation_.data();
    batch.terminated = &terminated;
    batch.truncated = &truncated;
    bool full = false;
    while (!full) {
      algo_.act(observation_.data(), 1, action_.data());
      for (double& x : next_observation_) x = rng_.normal();
      reward = rng_.normal();
      truncated = ++steps_ % kEpisodeLength == 0;
      full = algo_.observe(batch);
      observation_.swap(next_observation_);
      batch.observation = observation_.data();
      batch.next_observation = next_observation_.data();
    }
  }

  // The metrics are computed as in a run and dropped.
  void update() {
    const pgb_metric_sink_t ignore{nullptr, [](void*, const char*, double) {}};
    algo_.update(steps_, ignore);
  }

 private:
  static const pgbench::AlgoType& type(const std::string& name) {
    const pgbench::AlgoType* type = plugins().find_algorithm(name);
    if (!type) throw std::runtime_error("the " + name + " plugin is not built");
    return *type;
  }

  std::vector<double> observation_low_, observation_high_, action_low_, action_high_;
  pgb_space_t observation_space_, action_space_;
  pgbench::AlgoHandle algo_;
  pgb::Rng rng_{7};
  std::vector<double> observation_, next_observation_, action_;
  std::uint64_t steps_ = 0;
};

void BM_Update(benchmark::State& state, const std::string& algorithm, const pgbench::Overrides& overrides) {
  Bench bench(algorithm, overrides);
  for (auto _ : state) {
    state.PauseTiming();
    bench.collect();
    state.ResumeTiming();
    bench.update();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}

BENCHMARK_CAPTURE(BM_Update, ppo, std::string("ppo"),
                  pgbench::Overrides{{"steps_per_batch", std::to_string(kBatch)},
                                     {"epochs", "10"},
                                     {"minibatch_size", "64"}})
    ->Name("ppo/update")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Update, trpo, std::string("trpo"),
                  pgbench::Overrides{{"steps_per_batch", std::to_string(kBatch)},
                                     {"cg_iterations", "10"},
                                     {"critic_iterations", "0"}})
    ->Name("trpo/step")
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
