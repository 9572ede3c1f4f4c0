// classic_test_support.hpp -- small helpers shared by the classic-control tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <pgbench/sdk/environment.hpp>
#include <pgbench/sdk/rng.hpp>

#include "float32.hpp"

namespace classic_control::testing {

// What the agent would see: a value rounded to float32.
inline double f32(double value) { return round_to_float32(value); }

// Steps `env` with a one-element Box action.
inline pgb::StepResult step_box(pgb::Environment& env, double action, std::span<double> observation) {
  const double values[1] = {action};
  return env.step(std::span<const double>(values), observation);
}

struct Episode {
  double episode_return = 0.0;  // undiscounted
  bool terminated = false;
  std::size_t length = 0;
};

// Runs `count` episodes with actions drawn by `policy(rng, env, observation)` -> StepResult, each
// cut at the env's own time limit as the host would cut it.
template <class Policy>
std::vector<Episode> run_episodes(pgb::Environment& env, std::size_t count, std::uint64_t seed, Policy policy) {
  const pgb::EnvSpec spec = env.spec();
  std::vector<double> observation(spec.observation.dim());
  pgb::Rng action_rng(seed);
  env.rng().reseed(seed + 1);
  std::vector<Episode> episodes(count);
  for (Episode& episode : episodes) {
    env.reset(observation);
    while (!episode.terminated && episode.length < spec.max_episode_steps) {
      const pgb::StepResult result = policy(action_rng, env, std::span<double>(observation));
      episode.episode_return += result.reward;
      episode.terminated = result.terminated;
      ++episode.length;
    }
  }
  return episodes;
}

inline double mean_return(const std::vector<Episode>& episodes) {
  double sum = 0.0;
  for (const Episode& episode : episodes) sum += episode.episode_return;
  return sum / static_cast<double>(episodes.size());
}

}  // namespace classic_control::testing
