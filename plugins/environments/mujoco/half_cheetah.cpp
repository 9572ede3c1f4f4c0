// half_cheetah.cpp -- HalfCheetah-v4/v5: reward = forward speed of the root minus a control cost;
// no health condition, the episode only ends at the time limit.
#include "half_cheetah.hpp"

#include <pgbench/sdk/plugin.hpp>

namespace mujoco_control {
namespace {

constexpr ModelShape kShape{.nq = 9, .nv = 9, .nu = 6};
constexpr int kRootX = 0;  // qpos index of the root's horizontal slide, m
constexpr std::uint32_t kMaxEpisodeSteps = 1000;

HalfCheetah::Params params_from(const pgb::Config& config) {
  return {.common = read_common_params(config),
          .forward_reward_weight = config.get_double("forward_reward_weight"),
          .ctrl_cost_weight = config.get_double("ctrl_cost_weight"),
          .reset_noise_scale = config.get_double("reset_noise_scale"),
          .exclude_current_positions_from_observation =
              config.get_bool("exclude_current_positions_from_observation")};
}

}  // namespace

HalfCheetah::HalfCheetah(const Params& params)
    : MujocoEnv(std::string("HalfCheetah") + version_suffix(params.common.version),
                resolve_model_path(params.common.model_path, "half_cheetah.xml"), params.common.frame_skip, kShape),
      params_(params) {}

HalfCheetah::HalfCheetah(const pgb::Config& config) : HalfCheetah(params_from(config)) {}

pgb::EnvSpec HalfCheetah::spec() const {
  // qpos without rootx (8) and qvel (9); rootx is added back on request.
  const std::size_t positions = params_.exclude_current_positions_from_observation ? 8 : 9;
  return make_spec(positions + 9, kMaxEpisodeSteps);
}

void HalfCheetah::reset(std::span<double> observation) {
  const mjModel& m = model();
  mjData& d = writable_data();
  const double scale = params_.reset_noise_scale;
  begin_reset();
  for (int i = 0; i < m.nq; ++i) d.qpos[i] = m.qpos0[i] + rng().uniform(-scale, scale);
  for (int i = 0; i < m.nv; ++i) d.qvel[i] = scale * rng().normal();
  finish_reset();
  observe(observation);
}

pgb::StepResult HalfCheetah::step(pgb::ActionRef action, std::span<double> observation) {
  const mjData& d = data();
  const double x_before = d.qpos[kRootX];
  simulate(action.values());
  const double x_velocity = (d.qpos[kRootX] - x_before) / dt();  // m/s

  const double forward_reward = params_.forward_reward_weight * x_velocity;
  const double ctrl_cost = params_.ctrl_cost_weight * sum_of_squares(action.values());
  observe(observation);
  return {.reward = forward_reward - ctrl_cost, .terminated = false};
}

void HalfCheetah::observe(std::span<double> observation) const {
  const mjData& d = data();
  ObservationWriter out(observation);
  const int first = params_.exclude_current_positions_from_observation ? 1 : 0;
  out.put(d.qpos + first, kShape.nq - first);
  out.put(d.qvel, kShape.nv);
  out.finish();
}

PGB_REGISTER_ENV(HalfCheetah, "org.pgbench.mujoco.half-cheetah/1")
    .name("HalfCheetah-v4")
    .description("Make a planar two-legged cheetah run forward as fast as possible (Gymnasium HalfCheetah-v4; "
                 "version=v5 selects v5, identical in dynamics, reward and observation).")
    .param("version", "v4", "Gymnasium revision whose behaviour to reproduce", kVersionChoices)
    .param("frame_skip", HalfCheetah::kFrameSkip, "MuJoCo steps of 0.01 s per env step", 1.0, 1000.0)
    .param("model_path", "", "MJCF file to load instead of the bundled half_cheetah.xml (relative: in the models folder)")
    .param("forward_reward_weight", 1.0, "reward per m/s of forward speed", 0.0, 1e6)
    .param("ctrl_cost_weight", 0.1, "cost per unit of sum(action^2)", 0.0, 1e6)
    .param("reset_noise_scale", 0.1, "half-width of the uniform qpos noise and std of the normal qvel noise at reset", 0.0, 10.0)
    .param("exclude_current_positions_from_observation", true, "leave the root's x position out of the observation");

}  // namespace mujoco_control
