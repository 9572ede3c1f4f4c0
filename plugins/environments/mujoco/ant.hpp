// ant.hpp -- Ant: a four-legged walker with a free-floating torso rewarded for moving along +x
// (specs/mujoco-tasks.md §5; v5 always charges and observes contact forces and changes the
// healthy reward).
#pragma once

#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

class Ant final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 5;  // 5 x 0.01 s = 0.05 s per step

  struct Params {
    CommonParams common{.version = Version::v4, .frame_skip = kFrameSkip, .model_path = {}};
    double forward_reward_weight = 1.0;  // per m/s
    double ctrl_cost_weight = 0.5;       // per unit of sum(action^2)
    // v4 only: observe and charge contact forces (v5 always does).
    bool use_contact_forces = false;
    double contact_cost_weight = 5e-4;  // per unit of sum(clipped cfrc_ext^2)
    double healthy_reward = 1.0;        // per step
    bool terminate_when_unhealthy = true;
    double healthy_z_min = 0.2, healthy_z_max = 1.0;  // torso height, m, bounds inclusive
    // cfrc_ext entries (N m and N, com-based) are clipped to this range for cost and observation.
    double contact_force_min = -1.0, contact_force_max = 1.0;
    double reset_noise_scale = 0.1;
    bool exclude_current_positions_from_observation = true;
  };

  explicit Ant(const Params& params);
  explicit Ant(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

  // Finite state and torso height within [healthy_z_min, healthy_z_max].
  bool is_healthy() const;
  // contact_cost_weight x sum(clip(cfrc_ext)^2) over every body, on the current data.
  double contact_cost() const;

 private:
  bool contact_forces_observed() const noexcept;
  void observe(std::span<double> observation) const;

  Params params_;
  int torso_;  // body id
};

}  // namespace mujoco_control
