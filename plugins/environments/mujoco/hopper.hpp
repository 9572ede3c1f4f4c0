// hopper.hpp -- Hopper: a planar one-legged robot rewarded for hopping forward without falling
// (specs/mujoco-tasks.md §3; v5 differs only in the healthy reward).
#pragma once

#include <span>

#include "locomotion.hpp"

namespace mujoco_control {

class Hopper final : public LocomotionEnv {
 public:
  static constexpr int kFrameSkip = 4;  // 4 x 0.002 s = 0.008 s per step
  static constexpr Bounds kHealthyZBounds = Bounds::exclusive;
  static constexpr VelocityNoise kVelocityNoise = VelocityNoise::uniform;

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    LocomotionParams locomotion{.forward_reward_weight = 1.0, .ctrl_cost_weight = 1e-3, .reset_noise_scale = 5e-3};
    HealthParams health{.healthy_reward = 1.0, .healthy_z_min = 0.7, .healthy_z_max = kNoUpperBound};
    // Healthy also needs every entry of (qpos[2..], qvel) strictly inside the state range and
    // the torso's pitch (rad) inside the angle range.
    double healthy_state_min = -100.0, healthy_state_max = 100.0;
    double healthy_angle_min = -0.2, healthy_angle_max = 0.2;
  };

  explicit Hopper(const Params& params);
  explicit Hopper(const pgb::Config& config);

  pgb::EnvSpec spec() const override;

  // Whether the current state is healthy (see Params).
  bool is_healthy() const override;

 private:
  double forward_position() const override;
  void observe(std::span<double> observation) const override;

  Params params_;  // read for the task's own parameters; the shared ones live in LocomotionEnv
};

}  // namespace mujoco_control
