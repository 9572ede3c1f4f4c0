// locomotion.hpp -- what the locomotion tasks share (specs/mujoco-tasks.md §2-6, §10): a reward
// for moving forward along +x, a control cost on the raw action, reset noise around qpos0, an
// observation that opens with the joint positions (the root's horizontal position left out by
// default), and, for the tasks that can fall, the healthy reward and termination of §1.3.
#pragma once

#include <cstddef>
#include <limits>
#include <optional>
#include <span>

#include "mujoco_env.hpp"

namespace mujoco_control {

// "No upper bound" for a health range: finite, so that it survives JSON, and above any state.
inline constexpr double kNoUpperBound = std::numeric_limits<double>::max();

// Gymnasium's constructor arguments of every locomotion task; the defaults differ by task.
struct LocomotionParams {
  double forward_reward_weight = 1.0;  // per m/s
  double ctrl_cost_weight = 0.0;       // per unit of sum(action^2)
  double reset_noise_scale = 0.0;      // see VelocityNoise
  bool exclude_current_positions_from_observation = true;
};
LocomotionParams read_locomotion_params(const pgb::Config& config);

// The tasks that can fall (Hopper, Walker2d, Ant, Humanoid): a reward for staying healthy and,
// by default, the end of the episode when not. What "healthy" means is the task's.
struct HealthParams {
  double healthy_reward = 1.0;  // per step
  bool terminate_when_unhealthy = true;
  double healthy_z_min = 0.0, healthy_z_max = kNoUpperBound;  // torso height, m

  // The healthy reward of a step, spec §1.3. v4 pays it whenever the state is healthy OR the
  // episode ends on unhealthiness (Gymnasium's `float(is_healthy or terminate_when_unhealthy)`),
  // so with the default settings on every step, the terminating one included; v5 pays it only
  // for a healthy post-step state.
  double reward(Version version, bool healthy) const noexcept {
    const bool paid = version == Version::v4 ? (healthy || terminate_when_unhealthy) : healthy;
    return paid ? healthy_reward : 0.0;
  }
  bool terminates(bool healthy) const noexcept { return terminate_when_unhealthy && !healthy; }
};
HealthParams read_health_params(const pgb::Config& config);

// Whether a health range includes its ends: Gymnasium's checks are strict, except Ant's height band.
enum class Bounds { exclusive, inclusive };
inline bool within(double x, double low, double high, Bounds bounds = Bounds::exclusive) noexcept {
  return bounds == Bounds::exclusive ? (low < x && x < high) : (low <= x && x <= high);
}

// The step and reset every locomotion task shares; a task says what moves forward, when it is
// healthy, what it charges besides the control and what it observes.
class LocomotionEnv : public MujocoEnv {
 public:
  // Spec §1.2: qpos0 plus noise of reset_noise_scale, velocities noisy around rest, then the
  // task's observation.
  void reset(std::span<double> observation) final;
  // reward = forward_reward_weight x forward speed + healthy reward (tasks that can fall)
  //          - ctrl_cost_weight x sum(action^2) - contact cost (tasks that charge one);
  // terminated = unhealthy when terminate_when_unhealthy. Health is judged on the post-step state.
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) final;

  const LocomotionParams& locomotion() const noexcept { return params_; }

 protected:
  // `root_horizontal_positions`: the leading qpos entries the observation leaves out by default
  // (1 for the planar tasks' x, 2 for x and y). `health`: only for the tasks that can fall.
  LocomotionEnv(const char* task, const CommonParams& common, const char* default_model_file, ModelShape shape,
                const LocomotionParams& params, VelocityNoise velocity_noise, int root_horizontal_positions,
                std::optional<HealthParams> health = std::nullopt);

  // The x coordinate whose change over a step is the forward speed, m, as mjData holds it.
  virtual double forward_position() const = 0;
  // Whether the current state is healthy; asked only of tasks constructed with HealthParams.
  virtual bool is_healthy() const { return true; }
  // The contact cost of the current state, 0 where the task or its version charges none.
  virtual double contact_cost() const { return 0.0; }
  virtual void observe(std::span<double> observation) const = 0;

  const HealthParams& health() const noexcept { return *health_; }
  // How many qpos entries the observation holds, and writing them.
  std::size_t observed_positions() const noexcept;
  void put_positions(ObservationWriter& out) const noexcept;

 private:
  LocomotionParams params_;
  VelocityNoise velocity_noise_;
  int root_horizontal_positions_;
  std::optional<HealthParams> health_;
};

// How the parameter help of a locomotion task names its parts.
struct LocomotionWording {
  const char* root_position;                    // left out of the observation by default, e.g. "the root's x position"
  const char* forward_speed = "forward speed";  // e.g. "forward speed of the centre of mass"
  const char* body = "";                        // what can become unhealthy, e.g. "hopper"
};

// The registrations behind register_locomotion_task.
void declare_locomotion_params(pgb::sdk::EnvRegistration& task, const LocomotionParams& defaults,
                               VelocityNoise velocity_noise, const LocomotionWording& wording);
void declare_health_params(pgb::sdk::EnvRegistration& task, const HealthParams& defaults, Bounds healthy_z_bounds,
                           const LocomotionWording& wording);

// register_task plus the LocomotionParams and, when Env::Params has them, the HealthParams (whose
// height band Env::kHealthyZBounds describes), with Env::Params' defaults.
template <class Env>
pgb::sdk::EnvRegistration& register_locomotion_task(const TaskListing& task, const LocomotionWording& wording) {
  const typename Env::Params defaults;
  pgb::sdk::EnvRegistration& registration = register_task<Env>(task);
  declare_locomotion_params(registration, defaults.locomotion, Env::kVelocityNoise, wording);
  if constexpr (requires { defaults.health; })
    declare_health_params(registration, defaults.health, Env::kHealthyZBounds, wording);
  return registration;
}

}  // namespace mujoco_control
