// inverted_double_pendulum.cpp -- InvertedDoublePendulum-v4/v5: alive bonus minus penalties for
// the tip's distance from (0, 2) and for the poles' angular speeds; ends when the tip drops to
// 1 m.
#include "inverted_double_pendulum.hpp"

#include <cmath>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 3, .nv = 3, .nu = 1};
constexpr int kCart = 0, kPole = 1, kPole2 = 2;  // qpos: cart x (m), hinge angles (rad)
constexpr double kVelocityClip = 10.0;           // clip of qvel and qfrc_constraint in the observation
// Penalty weights: tip x^2 (1/m^2), (tip height - 2 m)^2 (1/m^2), joint rates^2 (s^2/rad^2).
constexpr double kTipXWeight = 0.01, kTipTargetHeight = 2.0;
constexpr double kPoleSpeedWeight = 1e-3, kPole2SpeedWeight = 5e-3;
constexpr double kFallenTipHeight = 1.0;  // m; at or below it the episode ends (upright: 1.2 m)
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

InvertedDoublePendulum::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .healthy_reward = config.get_double("healthy_reward"),
          .reset_noise_scale = config.get_double("reset_noise_scale")};
}

}  // namespace

InvertedDoublePendulum::InvertedDoublePendulum(const Params& params)
    : MujocoEnv("InvertedDoublePendulum", params.common, "inverted_double_pendulum.xml", kShape),
      params_(params),
      tip_(site_id("tip")) {}

InvertedDoublePendulum::InvertedDoublePendulum(const pgb::Config& config)
    : InvertedDoublePendulum(params_from(config)) {}

pgb::EnvSpec InvertedDoublePendulum::spec() const {
  // x, sin (2), cos (2), qvel (3), then qfrc_constraint: all 3 in v4, the slider's in v5.
  return make_spec(version() == Version::v4 ? 11 : 9, kMaxEpisodeSteps);
}

void InvertedDoublePendulum::reset(std::span<double> observation) {
  reset_with_noise(params_.reset_noise_scale, VelocityNoise::normal);
  observe(observation);
}

pgb::StepResult InvertedDoublePendulum::step(pgb::ActionRef action, std::span<double> observation) {
  simulate(action.values());
  const mjData& d = data();
  // The tip site's world x and height, as left by the last substep (spec §1.1).
  const double tip_x = d.site_xpos[3 * tip_], tip_height = d.site_xpos[3 * tip_ + 2];
  const double distance_penalty =
      kTipXWeight * tip_x * tip_x + (tip_height - kTipTargetHeight) * (tip_height - kTipTargetHeight);
  const double velocity_penalty =
      kPoleSpeedWeight * d.qvel[kPole] * d.qvel[kPole] + kPole2SpeedWeight * d.qvel[kPole2] * d.qvel[kPole2];
  const bool terminated = tip_height <= kFallenTipHeight;
  const bool paid = version() == Version::v4 || !terminated;
  const double alive_bonus = paid ? params_.healthy_reward : 0.0;
  observe(observation);
  return {.reward = alive_bonus - distance_penalty - velocity_penalty, .terminated = terminated};
}

void InvertedDoublePendulum::observe(std::span<double> observation) const {
  const mjData& d = data();
  ObservationWriter out(observation);
  out.put(d.qpos[kCart]);
  out.put(std::sin(d.qpos[kPole]));
  out.put(std::sin(d.qpos[kPole2]));
  out.put(std::cos(d.qpos[kPole]));
  out.put(std::cos(d.qpos[kPole2]));
  out.put_clipped(d.qvel, kShape.nv, -kVelocityClip, kVelocityClip);
  // Only the slider has a limit, so only qfrc_constraint[0] is ever non-zero; v5 drops the rest.
  const int constraint_forces = version() == Version::v4 ? kShape.nv : 1;
  out.put_clipped(d.qfrc_constraint, constraint_forces, -kVelocityClip, kVelocityClip);
  out.finish();
}

namespace {
const InvertedDoublePendulum::Params kDefaults;
[[maybe_unused]] const pgb::sdk::EnvRegistration& registration =
    register_task<InvertedDoublePendulum>(
        {.id = "org.pgbench.mujoco.inverted-double-pendulum/1",
         .name = "InvertedDoublePendulum-v4",
         .description = "Keep two stacked poles upright on a cart (Gymnasium InvertedDoublePendulum-v4; version=v5 "
                        "pays no alive bonus on the terminating step and observes 9 values instead of 11).",
         .substep = "0.01 s",
         .bundled_models = "inverted_double_pendulum.xml"})
        .param("healthy_reward", kDefaults.healthy_reward, "alive bonus per step", 0.0, 1e6)
        .param("reset_noise_scale", kDefaults.reset_noise_scale,
               "half-width of the uniform qpos noise and std of the normal qvel noise at reset", 0.0, 10.0);
}  // namespace

}  // namespace mujoco_control
