// humanoid.cpp -- Humanoid-v4/v5 and HumanoidStandup-v4/v5.
#include "humanoid.hpp"

#include <algorithm>

#include <pgbench/sdk/plugin.hpp>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 24, .nv = 23, .nu = 17};
constexpr int kRootZ = 2;             // qpos: torso height, m
constexpr int kRootPositions = 2;     // x and y, left out of the observation by default
constexpr int kFreeJointDofs = 6;     // qvel/qfrc entries of the free root joint
constexpr int kInertiaSize = 10;      // cinert row: com-based inertia (6) and mass terms (4)
constexpr int kMotionSize = 6;        // cvel and cfrc_ext rows: angular then linear part
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

// Both tasks observe: qpos (without x, y), qvel, cinert, cvel, qfrc_actuator, cfrc_ext, straight
// from mjData after the step (spec §1.1). v4 includes the world body's rows and the free joint's
// (always zero) actuator forces; v5 drops them.
std::size_t observation_size(const mjModel& m, Version version, bool exclude_positions) {
  const int rows = version == Version::v4 ? m.nbody : m.nbody - 1;
  const int actuated = version == Version::v4 ? m.nv : m.nv - kFreeJointDofs;
  const int positions = exclude_positions ? m.nq - kRootPositions : m.nq;
  return static_cast<std::size_t>(positions + m.nv + rows * (kInertiaSize + 2 * kMotionSize) + actuated);
}

void observe_humanoid(const mjModel& m, const mjData& d, Version version, bool exclude_positions,
                      std::span<double> observation) {
  const int first_row = version == Version::v4 ? 0 : 1;
  const int rows = m.nbody - first_row;
  const int first_dof = version == Version::v4 ? 0 : kFreeJointDofs;
  ObservationWriter out(observation);
  const int first = exclude_positions ? kRootPositions : 0;
  out.put(d.qpos + first, m.nq - first);
  out.put(d.qvel, m.nv);
  out.put(d.cinert + kInertiaSize * first_row, kInertiaSize * rows);
  out.put(d.cvel + kMotionSize * first_row, kMotionSize * rows);
  out.put(d.qfrc_actuator + first_dof, m.nv - first_dof);
  out.put(d.cfrc_ext + kMotionSize * first_row, kMotionSize * rows);
  out.finish();
}

// sum(cfrc_ext^2) over every body: the contact (impact) cost before weighting.
double external_force_squared(const mjModel& m, const mjData& d) {
  double sum = 0.0;
  for (int i = 0; i < kMotionSize * m.nbody; ++i) sum += d.cfrc_ext[i] * d.cfrc_ext[i];
  return sum;
}

// Both tasks start from qpos0 + U(-s, s) and qvel U(-s, s).
void draw_initial_state(const mjModel& m, mjData& d, pgb::Rng& rng, double scale) {
  for (int i = 0; i < m.nq; ++i) d.qpos[i] = m.qpos0[i] + rng.uniform(-scale, scale);
  for (int i = 0; i < m.nv; ++i) d.qvel[i] = rng.uniform(-scale, scale);
}

Humanoid::Params humanoid_params(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .forward_reward_weight = config.get_double("forward_reward_weight"),
          .ctrl_cost_weight = config.get_double("ctrl_cost_weight"),
          .contact_cost_weight = config.get_double("contact_cost_weight"),
          .contact_cost_max = config.get_double("contact_cost_max"),
          .healthy_reward = config.get_double("healthy_reward"),
          .terminate_when_unhealthy = config.get_bool("terminate_when_unhealthy"),
          .healthy_z_min = config.get_double("healthy_z_min"),
          .healthy_z_max = config.get_double("healthy_z_max"),
          .reset_noise_scale = config.get_double("reset_noise_scale"),
          .exclude_current_positions_from_observation =
              config.get_bool("exclude_current_positions_from_observation")};
}

