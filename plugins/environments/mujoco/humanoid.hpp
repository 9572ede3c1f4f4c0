// humanoid.hpp -- the 3-D humanoid (specs/mujoco-tasks.md §10, §11): Humanoid, rewarded for
// walking forward without falling, and HumanoidStandup, rewarded for getting up from lying on its
// back. Both observe the same body-level quantities (376 values in v4, 348 in v5).
#pragma once

#include <span>

#include "locomotion.hpp"

namespace mujoco_control {

class Humanoid final : public LocomotionEnv {
 public:
  static constexpr int kFrameSkip = 5;  // 5 x 0.003 s = 0.015 s per step
  static constexpr Bounds kHealthyZBounds = Bounds::exclusive;
  static constexpr VelocityNoise kVelocityNoise = VelocityNoise::uniform;

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    // The forward speed is the centre of mass's.
    LocomotionParams locomotion{.forward_reward_weight = 1.25, .ctrl_cost_weight = 0.1, .reset_noise_scale = 1e-2};
    HealthParams health{.healthy_reward = 5.0, .healthy_z_min = 1.0, .healthy_z_max = 2.0};
    // v5 only (v4 declares but never charges it): weight x sum(cfrc_ext^2), capped.
    double contact_cost_weight = 5e-7;
    double contact_cost_max = 10.0;
  };

  explicit Humanoid(const Params& params);
  explicit Humanoid(const pgb::Config& config);

  pgb::EnvSpec spec() const override;

  // Torso height strictly inside (healthy_z_min, healthy_z_max).
  bool is_healthy() const override;
  // x of the centre of mass of all bodies from mjData's (lagged) xipos, m.
  double center_of_mass_x() const;

 private:
  double forward_position() const override { return center_of_mass_x(); }
  // v4 charges none (Gymnasium issue #504); v5 min(contact_cost_weight x sum(cfrc_ext^2), max).
  double contact_cost() const override;
  void observe(std::span<double> observation) const override;

  Params params_;  // read for the task's own parameters; the shared ones live in LocomotionEnv
  double total_mass_;  // kg
};

class HumanoidStandup final : public MujocoEnv {
 public:
  static constexpr int kFrameSkip = 5;  // 5 x 0.003 s = 0.015 s per step

  struct Params {
    CommonParams common{.frame_skip = kFrameSkip};
    double uph_cost_weight = 1.0;  // per (m of torso height / model timestep)
    double ctrl_cost_weight = 0.1;
    double impact_cost_weight = 0.5e-6;  // per unit of sum(cfrc_ext^2), capped
    double impact_cost_max = 10.0;
    double reset_noise_scale = 1e-2;  // as Humanoid's
    bool exclude_current_positions_from_observation = true;
  };

  explicit HumanoidStandup(const Params& params);
  explicit HumanoidStandup(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

 private:
  Params params_;
};

}  // namespace mujoco_control
