// One DDPG update (ddpg_learner.hpp) at the reference setting: actor and critic 256×256 ReLU,
// batch 256, on HalfCheetah's shapes (17 observations, 6 actions), in single precision, with the
// counters of benchmarks/off_policy/update_benchmark.hpp (as TD3's and SAC's). FLOP/update: the
// multiply-adds of the matrix products of one update, ×2 (see update_flops; the element-wise work
// of activations, Adam and the Polyak averages is O(parameters + batch·width) and left out).
//
//   <build>/bin/pgbench_ddpg_benchmarks
#include <benchmark/benchmark.h>

#include <vector>

#include "ddpg_learner.hpp"
#include "update_benchmark.hpp"

namespace pgb::ddpg {
namespace {

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
  bench::run_update_benchmark<Learner<float>>(state, settings, update_flops(settings),
                                              [](auto& learner, const auto& batch, Rng&) { return learner.update(batch); });
}

// The reference setting, and the one of the Pendulum learning test (tests/ddpg/pendulum.yaml).
BENCHMARK(ddpg_update)
    ->ArgNames({"hidden", "batch"})
    ->Args({256, 256})
    ->Args({128, 128})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pgb::ddpg
