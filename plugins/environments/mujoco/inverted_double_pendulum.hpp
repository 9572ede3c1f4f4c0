// inverted_double_pendulum.hpp -- InvertedDoublePendulum: balance two stacked poles on a cart
// (specs/mujoco-tasks.md §9; v5 pays no alive bonus on the terminating step and observes only
// the slider's constraint force).
#pragma once

#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

class InvertedDoublePendulum final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 5;  // 5 x 0.01 s = 0.05 s per step (the model's custom 2 is ignored)

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    double healthy_reward = 10.0;  // the alive bonus per step
    double reset_noise_scale = 0.1;
  };

  explicit InvertedDoublePendulum(const Params& params);
  explicit InvertedDoublePendulum(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

 private:
  void observe(std::span<double> observation) const;
  Params params_;
  int tip_;  // site id
};

}  // namespace mujoco_control