HumanoidStandup::Params standup_params(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .uph_cost_weight = config.get_double("uph_cost_weight"),
          .ctrl_cost_weight = config.get_double("ctrl_cost_weight"),
          .impact_cost_weight = config.get_double("impact_cost_weight"),
          .impact_cost_max = config.get_double("impact_cost_max"),
          .reset_noise_scale = config.get_double("reset_noise_scale"),
          .exclude_current_positions_from_observation =
              config.get_bool("exclude_current_positions_from_observation")};
}

}  // namespace

// ------------------------------------------------------------------------------- Humanoid

Humanoid::Humanoid(const Params& params)
    : MujocoEnv(std::string("Humanoid") + version_suffix(params.common.version),
                resolve_model_path(params.common.model_path, "humanoid.xml"), params.common.frame_skip, kShape),
      params_(params),
      total_mass_(mj_getTotalmass(&model())) {}

Humanoid::Humanoid(const pgb::Config& config) : Humanoid(humanoid_params(config)) {}

pgb::EnvSpec Humanoid::spec() const {
  return make_spec(
      observation_size(model(), params_.common.version, params_.exclude_current_positions_from_observation),
      kMaxEpisodeSteps);
}

bool Humanoid::is_healthy() const {
  const double z = data().qpos[kRootZ];
  return params_.healthy_z_min < z && z < params_.healthy_z_max;
}

double Humanoid::center_of_mass_x() const {
  const mjModel& m = model();
  const mjData& d = data();
  double moment = 0.0;  // kg m
  for (int body = 0; body < m.nbody; ++body) moment += m.body_mass[body] * d.xipos[3 * body];
  return moment / total_mass_;
}

void Humanoid::reset(std::span<double> observation) {
  begin_reset();
  draw_initial_state(model(), writable_data(), rng(), params_.reset_noise_scale);
  finish_reset();
  observe_humanoid(model(), data(), params_.common.version, params_.exclude_current_positions_from_observation,
                   observation);
}

pgb::StepResult Humanoid::step(pgb::ActionRef action, std::span<double> observation) {
  const double x_before = center_of_mass_x();
  simulate(action.values());
  const double x_velocity = (center_of_mass_x() - x_before) / dt();  // m/s, from lagged xipos

  const bool healthy = is_healthy();
  const double forward_reward = params_.forward_reward_weight * x_velocity;
  const double healthy_term =
      healthy_reward(params_.common.version, healthy, params_.terminate_when_unhealthy, params_.healthy_reward);
  const double ctrl_cost = params_.ctrl_cost_weight * sum_of_squares(action.values());
  // v4 leaves the contact cost out of the reward (Gymnasium issue #504); v5 restores it, capped.
  const double contact_cost =
      params_.common.version == Version::v4
          ? 0.0
          : std::min(params_.contact_cost_weight * external_force_squared(model(), data()), params_.contact_cost_max);
  observe_humanoid(model(), data(), params_.common.version, params_.exclude_current_positions_from_observation,
                   observation);
  return {.reward = forward_reward + healthy_term - ctrl_cost - contact_cost,
          .terminated = params_.terminate_when_unhealthy && !healthy};
}

PGB_REGISTER_ENV(Humanoid, "org.pgbench.mujoco.humanoid/1")
    .name("Humanoid-v4")
    .description("Make a 3-D humanoid walk forward without falling (Gymnasium Humanoid-v4; version=v5 charges "
                 "contact forces, trims the observation to 348 and pays the healthy reward only when healthy).")
    .param("version", "v4", "Gymnasium revision whose behaviour to reproduce", kVersionChoices)
    .param("frame_skip", Humanoid::kFrameSkip, "MuJoCo steps of 0.003 s per env step", 1.0, 1000.0)
    .param("model_path", "", "MJCF file to load instead of the bundled humanoid.xml (relative: in the models folder)")
    .param("forward_reward_weight", 1.25, "reward per m/s of forward speed of the centre of mass", 0.0, 1e6)
    .param("ctrl_cost_weight", 0.1, "cost per unit of sum(action^2)", 0.0, 1e6)
    .param("contact_cost_weight", 5e-7, "v5: cost per unit of sum(cfrc_ext^2)", 0.0, 1e6)
    .param("contact_cost_max", 10.0, "v5: cap of the contact cost", 0.0, 1e6)
    .param("healthy_reward", 5.0, "reward per step for staying healthy", 0.0, 1e6)
    .param("terminate_when_unhealthy", true, "end the episode when the humanoid becomes unhealthy")
    .param("healthy_z_min", 1.0, "lowest healthy torso height, m (exclusive)")
    .param("healthy_z_max", 2.0, "highest healthy torso height, m (exclusive)")
    .param("reset_noise_scale", 1e-2, "half-width of the uniform qpos and qvel noise at reset", 0.0, 10.0)
    .param("exclude_current_positions_from_observation", true, "leave the torso's x and y out of the observation");

