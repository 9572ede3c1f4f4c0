// swimmer.cpp -- Swimmer-v4/v5: reward = forward speed of the head - control cost; no
// termination.
#include "swimmer.hpp"

#include <pgbench/sdk/plugin.hpp>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 5, .nv = 5, .nu = 2};
constexpr int kRootX = 0;           // qpos: the head's slide along x, m
constexpr int kRootPositions = 2;   // x and y slides, left out of the observation by default
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

Swimmer::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .forward_reward_weight = config.get_double("forward_reward_weight"),
          .ctrl_cost_weight = config.get_double("ctrl_cost_weight"),
          .reset_noise_scale = config.get_double("reset_noise_scale"),
          .exclude_current_positions_from_observation =
              config.get_bool("exclude_current_positions_from_observation")};
}

}  // namespace

Swimmer::Swimmer(const Params& params)
    : MujocoEnv(std::string("Swimmer") + version_suffix(params.common.version),
                resolve_model_path(params.common.model_path, "swimmer.xml"), params.common.frame_skip, kShape),
      params_(params) {}

Swimmer::Swimmer(const pgb::Config& config) : Swimmer(params_from(config)) {}

pgb::EnvSpec Swimmer::spec() const {
  const std::size_t positions = params_.exclude_current_positions_from_observation ? 3 : 5;
  return make_spec(positions + 5, kMaxEpisodeSteps);
}

void Swimmer::reset(std::span<double> observation) {
  const mjModel& m = model();
  mjData& d = writable_data();
  const double scale = params_.reset_noise_scale;
  begin_reset();
  for (int i = 0; i < m.nq; ++i) d.qpos[i] = m.qpos0[i] + rng().uniform(-scale, scale);
  for (int i = 0; i < m.nv; ++i) d.qvel[i] = rng().uniform(-scale, scale);
  finish_reset();
  observe(observation);
}

pgb::StepResult Swimmer::step(pgb::ActionRef action, std::span<double> observation) {
  const mjData& d = data();
  const double x_before = d.qpos[kRootX];
  simulate(action.values());
  const double x_velocity = (d.qpos[kRootX] - x_before) / dt();  // m/s

  const double forward_reward = params_.forward_reward_weight * x_velocity;
  const double ctrl_cost = params_.ctrl_cost_weight * sum_of_squares(action.values());
  observe(observation);
  return {.reward = forward_reward - ctrl_cost, .terminated = false};
}

void Swimmer::observe(std::span<double> observation) const {
  const mjData& d = data();
  ObservationWriter out(observation);
  const int first = params_.exclude_current_positions_from_observation ? kRootPositions : 0;
  out.put(d.qpos + first, kShape.nq - first);
  out.put(d.qvel, kShape.nv);
  out.finish();
}

PGB_REGISTER_ENV(Swimmer, "org.pgbench.mujoco.swimmer/1")
    .name("Swimmer-v4")
    .description("Make a three-link swimmer in a viscous fluid swim forward (Gymnasium Swimmer-v4; version=v5 "
                 "is identical).")
    .param("version", "v4", "Gymnasium revision whose behaviour to reproduce", kVersionChoices)
    .param("frame_skip", Swimmer::kFrameSkip, "MuJoCo steps of 0.01 s per env step", 1.0, 1000.0)
    .param("model_path", "", "MJCF file to load instead of the bundled swimmer.xml (relative: in the models folder)")
    .param("forward_reward_weight", 1.0, "reward per m/s of forward speed", 0.0, 1e6)
    .param("ctrl_cost_weight", 1e-4, "cost per unit of sum(action^2)", 0.0, 1e6)
    .param("reset_noise_scale", 0.1, "half-width of the uniform qpos and qvel noise at reset", 0.0, 10.0)
    .param("exclude_current_positions_from_observation", true,
           "leave the head's x and y positions out of the observation");

}  // namespace mujoco_control
