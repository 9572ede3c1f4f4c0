// swimmer.hpp -- Swimmer: a three-link snake in a viscous fluid rewarded for swimming forward
// (specs/mujoco-tasks.md §6; v4 and v5 behave the same).
#pragma once

#include <span>

#include "locomotion.hpp"

namespace mujoco_control {

class Swimmer final : public LocomotionEnv {
 public:
  static constexpr int kFrameSkip = 4;  // 4 x 0.01 s = 0.04 s per step
  static constexpr VelocityNoise kVelocityNoise = VelocityNoise::uniform;

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    LocomotionParams locomotion{.forward_reward_weight = 1.0, .ctrl_cost_weight = 1e-4, .reset_noise_scale = 0.1};
  };

  explicit Swimmer(const Params& params);
  explicit Swimmer(const pgb::Config& config);

  pgb::EnvSpec spec() const override;

 private:
  double forward_position() const override;
  void observe(std::span<double> observation) const override;
};

}  // namespace mujoco_control
