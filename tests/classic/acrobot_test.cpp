// Acrobot-v1 against specs/mujoco-tasks.md §13.4.
#include "acrobot.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

#include <gtest/gtest.h>

#include "classic_test_support.hpp"

namespace classic_control {
namespace {

using std::numbers::pi;
using testing::f32;
using Vector4 = std::array<double, 4>;  // (theta1, theta2, theta1_dot, theta2_dot)

constexpr std::int64_t kNegativeTorque = 0, kNoTorque = 1, kPositiveTorque = 2;  // action indices

// The spec's "book" equations, transcribed with the constants written out: m1 = m2 = 1 kg,
// l1 = 1 m, lc1 = lc2 = 0.5 m, I1 = I2 = 1 kg m^2, g = 9.8 m/s^2.
Vector4 book_rates(const Vector4& s, double torque) {
  const double t1 = s[0], t2 = s[1], w1 = s[2], w2 = s[3];
  const double d1 = 0.25 + (1.0 + 0.25 + 2.0 * 0.5 * std::cos(t2)) + 1.0 + 1.0;
  const double d2 = (0.25 + 0.5 * std::cos(t2)) + 1.0;
  const double phi2 = 0.5 * 9.8 * std::cos(t1 + t2 - pi / 2.0);
  const double phi1 = -0.5 * w2 * w2 * std::sin(t2) - 2.0 * 0.5 * w2 * w1 * std::sin(t2) +
                      (0.5 + 1.0) * 9.8 * std::cos(t1 - pi / 2.0) + phi2;
  const double acc2 = (torque + d2 / d1 * phi1 - 0.5 * w1 * w1 * std::sin(t2) - phi2) / (0.25 + 1.0 - d2 * d2 / d1);
  const double acc1 = -(d2 * acc2 + phi1) / d1;
  return {w1, w2, acc1, acc2};
}

// One classic RK4 step of 0.2 s, before wrapping and clipping.
Vector4 book_rk4_step(const Vector4& y, double torque) {
  const double h = 0.2;
  auto at = [&](const Vector4& k, double scale) {
    return Vector4{y[0] + scale * k[0], y[1] + scale * k[1], y[2] + scale * k[2], y[3] + scale * k[3]};
  };
  const Vector4 k1 = book_rates(y, torque);
  const Vector4 k2 = book_rates(at(k1, h / 2), torque);
  const Vector4 k3 = book_rates(at(k2, h / 2), torque);
  const Vector4 k4 = book_rates(at(k3, h), torque);
  Vector4 next;
  for (int i = 0; i < 4; ++i) next[i] = y[i] + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  return next;
}

Vector4 as_vector(const Acrobot::State& s) { return {s.theta1, s.theta2, s.theta1_dot, s.theta2_dot}; }
Acrobot::State as_state(const Vector4& v) { return {v[0], v[1], v[2], v[3]}; }

// Total mechanical energy, J: kinetic 1/2 d1 w1^2 + d2 w1 w2 + 1/2 (m2 lc2^2 + I2) w2^2, potential
// with the centres of mass at heights -lc1 cos t1 and -(l1 cos t1 + lc2 cos(t1 + t2)).
double energy(const Acrobot::State& s) {
  const double d1 = 0.25 + (1.0 + 0.25 + std::cos(s.theta2)) + 2.0;
  const double d2 = (0.25 + 0.5 * std::cos(s.theta2)) + 1.0;
  const double kinetic = 0.5 * d1 * s.theta1_dot * s.theta1_dot + d2 * s.theta1_dot * s.theta2_dot +
                         0.5 * 1.25 * s.theta2_dot * s.theta2_dot;
  const double potential =
      -9.8 * 0.5 * std::cos(s.theta1) - 9.8 * (std::cos(s.theta1) + 0.5 * std::cos(s.theta1 + s.theta2));
  return kinetic + potential;
}

TEST(Acrobot, SpacesAndTimeLimit) {
  const pgb::EnvSpec spec = Acrobot().spec();
  ASSERT_TRUE(spec.observation.is_box());
  ASSERT_EQ(spec.observation.dim(), 6u);
  const std::vector<double> high = {1.0, 1.0, 1.0, 1.0, f32(4.0 * pi), f32(9.0 * pi)};
  EXPECT_EQ(spec.observation.high(), high);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(spec.observation.low()[i], -high[i]) << i;
  ASSERT_TRUE(spec.action.is_discrete());
  EXPECT_EQ(spec.action.n(), 3);
  EXPECT_EQ(spec.max_episode_steps, 500u);
}

// At rest hanging down (cos t2 = 1, sin = 0): d1 = 0.25 + 2.25 + 2 = 4.5, d2 = 0.75 + 1 = 1.75,
// phi1 = phi2 = 0, so with torque 1: theta2_acc = 1 / (1.25 - 1.75^2 / 4.5) = 72/41 and
// theta1_acc = -1.75 x (72/41) / 4.5 = -28/41. This pins the transcription used below.
TEST(Acrobot, BookEquationsAtRestGiveHandComputedAccelerations) {
  const Vector4 rates = book_rates({0.0, 0.0, 0.0, 0.0}, 1.0);
  EXPECT_NEAR(rates[2], -28.0 / 41.0, 1e-15);
  EXPECT_NEAR(rates[3], 72.0 / 41.0, 1e-15);
}

TEST(Acrobot, StepIsOneRungeKuttaStepOfTheBookEquations) {
  const std::array<Vector4, 3> starts = {Vector4{0.0, 0.0, 0.0, 0.0}, Vector4{0.3, -0.4, 0.5, -1.0},
                                         Vector4{1.0, 0.5, -1.0, 2.0}};
  const std::array<double, 3> torques = {-1.0, 0.0, 1.0};
  for (const Vector4& start : starts) {
    for (std::int64_t action = 0; action < 3; ++action) {
      const Vector4 expected = book_rk4_step(start, torques[action]);
      for (const double angle : {expected[0], expected[1]}) ASSERT_LT(std::abs(angle), pi);  // no wrap here
      Acrobot env;
      env.set_state(as_state(start));
      std::array<double, 6> observation{};
      const pgb::StepResult result = env.step(action, observation);
      const Vector4 got = as_vector(env.state());
      for (int i = 0; i < 4; ++i) EXPECT_NEAR(got[i], expected[i], 1e-12) << "entry " << i << ", action " << action;
      EXPECT_FALSE(result.terminated);
      EXPECT_EQ(result.reward, -1.0);
      EXPECT_FALSE(result.truncated);
      // (cos t1, sin t1, cos t2, sin t2, t1_dot, t2_dot) in float32.
      const Acrobot::State& s = env.state();
      EXPECT_EQ(observation,
                (std::array<double, 6>{f32(std::cos(s.theta1)), f32(std::sin(s.theta1)), f32(std::cos(s.theta2)),
                                       f32(std::sin(s.theta2)), f32(s.theta1_dot), f32(s.theta2_dot)}));
    }
  }
}

TEST(Acrobot, AnglesWrapIntoMinusPiToPi) {
  // Link 1 swings over the top through +pi; link 2 folds past -pi.
  const Vector4 start = {3.1, -3.1, 1.0, -1.5};
  const Vector4 raw = book_rk4_step(start, 0.0);
  ASSERT_GT(raw[0], pi);
  ASSERT_LT(raw[1], -pi);
  Acrobot env;
  env.set_state(as_state(start));
  std::array<double, 6> observation{};
  env.step(kNoTorque, observation);
  EXPECT_NEAR(env.state().theta1, raw[0] - 2.0 * pi, 1e-12);
  EXPECT_NEAR(env.state().theta2, raw[1] + 2.0 * pi, 1e-12);
  EXPECT_NEAR(env.state().theta1_dot, raw[2], 1e-12);  // velocities are untouched by the wrap
  EXPECT_NEAR(env.state().theta2_dot, raw[3], 1e-12);
}

TEST(Acrobot, SpeedsAreClippedToFourPiAndNinePi) {
  std::array<double, 6> observation{};
  for (const double side : {1.0, -1.0}) {
    // Link 1 horizontal and falling in the direction it already spins fast.
    const Vector4 fast_link1 = {-side * pi / 2.0, side * 1.5, side * (4.0 * pi - 0.05), 0.0};
    ASSERT_GT(side * book_rk4_step(fast_link1, 0.0)[2], 4.0 * pi);
    Acrobot env;
    env.set_state(as_state(fast_link1));
    env.step(kNoTorque, observation);
    EXPECT_EQ(env.state().theta1_dot, side * 4.0 * pi);
    EXPECT_EQ(observation[4], f32(side * 4.0 * pi));

    // Link 2 just under its limit, the torque pushing it over.
    const Vector4 fast_link2 = {0.0, 0.0, 0.0, side * (9.0 * pi - 0.01)};
    ASSERT_GT(side * book_rk4_step(fast_link2, side)[3], 9.0 * pi);
    env.set_state(as_state(fast_link2));
    env.step(side > 0 ? kPositiveTorque : kNegativeTorque, observation);
    EXPECT_EQ(env.state().theta2_dot, side * 9.0 * pi);
  }
}

// Without torque the acrobot is conservative. RK4 at 0.2 s loses a little energy (about 1e-4 to
// 1e-3 J for these states); an error in the equations costs far more.
TEST(Acrobot, ZeroTorqueStepConservesEnergy) {
  for (const Acrobot::State& start : {Acrobot::State{0.3, -0.4, 0.5, -1.0}, Acrobot::State{3.1, 0.2, 1.0, 0.0}}) {
    Acrobot env;
    env.set_state(start);
    std::array<double, 6> observation{};
    env.step(kNoTorque, observation);
    EXPECT_NEAR(energy(env.state()), energy(start), 1e-2);
  }
}

TEST(Acrobot, TerminatesWithRewardZeroWhenTheTipIsAboveOneMetre) {
  std::array<double, 6> observation{};
  Acrobot env;
  env.set_state({.theta1 = pi, .theta2 = 0.0, .theta1_dot = 0.0, .theta2_dot = 0.0});  // both links straight up
  const pgb::StepResult up = env.step(kNoTorque, observation);
  EXPECT_TRUE(up.terminated);
  EXPECT_EQ(up.reward, 0.0);
  EXPECT_FALSE(up.truncated);

  env.set_state({.theta1 = pi / 2.0, .theta2 = 0.0, .theta1_dot = 0.0, .theta2_dot = 0.0});  // horizontal
  const pgb::StepResult level = env.step(kNoTorque, observation);
  EXPECT_FALSE(level.terminated);
  EXPECT_EQ(level.reward, -1.0);
}

// Over states all around the circle, termination is exactly "tip height -cos t1 - cos(t1 + t2)
// of the new state above 1".
TEST(Acrobot, TerminationIsTheTipHeightOfTheNewStateAboveOne) {
  pgb::Rng rng(3);
  std::array<double, 6> observation{};
  int above = 0, below = 0;
  for (int i = 0; i < 5000; ++i) {
    Acrobot env;
    env.set_state({rng.uniform(-pi, pi), rng.uniform(-pi, pi), rng.uniform(-2.0, 2.0), rng.uniform(-2.0, 2.0)});
    const pgb::StepResult result = env.step(static_cast<std::int64_t>(rng.below(3)), observation);
    const Acrobot::State& s = env.state();
    const bool tip_above = -std::cos(s.theta1) - std::cos(s.theta1 + s.theta2) > 1.0;
    ASSERT_EQ(result.terminated, tip_above) << i;
    ASSERT_EQ(result.reward, tip_above ? 0.0 : -1.0);
    (tip_above ? above : below) += 1;
  }
  EXPECT_GT(above, 100);  // both outcomes were exercised
  EXPECT_GT(below, 100);
}

TEST(Acrobot, ResetDrawsEachEntryUniformlyInPlusMinusOneTenth) {
  Acrobot env;
  env.rng().reseed(13);
  std::array<double, 6> observation{};
  constexpr int kResets = 20000;
  Vector4 sum{};
  for (int i = 0; i < kResets; ++i) {
    env.reset(observation);
    const Vector4 s = as_vector(env.state());
    for (int k = 0; k < 4; ++k) {
      ASSERT_GE(s[k], -0.1);
      ASSERT_LT(s[k], 0.1);
      sum[k] += s[k];
    }
    ASSERT_EQ(observation[0], f32(std::cos(s[0])));
    ASSERT_EQ(observation[5], f32(s[3]));
  }
  // U(-0.1, 0.1): standard deviation 0.058, standard error of the mean 0.0004; band of 10.
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(sum[k] / kResets, 0.0, 0.004) << k;
}

TEST(Acrobot, ResetIsReproducibleForASeed) { testing::expect_reset_reproducible<Acrobot>(9); }

// A random policy almost never lifts the tip: about 1 episode in 80 reaches the line, each such
// episode raising the mean return by at most 500 / episodes. Over 200 episodes the expected
// count is 2.5; the band [-500, -490] allows up to about 10 (over 4 standard deviations).
TEST(Acrobot, RandomPolicyReturnIsAboutMinusFiveHundred) {
  Acrobot env;
  const auto episodes =
      testing::run_episodes(env, 200, 4, [](pgb::Rng& rng, pgb::Environment& e, std::span<double> obs) {
        return e.step(static_cast<std::int64_t>(rng.below(3)), obs);
      });
  for (const auto& episode : episodes) {
    // -1 per step, 0 on the terminating step.
    const double expected = episode.terminated ? -static_cast<double>(episode.length - 1) : -500.0;
    ASSERT_EQ(episode.episode_return, expected);
  }
  const double mean = testing::mean_return(episodes);
  EXPECT_GE(mean, -500.0);
  EXPECT_LT(mean, -490.0);
}

}  // namespace
}  // namespace classic_control
