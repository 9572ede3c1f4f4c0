// cartpole.hpp -- CartPole-v1: keep a pole hinged on a cart upright by pushing the cart left or
// right (Barto, Sutton & Anderson 1983), as specified in specs/mujoco-tasks.md §13.1.
#pragma once

#include <span>

#include <pgbench/sdk/config.hpp>
#include <pgbench/sdk/environment.hpp>

namespace classic_control {

class CartPole final : public pgb::Environment {
 public:
  struct Params {
    // Sutton & Barto's variant: 0 per step and -1 on failure, instead of +1 per step.
    bool sutton_barto_reward = false;
  };

  struct State {
    double x;          // cart position, m (0 = centre of the track)
    double x_dot;      // cart velocity, m/s
    double theta;      // pole angle from upright, rad (positive leans towards +x)
    double theta_dot;  // pole angular velocity, rad/s
  };

  CartPole() = default;
  explicit CartPole(Params params) : params_(params) {}
  explicit CartPole(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  // Action 0 pushes the cart towards -x, action 1 towards +x.
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

  // The exact (double) state, for tests and diagnostics; the observation is its float32 rounding.
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
