// hopper.hpp -- Hopper: a planar one-legged robot rewarded for hopping forward without falling
// (specs/mujoco-tasks.md §3; v5 differs only in the healthy reward).
#pragma once

#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

class Hopper final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 4;  // 4 x 0.002 s = 0.008 s per step

  struct Params {
    CommonParams common{.version = Version::v4, .frame_skip = kFrameSkip, .model_path = {}};
    double forward_reward_weight = 1.0;  // per m/s
    double ctrl_cost_weight = 1e-3;      // per unit of sum(action^2)
    double healthy_reward = 1.0;         // per step
    bool terminate_when_unhealthy = true;
    // Healthy: every entry of (qpos[2..], qvel) strictly inside the state range, the torso height
    // (m) inside the z range, its pitch (rad) inside the angle range.
    double healthy_state_min = -100.0, healthy_state_max = 100.0;
    double healthy_z_min = 0.7, healthy_z_max = kNoUpperBound;
    double healthy_angle_min = -0.2, healthy_angle_max = 0.2;
    double reset_noise_scale = 5e-3;
    bool exclude_current_positions_from_observation = true;
  };

  explicit Hopper(const Params& params);
  explicit Hopper(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

  // Whether the current state is healthy (see Params).
  bool is_healthy() const;

 private:
  void observe(std::span<double> observation) const;
  Params params_;
};

}  // namespace mujoco_control
