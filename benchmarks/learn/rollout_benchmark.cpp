// GAE over a rollout of 2048 steps, laid out as one env × 2048 steps and as 16 envs × 128 steps,
// in samples per second.
#include <pgbench/sdk/learn/rollout.hpp>
#include <pgbench/sdk/rng.hpp>

#include <benchmark/benchmark.h>

namespace pgb::learn {
namespace {

void gae(benchmark::State& state) {
  const Index num_envs = state.range(0);
  const Index num_steps = state.range(1);
  RolloutStorage<float> rollout(num_envs, num_steps, 17, 6);
  Rng rng(0);
  for (Index t = 0; t < num_steps; ++t) {
    for (Index env = 0; env < num_envs; ++env) {
      rollout.rewards(t)(env) = static_cast<float>(rng.normal());
      rollout.values(t)(env) = static_cast<float>(rng.normal());
      // About one episode end per 200 steps, a third of them truncations.
      const auto draw = rng.below(600);
      rollout.ends(t)[static_cast<std::size_t>(env)] =
          draw == 0 ? EpisodeEnd::truncated : draw < 3 ? EpisodeEnd::terminated : EpisodeEnd::running;
    }
  }
  for (auto _ : state) {
    rollout.compute_gae(0.99f, 0.95f);
    benchmark::DoNotOptimize(rollout.returns().data());
  }
  state.SetItemsProcessed(state.iterations() * rollout.size());
}

BENCHMARK(gae)->Args({1, 2048})->Args({16, 128});

}  // namespace
}  // namespace pgb::learn
