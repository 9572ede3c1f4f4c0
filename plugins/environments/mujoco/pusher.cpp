// pusher.cpp -- Pusher-v4/v5: reward = -distance(object, goal) - 0.5 distance(fingertips, object)
// - 0.1 sum(action^2); no termination, 100 steps per episode.
#include "pusher.hpp"

#include <cmath>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 11, .nv = 11, .nu = 7};
constexpr int kArmJoints = 7;
// qpos of the object's and the goal's slides, in that order: y then x (m, offsets from the bodies'
// model positions).
constexpr int kObjectY = 7, kObjectX = 8, kGoalY = 9, kGoalX = 10;
constexpr double kMinObjectGoalDistance = 0.17;  // m: the object never starts on the goal
constexpr double kArmVelocityNoise = 0.005;      // rad/s
constexpr std::uint32_t kMaxEpisodeSteps = 100;

Pusher::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .reward_near_weight = config.get_double("reward_near_weight"),
          .reward_dist_weight = config.get_double("reward_dist_weight"),
          .reward_control_weight = config.get_double("reward_control_weight")};
}

double distance(const mjtNum* a, const mjtNum* b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

}  // namespace

const char* Pusher::default_model_file(Version version) {
  return version == Version::v4 ? "pusher.xml" : "pusher_v5.xml";
}

Pusher::Pusher(const Params& params)
    : MujocoEnv("Pusher", params.common, default_model_file(params.common.version), kShape),
      params_(params),
      tips_arm_(body_id("tips_arm")),
      object_(body_id("object")),
      goal_(body_id("goal")) {}

Pusher::Pusher(const pgb::Config& config) : Pusher(params_from(config)) {}

pgb::EnvSpec Pusher::spec() const { return make_spec(kArmJoints * 2 + 9, kMaxEpisodeSteps); }

double Pusher::distance_reward() const {
  const mjtNum* xpos = data().xpos;
  const double near = distance(xpos + 3 * object_, xpos + 3 * tips_arm_);
  const double dist = distance(xpos + 3 * object_, xpos + 3 * goal_);
  return -params_.reward_dist_weight * dist - params_.reward_near_weight * near;
}

void Pusher::reset(std::span<double> observation) {
  const mjModel& m = model();
  mjData& d = writable_data();
  begin_reset();
  std::copy(m.qpos0, m.qpos0 + m.nq, d.qpos);  // the arm starts exactly at rest in qpos0
  // The object: offset (U(-0.3, 0) along y, U(-0.2, 0.2) along x) from its model position,
  // redrawn until it is more than 0.17 m from the goal (which stays at offset 0).
  double offset_y, offset_x;
  do {
    offset_y = rng().uniform(-0.3, 0.0);
    offset_x = rng().uniform(-0.2, 0.2);
  } while (std::hypot(offset_y, offset_x) <= kMinObjectGoalDistance);
  d.qpos[kObjectY] = offset_y;
  d.qpos[kObjectX] = offset_x;
  d.qpos[kGoalY] = d.qpos[kGoalX] = 0.0;
  for (int i = 0; i < m.nv; ++i) d.qvel[i] = rng().uniform(-kArmVelocityNoise, kArmVelocityNoise);
  d.qvel[kObjectY] = d.qvel[kObjectX] = d.qvel[kGoalY] = d.qvel[kGoalX] = 0.0;
  finish_reset();
  observe(observation);
}

pgb::StepResult Pusher::step(pgb::ActionRef action, std::span<double> observation) {
  const double ctrl_cost = params_.reward_control_weight * sum_of_squares(action.values());
  // v4 judges the distances before the step (from the previous step's lagged xpos), v5 after it.
  double distances = 0.0;
  if (version() == Version::v4) distances = distance_reward();
  simulate(action.values());
  if (version() == Version::v5) distances = distance_reward();
  observe(observation);
  return {.reward = distances - ctrl_cost, .terminated = false};
}

void Pusher::observe(std::span<double> observation) const {
  const mjData& d = data();
  ObservationWriter out(observation);
  out.put(d.qpos, kArmJoints);
  out.put(d.qvel, kArmJoints);
  out.put(d.xpos + 3 * tips_arm_, 3);
  out.put(d.xpos + 3 * object_, 3);
  out.put(d.xpos + 3 * goal_, 3);
  out.finish();
}

namespace {
const Pusher::Params kDefaults;
[[maybe_unused]] const pgb::sdk::EnvRegistration& registration =
    register_task<Pusher>({.id = "org.pgbench.mujoco.pusher/1",
                           .name = "Pusher-v4",
                           .description = "Make a 7-joint arm push a cylinder onto a goal (Gymnasium Pusher-v4, which "
                                          "needs MuJoCo < 3; version=v5 uses the v5 object and computes the reward "
                                          "after the step).",
                           .substep = "0.01 s",
                           .bundled_models = "pusher.xml / pusher_v5.xml"})
        .param("reward_near_weight", kDefaults.reward_near_weight, "cost per m between the fingertips and the object",
               0.0, 1e6)
        .param("reward_dist_weight", kDefaults.reward_dist_weight, "cost per m between the object and the goal", 0.0,
               1e6)
        .param("reward_control_weight", kDefaults.reward_control_weight, "cost per unit of sum(action^2)", 0.0, 1e6);
}  // namespace

}  // namespace mujoco_control
