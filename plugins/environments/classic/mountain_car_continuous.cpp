// mountain_car_continuous.cpp -- MountainCarContinuous-v0 dynamics. The task is dimensionless:
// positions in track units, velocities in track units per step, one Euler step per env step.
#include "mountain_car_continuous.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <pgbench/sdk/plugin.hpp>

#include "float32.hpp"

namespace classic_control {
namespace {

constexpr double kMinPosition = -1.2;    // the left wall
constexpr double kMaxPosition = 0.6;     // the right end of the track
constexpr double kMaxSpeed = 0.07;       // per step, either way
constexpr double kGoalPosition = 0.45;   // the flag on the right hill
constexpr double kEnginePower = 0.0015;  // velocity gained per step at full throttle
// The hill is shaped like sin(3 x): gravity pulls along it by -kGravityPull cos(3 x) per step.
constexpr double kGravityPull = 0.0025;
constexpr double kHillFrequency = 3.0;
constexpr double kMaxThrottle = 1.0;

constexpr double kGoalReward = 100.0;
constexpr double kThrottleCostWeight = 0.1;  // per throttle^2

constexpr std::uint32_t kMaxEpisodeSteps = 999;

}  // namespace

MountainCarContinuous::MountainCarContinuous(const pgb::Config& config)
    : MountainCarContinuous(Params{.goal_velocity = config.get_double("goal_velocity")}) {}

pgb::EnvSpec MountainCarContinuous::spec() const {
  // float32 bounds, like the state: float(-1.2) lies just below -1.2, where a car at the wall is.
  const double position_low = round_to_float32(kMinPosition);
  const double position_high = round_to_float32(kMaxPosition);
  const double speed_bound = round_to_float32(kMaxSpeed);
  return {.observation = pgb::Space::box({position_low, -speed_bound}, {position_high, speed_bound}),
          .action = pgb::Space::box(1, -kMaxThrottle, kMaxThrottle),
          .frames_per_step = 1,
          .max_episode_steps = kMaxEpisodeSteps};
}

void MountainCarContinuous::reset(std::span<double> observation) {
  // At rest near the bottom of the valley.
  state_.position = rng().uniform(-0.6, -0.4);
  state_.velocity = 0.0;
  observe(observation);
}

pgb::StepResult MountainCarContinuous::step(pgb::ActionRef action, std::span<double> observation) {
  const double throttle = action.values()[0];
  const double force = std::clamp(throttle, -kMaxThrottle, kMaxThrottle);
  auto& [position, velocity] = state_;

  velocity += force * kEnginePower - kGravityPull * std::cos(kHillFrequency * position);
  velocity = std::clamp(velocity, -kMaxSpeed, kMaxSpeed);
  position += velocity;
  position = std::clamp(position, kMinPosition, kMaxPosition);
  // The left wall is inelastic: the car stops dead against it.
  if (position == kMinPosition && velocity < 0.0) velocity = 0.0;

  const bool reached_goal = position >= kGoalPosition && velocity >= params_.goal_velocity;
  const double goal_reward = reached_goal ? kGoalReward : 0.0;
  const double throttle_cost = kThrottleCostWeight * (throttle * throttle);  // the raw action, unclipped

  // Gymnasium keeps the state in float32; computing in double and storing the rounded result
  // is the closest equivalent (specs/mujoco-tasks.md, Appendix C).
  position = round_to_float32(position);
  velocity = round_to_float32(velocity);
  observe(observation);
  return {.reward = goal_reward - throttle_cost, .terminated = reached_goal};
}

void MountainCarContinuous::observe(std::span<double> observation) const {
  observation[0] = round_to_float32(state_.position);
  observation[1] = round_to_float32(state_.velocity);
}

PGB_REGISTER_ENV(MountainCarContinuous, "org.pgbench.classic.mountain-car-continuous/1")
    .name("MountainCarContinuous-v0")
    .description(
        "Drive an underpowered car up a hill to the flag by rocking it back and forth, at least throttle cost (Moore "
        "1990).")
    .param("goal_velocity", MountainCarContinuous::kDefaultGoalVelocity,
           "the least velocity at the flag that ends the episode, track units per step", -0.07, 0.07);

}  // namespace classic_control
