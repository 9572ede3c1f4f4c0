// inverted_pendulum.hpp -- InvertedPendulum: balance a pole on a cart (specs/mujoco-tasks.md §8;
// v5 pays nothing on the terminating step).
#pragma once

#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

class InvertedPendulum final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 2;  // 2 x 0.02 s = 0.04 s per step

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    double reset_noise_scale = 0.01;
  };

  explicit InvertedPendulum(const Params& params);
  explicit InvertedPendulum(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

 private:
  void observe(std::span<double> observation) const;
  Params params_;
};

}  // namespace mujoco_control
