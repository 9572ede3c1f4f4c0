// ant.cpp -- Ant-v4/v5: reward = forward speed of the torso + healthy reward - control cost
// (- contact cost); the episode ends when the torso leaves the healthy height band.
#include "ant.hpp"

#include <algorithm>
#include <cmath>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 15, .nv = 14, .nu = 8};
constexpr int kRootZ = 2;          // qpos: torso height, m (after x, y)
constexpr int kRootPositions = 2;  // x and y, left out of the observation by default
constexpr int kWrenchSize = 6;     // cfrc_ext row: torque (3) then force (3)
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

Ant::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .locomotion = read_locomotion_params(config),
          .health = read_health_params(config),
          .use_contact_forces = config.get_bool("use_contact_forces"),
          .contact_cost_weight = config.get_double("contact_cost_weight"),
          .contact_force_min = config.get_double("contact_force_min"),
          .contact_force_max = config.get_double("contact_force_max")};
}

}  // namespace

Ant::Ant(const Params& params)
    : LocomotionEnv("Ant", params.common, "ant.xml", kShape, params.locomotion, kVelocityNoise, kRootPositions,
                    params.health),
      params_(params),
      torso_(body_id("torso")) {}

Ant::Ant(const pgb::Config& config) : Ant(params_from(config)) {}

bool Ant::contact_forces_observed() const noexcept { return version() == Version::v5 || params_.use_contact_forces; }

pgb::EnvSpec Ant::spec() const {
  // v4 observes the clipped cfrc_ext of all 14 bodies (world included), v5 drops the world's.
  int contact_rows = 0;
  if (contact_forces_observed()) contact_rows = version() == Version::v4 ? model().nbody : model().nbody - 1;
  return make_spec(observed_positions() + kShape.nv + static_cast<std::size_t>(kWrenchSize * contact_rows),
                   kMaxEpisodeSteps);
}

bool Ant::is_healthy() const {
  const mjData& d = data();
  const auto finite = [](double x) { return std::isfinite(x); };
  return std::all_of(d.qpos, d.qpos + kShape.nq, finite) && std::all_of(d.qvel, d.qvel + kShape.nv, finite) &&
         within(d.qpos[kRootZ], health().healthy_z_min, health().healthy_z_max, kHealthyZBounds);
}

double Ant::contact_cost() const {
  if (!contact_forces_observed()) return 0.0;
  const mjData& d = data();
  double sum = 0.0;
  for (int i = 0; i < kWrenchSize * model().nbody; ++i) {
    const double force = std::clamp(d.cfrc_ext[i], params_.contact_force_min, params_.contact_force_max);
    sum += force * force;
  }
  return params_.contact_cost_weight * sum;
}

// The torso's frame origin as mjData holds it: one substep behind qpos (spec §1.1).
double Ant::forward_position() const { return data().xpos[3 * torso_]; }

// qpos (x and y left out by default), qvel, then the clipped contact forces when observed.
void Ant::observe(std::span<double> observation) const {
  const mjData& d = data();
  ObservationWriter out(observation);
  put_positions(out);
  out.put(d.qvel, kShape.nv);
  if (contact_forces_observed()) {
    const int first_row = version() == Version::v4 ? 0 : 1;
    out.put_clipped(d.cfrc_ext + kWrenchSize * first_row, kWrenchSize * (model().nbody - first_row),
                    params_.contact_force_min, params_.contact_force_max);
  }
  out.finish();
}

namespace {
const Ant::Params kDefaults;
[[maybe_unused]] const pgb::sdk::EnvRegistration& registration =
    register_locomotion_task<Ant>(
        {.id = "org.pgbench.mujoco.ant/1",
         .name = "Ant-v4",
         .description = "Make a four-legged ant walk forward without flipping or jumping (Gymnasium Ant-v4; "
                        "version=v5 always observes and charges contact forces and pays the healthy reward only "
                        "when healthy).",
         .substep = "0.01 s",
         .bundled_models = "ant.xml"},
        {.root_position = "the torso's x and y", .body = "ant"})
        .param("use_contact_forces", kDefaults.use_contact_forces,
               "v4: observe and charge the clipped external contact forces (v5 always does)")
        .param("contact_cost_weight", kDefaults.contact_cost_weight, "cost per unit of sum(clipped cfrc_ext^2)", 0.0,
               1e6)
        .param("contact_force_min", kDefaults.contact_force_min, "lower clip of each cfrc_ext entry")
        .param("contact_force_max", kDefaults.contact_force_max, "upper clip of each cfrc_ext entry");
}  // namespace

}  // namespace mujoco_control
