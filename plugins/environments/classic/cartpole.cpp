// cartpole.cpp -- CartPole-v1 dynamics: frictionless cart-pole, explicit Euler at 50 Hz.
#include "cartpole.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

#include <pgbench/sdk/plugin.hpp>

#include "float32.hpp"

namespace classic_control {
namespace {

constexpr double kGravity = 9.8;                                 // m/s^2
constexpr double kCartMass = 1.0;                                // kg
constexpr double kPoleMass = 0.1;                                // kg
constexpr double kTotalMass = kCartMass + kPoleMass;             // kg
constexpr double kPoleHalfLength = 0.5;                          // m, hinge to the pole's centre of mass
constexpr double kPoleMassLength = kPoleMass * kPoleHalfLength;  // kg m
constexpr double kForceMagnitude = 10.0;                         // N, the push of either action
constexpr double kTimeStep = 0.02;                               // s per env step

// The episode fails once the cart leaves the track or the pole leans past 12 degrees.
constexpr double kTrackHalfLength = 2.4;                                 // m
constexpr double kMaxPoleAngle = 12.0 * 2.0 * std::numbers::pi / 360.0;  // rad

constexpr std::uint32_t kMaxEpisodeSteps = 500;

}  // namespace

CartPole::CartPole(const pgb::Config& config)
    : CartPole(Params{.sutton_barto_reward = config.get_bool("sutton_barto_reward")}) {}

pgb::EnvSpec CartPole::spec() const {
  // Twice the failure limits, so every observation of a live episode lies well inside; the
  // bounds are float32 values, like the observations.
  constexpr double inf = std::numeric_limits<double>::infinity();
  const double x_bound = round_to_float32(2.0 * kTrackHalfLength);
  const double theta_bound = round_to_float32(2.0 * kMaxPoleAngle);
  return {.observation = pgb::Space::box({-x_bound, -inf, -theta_bound, -inf}, {x_bound, inf, theta_bound, inf}),
          .action = pgb::Space::discrete(2),
          .frames_per_step = 1,
          .max_episode_steps = kMaxEpisodeSteps};
}

void CartPole::reset(std::span<double> observation) {
  // A small random perturbation of the upright, resting pole at the centre of the track.
  state_.x = rng().uniform(-0.05, 0.05);
  state_.x_dot = rng().uniform(-0.05, 0.05);
  state_.theta = rng().uniform(-0.05, 0.05);
  state_.theta_dot = rng().uniform(-0.05, 0.05);
  observe(observation);
}

pgb::StepResult CartPole::step(pgb::ActionRef action, std::span<double> observation) {
  const double force = action.index() == 1 ? kForceMagnitude : -kForceMagnitude;  // N
  auto& [x, x_dot, theta, theta_dot] = state_;
  const double sin_theta = std::sin(theta);
  const double cos_theta = std::cos(theta);

  // Equations of motion of the cart-pole. `push` is the cart's acceleration from the applied
  // force and the pole's centrifugal pull; the pole's angular acceleration then takes back part
  // of it through the hinge reaction.
  const double push = (force + kPoleMassLength * theta_dot * theta_dot * sin_theta) / kTotalMass;
  const double theta_acc = (kGravity * sin_theta - cos_theta * push) /
                           (kPoleHalfLength * (4.0 / 3.0 - kPoleMass * cos_theta * cos_theta / kTotalMass));
  const double x_acc = push - kPoleMassLength * theta_acc * cos_theta / kTotalMass;

  // Explicit Euler: the positions advance with the velocities of the start of the step.
  x += kTimeStep * x_dot;
  x_dot += kTimeStep * x_acc;
  theta += kTimeStep * theta_dot;
  theta_dot += kTimeStep * theta_acc;

  const bool failed = x < -kTrackHalfLength || x > kTrackHalfLength || theta < -kMaxPoleAngle || theta > kMaxPoleAngle;
  // The default reward counts the steps survived, the failing one included.
  const double survival_reward = 1.0;
  const double sutton_barto_reward = failed ? -1.0 : 0.0;
  observe(observation);
  return {.reward = params_.sutton_barto_reward ? sutton_barto_reward : survival_reward, .terminated = failed};
}

void CartPole::observe(std::span<double> observation) const {
  observation[0] = round_to_float32(state_.x);
  observation[1] = round_to_float32(state_.x_dot);
  observation[2] = round_to_float32(state_.theta);
  observation[3] = round_to_float32(state_.theta_dot);
}

PGB_REGISTER_ENV(CartPole, "org.pgbench.classic.cartpole/1")
    .name("CartPole-v1")
    .description("Balance a pole on a cart by pushing the cart left or right (Barto, Sutton & Anderson 1983).")
    .param("sutton_barto_reward", false, "reward 0 per step and -1 on failure instead of +1 per step");

}  // namespace classic_control
