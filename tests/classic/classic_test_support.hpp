// classic_test_support.hpp -- small helpers shared by the classic-control tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <gtest/gtest.h>
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

// A Box space with exactly these bounds.
inline void expect_box(const pgb::Space& space, const std::vector<double>& low, const std::vector<double>& high) {
  ASSERT_TRUE(space.is_box());
  EXPECT_EQ(space.low(), low);
  EXPECT_EQ(space.high(), high);
}

// Two instances reset from `seed` observe the same, and one reset from `seed + 1` observes
// something else. `same_hidden_state(a, b)`, where given, checks what the observation does not
// show after the equal resets.
template <class Env>
void expect_reset_reproducible(std::uint64_t seed, bool (*same_hidden_state)(const Env&, const Env&) = nullptr) {
  Env a, b;
  std::vector<double> first(a.spec().observation.dim()), second(first.size());
  a.rng().reseed(seed);
  b.rng().reseed(seed);
  a.reset(first);
  b.reset(second);
  EXPECT_EQ(first, second);
  if (same_hidden_state) {
    EXPECT_TRUE(same_hidden_state(a, b));
  }
  b.rng().reseed(seed + 1);
  b.reset(second);
  EXPECT_NE(first, second);
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
