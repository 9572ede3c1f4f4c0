// Walker2d-v4/v5 against specs/mujoco-tasks.md §4 and its reference rollouts (Appendix B).
#include "walker2d.hpp"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

Walker2d make_walker(Version version = Version::v4) {
  return Walker2d(params_for<Walker2d>(Walker2d::default_model_file(version), version));
}

constexpr std::array<double, 9> kQposStep1 = {0.000295, 1.249365, 0.001271, 0.000994, 0.000281,
                                              0.008706, 0.000973, 0.000387, 0.015165};
constexpr std::array<double, 9> kQvelStep1 = {0.058780, -0.158315, 0.185568, 0.109807, 0.049774,
                                              2.193227, 0.110605,  0.064244, 3.809666};

TEST(Walker2d, SpacesFrameSkipAndTimeLimit) {
  expect_spec(make_walker().spec(), {.observation_dim = 17, .action_dim = 6, .action_bound = 1.0,
                                     .frames_per_step = 4, .max_episode_steps = 1000});
}

TEST(Walker2d, ReferenceStepGivesSpecStateLayoutAndReward) {
  Walker2d env = make_walker();
  set_reference_start(env);
  std::vector<double> observation(17);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  expect_all_near(observation, joint_state(kQposStep1, kQvelStep1, 1), 1e-6, "observation");
  EXPECT_NEAR(result.reward, 0.000295 / 0.008 + 1.0 - 1e-3 * sum_of_squares(action), 1e-6 / 0.008);
}

// The version picks the model: v5's right foot grips better, which shows after 20 steps.
TEST(Walker2d, VersionSelectsTheModelFile) {
  EXPECT_STREQ(Walker2d::default_model_file(Version::v4), "walker2d.xml");
  EXPECT_STREQ(Walker2d::default_model_file(Version::v5), "walker2d_v5.xml");
  for (const auto& [version, x_step20] : {std::pair(Version::v4, -0.023671), std::pair(Version::v5, -0.025718)}) {
    Walker2d env = make_walker(version);
    set_reference_start(env);
    std::vector<double> observation(17);
    for (int t = 0; t < 20; ++t) step(env, reference_action(env, t), observation);
    EXPECT_NEAR(env.data().qpos[0], x_step20, 1e-6);
  }
}

TEST(Walker2d, HealthFiresAtTheSpecifiedBounds) {
  Walker2d env = make_walker();
  const auto healthy_with = [&](int index, double value) {
    set_rest_state_with(env, {{index, value}});
    return env.is_healthy();
  };
  EXPECT_TRUE(healthy_with(1, 0.8001));
  EXPECT_FALSE(healthy_with(1, 0.8));
  EXPECT_TRUE(healthy_with(1, 1.9999));
  EXPECT_FALSE(healthy_with(1, 2.0));
  EXPECT_TRUE(healthy_with(2, 0.9999));
  EXPECT_FALSE(healthy_with(2, 1.0));
  EXPECT_FALSE(healthy_with(2, -1.0));
  EXPECT_TRUE(healthy_with(5, 50.0));  // joint angles are not judged (no state range)
}

TEST(Walker2d, TerminationAndTheV4HealthyRewardQuirk) {
  std::array<pgb::StepResult, 2> results;
  for (const Version version : {Version::v4, Version::v5}) {
    Walker2d env = make_walker(version);
    std::vector<double> observation(17);
    set_rest_state_with(env, {{2, 1.5}});  // tilted beyond 1 rad
    results[version == Version::v4 ? 0 : 1] = step(env, std::vector<double>(6, 0.0), observation);
  }
  EXPECT_TRUE(results[0].terminated);
  EXPECT_TRUE(results[1].terminated);
  // Same model up to the right foot's friction, and the foot is in the air: the only difference
  // is the healthy reward that v4 pays on the terminating step.
  EXPECT_NEAR(results[0].reward - results[1].reward, 1.0, 1e-9);
}

TEST(Walker2d, ResetNoiseHasTheSpecifiedDistribution) {
  Walker2d env = make_walker();
  const auto observations = reset_observations(env, 5, 4000);
  for (int i = 0; i < 17; ++i)
    expect_uniform_noise(reset_noise(observations, i, i < 8 ? env.model().qpos0[i + 1] : 0.0), 5e-3,
                         "entry " + std::to_string(i));
}

TEST(Walker2d, SameSeedSameTrajectory) {
  Walker2d a = make_walker(), b = make_walker();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
}

}  // namespace
}  // namespace mujoco_control
