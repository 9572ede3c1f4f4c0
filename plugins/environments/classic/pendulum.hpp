// pendulum.hpp -- Pendulum-v1: swing a torque-limited pendulum up and hold it upright, as
// specified in specs/mujoco-tasks.md §13.2.
#pragma once

#include <span>

#include <pgbench/sdk/config.hpp>
#include <pgbench/sdk/environment.hpp>

namespace classic_control {

class Pendulum final : public pgb::Environment {
 public:
  static constexpr double kDefaultGravity = 10.0;  // m/s^2

  struct Params {
    double gravity = kDefaultGravity;  // m/s^2, Gymnasium's `g`
  };

  struct State {
    double theta;      // angle from upright, rad; not wrapped, so it counts full turns
    double theta_dot;  // angular velocity, rad/s
  };

  Pendulum() = default;
  explicit Pendulum(Params params) : params_(params) {}
  explicit Pendulum(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  // The action is the torque at the pivot, N m; it is clipped to [-2, 2] here.
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

  // The exact (double) state, for tests and diagnostics; the observation is
  // (cos theta, sin theta, theta_dot) rounded to float32.
  const State& state() const noexcept { return state_; }
  void set_state(const State& state) noexcept { state_ = state; }

  // A checkpoint: the state is all there is (the generator is the SDK's to save).
  void save_state(pgb::OutputArchive& out) const override { out.pod(state_); }
  void load_state(pgb::InputArchive& in) override { in.pod(state_); }

 private:
  void observe(std::span<double> observation) const;

  Params params_;
  State state_{};
};

}  // namespace classic_control
