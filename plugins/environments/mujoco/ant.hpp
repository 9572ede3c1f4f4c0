// ant.hpp -- Ant: a four-legged walker with a free-floating torso rewarded for moving along +x
// (specs/mujoco-tasks.md §5; v5 always charges and observes contact forces and changes the
// healthy reward).
#pragma once

#include <span>

#include "locomotion.hpp"

namespace mujoco_control {

class Ant final : public LocomotionEnv {
 public:
  static constexpr int kFrameSkip = 5;  // 5 x 0.01 s = 0.05 s per step
  static constexpr Bounds kHealthyZBounds = Bounds::inclusive;
  static constexpr VelocityNoise kVelocityNoise = VelocityNoise::normal;

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    LocomotionParams locomotion{.forward_reward_weight = 1.0, .ctrl_cost_weight = 0.5, .reset_noise_scale = 0.1};
    HealthParams health{.healthy_reward = 1.0, .healthy_z_min = 0.2, .healthy_z_max = 1.0};
    // v4 only: observe and charge contact forces (v5 always does).
    bool use_contact_forces = false;
    double contact_cost_weight = 5e-4;  // per unit of sum(clipped cfrc_ext^2)
    // cfrc_ext entries (N m and N, com-based) are clipped to this range for cost and observation.
    double contact_force_min = -1.0, contact_force_max = 1.0;
  };

  explicit Ant(const Params& params);
  explicit Ant(const pgb::Config& config);

  pgb::EnvSpec spec() const override;

  // Finite state and torso height within [healthy_z_min, healthy_z_max].
  bool is_healthy() const override;
  // When contact forces are on: contact_cost_weight x sum(clip(cfrc_ext)^2) over every body, on
  // the current data.
  double contact_cost() const override;

 private:
  bool contact_forces_observed() const noexcept;
  double forward_position() const override;
  void observe(std::span<double> observation) const override;

  Params params_;  // read for the task's own parameters; the shared ones live in LocomotionEnv
  int torso_;  // body id
};

}  // namespace mujoco_control
