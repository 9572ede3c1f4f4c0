// MountainCarContinuous-v0 against specs/mujoco-tasks.md §13.3.
#include "mountain_car_continuous.hpp"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "classic_test_support.hpp"

namespace classic_control {
namespace {

using testing::f32;
using testing::step_box;

TEST(MountainCarContinuous, SpacesAndTimeLimit) {
  const pgb::EnvSpec spec = MountainCarContinuous().spec();
  // float32 bounds, as the state is float32: float(-1.2) < -1.2 is where a car at the wall sits.
  testing::expect_box(spec.observation, {f32(-1.2), f32(-0.07)}, {f32(0.6), f32(0.07)});
  testing::expect_box(spec.action, {-1.0}, {1.0});
  EXPECT_EQ(spec.max_episode_steps, 999u);
}

// At rest at -0.5, full throttle: v' = 0.0015 - 0.0025 cos(-1.5) = 0.00132316 (cos 1.5 =
// 0.0707372), x' = -0.5 + v'. The state is stored in float32; the reward is -0.1 x 1^2.
TEST(MountainCarContinuous, FullThrottleFromRestMatchesHandComputedStep) {
  MountainCarContinuous env;
  env.set_state({.position = -0.5, .velocity = 0.0});
  std::array<double, 2> observation{};
  const pgb::StepResult result = step_box(env, 1.0, observation);
  const double velocity = 0.0015 - 0.0025 * std::cos(-1.5);
  EXPECT_NEAR(velocity, 0.00132316, 1e-8);
  EXPECT_EQ(env.state().velocity, f32(velocity));
  EXPECT_EQ(env.state().position, f32(-0.5 + velocity));
  EXPECT_EQ(observation, (std::array<double, 2>{f32(-0.5 + velocity), f32(velocity)}));
  EXPECT_DOUBLE_EQ(result.reward, -0.1);
  EXPECT_FALSE(result.terminated);
  EXPECT_FALSE(result.truncated);
}

TEST(MountainCarContinuous, GeneralState) {
  MountainCarContinuous env;
  env.set_state({.position = 0.3, .velocity = 0.02});
  std::array<double, 2> observation{};
  const pgb::StepResult result = step_box(env, -0.4, observation);
  const double velocity = 0.02 + -0.4 * 0.0015 - 0.0025 * std::cos(0.9);
  EXPECT_EQ(env.state().velocity, f32(velocity));
  EXPECT_EQ(env.state().position, f32(0.3 + velocity));
  EXPECT_DOUBLE_EQ(result.reward, -0.1 * 0.16);
}

// Throttle beyond the box acts as full throttle but is charged in full: 3 -> force 1, cost 0.9.
TEST(MountainCarContinuous, ActionIsClippedForTheForceButNotForTheCost) {
  MountainCarContinuous clipped, full;
  clipped.set_state({.position = -0.5, .velocity = 0.0});
  full.set_state({.position = -0.5, .velocity = 0.0});
  std::array<double, 2> observation{};
  EXPECT_DOUBLE_EQ(step_box(clipped, 3.0, observation).reward, -0.9);
  step_box(full, 1.0, observation);
  EXPECT_EQ(clipped.state().velocity, full.state().velocity);
  EXPECT_EQ(clipped.state().position, full.state().position);

  clipped.set_state({.position = -0.5, .velocity = 0.0});
  full.set_state({.position = -0.5, .velocity = 0.0});
  EXPECT_DOUBLE_EQ(step_box(clipped, -2.0, observation).reward, -0.4);
  step_box(full, -1.0, observation);
  EXPECT_EQ(clipped.state().velocity, full.state().velocity);
}

TEST(MountainCarContinuous, SpeedIsClippedToSevenHundredths) {
  MountainCarContinuous env;
  // At x = -pi/6 the hill is flat (cos(3x) = 0): 0.0699 + 0.0015 = 0.0714 > 0.07.
  env.set_state({.position = -0.5235987755982988, .velocity = 0.0699});
  std::array<double, 2> observation{};
  step_box(env, 1.0, observation);
  EXPECT_EQ(env.state().velocity, f32(0.07));
  EXPECT_EQ(env.state().position, f32(-0.5235987755982988 + 0.07));

  env.set_state({.position = -0.5235987755982988, .velocity = -0.0699});
  step_box(env, -1.0, observation);
  EXPECT_EQ(env.state().velocity, f32(-0.07));
}

TEST(MountainCarContinuous, LeftWallStopsTheCarDead) {
  MountainCarContinuous env;
  env.set_state({.position = -1.19, .velocity = -0.05});
  std::array<double, 2> observation{};
  const pgb::StepResult result = step_box(env, -1.0, observation);
  EXPECT_EQ(env.state().position, f32(-1.2));
  EXPECT_EQ(env.state().velocity, 0.0);
  EXPECT_FALSE(result.terminated);
  // Pulling away from the wall keeps the positive velocity.
  env.set_state({.position = -1.2, .velocity = 0.0});
  step_box(env, 1.0, observation);
  EXPECT_GT(env.state().velocity, 0.0);
  EXPECT_GT(env.state().position, -1.2);
}

// The flag: x' >= 0.45 with v' >= 0 ends the episode with +100 on top of the throttle cost.
TEST(MountainCarContinuous, ReachingTheFlagTerminatesWithOneHundred) {
  MountainCarContinuous env;
  std::array<double, 2> observation{};
  env.set_state({.position = 0.44, .velocity = 0.02});  // v' = 0.02 - 0.0025 cos(1.32) = 0.0194
  const pgb::StepResult reached = step_box(env, 0.5, observation);
  EXPECT_GE(env.state().position, 0.45);
  EXPECT_TRUE(reached.terminated);
  EXPECT_FALSE(reached.truncated);
  EXPECT_DOUBLE_EQ(reached.reward, 100.0 - 0.1 * 0.25);

  env.set_state({.position = 0.40, .velocity = 0.02});  // x' = 0.4194 < 0.45
  EXPECT_FALSE(step_box(env, 0.0, observation).terminated);

  // At the right end moving back: past the flag, but rolling away from it.
  env.set_state({.position = 0.6, .velocity = -0.001});
  const pgb::StepResult rolling_back = step_box(env, -1.0, observation);
  EXPECT_GE(env.state().position, 0.45);
  EXPECT_LT(env.state().velocity, 0.0);
  EXPECT_FALSE(rolling_back.terminated);
  EXPECT_DOUBLE_EQ(rolling_back.reward, -0.1);

  // Overshooting the right end is clipped to 0.6, still a success.
  env.set_state({.position = 0.59, .velocity = 0.07});
  EXPECT_TRUE(step_box(env, 1.0, observation).terminated);
  EXPECT_EQ(env.state().position, f32(0.6));
}

TEST(MountainCarContinuous, GoalVelocityParameterRaisesTheBar) {
  MountainCarContinuous env(MountainCarContinuous::Params{.goal_velocity = 0.05});
  env.set_state({.position = 0.44, .velocity = 0.02});  // arrives at 0.0194 < 0.05
  std::array<double, 2> observation{};
  EXPECT_FALSE(step_box(env, 0.0, observation).terminated);
}

TEST(MountainCarContinuous, ResetPlacesTheCarAtRestInTheValley) {
  MountainCarContinuous env;
  env.rng().reseed(17);
  std::array<double, 2> observation{};
  constexpr int kResets = 20000;
  double position_sum = 0.0;
  for (int i = 0; i < kResets; ++i) {
    env.reset(observation);
    ASSERT_GE(env.state().position, -0.6);
    ASSERT_LT(env.state().position, -0.4);
    ASSERT_EQ(env.state().velocity, 0.0);
    ASSERT_EQ(observation[0], f32(env.state().position));
    ASSERT_EQ(observation[1], 0.0);
    position_sum += env.state().position;
  }
  // U(-0.6, -0.4): standard deviation 0.058, standard error of the mean 0.0004; band of 10.
  EXPECT_NEAR(position_sum / kResets, -0.5, 0.004);
}

TEST(MountainCarContinuous, ResetIsReproducibleForASeed) { testing::expect_reset_reproducible<MountainCarContinuous>(21); }

// Uniform throttle in [-1, 1] costs 0.1 E[a^2] = 1/30 per step, 999/30 = 33.3 per full episode,
// with a standard deviation of 0.1 x sqrt(999 x 4/45) = 0.94 (Var a^2 = 4/45). Over 200
// episodes the mean of those that never reach the flag is within 0.4 (6 standard errors) of
// -33.3. Random driving reaches the flag only rarely (about 1 episode in 700), so at most 2%.
TEST(MountainCarContinuous, RandomPolicyReturnIsAboutMinusThirtyThree) {
  MountainCarContinuous env;
  const auto episodes =
      testing::run_episodes(env, 200, 6, [](pgb::Rng& rng, pgb::Environment& e, std::span<double> obs) {
        return step_box(e, rng.uniform(-1.0, 1.0), obs);
      });
  double unsolved_sum = 0.0;
  int unsolved = 0;
  for (const auto& episode : episodes) {
    if (episode.terminated) continue;
    ASSERT_EQ(episode.length, 999u);
    unsolved_sum += episode.episode_return;
    ++unsolved;
  }
  EXPECT_GE(unsolved, 196);
  EXPECT_NEAR(unsolved_sum / unsolved, -999.0 / 30.0, 0.4);
}

}  // namespace
}  // namespace classic_control
