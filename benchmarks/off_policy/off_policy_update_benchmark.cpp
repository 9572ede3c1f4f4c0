// One TD3 update (td3_learner.hpp) and one SAC update (sac_learner.hpp) at the reference setting,
// 256×256 ReLU networks and batch 256, on HalfCheetah's shapes (17 observations, 6 actions), in
// single precision, with the counters of update_benchmark.hpp (as DDPG's, benchmarks/ddpg).
// FLOP/update: see td3_flops and sac_flops; TD3's actor step counted at its share, 1 / policy_delay.
//
//   <build>/bin/pgbench_off_policy_benchmarks
#include <benchmark/benchmark.h>

#include <vector>

#include "sac_learner.hpp"
#include "td3_learner.hpp"
#include "update_benchmark.hpp"

namespace pgb::bench {
namespace {

using learn::Index;

constexpr Index kObservations = 17, kActions = 6;  // HalfCheetah

struct Shapes {
  double actor, actor_first, critic, critic_first;  // a forward pass, and its first layer
};

Shapes shapes(Index hidden, Index batch, Index actor_outputs) {
  const std::vector<Index> actor{kObservations, hidden, hidden, actor_outputs};
  const std::vector<Index> critic{kObservations + kActions, hidden, hidden, 1};
  return {mlp_forward_flops(actor, batch), mlp_first_layer_flops(actor, batch), mlp_forward_flops(critic, batch),
          mlp_first_layer_flops(critic, batch)};
}

// TD3 (F a forward pass, B = 2F − first layer a backward pass with weight gradients):
//   critic targets    target actor F_A, two target critics 2 F_C
//   critic steps      two critics, each F_C + B_C
//   actor step, every d-th update: actor F_A, critic 1 F_C, its input gradient F_C, actor B_A
double td3_flops(Index hidden, Index batch, double policy_delay) {
  const Shapes s = shapes(hidden, batch, kActions);
  const double critic_step = 3 * s.critic - s.critic_first;
  const double actor_step = 3 * s.actor - s.actor_first + 2 * s.critic;
  return s.actor + 2 * s.critic + 2 * critic_step + actor_step / policy_delay;
}

// SAC (the actor has 2k outputs, μ and log σ):
//   critic targets    actor F_A on s', two target critics 2 F_C
//   critic steps      two critics, each F_C + B_C
//   actor step        actor F_A, two critics 2 F_C, their input gradients 2 F_C, actor B_A
double sac_flops(Index hidden, Index batch) {
  const Shapes s = shapes(hidden, batch, 2 * kActions);
  const double critic_step = 3 * s.critic - s.critic_first;
  const double actor_step = 3 * s.actor - s.actor_first + 4 * s.critic;
  return s.actor + 2 * s.critic + 2 * critic_step + actor_step;
}

// learner.update(batch, rng): TD3's and SAC's learners draw their noise from the generator.
const auto update_with_rng = [](auto& learner, const auto& batch, Rng& rng) { return learner.update(batch, rng); };

void td3_update(benchmark::State& state) {
  const td3::LearnerSettings settings{.observation_dim = kObservations, .action_dim = kActions,
                                      .hidden_size = state.range(0), .batch_size = state.range(1)};
  run_update_benchmark<td3::Learner<float>>(
      state, settings, td3_flops(settings.hidden_size, settings.batch_size, double(settings.policy_delay)),
      update_with_rng);
}

void sac_update(benchmark::State& state) {
  const sac::LearnerSettings settings{.observation_dim = kObservations, .action_dim = kActions,
                                      .hidden_size = state.range(0), .batch_size = state.range(1)};
  run_update_benchmark<sac::Learner<float>>(state, settings, sac_flops(settings.hidden_size, settings.batch_size),
                                            update_with_rng);
}

// The reference setting, and the one of the Pendulum learning tests (tests/td3, tests/sac).
BENCHMARK(td3_update)->ArgNames({"hidden", "batch"})->Args({256, 256})->Args({128, 128})->Unit(benchmark::kMicrosecond);
BENCHMARK(sac_update)->ArgNames({"hidden", "batch"})->Args({256, 256})->Args({128, 128})->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pgb::bench
