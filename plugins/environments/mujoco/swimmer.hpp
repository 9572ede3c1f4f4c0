// swimmer.hpp -- Swimmer: a three-link snake in a viscous fluid rewarded for swimming forward
// (specs/mujoco-tasks.md §6; v4 and v5 behave the same).
#pragma once

#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

class Swimmer final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 4;  // 4 x 0.01 s = 0.04 s per step

  struct Params {
    CommonParams common{.version = Version::v4, .frame_skip = kFrameSkip, .model_path = {}};
    double forward_reward_weight = 1.0;  // per m/s
    double ctrl_cost_weight = 1e-4;      // per unit of sum(action^2)
    double reset_noise_scale = 0.1;
    bool exclude_current_positions_from_observation = true;
  };

  explicit Swimmer(const Params& params);
  explicit Swimmer(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

 private:
  void observe(std::span<double> observation) const;
  Params params_;
};

}  // namespace mujoco_control
