// pendulum.cpp -- Pendulum-v1 dynamics: a uniform rod on a motorised pivot, semi-implicit Euler
// at 20 Hz, with a quadratic cost on angle, speed and torque.
#include "pendulum.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include <pgbench/sdk/plugin.hpp>

#include "float32.hpp"

namespace classic_control {
namespace {

constexpr double kMass = 1.0;       // kg
constexpr double kLength = 1.0;     // m, the rod's length
constexpr double kTimeStep = 0.05;  // s per env step
constexpr double kMaxSpeed = 8.0;   // rad/s, the motor's speed limit
constexpr double kMaxTorque = 2.0;  // N m

// Weights of the cost terms: angle^2 (rad^2), speed^2 ((rad/s)^2), torque^2 ((N m)^2).
constexpr double kSpeedCostWeight = 0.1;
constexpr double kTorqueCostWeight = 0.001;

constexpr std::uint32_t kMaxEpisodeSteps = 200;

// The angle's distance from upright, in [-pi, pi): ((a + pi) mod 2 pi) - pi with the modulo
// taken towards minus infinity, so that a full turn costs nothing.
double normalize_angle(double angle) {
  constexpr double two_pi = 2.0 * std::numbers::pi;
  double shifted = std::fmod(angle + std::numbers::pi, two_pi);
  if (shifted < 0.0) shifted += two_pi;
  return shifted - std::numbers::pi;
}

}  // namespace

Pendulum::Pendulum(const pgb::Config& config) : Pendulum(Params{.gravity = config.get_double("g")}) {}

pgb::EnvSpec Pendulum::spec() const {
  return {.observation = pgb::Space::box({-1.0, -1.0, -kMaxSpeed}, {1.0, 1.0, kMaxSpeed}),
          .action = pgb::Space::box(1, -kMaxTorque, kMaxTorque),
          .frames_per_step = 1,
          .max_episode_steps = kMaxEpisodeSteps};
}

void Pendulum::reset(std::span<double> observation) {
  // Anywhere on the circle, gently moving.
  state_.theta = rng().uniform(-std::numbers::pi, std::numbers::pi);
  state_.theta_dot = rng().uniform(-1.0, 1.0);
  observe(observation);
}

pgb::StepResult Pendulum::step(pgb::ActionRef action, std::span<double> observation) {
  const double torque = std::clamp(action.values()[0], -kMaxTorque, kMaxTorque);  // N m
  auto& [theta, theta_dot] = state_;

  // The cost judges the state the action was taken in, and the torque actually applied.
  const double angle_from_upright = normalize_angle(theta);
  const double angle_cost = angle_from_upright * angle_from_upright;
  const double speed_cost = kSpeedCostWeight * (theta_dot * theta_dot);
  const double torque_cost = kTorqueCostWeight * (torque * torque);

  // Rod about its end: I = m l^2 / 3, gravity's torque m g (l/2) sin theta, hence
  // theta_acc = 3 g / (2 l) sin theta + 3 / (m l^2) torque. Semi-implicit Euler: the new
  // (speed-limited) velocity moves the angle.
  const double gravity = params_.gravity;
  theta_dot +=
      (3.0 * gravity / (2.0 * kLength) * std::sin(theta) + 3.0 / (kMass * kLength * kLength) * torque) * kTimeStep;
  theta_dot = std::clamp(theta_dot, -kMaxSpeed, kMaxSpeed);
  theta += theta_dot * kTimeStep;

  observe(observation);
  return {.reward = -(angle_cost + speed_cost + torque_cost), .terminated = false};
}

void Pendulum::observe(std::span<double> observation) const {
  observation[0] = round_to_float32(std::cos(state_.theta));
  observation[1] = round_to_float32(std::sin(state_.theta));
  observation[2] = round_to_float32(state_.theta_dot);
}

PGB_REGISTER_ENV(Pendulum, "org.pgbench.classic.pendulum/1")
    .name("Pendulum-v1")
    .description("Swing a torque-limited pendulum up from a random angle and keep it upright at least cost.")
    .param("g", Pendulum::kDefaultGravity, "gravitational acceleration, m/s^2", 0.0, 100.0);

}  // namespace classic_control
