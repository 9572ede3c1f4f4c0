// CartPole-v1 against specs/mujoco-tasks.md §13.1.
#include "cartpole.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

#include <gtest/gtest.h>

#include "classic_test_support.hpp"

namespace classic_control {
namespace {

using testing::f32;

constexpr std::int64_t kPushLeft = 0, kPushRight = 1;  // action indices

TEST(CartPole, SpacesAndTimeLimit) {
  const pgb::EnvSpec spec = CartPole().spec();
  ASSERT_TRUE(spec.observation.is_box());
  ASSERT_EQ(spec.observation.dim(), 4u);
  constexpr double inf = std::numeric_limits<double>::infinity();
  const std::array<double, 4> high = {f32(4.8), inf, f32(0.41887902047863906), inf};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(spec.observation.high()[i], high[i]) << i;
    EXPECT_EQ(spec.observation.low()[i], -high[i]) << i;
  }
  ASSERT_TRUE(spec.action.is_discrete());
  EXPECT_EQ(spec.action.n(), 2);
  EXPECT_EQ(spec.action.start(), 0);
  EXPECT_EQ(spec.max_episode_steps, 500u);
}

// From rest, upright, pushed right: temp = F / M = 100/11; theta_acc = -temp / (l (4/3 - m_p/M))
// = -(100/11) / (41/66) = -600/41 rad/s^2; x_acc = temp - m_p l theta_acc / M = 400/41 m/s^2.
TEST(CartPole, PushFromRestMatchesHandComputedAccelerations) {
  CartPole env;
  env.set_state({.x = 0.0, .x_dot = 0.0, .theta = 0.0, .theta_dot = 0.0});
  std::array<double, 4> observation{};
  env.step(kPushRight, observation);
  const CartPole::State& s = env.state();
  EXPECT_EQ(s.x, 0.0);  // positions move with the old (zero) velocities
  EXPECT_EQ(s.theta, 0.0);
  EXPECT_NEAR(s.x_dot, 0.02 * 400.0 / 41.0, 1e-15);
  EXPECT_NEAR(s.theta_dot, 0.02 * -600.0 / 41.0, 1e-15);

  env.set_state({.x = 0.0, .x_dot = 0.0, .theta = 0.0, .theta_dot = 0.0});
  env.step(kPushLeft, observation);  // the mirror image
  EXPECT_NEAR(env.state().x_dot, -0.02 * 400.0 / 41.0, 1e-15);
  EXPECT_NEAR(env.state().theta_dot, 0.02 * 600.0 / 41.0, 1e-15);
}

TEST(CartPole, GeneralStateFollowsSpecEquationsWithExplicitEuler) {
  // (x, x_dot, theta, theta_dot) = (0.1, -0.2, 0.05, 0.3), pushed left (F = -10 N).
  const double sin_t = std::sin(0.05), cos_t = std::cos(0.05);
  const double temp = (-10.0 + 0.1 * 0.5 * 0.3 * 0.3 * sin_t) / 1.1;
  const double theta_acc = (9.8 * sin_t - cos_t * temp) / (0.5 * (4.0 / 3.0 - 0.1 * cos_t * cos_t / 1.1));
  const double x_acc = temp - 0.1 * 0.5 * theta_acc * cos_t / 1.1;

  CartPole env;
  env.set_state({.x = 0.1, .x_dot = -0.2, .theta = 0.05, .theta_dot = 0.3});
  std::array<double, 4> observation{};
  const pgb::StepResult result = env.step(kPushLeft, observation);
  const CartPole::State& s = env.state();
  EXPECT_NEAR(s.x, 0.1 + 0.02 * -0.2, 1e-15);
  EXPECT_NEAR(s.x_dot, -0.2 + 0.02 * x_acc, 1e-15);
  EXPECT_NEAR(s.theta, 0.05 + 0.02 * 0.3, 1e-15);
  EXPECT_NEAR(s.theta_dot, 0.3 + 0.02 * theta_acc, 1e-15);
  EXPECT_DOUBLE_EQ(result.reward, 1.0);
  EXPECT_FALSE(result.terminated);
  EXPECT_FALSE(result.truncated);

  // The observation is the state, in order, rounded to float32.
  EXPECT_EQ(observation[0], f32(s.x));
  EXPECT_EQ(observation[1], f32(s.x_dot));
  EXPECT_EQ(observation[2], f32(s.theta));
  EXPECT_EQ(observation[3], f32(s.theta_dot));
  EXPECT_NE(observation[1], s.x_dot);  // really rounded, not the double
}

// A state sitting exactly on a limit with zero velocity stays there and is still alive; any
// motion past the limit ends the episode.
TEST(CartPole, TerminatesJustPastTheTrackEnds) {
  CartPole env;
  std::array<double, 4> observation{};
  for (const double side : {-1.0, 1.0}) {
    env.set_state({.x = side * 2.4, .x_dot = 0.0, .theta = 0.0, .theta_dot = 0.0});
    const pgb::StepResult on_limit = env.step(kPushLeft, observation);
    EXPECT_EQ(env.state().x, side * 2.4);
    EXPECT_FALSE(on_limit.terminated) << side;

    env.set_state({.x = side * 2.4, .x_dot = side * 0.01, .theta = 0.0, .theta_dot = 0.0});
    const pgb::StepResult past = env.step(kPushLeft, observation);
    EXPECT_TRUE(past.terminated) << side;
    EXPECT_DOUBLE_EQ(past.reward, 1.0);  // the failing step still counts
    EXPECT_FALSE(past.truncated);
  }
}

TEST(CartPole, TerminatesJustPastTwelveDegrees) {
  const double twelve_degrees = 12.0 * 2.0 * std::numbers::pi / 360.0;
  CartPole env;
  std::array<double, 4> observation{};
  for (const double side : {-1.0, 1.0}) {
    env.set_state({.x = 0.0, .x_dot = 0.0, .theta = side * twelve_degrees, .theta_dot = 0.0});
    EXPECT_FALSE(env.step(kPushRight, observation).terminated) << side;

    env.set_state({.x = 0.0, .x_dot = 0.0, .theta = side * twelve_degrees, .theta_dot = side * 0.01});
    EXPECT_TRUE(env.step(kPushRight, observation).terminated) << side;
  }
  env.set_state({.x = 0.0, .x_dot = 0.0, .theta = 0.9 * twelve_degrees, .theta_dot = 0.0});
  EXPECT_FALSE(env.step(kPushRight, observation).terminated);
}

TEST(CartPole, SuttonBartoRewardIsZeroThenMinusOneOnFailure) {
  CartPole env(CartPole::Params{.sutton_barto_reward = true});
  std::array<double, 4> observation{};
  env.set_state({.x = 0.0, .x_dot = 0.0, .theta = 0.0, .theta_dot = 0.0});
  EXPECT_DOUBLE_EQ(env.step(kPushRight, observation).reward, 0.0);
  env.set_state({.x = 2.4, .x_dot = 1.0, .theta = 0.0, .theta_dot = 0.0});
  const pgb::StepResult failed = env.step(kPushRight, observation);
  EXPECT_TRUE(failed.terminated);
  EXPECT_DOUBLE_EQ(failed.reward, -1.0);
}

TEST(CartPole, ResetDrawsEachEntryUniformlyInPlusMinusFiveHundredths) {
  CartPole env;
  env.rng().reseed(7);
  std::array<double, 4> observation{};
  constexpr int kResets = 20000;
  std::array<double, 4> sum{};
  for (int i = 0; i < kResets; ++i) {
    env.reset(observation);
    const CartPole::State& s = env.state();
    const std::array<double, 4> entries = {s.x, s.x_dot, s.theta, s.theta_dot};
    for (std::size_t k = 0; k < 4; ++k) {
      ASSERT_GE(entries[k], -0.05);
      ASSERT_LT(entries[k], 0.05);
      ASSERT_EQ(observation[k], f32(entries[k]));
      sum[k] += entries[k];
    }
  }
  // U(-0.05, 0.05) has standard deviation 0.1 / sqrt(12) = 0.029; the mean of 20000 draws has
  // standard error 0.0002, so 0.002 is a 10-sigma band around the centre.
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(sum[k] / kResets, 0.0, 0.002) << k;
}

TEST(CartPole, ResetIsReproducibleForASeed) { testing::expect_reset_reproducible<CartPole>(42); }

// Gymnasium's random policy lasts about 22 steps on average (episode lengths have a standard
// deviation near 12). Over 2000 episodes the standard error of the mean is 12 / sqrt(2000) =
// 0.27, so [20.8, 23.6] is a band of more than 5 standard errors around 22.2.
TEST(CartPole, RandomPolicyReturnIsAboutTwentyTwo) {
  CartPole env;
  const auto episodes =
      testing::run_episodes(env, 2000, 1, [](pgb::Rng& rng, pgb::Environment& e, std::span<double> obs) {
        return e.step(static_cast<std::int64_t>(rng.below(2)), obs);
      });
  for (const auto& episode : episodes) {
    ASSERT_TRUE(episode.terminated);  // a random policy never balances for 500 steps
    ASSERT_EQ(episode.episode_return, static_cast<double>(episode.length));
  }
  const double mean = testing::mean_return(episodes);
  EXPECT_GT(mean, 20.8);
  EXPECT_LT(mean, 23.6);
}

}  // namespace
}  // namespace classic_control
