// acrobot.hpp -- Acrobot-v1: swing the tip of a two-link pendulum, actuated only at its middle
// joint, above a line one link length over the pivot (Sutton 1996; Sutton & Barto 1998), as
// specified in specs/mujoco-tasks.md §13.4.
#pragma once

#include <span>

#include <pgbench/sdk/config.hpp>
#include <pgbench/sdk/environment.hpp>

namespace classic_control {

class Acrobot final : public pgb::Environment {
 public:
  struct State {
    double theta1;      // angle of link 1 from hanging straight down, rad, in [-pi, pi]
    double theta2;      // angle of link 2 relative to link 1, rad, in [-pi, pi]
    double theta1_dot;  // rad/s, in [-4 pi, 4 pi]
    double theta2_dot;  // rad/s, in [-9 pi, 9 pi]
  };

  Acrobot() = default;
  explicit Acrobot(const pgb::Config&) {}  // Acrobot-v1 has no parameters

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  // Action 0, 1, 2 applies a torque of -1, 0, +1 N m at the middle joint.
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

  // The exact (double) state, for tests and diagnostics; the observation is
  // (cos theta1, sin theta1, cos theta2, sin theta2, theta1_dot, theta2_dot) rounded to float32.
  const State& state() const noexcept { return state_; }
  void set_state(const State& state) noexcept { state_ = state; }

  // A checkpoint: the state is all there is (the generator is the SDK's to save).
  void save_state(pgb::OutputArchive& out) const override { out.pod(state_); }
  void load_state(pgb::InputArchive& in) override { in.pod(state_); }

 private:
  void observe(std::span<double> observation) const;

  State state_{};
};

}  // namespace classic_control
