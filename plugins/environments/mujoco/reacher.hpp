// reacher.hpp -- Reacher: a two-link planar arm rewarded for keeping its fingertip on a randomly
// placed target (specs/mujoco-tasks.md §7; v5 computes the reward after the step and drops the
// always-zero height difference from the observation).
#pragma once

#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

class Reacher final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 2;  // 2 x 0.01 s = 0.02 s per step

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    double reward_dist_weight = 1.0;     // per m of fingertip-target distance
    double reward_control_weight = 1.0;  // per unit of sum(action^2)
  };

  explicit Reacher(const Params& params);
  explicit Reacher(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

  // |xpos(fingertip) - xpos(target)| on the current data, m.
  double fingertip_distance() const;

 private:
  void observe(std::span<double> observation) const;
  Params params_;
  int fingertip_, target_;  // body ids
};

}  // namespace mujoco_control
