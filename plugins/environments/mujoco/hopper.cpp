// hopper.cpp -- Hopper-v4/v5: reward = forward speed + healthy reward - control cost; the
// episode ends when the hopper falls (too low, too tilted) or its state blows up.
#include "hopper.hpp"

#include <algorithm>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 6, .nv = 6, .nu = 3};
// qpos indices: the root's horizontal slide (m), its height (m, rootz has ref 1.25) and pitch (rad).
constexpr int kRootX = 0, kRootZ = 1, kRootAngle = 2;
constexpr int kRootPositions = 1;       // rootx, left out of the observation by default
constexpr double kVelocityClip = 10.0;  // the observation clips qvel to +-10
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

Hopper::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .locomotion = read_locomotion_params(config),
          .health = read_health_params(config),
          .healthy_state_min = config.get_double("healthy_state_min"),
          .healthy_state_max = config.get_double("healthy_state_max"),
          .healthy_angle_min = config.get_double("healthy_angle_min"),
          .healthy_angle_max = config.get_double("healthy_angle_max")};
}

}  // namespace

Hopper::Hopper(const Params& params)
    : LocomotionEnv("Hopper", params.common, "hopper.xml", kShape, params.locomotion, kVelocityNoise, kRootPositions,
                    params.health),
      params_(params) {}

Hopper::Hopper(const pgb::Config& config) : Hopper(params_from(config)) {}

pgb::EnvSpec Hopper::spec() const { return make_spec(observed_positions() + kShape.nv, kMaxEpisodeSteps); }

bool Hopper::is_healthy() const {
  const mjData& d = data();
  const auto in_state_range = [&](double x) {
    return within(x, params_.healthy_state_min, params_.healthy_state_max);
  };
  // The state range covers qpos[2..] (all but x and height) and qvel.
  return std::all_of(d.qpos + kRootAngle, d.qpos + kShape.nq, in_state_range) &&
         std::all_of(d.qvel, d.qvel + kShape.nv, in_state_range) &&
         within(d.qpos[kRootZ], health().healthy_z_min, health().healthy_z_max, kHealthyZBounds) &&
         within(d.qpos[kRootAngle], params_.healthy_angle_min, params_.healthy_angle_max);
}

// The root's horizontal slide.
double Hopper::forward_position() const { return data().qpos[kRootX]; }

// qpos (rootx left out by default), then clip(qvel, -10, 10).
void Hopper::observe(std::span<double> observation) const {
  ObservationWriter out(observation);
  put_positions(out);
  out.put_clipped(data().qvel, kShape.nv, -kVelocityClip, kVelocityClip);
  out.finish();
}

namespace {
const Hopper::Params kDefaults;
[[maybe_unused]] const pgb::sdk::EnvRegistration& registration =
    register_locomotion_task<Hopper>(
        {.id = "org.pgbench.mujoco.hopper/1",
         .name = "Hopper-v4",
         .description = "Make a planar one-legged hopper hop forward without falling (Gymnasium Hopper-v4; "
                        "version=v5 pays the healthy reward only in healthy states).",
         .substep = "0.002 s",
         .bundled_models = "hopper.xml"},
        {.root_position = "the root's x position", .body = "hopper"})
        .param("healthy_state_min", kDefaults.healthy_state_min,
               "lower bound (exclusive) of every qpos[2..] and qvel entry")
        .param("healthy_state_max", kDefaults.healthy_state_max,
               "upper bound (exclusive) of every qpos[2..] and qvel entry")
        .param("healthy_angle_min", kDefaults.healthy_angle_min, "lowest healthy torso pitch, rad (exclusive)")
        .param("healthy_angle_max", kDefaults.healthy_angle_max, "highest healthy torso pitch, rad (exclusive)");
}  // namespace

}  // namespace mujoco_control
