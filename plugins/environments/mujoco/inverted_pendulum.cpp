// inverted_pendulum.cpp -- InvertedPendulum-v4/v5: +1 per step while the pole stays within
// 0.2 rad of vertical.
#include "inverted_pendulum.hpp"

#include <algorithm>
#include <cmath>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 2, .nv = 2, .nu = 1};
constexpr int kPoleAngle = 1;          // qpos: rad from vertical
constexpr double kMaxPoleAngle = 0.2;  // rad; beyond it the pole has fallen
constexpr double kAliveReward = 1.0;   // per step
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

InvertedPendulum::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config), .reset_noise_scale = config.get_double("reset_noise_scale")};
}

}  // namespace

InvertedPendulum::InvertedPendulum(const Params& params)
    : MujocoEnv("InvertedPendulum", params.common, "inverted_pendulum.xml", kShape), params_(params) {}

InvertedPendulum::InvertedPendulum(const pgb::Config& config) : InvertedPendulum(params_from(config)) {}

pgb::EnvSpec InvertedPendulum::spec() const { return make_spec(4, kMaxEpisodeSteps); }

void InvertedPendulum::reset(std::span<double> observation) {
  reset_with_noise(params_.reset_noise_scale, VelocityNoise::uniform);
  observe(observation);
}

pgb::StepResult InvertedPendulum::step(pgb::ActionRef action, std::span<double> observation) {
  simulate(action.values());
  observe(observation);
  const bool finite = std::all_of(observation.begin(), observation.end(), [](double x) { return std::isfinite(x); });
  const bool terminated = !finite || std::abs(data().qpos[kPoleAngle]) > kMaxPoleAngle;
  // v4 pays the alive reward on the terminating step too (spec §1.3), v5 does not.
  const bool paid = version() == Version::v4 || !terminated;
  return {.reward = paid ? kAliveReward : 0.0, .terminated = terminated};
}

void InvertedPendulum::observe(std::span<double> observation) const {
  ObservationWriter out(observation);
  out.put(data().qpos, kShape.nq);
  out.put(data().qvel, kShape.nv);
  out.finish();
}

namespace {
const InvertedPendulum::Params kDefaults;
[[maybe_unused]] const pgb::sdk::EnvRegistration& registration =
    register_task<InvertedPendulum>(
        {.id = "org.pgbench.mujoco.inverted-pendulum/1",
         .name = "InvertedPendulum-v4",
         .description = "Keep a pole upright on a cart by pushing the cart (Gymnasium InvertedPendulum-v4; "
                        "version=v5 pays nothing on the terminating step).",
         .substep = "0.02 s",
         .bundled_models = "inverted_pendulum.xml"})
        .param("reset_noise_scale", kDefaults.reset_noise_scale,
               "half-width of the uniform qpos and qvel noise at reset", 0.0, 10.0);
}  // namespace

}  // namespace mujoco_control
