// walker2d.hpp -- Walker2d: a planar biped rewarded for walking forward without falling
// (specs/mujoco-tasks.md §4; v5 raises the right foot's friction and changes the healthy reward).
#pragma once

#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

class Walker2d final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 4;  // 4 x 0.002 s = 0.008 s per step

  struct Params {
    CommonParams common{.version = Version::v4, .frame_skip = kFrameSkip, .model_path = {}};
    double forward_reward_weight = 1.0;  // per m/s
    double ctrl_cost_weight = 1e-3;      // per unit of sum(action^2)
    double healthy_reward = 1.0;         // per step
    bool terminate_when_unhealthy = true;
    // Healthy: torso height (m) and pitch (rad) strictly inside these ranges.
    double healthy_z_min = 0.8, healthy_z_max = 2.0;
    double healthy_angle_min = -1.0, healthy_angle_max = 1.0;
    double reset_noise_scale = 5e-3;
    bool exclude_current_positions_from_observation = true;
  };

  explicit Walker2d(const Params& params);
  explicit Walker2d(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

  bool is_healthy() const;

  // The bundled model of a version: v5 has its own file, with the right foot's friction raised
  // from 0.9 to 1.9 like the left one's.
  static const char* default_model_file(Version version);

 private:
  void observe(std::span<double> observation) const;
  Params params_;
};

}  // namespace mujoco_control
