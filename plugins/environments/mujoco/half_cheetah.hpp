// half_cheetah.hpp -- HalfCheetah: a planar cat-like runner rewarded for forward speed
// (specs/mujoco-tasks.md §2; v4 and v5 behave the same).
#pragma once

#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

class HalfCheetah final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 5;  // 5 x 0.01 s = 0.05 s per step

  struct Params {
    CommonParams common{.version = Version::v4, .frame_skip = kFrameSkip, .model_path = {}};
    double forward_reward_weight = 1.0;  // per m/s
    double ctrl_cost_weight = 0.1;       // per unit of sum(action^2)
    double reset_noise_scale = 0.1;
    bool exclude_current_positions_from_observation = true;
  };

  explicit HalfCheetah(const Params& params);
  explicit HalfCheetah(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

 private:
  void observe(std::span<double> observation) const;
  Params params_;
};

}  // namespace mujoco_control
