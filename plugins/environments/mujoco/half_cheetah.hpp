// half_cheetah.hpp -- HalfCheetah: a planar cat-like runner rewarded for forward speed
// (specs/mujoco-tasks.md §2; v4 and v5 behave the same).
#pragma once

#include <span>

#include "locomotion.hpp"

namespace mujoco_control {

class HalfCheetah final : public LocomotionEnv {
 public:
  static constexpr int kFrameSkip = 5;  // 5 x 0.01 s = 0.05 s per step
  static constexpr VelocityNoise kVelocityNoise = VelocityNoise::normal;

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    LocomotionParams locomotion{.forward_reward_weight = 1.0, .ctrl_cost_weight = 0.1, .reset_noise_scale = 0.1};
  };

  explicit HalfCheetah(const Params& params);
  explicit HalfCheetah(const pgb::Config& config);

  pgb::EnvSpec spec() const override;

 private:
  double forward_position() const override;
  void observe(std::span<double> observation) const override;
};

}  // namespace mujoco_control
