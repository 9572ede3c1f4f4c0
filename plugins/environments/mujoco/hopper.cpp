// hopper.cpp -- Hopper-v4/v5: reward = forward speed + healthy reward - control cost; the
// episode ends when the hopper falls (too low, too tilted) or its state blows up.
#include "hopper.hpp"

#include <algorithm>

#include <pgbench/sdk/plugin.hpp>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 6, .nv = 6, .nu = 3};
// qpos indices: the root's horizontal slide (m), its height (m, rootz has ref 1.25) and pitch (rad).
constexpr int kRootX = 0, kRootZ = 1, kRootAngle = 2;
constexpr double kVelocityClip = 10.0;  // the observation clips qvel to +-10
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

Hopper::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .forward_reward_weight = config.get_double("forward_reward_weight"),
          .ctrl_cost_weight = config.get_double("ctrl_cost_weight"),
          .healthy_reward = config.get_double("healthy_reward"),
          .terminate_when_unhealthy = config.get_bool("terminate_when_unhealthy"),
          .healthy_state_min = config.get_double("healthy_state_min"),
          .healthy_state_max = config.get_double("healthy_state_max"),
          .healthy_z_min = config.get_double("healthy_z_min"),
          .healthy_z_max = config.get_double("healthy_z_max"),
          .healthy_angle_min = config.get_double("healthy_angle_min"),
          .healthy_angle_max = config.get_double("healthy_angle_max"),
          .reset_noise_scale = config.get_double("reset_noise_scale"),
          .exclude_current_positions_from_observation =
              config.get_bool("exclude_current_positions_from_observation")};
}

bool strictly_inside(double x, double low, double high) { return low < x && x < high; }

}  // namespace

Hopper::Hopper(const Params& params)
    : MujocoEnv(std::string("Hopper") + version_suffix(params.common.version),
                resolve_model_path(params.common.model_path, "hopper.xml"), params.common.frame_skip, kShape),
      params_(params) {}

Hopper::Hopper(const pgb::Config& config) : Hopper(params_from(config)) {}

pgb::EnvSpec Hopper::spec() const {
  const std::size_t positions = params_.exclude_current_positions_from_observation ? 5 : 6;
  return make_spec(positions + 6, kMaxEpisodeSteps);
}

bool Hopper::is_healthy() const {
  const mjData& d = data();
  const auto in_state_range = [&](double x) {
    return strictly_inside(x, params_.healthy_state_min, params_.healthy_state_max);
  };
  return std::all_of(d.qpos + 2, d.qpos + kShape.nq, in_state_range) &&
         std::all_of(d.qvel, d.qvel + kShape.nv, in_state_range) &&
         strictly_inside(d.qpos[kRootZ], params_.healthy_z_min, params_.healthy_z_max) &&
         strictly_inside(d.qpos[kRootAngle], params_.healthy_angle_min, params_.healthy_angle_max);
}

void Hopper::reset(std::span<double> observation) {
  const mjModel& m = model();
  mjData& d = writable_data();
  const double scale = params_.reset_noise_scale;
  begin_reset();
  for (int i = 0; i < m.nq; ++i) d.qpos[i] = m.qpos0[i] + rng().uniform(-scale, scale);
  for (int i = 0; i < m.nv; ++i) d.qvel[i] = rng().uniform(-scale, scale);
  finish_reset();
  observe(observation);
}

pgb::StepResult Hopper::step(pgb::ActionRef action, std::span<double> observation) {
  const mjData& d = data();
  const double x_before = d.qpos[kRootX];
  simulate(action.values());
  const double x_velocity = (d.qpos[kRootX] - x_before) / dt();  // m/s

  const bool healthy = is_healthy();  // judged on the post-step state
  const double forward_reward = params_.forward_reward_weight * x_velocity;
  const double healthy_term =
      healthy_reward(params_.common.version, healthy, params_.terminate_when_unhealthy, params_.healthy_reward);
  const double ctrl_cost = params_.ctrl_cost_weight * sum_of_squares(action.values());
  observe(observation);
  return {.reward = forward_reward + healthy_term - ctrl_cost,
          .terminated = params_.terminate_when_unhealthy && !healthy};
}

void Hopper::observe(std::span<double> observation) const {
  const mjData& d = data();
  ObservationWriter out(observation);
  const int first = params_.exclude_current_positions_from_observation ? 1 : 0;
  out.put(d.qpos + first, kShape.nq - first);
  out.put_clipped(d.qvel, kShape.nv, -kVelocityClip, kVelocityClip);
  out.finish();
}

PGB_REGISTER_ENV(Hopper, "org.pgbench.mujoco.hopper/1")
    .name("Hopper-v4")
    .description("Make a planar one-legged hopper hop forward without falling (Gymnasium Hopper-v4; version=v5 "
                 "pays the healthy reward only in healthy states).")
    .param("version", "v4", "Gymnasium revision whose behaviour to reproduce", kVersionChoices)
    .param("frame_skip", Hopper::kFrameSkip, "MuJoCo steps of 0.002 s per env step", 1.0, 1000.0)
    .param("model_path", "", "MJCF file to load instead of the bundled hopper.xml (relative: in the models folder)")
    .param("forward_reward_weight", 1.0, "reward per m/s of forward speed", 0.0, 1e6)
    .param("ctrl_cost_weight", 1e-3, "cost per unit of sum(action^2)", 0.0, 1e6)
    .param("healthy_reward", 1.0, "reward per step for staying healthy", 0.0, 1e6)
    .param("terminate_when_unhealthy", true, "end the episode when the hopper becomes unhealthy")
    .param("healthy_state_min", -100.0, "lower bound (exclusive) of every qpos[2..] and qvel entry")
    .param("healthy_state_max", 100.0, "upper bound (exclusive) of every qpos[2..] and qvel entry")
    .param("healthy_z_min", 0.7, "lowest healthy torso height, m (exclusive)")
    .param("healthy_z_max", kNoUpperBound, "highest healthy torso height, m (exclusive; default: none)")
    .param("healthy_angle_min", -0.2, "lowest healthy torso pitch, rad (exclusive)")
    .param("healthy_angle_max", 0.2, "highest healthy torso pitch, rad (exclusive)")
    .param("reset_noise_scale", 5e-3, "half-width of the uniform qpos and qvel noise at reset", 0.0, 10.0)
    .param("exclude_current_positions_from_observation", true, "leave the root's x position out of the observation");

}  // namespace mujoco_control
