// humanoid.cpp -- Humanoid-v4/v5 and HumanoidStandup-v4/v5.
#include "humanoid.hpp"

#include <algorithm>

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

Humanoid::Params humanoid_params(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .locomotion = read_locomotion_params(config),
          .health = read_health_params(config),
          .contact_cost_weight = config.get_double("contact_cost_weight"),
          .contact_cost_max = config.get_double("contact_cost_max")};
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
    : LocomotionEnv("Humanoid", params.common, "humanoid.xml", kShape, params.locomotion, kVelocityNoise, kRootPositions,
                    params.health),
      params_(params),
      total_mass_(mj_getTotalmass(&model())) {}

Humanoid::Humanoid(const pgb::Config& config) : Humanoid(humanoid_params(config)) {}

pgb::EnvSpec Humanoid::spec() const {
  return make_spec(observation_size(model(), version(), locomotion().exclude_current_positions_from_observation),
                   kMaxEpisodeSteps);
}

bool Humanoid::is_healthy() const {
  return within(data().qpos[kRootZ], health().healthy_z_min, health().healthy_z_max, kHealthyZBounds);
}

double Humanoid::center_of_mass_x() const {
  const mjModel& m = model();
  const mjData& d = data();
  double moment = 0.0;  // kg m
  for (int body = 0; body < m.nbody; ++body) moment += m.body_mass[body] * d.xipos[3 * body];
  return moment / total_mass_;
}

double Humanoid::contact_cost() const {
  if (version() == Version::v4) return 0.0;
  return std::min(params_.contact_cost_weight * external_force_squared(model(), data()), params_.contact_cost_max);
}

void Humanoid::observe(std::span<double> observation) const {
  observe_humanoid(model(), data(), version(), locomotion().exclude_current_positions_from_observation, observation);
}

namespace {
const Humanoid::Params kHumanoidDefaults;
[[maybe_unused]] const pgb::sdk::EnvRegistration& humanoid_registration =
    register_locomotion_task<Humanoid>(
        {.id = "org.pgbench.mujoco.humanoid/1",
         .name = "Humanoid-v4",
         .description = "Make a 3-D humanoid walk forward without falling (Gymnasium Humanoid-v4; version=v5 "
                        "charges contact forces, trims the observation to 348 and pays the healthy reward only "
                        "when healthy).",
         .substep = "0.003 s",
         .bundled_models = "humanoid.xml"},
        {.root_position = "the torso's x and y",
         .forward_speed = "forward speed of the centre of mass",
         .body = "humanoid"})
        .param("contact_cost_weight", kHumanoidDefaults.contact_cost_weight, "v5: cost per unit of sum(cfrc_ext^2)",
               0.0, 1e6)
        .param("contact_cost_max", kHumanoidDefaults.contact_cost_max, "v5: cap of the contact cost", 0.0, 1e6);
}  // namespace

// ------------------------------------------------------------------------ HumanoidStandup

HumanoidStandup::HumanoidStandup(const Params& params)
    : MujocoEnv("HumanoidStandup", params.common, "humanoidstandup.xml", kShape), params_(params) {}

HumanoidStandup::HumanoidStandup(const pgb::Config& config) : HumanoidStandup(standup_params(config)) {}

pgb::EnvSpec HumanoidStandup::spec() const {
  return make_spec(observation_size(model(), version(), params_.exclude_current_positions_from_observation),
                   kMaxEpisodeSteps);
}

void HumanoidStandup::reset(std::span<double> observation) {
  reset_with_noise(params_.reset_noise_scale, Humanoid::kVelocityNoise);
  observe_humanoid(model(), data(), version(), params_.exclude_current_positions_from_observation, observation);
}

pgb::StepResult HumanoidStandup::step(pgb::ActionRef action, std::span<double> observation) {
  simulate(action.values());
  // "Up" reward: the torso height divided by the model's timestep (not the env step), as in the
  // reference; a constant +1 per step.
  const double uph_reward = params_.uph_cost_weight * data().qpos[kRootZ] / model().opt.timestep;
  const double ctrl_cost = params_.ctrl_cost_weight * sum_of_squares(action.values());
  const double impact_cost =
      std::min(params_.impact_cost_weight * external_force_squared(model(), data()), params_.impact_cost_max);
  observe_humanoid(model(), data(), version(), params_.exclude_current_positions_from_observation, observation);
  return {.reward = uph_reward - ctrl_cost - impact_cost + 1.0, .terminated = false};
}

namespace {
const HumanoidStandup::Params kStandupDefaults;
[[maybe_unused]] const pgb::sdk::EnvRegistration& standup_registration =
    register_task<HumanoidStandup>(
        {.id = "org.pgbench.mujoco.humanoid-standup/1",
         .name = "HumanoidStandup-v4",
         .description = "Make a 3-D humanoid lying on its back stand up (Gymnasium HumanoidStandup-v4; version=v5 "
                        "trims the observation to 348).",
         .substep = "0.003 s",
         .bundled_models = "humanoidstandup.xml"})
        .param("uph_cost_weight", kStandupDefaults.uph_cost_weight,
               "reward per m of torso height per second of model timestep", 0.0, 1e6)
        .param("ctrl_cost_weight", kStandupDefaults.ctrl_cost_weight, "cost per unit of sum(action^2)", 0.0, 1e6)
        .param("impact_cost_weight", kStandupDefaults.impact_cost_weight, "cost per unit of sum(cfrc_ext^2)", 0.0, 1e6)
        .param("impact_cost_max", kStandupDefaults.impact_cost_max, "cap of the impact cost", 0.0, 1e6)
        .param("reset_noise_scale", kStandupDefaults.reset_noise_scale,
               "half-width of the uniform qpos and qvel noise at reset", 0.0, 10.0)
        .param("exclude_current_positions_from_observation",
               kStandupDefaults.exclude_current_positions_from_observation,
               "leave the torso's x and y out of the observation");
}  // namespace

}  // namespace mujoco_control
