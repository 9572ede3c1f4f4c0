// walker2d.cpp -- Walker2d-v4/v5: reward = forward speed + healthy reward - control cost; the
// episode ends when the torso drops, rises too high or tilts too far.
#include "walker2d.hpp"

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 9, .nv = 9, .nu = 6};
constexpr int kRootX = 0, kRootZ = 1, kRootAngle = 2;  // qpos: m, m (absolute height), rad
constexpr int kRootPositions = 1;                      // rootx, left out of the observation by default
constexpr double kVelocityClip = 10.0;                 // the observation clips qvel to +-10
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

Walker2d::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .locomotion = read_locomotion_params(config),
          .health = read_health_params(config),
          .healthy_angle_min = config.get_double("healthy_angle_min"),
          .healthy_angle_max = config.get_double("healthy_angle_max")};
}

}  // namespace

const char* Walker2d::default_model_file(Version version) {
  return version == Version::v4 ? "walker2d.xml" : "walker2d_v5.xml";
}

Walker2d::Walker2d(const Params& params)
    : LocomotionEnv("Walker2d", params.common, default_model_file(params.common.version), kShape, params.locomotion,
                    kVelocityNoise, kRootPositions, params.health),
      params_(params) {}

Walker2d::Walker2d(const pgb::Config& config) : Walker2d(params_from(config)) {}

pgb::EnvSpec Walker2d::spec() const { return make_spec(observed_positions() + kShape.nv, kMaxEpisodeSteps); }

bool Walker2d::is_healthy() const {
  const mjData& d = data();
  return within(d.qpos[kRootZ], health().healthy_z_min, health().healthy_z_max, kHealthyZBounds) &&
         within(d.qpos[kRootAngle], params_.healthy_angle_min, params_.healthy_angle_max);
}

// The root's horizontal slide.
double Walker2d::forward_position() const { return data().qpos[kRootX]; }

// qpos (rootx left out by default), then clip(qvel, -10, 10).
void Walker2d::observe(std::span<double> observation) const {
  ObservationWriter out(observation);
  put_positions(out);
  out.put_clipped(data().qvel, kShape.nv, -kVelocityClip, kVelocityClip);
  out.finish();
}

namespace {
const Walker2d::Params kDefaults;
[[maybe_unused]] const pgb::sdk::EnvRegistration& registration =
    register_locomotion_task<Walker2d>(
        {.id = "org.pgbench.mujoco.walker2d/1",
         .name = "Walker2d-v4",
         .description = "Make a planar biped walk forward without falling (Gymnasium Walker2d-v4; version=v5 uses "
                        "the v5 model with equal foot frictions and pays the healthy reward only in healthy states).",
         .substep = "0.002 s",
         .bundled_models = "walker2d.xml / walker2d_v5.xml"},
        {.root_position = "the root's x position", .body = "walker"})
        .param("healthy_angle_min", kDefaults.healthy_angle_min, "lowest healthy torso pitch, rad (exclusive)")
        .param("healthy_angle_max", kDefaults.healthy_angle_max, "highest healthy torso pitch, rad (exclusive)");
}  // namespace

}  // namespace mujoco_control
