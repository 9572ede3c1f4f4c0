// Swimmer-v4/v5 against specs/mujoco-tasks.md §6 and its reference rollout (Appendix B).
#include "swimmer.hpp"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

Swimmer make_swimmer() { return Swimmer(params_for<Swimmer>("swimmer.xml")); }

constexpr std::array<double, 5> kQposStep1 = {-0.000001, 0.000103, -0.000361, -0.000644, 0.003196};
constexpr std::array<double, 5> kQvelStep1 = {-0.000061, 0.005173, -0.018055, -0.032057, 0.159360};

TEST(Swimmer, SpacesFrameSkipAndTimeLimit) {
  const Swimmer env = make_swimmer();
  const pgb::EnvSpec spec = env.spec();
  EXPECT_EQ(spec.observation.dim(), 8u);
  EXPECT_EQ(spec.action.low(), std::vector<double>(2, -1.0));
  EXPECT_EQ(spec.action.high(), std::vector<double>(2, 1.0));
  EXPECT_EQ(spec.frames_per_step, 4u);
  EXPECT_EQ(spec.max_episode_steps, 1000u);
  auto keep = params_for<Swimmer>("swimmer.xml");
  keep.exclude_current_positions_from_observation = false;
  EXPECT_EQ(Swimmer(keep).spec().observation.dim(), 10u);
}

// Observation qpos[2..4] then qvel; reward -0.000001 m / 0.04 s - 1e-4 sum(a^2).
TEST(Swimmer, ReferenceStepGivesSpecStateLayoutAndReward) {
  Swimmer env = make_swimmer();
  set_reference_start(env);
  std::vector<double> observation(8);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  std::vector<double> expected(kQposStep1.begin() + 2, kQposStep1.end());
  expected.insert(expected.end(), kQvelStep1.begin(), kQvelStep1.end());
  expect_all_near(observation, expected, 1e-6, "observation");
  const double action_squared = action[0] * action[0] + action[1] * action[1];
  EXPECT_NEAR(result.reward, -0.000001 / 0.04 - 1e-4 * action_squared, 1e-6 / 0.04);
  EXPECT_NEAR(result.reward, env.data().qpos[0] / 0.04 - 1e-4 * action_squared, 1e-12);
  EXPECT_FALSE(result.terminated);
}

TEST(Swimmer, ResetNoiseHasTheSpecifiedDistribution) {
  auto params = params_for<Swimmer>("swimmer.xml");
  params.exclude_current_positions_from_observation = false;
  Swimmer env(params);
  env.rng().reseed(5);
  std::vector<std::vector<double>> samples(10);
  std::vector<double> observation(10);
  for (int r = 0; r < 4000; ++r) {
    env.reset(observation);
    for (int i = 0; i < 10; ++i) samples[i].push_back(observation[i]);  // qpos0 is all zero
  }
  for (int i = 0; i < 10; ++i) expect_uniform_noise(samples[i], 0.1, "entry " + std::to_string(i));
}

TEST(Swimmer, SameSeedSameTrajectory) {
  Swimmer a = make_swimmer(), b = make_swimmer();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
}

}  // namespace
}  // namespace mujoco_control
