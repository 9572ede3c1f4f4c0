// locomotion.cpp -- parameters and observation of the locomotion tasks.
#include "locomotion.hpp"

#include <string>

namespace mujoco_control {

LocomotionParams read_locomotion_params(const pgb::Config& config) {
  return {.forward_reward_weight = config.get_double("forward_reward_weight"),
          .ctrl_cost_weight = config.get_double("ctrl_cost_weight"),
          .reset_noise_scale = config.get_double("reset_noise_scale"),
          .exclude_current_positions_from_observation = config.get_bool("exclude_current_positions_from_observation")};
}

HealthParams read_health_params(const pgb::Config& config) {
  return {.healthy_reward = config.get_double("healthy_reward"),
          .terminate_when_unhealthy = config.get_bool("terminate_when_unhealthy"),
          .healthy_z_min = config.get_double("healthy_z_min"),
          .healthy_z_max = config.get_double("healthy_z_max")};
}

LocomotionEnv::LocomotionEnv(const char* task, const CommonParams& common, const char* default_model_file,
                             ModelShape shape, const LocomotionParams& params, VelocityNoise velocity_noise,
                             int root_horizontal_positions, std::optional<HealthParams> health)
    : MujocoEnv(task, common, default_model_file, shape),
      params_(params),
      velocity_noise_(velocity_noise),
      root_horizontal_positions_(root_horizontal_positions),
      health_(health) {}

void LocomotionEnv::reset(std::span<double> observation) {
  reset_with_noise(params_.reset_noise_scale, velocity_noise_);
  observe(observation);
}

pgb::StepResult LocomotionEnv::step(pgb::ActionRef action, std::span<double> observation) {
  const double x_before = forward_position();
  simulate(action.values());
  const double forward_reward = params_.forward_reward_weight * ((forward_position() - x_before) / dt());
  const bool healthy = !health_ || is_healthy();
  const double healthy_reward = health_ ? health_->reward(version(), healthy) : 0.0;
  const double ctrl_cost = params_.ctrl_cost_weight * sum_of_squares(action.values());
  const double reward = forward_reward + healthy_reward - ctrl_cost - contact_cost();
  observe(observation);
  return {.reward = reward, .terminated = health_ && health_->terminates(healthy)};
}

std::size_t LocomotionEnv::observed_positions() const noexcept {
  const int excluded = params_.exclude_current_positions_from_observation ? root_horizontal_positions_ : 0;
  return static_cast<std::size_t>(model().nq - excluded);
}

void LocomotionEnv::put_positions(ObservationWriter& out) const noexcept {
  const int first = params_.exclude_current_positions_from_observation ? root_horizontal_positions_ : 0;
  out.put(data().qpos + first, model().nq - first);
}

void declare_locomotion_params(pgb::sdk::EnvRegistration& task, const LocomotionParams& defaults,
                               VelocityNoise velocity_noise, const LocomotionWording& wording) {
  const char* noise_help = velocity_noise == VelocityNoise::uniform
                               ? "half-width of the uniform qpos and qvel noise at reset"
                               : "half-width of the uniform qpos noise and std of the normal qvel noise at reset";
  task.param("forward_reward_weight", defaults.forward_reward_weight,
             std::string("reward per m/s of ") + wording.forward_speed, 0.0, 1e6)
      .param("ctrl_cost_weight", defaults.ctrl_cost_weight, "cost per unit of sum(action^2)", 0.0, 1e6)
      .param("reset_noise_scale", defaults.reset_noise_scale, noise_help, 0.0, 10.0)
      .param("exclude_current_positions_from_observation", defaults.exclude_current_positions_from_observation,
             std::string("leave ") + wording.root_position + " out of the observation");
}

void declare_health_params(pgb::sdk::EnvRegistration& task, const HealthParams& defaults, Bounds healthy_z_bounds,
                           const LocomotionWording& wording) {
  const std::string bounds = healthy_z_bounds == Bounds::exclusive ? "exclusive" : "inclusive";
  const std::string no_upper_bound = defaults.healthy_z_max == kNoUpperBound ? "; default: none" : "";
  task.param("healthy_reward", defaults.healthy_reward, "reward per step for staying healthy", 0.0, 1e6)
      .param("terminate_when_unhealthy", defaults.terminate_when_unhealthy,
             std::string("end the episode when the ") + wording.body + " becomes unhealthy")
      .param("healthy_z_min", defaults.healthy_z_min, "lowest healthy torso height, m (" + bounds + ")")
      .param("healthy_z_max", defaults.healthy_z_max,
             "highest healthy torso height, m (" + bounds + no_upper_bound + ")");
}

}  // namespace mujoco_control
