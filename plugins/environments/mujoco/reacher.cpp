// reacher.cpp -- Reacher-v4/v5: reward = -distance(fingertip, target) - control cost; no
// termination, 50 steps per episode.
#include "reacher.hpp"

#include <cmath>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 4, .nv = 4, .nu = 2};
constexpr int kArmJoints = 2;                 // qpos[0..1]: shoulder and elbow angles, rad
constexpr int kTargetX = 2, kTargetY = 3;     // qpos: the target's world x and y (slide refs), m
constexpr double kArmNoise = 0.1;             // rad (and m for the target, overwritten below)
constexpr double kGoalRadius = 0.2;           // m: targets are drawn inside this disc
constexpr double kVelocityNoise = 0.005;      // rad/s
constexpr std::uint32_t kMaxEpisodeSteps = 50;

Reacher::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .reward_dist_weight = config.get_double("reward_dist_weight"),
          .reward_control_weight = config.get_double("reward_control_weight")};
}

}  // namespace

Reacher::Reacher(const Params& params)
    : MujocoEnv("Reacher", params.common, "reacher.xml", kShape),
      params_(params),
      fingertip_(body_id("fingertip")),
      target_(body_id("target")) {}

Reacher::Reacher(const pgb::Config& config) : Reacher(params_from(config)) {}

pgb::EnvSpec Reacher::spec() const {
  // cos, sin of the two arm angles (4), target x, y (2), arm velocities (2), fingertip - target.
  const std::size_t difference = version() == Version::v4 ? 3 : 2;
  return make_spec(8 + difference, kMaxEpisodeSteps);
}

double Reacher::fingertip_distance() const {
  const mjtNum* tip = data().xpos + 3 * fingertip_;
  const mjtNum* target = data().xpos + 3 * target_;
  return std::sqrt((tip[0] - target[0]) * (tip[0] - target[0]) + (tip[1] - target[1]) * (tip[1] - target[1]) +
                   (tip[2] - target[2]) * (tip[2] - target[2]));
}

void Reacher::reset(std::span<double> observation) {
  const mjModel& m = model();
  mjData& d = writable_data();
  begin_reset();
  for (int i = 0; i < m.nq; ++i) d.qpos[i] = m.qpos0[i] + rng().uniform(-kArmNoise, kArmNoise);
  // The target: uniform in the square, redrawn until it falls inside the disc.
  double goal_x, goal_y;
  do {
    goal_x = rng().uniform(-kGoalRadius, kGoalRadius);
    goal_y = rng().uniform(-kGoalRadius, kGoalRadius);
  } while (std::hypot(goal_x, goal_y) >= kGoalRadius);
  d.qpos[kTargetX] = goal_x;
  d.qpos[kTargetY] = goal_y;
  for (int i = 0; i < m.nv; ++i) d.qvel[i] = rng().uniform(-kVelocityNoise, kVelocityNoise);
  d.qvel[kTargetX] = d.qvel[kTargetY] = 0.0;  // the target stays put
  finish_reset();
  observe(observation);
}

pgb::StepResult Reacher::step(pgb::ActionRef action, std::span<double> observation) {
  const double ctrl_cost = params_.reward_control_weight * sum_of_squares(action.values());
  // v4 judges the distance before the step (from the previous step's lagged xpos), v5 after it.
  double distance_cost = 0.0;
  if (version() == Version::v4) distance_cost = params_.reward_dist_weight * fingertip_distance();
  simulate(action.values());
  if (version() == Version::v5) distance_cost = params_.reward_dist_weight * fingertip_distance();
  observe(observation);
  return {.reward = -distance_cost - ctrl_cost, .terminated = false};
}

void Reacher::observe(std::span<double> observation) const {
  const mjData& d = data();
  ObservationWriter out(observation);
  for (int i = 0; i < kArmJoints; ++i) out.put(std::cos(d.qpos[i]));
  for (int i = 0; i < kArmJoints; ++i) out.put(std::sin(d.qpos[i]));
  out.put(d.qpos + kTargetX, 2);
  out.put(d.qvel, kArmJoints);
  const int axes = version() == Version::v4 ? 3 : 2;  // v4 keeps the always-zero height
  for (int axis = 0; axis < axes; ++axis) out.put(d.xpos[3 * fingertip_ + axis] - d.xpos[3 * target_ + axis]);
  out.finish();
}

namespace {
const Reacher::Params kDefaults;
[[maybe_unused]] const pgb::sdk::EnvRegistration& registration =
    register_task<Reacher>({.id = "org.pgbench.mujoco.reacher/1",
                            .name = "Reacher-v4",
                            .description = "Move a two-link planar arm's fingertip to a random target (Gymnasium "
                                           "Reacher-v4; version=v5 computes the reward after the step and observes "
                                           "10 values instead of 11).",
                            .substep = "0.01 s",
                            .bundled_models = "reacher.xml"})
        .param("reward_dist_weight", kDefaults.reward_dist_weight, "cost per m of fingertip-target distance", 0.0, 1e6)
        .param("reward_control_weight", kDefaults.reward_control_weight, "cost per unit of sum(action^2)", 0.0, 1e6);
}  // namespace

}  // namespace mujoco_control
