// pusher.hpp -- Pusher: a 7-joint arm rewarded for pushing a cylinder onto a goal on a table
// (specs/mujoco-tasks.md §12; v5 uses a heavier object and computes the reward after the step).
#pragma once

#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

class Pusher final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 5;  // 5 x 0.01 s = 0.05 s per step

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    double reward_near_weight = 0.5;     // per m between fingertips and object
    double reward_dist_weight = 1.0;     // per m between object and goal
    double reward_control_weight = 0.1;  // per unit of sum(action^2)
  };

  explicit Pusher(const Params& params);
  explicit Pusher(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

  // The bundled model of a version: v5 has its own file (no invisible sphere, a denser cylinder).
  static const char* default_model_file(Version version);

 private:
  // reward_dist + reward_near terms (negative distances, weighted) on the current data.
  double distance_reward() const;
  void observe(std::span<double> observation) const;

  Params params_;
  int tips_arm_, object_, goal_;  // body ids
};

}  // namespace mujoco_control
