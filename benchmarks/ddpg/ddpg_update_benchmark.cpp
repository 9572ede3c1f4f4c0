// One DDPG update (ddpg_learner.hpp) at the reference setting: actor and critic 256×256 ReLU,
// batch 256, on HalfCheetah's shapes (17 observations, 6 actions), in single precision.
//
// Counters:
//   FLOP/update       the multiply-adds of the matrix products of one update, ×2 (see
//                     update_flops; the element-wise work of activations, Adam and the Polyak
//                     averages is O(parameters + batch·width) and left out)
//   FLOP/s            that work per second of wall time
//   env_steps/s_bound updates per second: at one update per env step, the most env steps per
//                     second a DDPG run can reach whatever the environment costs
//   of_sgemm_peak     FLOP/s as a fraction of this machine's best single-core sgemm (Eigen's or
//                     OpenBLAS's, measured in the same run) on the update's largest product,
//                     hidden × batch × hidden; the label names both rates
//
//   <build>/bin/pgbench_ddpg_benchmarks
#include <benchmark/benchmark.h>

#include <vector>

#include "ddpg_learner.hpp"
#include "sgemm_peak.hpp"

namespace pgb::ddpg {
namespace {

using learn::ReplayBuffer;

// The passes of Learner::update, each a set of matrix products as large as a forward pass:
//   critic target    target actor forward, target critic forward                   F_A + F_C
//   critic step      critic forward, backward (weight gradients for every layer,
//                    δ propagated down to layer 1, not to the inputs)              F_C + (2 F_C − first layer)
//   actor step       actor forward, critic forward, critic input gradient,
//                    actor backward (as the critic's)                              F_A + 2 F_C + (2 F_A − first layer)
double update_flops(const LearnerSettings& s) {
  const std::vector<Index> actor{s.observation_dim, s.hidden_size, s.hidden_size, s.action_dim};
  const std::vector<Index> critic{s.observation_dim + s.action_dim, s.hidden_size, s.hidden_size, 1};
  const double fa = bench::mlp_forward_flops(actor, s.batch_size), fc = bench::mlp_forward_flops(critic, s.batch_size);
  const double actor_first = bench::mlp_first_layer_flops(actor, s.batch_size);
  const double critic_first = bench::mlp_first_layer_flops(critic, s.batch_size);
  return 4 * fa - actor_first + 6 * fc - critic_first;
}

void ddpg_update(benchmark::State& state) {
  const LearnerSettings settings{.observation_dim = 17, .action_dim = 6, .hidden_size = state.range(0),
                                 .batch_size = state.range(1)};
  Rng rng(1);
  Learner<float> learner(settings, rng);
  const ReplayBuffer<float> buffer(1, settings.observation_dim, settings.action_dim);
  ReplayBuffer<float>::Batch batch(buffer, settings.batch_size);
  batch.observations.setRandom();
  batch.actions.setRandom();
  batch.rewards.setRandom();
  batch.next_observations.setRandom();
  batch.terminated.setZero();

  const bench::SgemmPeak& peak = bench::sgemm_peak(settings.hidden_size, settings.batch_size, settings.hidden_size);
  const double start = bench::thread_cpu_seconds();
  for (auto _ : state) benchmark::DoNotOptimize(learner.update(batch));
  const double cpu_seconds = bench::thread_cpu_seconds() - start;

  const double flops = update_flops(settings);
  state.counters["FLOP/update"] = flops;
  state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["of_sgemm_peak"] =
      bench::fraction_of_peak(peak, flops, static_cast<double>(state.iterations()), cpu_seconds);
  state.counters["env_steps/s_bound"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(peak.describe());
}

// The reference setting, and the one of the Pendulum learning test (tests/ddpg/pendulum.yaml).
BENCHMARK(ddpg_update)
    ->ArgNames({"hidden", "batch"})
    ->Args({256, 256})
    ->Args({128, 128})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pgb::ddpg
