// mountain_car_continuous.hpp -- MountainCarContinuous-v0: drive an underpowered car out of a
// valley by rocking it back and forth (Moore 1990), as specified in specs/mujoco-tasks.md §13.3.
#pragma once

#include <span>

#include <pgbench/sdk/config.hpp>
#include <pgbench/sdk/environment.hpp>

namespace classic_control {

class MountainCarContinuous final : public pgb::Environment {
 public:
  static constexpr double kDefaultGoalVelocity = 0.0;

  struct Params {
    double goal_velocity = kDefaultGoalVelocity;  // the car must reach the flag at least this fast
  };

  struct State {
    double position;  // along the track (the valley floor is near -0.52)
    double velocity;  // position change per step
  };

  MountainCarContinuous() = default;
  explicit MountainCarContinuous(Params params) : params_(params) {}
  explicit MountainCarContinuous(const pgb::Config& config);

  pgb::EnvSpec spec() const override;
  void reset(std::span<double> observation) override;
  // The action is the engine's throttle; values outside [-1, 1] act as the nearest bound but
  // are still charged in full by the reward.
  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override;

  // The state; after a step it holds float32 values, as Gymnasium stores it.
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
