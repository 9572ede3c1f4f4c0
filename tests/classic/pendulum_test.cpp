// Pendulum-v1 against specs/mujoco-tasks.md §13.2.
#include "pendulum.hpp"

#include <array>
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "classic_test_support.hpp"

namespace classic_control {
namespace {

using std::numbers::pi;
using testing::f32;
using testing::step_box;

TEST(Pendulum, SpacesAndTimeLimit) {
  const pgb::EnvSpec spec = Pendulum().spec();
  testing::expect_box(spec.observation, {-1.0, -1.0, -8.0}, {1.0, 1.0, 8.0});
  testing::expect_box(spec.action, {-2.0}, {2.0});
  EXPECT_EQ(spec.max_episode_steps, 200u);
}

// Horizontal (theta = pi/2), at rest, no torque: theta_acc = 3 g / (2 l) = 15 rad/s^2, so after
// 0.05 s theta_dot = 0.75 rad/s and theta moves by 0.75 x 0.05 = 0.0375 rad (semi-implicit:
// with the new velocity). The cost is angle^2 = (pi/2)^2 alone.
TEST(Pendulum, HorizontalAtRestFallsWithHandComputedAcceleration) {
  Pendulum env;
  env.set_state({.theta = pi / 2.0, .theta_dot = 0.0});
  std::array<double, 3> observation{};
  const pgb::StepResult result = step_box(env, 0.0, observation);
  EXPECT_NEAR(env.state().theta_dot, 0.75, 1e-15);
  EXPECT_NEAR(env.state().theta, pi / 2.0 + 0.0375, 1e-15);
  EXPECT_NEAR(result.reward, -(pi * pi / 4.0), 1e-15);
  EXPECT_FALSE(result.terminated);
  EXPECT_FALSE(result.truncated);
  // Observation: (cos theta, sin theta, theta_dot) in float32.
  EXPECT_EQ(observation[0], f32(std::cos(pi / 2.0 + 0.0375)));
  EXPECT_EQ(observation[1], f32(std::sin(pi / 2.0 + 0.0375)));
  EXPECT_EQ(observation[2], f32(0.75));
}

TEST(Pendulum, GeneralStateUsesPreUpdateStateInTheCost) {
  // theta = 1, theta_dot = -0.5, torque 1.5 N m.
  Pendulum env;
  env.set_state({.theta = 1.0, .theta_dot = -0.5});
  std::array<double, 3> observation{};
  const pgb::StepResult result = step_box(env, 1.5, observation);
  const double theta_dot = -0.5 + (15.0 * std::sin(1.0) + 3.0 * 1.5) * 0.05;
  EXPECT_NEAR(env.state().theta_dot, theta_dot, 1e-15);
  EXPECT_NEAR(env.state().theta, 1.0 + theta_dot * 0.05, 1e-15);
  // 1^2 + 0.1 x 0.5^2 + 0.001 x 1.5^2 = 1.02725, from the state before the step.
  EXPECT_NEAR(result.reward, -1.02725, 1e-14);
}

TEST(Pendulum, TorqueIsClippedForDynamicsAndCost) {
  std::array<double, 3> observation{};
  for (const double action : {5.0, -7.0}) {
    Pendulum env;
    env.set_state({.theta = 0.0, .theta_dot = 0.0});
    const pgb::StepResult result = step_box(env, action, observation);
    const double torque = action > 0 ? 2.0 : -2.0;
    EXPECT_NEAR(env.state().theta_dot, 3.0 * torque * 0.05, 1e-15) << action;  // 3 / (m l^2) torque dt
    EXPECT_NEAR(result.reward, -0.001 * 4.0, 1e-15) << action;                 // charged for 2 N m, not more
  }
}

TEST(Pendulum, SpeedIsClippedToEightBeforeTheAngleMoves) {
  Pendulum env;
  env.set_state({.theta = pi / 2.0, .theta_dot = 7.9});  // 7.9 + (15 + 6) x 0.05 = 8.95 > 8
  std::array<double, 3> observation{};
  step_box(env, 2.0, observation);
  EXPECT_EQ(env.state().theta_dot, 8.0);
  EXPECT_NEAR(env.state().theta, pi / 2.0 + 8.0 * 0.05, 1e-15);
  EXPECT_EQ(observation[2], 8.0);

  env.set_state({.theta = -pi / 2.0, .theta_dot = -7.9});
  step_box(env, -2.0, observation);
  EXPECT_EQ(env.state().theta_dot, -8.0);
}

TEST(Pendulum, AngleCostIsMeasuredFromUprightWhateverTheTurnCount) {
  std::array<double, 3> observation{};
  Pendulum env;
  // Two full turns plus 0.5 rad costs like 0.5 rad; the state itself keeps the turns.
  env.set_state({.theta = 4.0 * pi + 0.5, .theta_dot = 0.0});
  EXPECT_NEAR(step_box(env, 0.0, observation).reward, -0.25, 1e-12);
  EXPECT_GT(env.state().theta, 4.0 * pi);
  // 3.5 rad is 2 pi - 3.5 = 2.7832 rad short of a full turn on the other side.
  env.set_state({.theta = 3.5, .theta_dot = 0.0});
  EXPECT_NEAR(step_box(env, 0.0, observation).reward, -std::pow(2.0 * pi - 3.5, 2), 1e-12);
  env.set_state({.theta = -3.5, .theta_dot = 0.0});
  EXPECT_NEAR(step_box(env, 0.0, observation).reward, -std::pow(2.0 * pi - 3.5, 2), 1e-12);
}

TEST(Pendulum, GravityParameterScalesTheGravityTerm) {
  Pendulum env(Pendulum::Params{.gravity = 9.81});
  env.set_state({.theta = pi / 2.0, .theta_dot = 0.0});
  std::array<double, 3> observation{};
  step_box(env, 0.0, observation);
  EXPECT_NEAR(env.state().theta_dot, 1.5 * 9.81 * 0.05, 1e-15);
}

TEST(Pendulum, ResetDrawsAngleOnTheCircleAndSmallSpeed) {
  Pendulum env;
  env.rng().reseed(11);
  std::array<double, 3> observation{};
  constexpr int kResets = 20000;
  double theta_sum = 0.0, theta_dot_sum = 0.0;
  for (int i = 0; i < kResets; ++i) {
    env.reset(observation);
    const Pendulum::State s = env.state();
    ASSERT_GE(s.theta, -pi);
    ASSERT_LT(s.theta, pi);
    ASSERT_GE(s.theta_dot, -1.0);
    ASSERT_LT(s.theta_dot, 1.0);
    ASSERT_EQ(observation[0], f32(std::cos(s.theta)));
    ASSERT_EQ(observation[1], f32(std::sin(s.theta)));
    ASSERT_EQ(observation[2], f32(s.theta_dot));
    theta_sum += s.theta;
    theta_dot_sum += s.theta_dot;
  }
  // Standard errors of the means: (2 pi / sqrt 12) / sqrt 20000 = 0.013 and 0.004; the bands
  // are about 8 of them.
  EXPECT_NEAR(theta_sum / kResets, 0.0, 0.1);
  EXPECT_NEAR(theta_dot_sum / kResets, 0.0, 0.03);
}

TEST(Pendulum, ResetIsReproducibleForASeed) {
  // The observation shows cos and sin of theta: the angle itself must match too.
  testing::expect_reset_reproducible<Pendulum>(
      5, [](const Pendulum& a, const Pendulum& b) { return a.state().theta == b.state().theta; });
}

// Random torques U(-2, 2) for 200 steps give about -1230 (returns have a standard deviation
// near 290). Over 1000 episodes the standard error is 9, so [-1280, -1180] is a band of more
// than 5 standard errors. Each step's reward lies in [-(pi^2 + 0.1 x 64 + 0.001 x 4), 0].
TEST(Pendulum, RandomPolicyReturnIsAboutMinusTwelveHundred) {
  Pendulum env;
  const double worst_step = -(pi * pi + 6.4 + 0.004);
  const auto episodes =
      testing::run_episodes(env, 1000, 2, [&](pgb::Rng& rng, pgb::Environment& e, std::span<double> obs) {
        const pgb::StepResult result = step_box(e, rng.uniform(-2.0, 2.0), obs);
        EXPECT_LE(result.reward, 0.0);
        EXPECT_GE(result.reward, worst_step);
        return result;
      });
  for (const auto& episode : episodes) {
    ASSERT_FALSE(episode.terminated);  // Pendulum never terminates: every episode runs to the limit
    ASSERT_EQ(episode.length, 200u);
  }
  const double mean = testing::mean_return(episodes);
  EXPECT_GT(mean, -1280.0);
  EXPECT_LT(mean, -1180.0);
}

}  // namespace
}  // namespace classic_control
