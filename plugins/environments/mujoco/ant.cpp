// ant.cpp -- Ant-v4/v5: reward = forward speed of the torso + healthy reward - control cost
// (- contact cost); the episode ends when the torso leaves the healthy height band.
#include "ant.hpp"

#include <algorithm>
#include <cmath>

#include <pgbench/sdk/plugin.hpp>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 15, .nv = 14, .nu = 8};
constexpr int kRootZ = 2;             // qpos: torso height, m (after x, y)
constexpr int kRootPositions = 2;     // x and y, left out of the observation by default
constexpr int kWrenchSize = 6;        // cfrc_ext row: torque (3) then force (3)
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

Ant::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .forward_reward_weight = config.get_double("forward_reward_weight"),
          .ctrl_cost_weight = config.get_double("ctrl_cost_weight"),
          .use_contact_forces = config.get_bool("use_contact_forces"),
          .contact_cost_weight = config.get_double("contact_cost_weight"),
          .healthy_reward = config.get_double("healthy_reward"),
          .terminate_when_unhealthy = config.get_bool("terminate_when_unhealthy"),
          .healthy_z_min = config.get_double("healthy_z_min"),
          .healthy_z_max = config.get_double("healthy_z_max"),
          .contact_force_min = config.get_double("contact_force_min"),
          .contact_force_max = config.get_double("contact_force_max"),
          .reset_noise_scale = config.get_double("reset_noise_scale"),
          .exclude_current_positions_from_observation =
              config.get_bool("exclude_current_positions_from_observation")};
}

}  // namespace

Ant::Ant(const Params& params)
    : MujocoEnv(std::string("Ant") + version_suffix(params.common.version),
                resolve_model_path(params.common.model_path, "ant.xml"), params.common.frame_skip, kShape),
      params_(params),
      torso_(body_id("torso")) {}

Ant::Ant(const pgb::Config& config) : Ant(params_from(config)) {}

bool Ant::contact_forces_observed() const noexcept {
  return params_.common.version == Version::v5 || params_.use_contact_forces;
}

pgb::EnvSpec Ant::spec() const {
  const std::size_t positions = params_.exclude_current_positions_from_observation ? 13 : 15;
  // v4 observes the clipped cfrc_ext of all 14 bodies (world included), v5 drops the world's.
  int contact_rows = 0;
  if (contact_forces_observed()) contact_rows = params_.common.version == Version::v4 ? model().nbody : model().nbody - 1;
  return make_spec(positions + 14 + static_cast<std::size_t>(kWrenchSize * contact_rows), kMaxEpisodeSteps);
}

bool Ant::is_healthy() const {
  const mjData& d = data();
  const auto finite = [](double x) { return std::isfinite(x); };
  return std::all_of(d.qpos, d.qpos + kShape.nq, finite) && std::all_of(d.qvel, d.qvel + kShape.nv, finite) &&
         params_.healthy_z_min <= d.qpos[kRootZ] && d.qpos[kRootZ] <= params_.healthy_z_max;
}

double Ant::contact_cost() const {
  const mjData& d = data();
  double sum = 0.0;
  for (int i = 0; i < kWrenchSize * model().nbody; ++i) {
    const double force = std::clamp(d.cfrc_ext[i], params_.contact_force_min, params_.contact_force_max);
    sum += force * force;
  }
  return params_.contact_cost_weight * sum;
}

void Ant::reset(std::span<double> observation) {
  const mjModel& m = model();
  mjData& d = writable_data();
  const double scale = params_.reset_noise_scale;
  begin_reset();
  // Quaternion entries get noise too; mj_forward normalises the quaternion in qpos (spec §1.2).
  for (int i = 0; i < m.nq; ++i) d.qpos[i] = m.qpos0[i] + rng().uniform(-scale, scale);
  for (int i = 0; i < m.nv; ++i) d.qvel[i] = scale * rng().normal();
  finish_reset();
  observe(observation);
}

pgb::StepResult Ant::step(pgb::ActionRef action, std::span<double> observation) {
  const mjData& d = data();
  // The torso's frame origin as mjData holds it: one substep behind qpos (spec §1.1).
  const double x_before = d.xpos[3 * torso_];
  simulate(action.values());
  const double x_velocity = (d.xpos[3 * torso_] - x_before) / dt();  // m/s

  const bool healthy = is_healthy();
  const double forward_reward = params_.forward_reward_weight * x_velocity;
  const double healthy_term =
      healthy_reward(params_.common.version, healthy, params_.terminate_when_unhealthy, params_.healthy_reward);
  const double ctrl_cost = params_.ctrl_cost_weight * sum_of_squares(action.values());
  const double contact_term = contact_forces_observed() ? contact_cost() : 0.0;
  observe(observation);
  return {.reward = forward_reward + healthy_term - ctrl_cost - contact_term,
          .terminated = params_.terminate_when_unhealthy && !healthy};
}

void Ant::observe(std::span<double> observation) const {
  const mjData& d = data();
  const int nbody = model().nbody;
  ObservationWriter out(observation);
  const int first = params_.exclude_current_positions_from_observation ? kRootPositions : 0;
  out.put(d.qpos + first, kShape.nq - first);
  out.put(d.qvel, kShape.nv);
  if (contact_forces_observed()) {
    const int first_row = params_.common.version == Version::v4 ? 0 : 1;
    out.put_clipped(d.cfrc_ext + kWrenchSize * first_row, kWrenchSize * (nbody - first_row),
                    params_.contact_force_min, params_.contact_force_max);
  }
  out.finish();
}

PGB_REGISTER_ENV(Ant, "org.pgbench.mujoco.ant/1")
    .name("Ant-v4")
    .description("Make a four-legged ant walk forward without flipping or jumping (Gymnasium Ant-v4; version=v5 "
                 "always observes and charges contact forces and pays the healthy reward only when healthy).")
    .param("version", "v4", "Gymnasium revision whose behaviour to reproduce", kVersionChoices)
    .param("frame_skip", Ant::kFrameSkip, "MuJoCo steps of 0.01 s per env step", 1.0, 1000.0)
    .param("model_path", "", "MJCF file to load instead of the bundled ant.xml (relative: in the models folder)")
    .param("forward_reward_weight", 1.0, "reward per m/s of forward speed", 0.0, 1e6)
    .param("ctrl_cost_weight", 0.5, "cost per unit of sum(action^2)", 0.0, 1e6)
    .param("use_contact_forces", false, "v4: observe and charge the clipped external contact forces (v5 always does)")
    .param("contact_cost_weight", 5e-4, "cost per unit of sum(clipped cfrc_ext^2)", 0.0, 1e6)
    .param("healthy_reward", 1.0, "reward per step for staying healthy", 0.0, 1e6)
    .param("terminate_when_unhealthy", true, "end the episode when the ant becomes unhealthy")
    .param("healthy_z_min", 0.2, "lowest healthy torso height, m (inclusive)")
    .param("healthy_z_max", 1.0, "highest healthy torso height, m (inclusive)")
    .param("contact_force_min", -1.0, "lower clip of each cfrc_ext entry")
    .param("contact_force_max", 1.0, "upper clip of each cfrc_ext entry")
    .param("reset_noise_scale", 0.1, "half-width of the uniform qpos noise and std of the normal qvel noise at reset", 0.0, 10.0)
    .param("exclude_current_positions_from_observation", true, "leave the torso's x and y out of the observation");

}  // namespace mujoco_control
