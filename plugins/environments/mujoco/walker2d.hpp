// walker2d.hpp -- Walker2d: a planar biped rewarded for walking forward without falling
// (specs/mujoco-tasks.md §4; v5 raises the right foot's friction and changes the healthy reward).
#pragma once

#include <span>

#include "locomotion.hpp"

namespace mujoco_control {

class Walker2d final : public LocomotionEnv {
 public:
  static constexpr int kFrameSkip = 4;  // 4 x 0.002 s = 0.008 s per step
  static constexpr Bounds kHealthyZBounds = Bounds::exclusive;
  static constexpr VelocityNoise kVelocityNoise = VelocityNoise::uniform;

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    LocomotionParams locomotion{.forward_reward_weight = 1.0, .ctrl_cost_weight = 1e-3, .reset_noise_scale = 5e-3};
    HealthParams health{.healthy_reward = 1.0, .healthy_z_min = 0.8, .healthy_z_max = 2.0};
    double healthy_angle_min = -1.0, healthy_angle_max = 1.0;  // torso pitch, rad
  };

  explicit Walker2d(const Params& params);
  explicit Walker2d(const pgb::Config& config);

  pgb::EnvSpec spec() const override;

  // Torso height and pitch strictly inside their ranges; the joints are not judged.
  bool is_healthy() const override;

  // The bundled model of a version: v5 has its own file, with the right foot's friction raised
  // from 0.9 to 1.9 like the left one's.
  static const char* default_model_file(Version version);

 private:
  double forward_position() const override;
  void observe(std::span<double> observation) const override;

  Params params_;  // read for the task's own parameters; the shared ones live in LocomotionEnv
};

}  // namespace mujoco_control