// ------------------------------------------------------------------------ HumanoidStandup

HumanoidStandup::HumanoidStandup(const Params& params)
    : MujocoEnv(std::string("HumanoidStandup") + version_suffix(params.common.version),
                resolve_model_path(params.common.model_path, "humanoidstandup.xml"), params.common.frame_skip,
                kShape),
      params_(params) {}

HumanoidStandup::HumanoidStandup(const pgb::Config& config) : HumanoidStandup(standup_params(config)) {}

pgb::EnvSpec HumanoidStandup::spec() const {
  return make_spec(
      observation_size(model(), params_.common.version, params_.exclude_current_positions_from_observation),
      kMaxEpisodeSteps);
}

void HumanoidStandup::reset(std::span<double> observation) {
  begin_reset();
  draw_initial_state(model(), writable_data(), rng(), params_.reset_noise_scale);
  finish_reset();
  observe_humanoid(model(), data(), params_.common.version, params_.exclude_current_positions_from_observation,
                   observation);
}

pgb::StepResult HumanoidStandup::step(pgb::ActionRef action, std::span<double> observation) {
  simulate(action.values());
  // "Up" reward: the torso height divided by the model's timestep (not the env step), as in the
  // reference; a constant +1 per step.
  const double uph_reward = params_.uph_cost_weight * data().qpos[kRootZ] / model().opt.timestep;
  const double ctrl_cost = params_.ctrl_cost_weight * sum_of_squares(action.values());
  const double impact_cost =
      std::min(params_.impact_cost_weight * external_force_squared(model(), data()), params_.impact_cost_max);
  observe_humanoid(model(), data(), params_.common.version, params_.exclude_current_positions_from_observation,
                   observation);
  return {.reward = uph_reward - ctrl_cost - impact_cost + 1.0, .terminated = false};
}

PGB_REGISTER_ENV(HumanoidStandup, "org.pgbench.mujoco.humanoid-standup/1")
    .name("HumanoidStandup-v4")
    .description("Make a 3-D humanoid lying on its back stand up (Gymnasium HumanoidStandup-v4; version=v5 trims "
                 "the observation to 348).")
    .param("version", "v4", "Gymnasium revision whose behaviour to reproduce", kVersionChoices)
    .param("frame_skip", HumanoidStandup::kFrameSkip, "MuJoCo steps of 0.003 s per env step", 1.0, 1000.0)
    .param("model_path", "",
           "MJCF file to load instead of the bundled humanoidstandup.xml (relative: in the models folder)")
    .param("uph_cost_weight", 1.0, "reward per m of torso height per second of model timestep", 0.0, 1e6)
    .param("ctrl_cost_weight", 0.1, "cost per unit of sum(action^2)", 0.0, 1e6)
    .param("impact_cost_weight", 0.5e-6, "cost per unit of sum(cfrc_ext^2)", 0.0, 1e6)
    .param("impact_cost_max", 10.0, "cap of the impact cost", 0.0, 1e6)
    .param("reset_noise_scale", 1e-2, "half-width of the uniform qpos and qvel noise at reset", 0.0, 10.0)
    .param("exclude_current_positions_from_observation", true, "leave the torso's x and y out of the observation");

}  // namespace mujoco_control
