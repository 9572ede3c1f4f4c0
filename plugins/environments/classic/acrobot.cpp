// acrobot.cpp -- Acrobot-v1 dynamics: the "book" equations of motion of the acrobot, one
// classic Runge-Kutta step of 0.2 s per env step.
#include "acrobot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

#include <pgbench/sdk/plugin.hpp>

#include "float32.hpp"

namespace classic_control {
namespace {

using std::numbers::pi;

constexpr double kTimeStep = 0.2;                             // s per env step
constexpr double kLink1Length = 1.0;                          // m
constexpr double kLink2Length = 1.0;                          // m
constexpr double kLink1Mass = 1.0;                            // kg
constexpr double kLink2Mass = 1.0;                            // kg
constexpr double kLink1CenterOfMass = 0.5;                    // m from the pivot
constexpr double kLink2CenterOfMass = 0.5;                    // m from the middle joint
constexpr double kLink1Inertia = 1.0;                         // kg m^2
constexpr double kLink2Inertia = 1.0;                         // kg m^2
constexpr double kGravity = 9.8;                              // m/s^2
constexpr double kMaxSpeed1 = 4.0 * pi;                       // rad/s
constexpr double kMaxSpeed2 = 9.0 * pi;                       // rad/s
constexpr std::array<double, 3> kTorques = {-1.0, 0.0, 1.0};  // N m, by action index

// The goal: the tip higher above the pivot than one link length, in m.
constexpr double kGoalHeight = kLink1Length;

constexpr std::uint32_t kMaxEpisodeSteps = 500;

// (theta1, theta2, theta1_dot, theta2_dot) and its time derivative.
using Vector4 = std::array<double, 4>;

// The state's rate of change under a constant torque at the middle joint (Sutton & Barto's
// "book" form). d1, d2 are entries of the mass matrix, phi1, phi2 the gravity and
// velocity-product (Coriolis, centrifugal) torques on the two joints.
Vector4 rates(const Vector4& state, double torque) {
  const auto [theta1, theta2, theta1_dot, theta2_dot] = state;
  constexpr double m1 = kLink1Mass, m2 = kLink2Mass, l1 = kLink1Length;
  constexpr double lc1 = kLink1CenterOfMass, lc2 = kLink2CenterOfMass;
  constexpr double I1 = kLink1Inertia, I2 = kLink2Inertia, g = kGravity;

  const double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * std::cos(theta2)) + I1 + I2;
  const double d2 = m2 * (lc2 * lc2 + l1 * lc2 * std::cos(theta2)) + I2;
  const double phi2 = m2 * lc2 * g * std::cos(theta1 + theta2 - pi / 2.0);
  const double phi1 = -m2 * l1 * lc2 * theta2_dot * theta2_dot * std::sin(theta2) -
                      2 * m2 * l1 * lc2 * theta2_dot * theta1_dot * std::sin(theta2) +
                      (m1 * lc1 + m2 * l1) * g * std::cos(theta1 - pi / 2.0) + phi2;
  const double theta2_acc =
      (torque + d2 / d1 * phi1 - m2 * l1 * lc2 * theta1_dot * theta1_dot * std::sin(theta2) - phi2) /
      (m2 * lc2 * lc2 + I2 - d2 * d2 / d1);
  const double theta1_acc = -(d2 * theta2_acc + phi1) / d1;
  return {theta1_dot, theta2_dot, theta1_acc, theta2_acc};
}

Vector4 plus_scaled(const Vector4& y, double h, const Vector4& rate) {
  return {y[0] + h * rate[0], y[1] + h * rate[1], y[2] + h * rate[2], y[3] + h * rate[3]};
}

// One classic fourth-order Runge-Kutta step of length h, the torque held constant.
Vector4 runge_kutta4(const Vector4& y, double h, double torque) {
  const Vector4 k1 = rates(y, torque);
  const Vector4 k2 = rates(plus_scaled(y, h / 2.0, k1), torque);
  const Vector4 k3 = rates(plus_scaled(y, h / 2.0, k2), torque);
  const Vector4 k4 = rates(plus_scaled(y, h, k3), torque);
  Vector4 next;
  for (std::size_t i = 0; i < next.size(); ++i) next[i] = y[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
  return next;
}

// Adds or removes whole turns until the angle lies in [-pi, pi].
double wrap_angle(double angle) {
  while (angle > pi) angle -= 2.0 * pi;
  while (angle < -pi) angle += 2.0 * pi;
  return angle;
}

}  // namespace

pgb::EnvSpec Acrobot::spec() const {
  // float32 bounds, like the observations: float(4 pi) lies just above 4 pi.
  const double speed1_bound = round_to_float32(kMaxSpeed1);
  const double speed2_bound = round_to_float32(kMaxSpeed2);
  return {.observation = pgb::Space::box({-1.0, -1.0, -1.0, -1.0, -speed1_bound, -speed2_bound},
                                         {1.0, 1.0, 1.0, 1.0, speed1_bound, speed2_bound}),
          .action = pgb::Space::discrete(static_cast<std::int64_t>(kTorques.size())),
          .frames_per_step = 1,
          .max_episode_steps = kMaxEpisodeSteps};
}

void Acrobot::reset(std::span<double> observation) {
  // Hanging nearly still, nearly straight down.
  state_.theta1 = rng().uniform(-0.1, 0.1);
  state_.theta2 = rng().uniform(-0.1, 0.1);
  state_.theta1_dot = rng().uniform(-0.1, 0.1);
  state_.theta2_dot = rng().uniform(-0.1, 0.1);
  observe(observation);
}

pgb::StepResult Acrobot::step(pgb::ActionRef action, std::span<double> observation) {
  const double torque = kTorques[static_cast<std::size_t>(action.index())];
  const Vector4 next =
      runge_kutta4({state_.theta1, state_.theta2, state_.theta1_dot, state_.theta2_dot}, kTimeStep, torque);
  state_.theta1 = wrap_angle(next[0]);
  state_.theta2 = wrap_angle(next[1]);
  state_.theta1_dot = std::clamp(next[2], -kMaxSpeed1, kMaxSpeed1);
  state_.theta2_dot = std::clamp(next[3], -kMaxSpeed2, kMaxSpeed2);

  // Height of the tip above the pivot (theta1 = 0 hangs straight down).
  const double tip_height =
      -kLink1Length * std::cos(state_.theta1) - kLink2Length * std::cos(state_.theta1 + state_.theta2);
  const bool reached_goal = tip_height > kGoalHeight;
  // -1 for every step spent below the line, so the return counts the steps to the goal.
  const double time_penalty = reached_goal ? 0.0 : -1.0;
  observe(observation);
  return {.reward = time_penalty, .terminated = reached_goal};
}

void Acrobot::observe(std::span<double> observation) const {
  observation[0] = round_to_float32(std::cos(state_.theta1));
  observation[1] = round_to_float32(std::sin(state_.theta1));
  observation[2] = round_to_float32(std::cos(state_.theta2));
  observation[3] = round_to_float32(std::sin(state_.theta2));
  observation[4] = round_to_float32(state_.theta1_dot);
  observation[5] = round_to_float32(state_.theta2_dot);
}

PGB_REGISTER_ENV(Acrobot, "org.pgbench.classic.acrobot/1")
    .name("Acrobot-v1")
    .description(
        "Swing the tip of a two-link pendulum, actuated only at its middle joint, above a line one link length over "
        "the pivot (Sutton 1996).");

}  // namespace classic_control
