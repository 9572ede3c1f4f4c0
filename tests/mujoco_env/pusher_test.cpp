// Pusher-v4/v5 against specs/mujoco-tasks.md §12 and its reference rollout (Appendix B).
#include "pusher.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

Pusher make_pusher(Version version = Version::v4) {
  return Pusher(params_for<Pusher>(Pusher::default_model_file(version), version));
}

// The reference start: arm at qpos0, object slides (y, x) = (-0.1, 0.1).
void set_pusher_reference_start(Pusher& env) { set_rest_state_with(env, {{7, -0.1}, {8, 0.1}}); }

TEST(Pusher, SpacesFrameSkipAndTimeLimit) {
  expect_spec(make_pusher().spec(), {.observation_dim = 23, .action_dim = 7, .action_bound = 2.0,
                                     .frames_per_step = 5, .max_episode_steps = 100});
  EXPECT_STREQ(Pusher::default_model_file(Version::v5), "pusher_v5.xml");
}

// v4 judges the pre-step bodies: fingertips at (0.821, -0.6, 0) (the arm's link offsets
// 0.1 + 0.4 + 0.321 along x from the shoulder at y = -0.6), object at (0.55, -0.15, -0.275),
// goal at (0.45, -0.05, -0.323).
TEST(Pusher, ReferenceStepV4RewardsThePreStepDistances) {
  Pusher env = make_pusher();
  set_pusher_reference_start(env);
  std::vector<double> observation(23);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  const double near = std::sqrt(0.271 * 0.271 + 0.45 * 0.45 + 0.275 * 0.275);
  const double dist = std::sqrt(0.1 * 0.1 + 0.1 * 0.1 + 0.048 * 0.048);
  EXPECT_NEAR(result.reward, -dist - 0.1 * sum_of_squares(action) - 0.5 * near, 1e-12);
  EXPECT_FALSE(result.terminated);

  const std::vector<double> expected_head = {0.000154, 0.000416, 0.007792, 0.000310, 0.014992, 0.000642, 0.021383,
                                             0.005089, 0.016646, 0.256735, -0.003210, 0.492591, -0.010888, 0.701939};
  expect_all_near(std::span(observation).first(14), expected_head, 1e-6, "qpos, qvel");
  // Goal and object bodies do not move in one step; their xpos closes the observation.
  expect_all_near(std::span(observation).subspan(17, 6), std::vector<double>{0.55, -0.15, -0.275, 0.45, -0.05, -0.323},
                  1e-9, "object and goal");
}

TEST(Pusher, V5RewardsThePostStepDistances) {
  Pusher env = make_pusher(Version::v5);
  set_pusher_reference_start(env);
  std::vector<double> observation(23);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  const auto distance = [&](int a, int b) {
    double sum = 0.0;
    for (int k = 0; k < 3; ++k) sum += std::pow(observation[14 + 3 * a + k] - observation[14 + 3 * b + k], 2);
    return std::sqrt(sum);
  };
  EXPECT_NEAR(result.reward, -distance(1, 2) - 0.1 * sum_of_squares(action) - 0.5 * distance(1, 0), 1e-12);
}

TEST(Pusher, ResetPlacesTheObjectAwayFromTheGoalAndTheArmAtRest) {
  Pusher env = make_pusher();
  env.rng().reseed(5);
  std::vector<double> observation(23), rates;
  for (int r = 0; r < 2000; ++r) {
    env.reset(observation);
    const mjData& d = env.data();
    for (int i = 0; i < 7; ++i) ASSERT_EQ(d.qpos[i], 0.0);
    ASSERT_GE(d.qpos[7], -0.3);
    ASSERT_LE(d.qpos[7], 0.0);
    ASSERT_GE(d.qpos[8], -0.2);
    ASSERT_LE(d.qpos[8], 0.2);
    ASSERT_GT(std::hypot(d.qpos[7], d.qpos[8]), 0.17);
    for (int i = 7; i < 11; ++i) ASSERT_EQ(d.qvel[i], 0.0);
    ASSERT_EQ(d.qpos[9], 0.0);
    ASSERT_EQ(d.qpos[10], 0.0);
    rates.push_back(d.qvel[r % 7]);
  }
  expect_uniform_noise(rates, 0.005, "arm joint rates");
}

TEST(Pusher, SameSeedSameTrajectory) {
  Pusher a = make_pusher(), b = make_pusher();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
}

}  // namespace
}  // namespace mujoco_control
