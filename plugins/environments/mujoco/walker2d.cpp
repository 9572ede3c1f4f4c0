// walker2d.cpp -- Walker2d-v4/v5: reward = forward speed + healthy reward - control cost; the
// episode ends when the torso drops, rises too high or tilts too far.
#include "walker2d.hpp"

#include <pgbench/sdk/plugin.hpp>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 9, .nv = 9, .nu = 6};
constexpr int kRootX = 0, kRootZ = 1, kRootAngle = 2;  // qpos: m, m (absolute height), rad
constexpr double kVelocityClip = 10.0;                 // the observation clips qvel to +-10
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

Walker2d::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .forward_reward_weight = config.get_double("forward_reward_weight"),
          .ctrl_cost_weight = config.get_double("ctrl_cost_weight"),
          .healthy_reward = config.get_double("healthy_reward"),
          .terminate_when_unhealthy = config.get_bool("terminate_when_unhealthy"),
          .healthy_z_min = config.get_double("healthy_z_min"),
          .healthy_z_max = config.get_double("healthy_z_max"),
          .healthy_angle_min = config.get_double("healthy_angle_min"),
          .healthy_angle_max = config.get_double("healthy_angle_max"),
          .reset_noise_scale = config.get_double("reset_noise_scale"),
          .exclude_current_positions_from_observation =
              config.get_bool("exclude_current_positions_from_observation")};
}

}  // namespace

const char* Walker2d::default_model_file(Version version) {
  return version == Version::v4 ? "walker2d.xml" : "walker2d_v5.xml";
}

Walker2d::Walker2d(const Params& params)
    : MujocoEnv(std::string("Walker2d") + version_suffix(params.common.version),
                resolve_model_path(params.common.model_path, default_model_file(params.common.version)),
                params.common.frame_skip, kShape),
      params_(params) {}

Walker2d::Walker2d(const pgb::Config& config) : Walker2d(params_from(config)) {}

pgb::EnvSpec Walker2d::spec() const {
  const std::size_t positions = params_.exclude_current_positions_from_observation ? 8 : 9;
  return make_spec(positions + 9, kMaxEpisodeSteps);
}

bool Walker2d::is_healthy() const {
  const double z = data().qpos[kRootZ], angle = data().qpos[kRootAngle];
  return params_.healthy_z_min < z && z < params_.healthy_z_max && params_.healthy_angle_min < angle &&
         angle < params_.healthy_angle_max;
}

void Walker2d::reset(std::span<double> observation) {
  const mjModel& m = model();
  mjData& d = writable_data();
  const double scale = params_.reset_noise_scale;
  begin_reset();
  for (int i = 0; i < m.nq; ++i) d.qpos[i] = m.qpos0[i] + rng().uniform(-scale, scale);
  for (int i = 0; i < m.nv; ++i) d.qvel[i] = rng().uniform(-scale, scale);
  finish_reset();
  observe(observation);
}

pgb::StepResult Walker2d::step(pgb::ActionRef action, std::span<double> observation) {
  const mjData& d = data();
  const double x_before = d.qpos[kRootX];
  simulate(action.values());
  const double x_velocity = (d.qpos[kRootX] - x_before) / dt();  // m/s

  const bool healthy = is_healthy();
  const double forward_reward = params_.forward_reward_weight * x_velocity;
  const double healthy_term =
      healthy_reward(params_.common.version, healthy, params_.terminate_when_unhealthy, params_.healthy_reward);
  const double ctrl_cost = params_.ctrl_cost_weight * sum_of_squares(action.values());
  observe(observation);
  return {.reward = forward_reward + healthy_term - ctrl_cost,
          .terminated = params_.terminate_when_unhealthy && !healthy};
}

void Walker2d::observe(std::span<double> observation) const {
  const mjData& d = data();
  ObservationWriter out(observation);
  const int first = params_.exclude_current_positions_from_observation ? 1 : 0;
  out.put(d.qpos + first, kShape.nq - first);
  out.put_clipped(d.qvel, kShape.nv, -kVelocityClip, kVelocityClip);
  out.finish();
}

PGB_REGISTER_ENV(Walker2d, "org.pgbench.mujoco.walker2d/1")
    .name("Walker2d-v4")
    .description("Make a planar biped walk forward without falling (Gymnasium Walker2d-v4; version=v5 uses the "
                 "v5 model with equal foot frictions and pays the healthy reward only in healthy states).")
    .param("version", "v4", "Gymnasium revision whose behaviour to reproduce", kVersionChoices)
    .param("frame_skip", Walker2d::kFrameSkip, "MuJoCo steps of 0.002 s per env step", 1.0, 1000.0)
    .param("model_path", "", "MJCF file to load instead of the bundled walker2d.xml / walker2d_v5.xml (relative: in the models folder)")
    .param("forward_reward_weight", 1.0, "reward per m/s of forward speed", 0.0, 1e6)
    .param("ctrl_cost_weight", 1e-3, "cost per unit of sum(action^2)", 0.0, 1e6)
    .param("healthy_reward", 1.0, "reward per step for staying healthy", 0.0, 1e6)
    .param("terminate_when_unhealthy", true, "end the episode when the walker becomes unhealthy")
    .param("healthy_z_min", 0.8, "lowest healthy torso height, m (exclusive)")
    .param("healthy_z_max", 2.0, "highest healthy torso height, m (exclusive)")
    .param("healthy_angle_min", -1.0, "lowest healthy torso pitch, rad (exclusive)")
    .param("healthy_angle_max", 1.0, "highest healthy torso pitch, rad (exclusive)")
    .param("reset_noise_scale", 5e-3, "half-width of the uniform qpos and qvel noise at reset", 0.0, 10.0)
    .param("exclude_current_positions_from_observation", true, "leave the root's x position out of the observation");

}  // namespace mujoco_control
