// Reacher-v4/v5 against specs/mujoco-tasks.md §7 and its reference rollout (Appendix B).
#include "reacher.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

Reacher make_reacher(Version version = Version::v4) { return Reacher(params_for<Reacher>("reacher.xml", version)); }

TEST(Reacher, SpacesFrameSkipAndTimeLimit) {
  expect_spec(make_reacher().spec(), {.observation_dim = 11, .action_dim = 2, .action_bound = 1.0,
                                      .frames_per_step = 2, .max_episode_steps = 50});
  EXPECT_EQ(make_reacher(Version::v5).spec().observation.dim(), 10u);
}

// v4 judges the pre-step state: at qpos0 the fingertip is at (0.21, 0, 0.01) and the target at
// (0.1, -0.1, 0.01), so the distance is sqrt(0.11^2 + 0.1^2).
TEST(Reacher, ReferenceStepV4RewardsThePreStepDistance) {
  Reacher env = make_reacher();
  set_reference_start(env);
  std::vector<double> observation(11);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  EXPECT_NEAR(result.reward, -std::sqrt(0.11 * 0.11 + 0.1 * 0.1) - sum_of_squares(action), 1e-12);
  EXPECT_FALSE(result.terminated);

  // Appendix B after step 1: qpos (0.001980, 0.003946, 0.1, -0.1), qvel (0.197301, 0.393243, 0, 0).
  const double q0 = 0.001980, q1 = 0.003946;
  const std::vector<double> head = {std::cos(q0), std::cos(q1), std::sin(q0), std::sin(q1), 0.1, -0.1, 0.197301, 0.393243};
  expect_all_near(std::span(observation).first(8), head, 1e-6, "observation");
  // The last three: fingertip - target from the (lagged) body positions; the height difference is 0.
  const mjData& d = env.data();
  for (int axis = 0; axis < 3; ++axis)
    EXPECT_EQ(observation[8 + axis], d.xpos[3 * 3 + axis] - d.xpos[3 * 4 + axis]) << axis;
  EXPECT_EQ(observation[10], 0.0);
}

TEST(Reacher, V5RewardsThePostStepDistanceAndDropsTheHeight) {
  Reacher env = make_reacher(Version::v5);
  set_reference_start(env);
  std::vector<double> observation(10);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  EXPECT_NEAR(result.reward, -env.fingertip_distance() - sum_of_squares(action), 1e-15);
  EXPECT_NE(env.fingertip_distance(), std::sqrt(0.11 * 0.11 + 0.1 * 0.1));
  EXPECT_EQ(observation[9], env.data().xpos[3 * 3 + 1] - env.data().xpos[3 * 4 + 1]);
}

// Arm angles qpos0 + U(-0.1, 0.1); target uniform in the disc of radius 0.2; arm velocities
// U(-0.005, 0.005); the target at rest.
TEST(Reacher, ResetNoiseHasTheSpecifiedDistribution) {
  Reacher env = make_reacher();
  env.rng().reseed(5);
  std::vector<double> observation(11), angle0, angle1, rate0, rate1, target_x;
  double max_radius = 0.0;
  for (int r = 0; r < 4000; ++r) {
    env.reset(observation);
    const mjData& d = env.data();
    angle0.push_back(d.qpos[0]);
    angle1.push_back(d.qpos[1]);
    rate0.push_back(d.qvel[0]);
    rate1.push_back(d.qvel[1]);
    target_x.push_back(d.qpos[2]);
    max_radius = std::max(max_radius, std::hypot(d.qpos[2], d.qpos[3]));
    ASSERT_EQ(d.qvel[2], 0.0);
    ASSERT_EQ(d.qvel[3], 0.0);
    ASSERT_EQ(observation[4], d.qpos[2]);
  }
  expect_uniform_noise(angle0, 0.1, "joint0");
  expect_uniform_noise(angle1, 0.1, "joint1");
  expect_uniform_noise(rate0, 0.005, "joint0 rate");
  expect_uniform_noise(rate1, 0.005, "joint1 rate");
  EXPECT_LT(max_radius, 0.2);
  EXPECT_GT(max_radius, 0.19);
  // x of a point uniform in a disc of radius R has variance R^2 / 4.
  EXPECT_NEAR(moments(target_x).variance, 0.01, 0.001);
}

TEST(Reacher, SameSeedSameTrajectory) {
  Reacher a = make_reacher(), b = make_reacher();
  EXPECT_EQ(trajectory(a, 42, 50), trajectory(b, 42, 50));
}

}  // namespace
}  // namespace mujoco_control
