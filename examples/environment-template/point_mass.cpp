// PointMass-v0: bring a puck on a frictionless rail to rest at the origin. A force pushes a
// mass along the rail; the cost is quadratic in the distance, the speed and the force, so the
// best policy is a damped approach (a linear-quadratic regulator would be optimal).
//
//   state       x (m), v (m/s); starts at rest-ish anywhere in [-1, 1] m
//   action      F (N), in [-max_force, max_force]
//   dynamics    a = F / m, semi-implicit Euler at 1/dt Hz: v += a dt, x += v dt
//   reward      −(x² + 0.1 v² + 0.001 F²) per step; never terminates (the host's time limit ends
//               an episode after 200 steps)
#include <algorithm>
#include <cmath>

#include <pgbench/sdk/hyperparameters.hpp>
#include <pgbench/sdk/plugin.hpp>

namespace {

constexpr double kRailHalfLength = 2.0;  // m: the puck stops at the rail's ends
constexpr double kMaxSpeed = 5.0;        // m/s: observation bound
constexpr double kSpeedCostWeight = 0.1;     // per (m/s)^2, against 1 per m^2 of distance
constexpr double kForceCostWeight = 0.001;   // per N^2
constexpr std::uint32_t kMaxEpisodeSteps = 200;

// The parameters; the initialisers are the defaults.
struct Params {
  double mass = 1.0;        // kg
  double max_force = 1.0;   // N
  double time_step = 0.05;  // s per env step
};

const pgb::Hyperparameters<Params> kParameters{
    {"mass", &Params::mass, "mass of the puck, kg", 0.01, 100.0},
    {"max_force", &Params::max_force, "largest force the actuator applies, N", 0.01, 100.0},
    {"time_step", &Params::time_step, "simulated seconds per env step, s", 0.001, 1.0},
};

class PointMass final : public pgb::Environment {
 public:
  explicit PointMass(const pgb::Config& config) : params_(kParameters.read(config)) {}

  pgb::EnvSpec spec() const override {
    return {.observation = pgb::Space::box({-kRailHalfLength, -kMaxSpeed}, {kRailHalfLength, kMaxSpeed}),
            .action = pgb::Space::box(1, -params_.max_force, params_.max_force),
            .frames_per_step = 1,
            .max_episode_steps = kMaxEpisodeSteps};
  }

  void reset(std::span<double> observation) override {
    position_ = rng().uniform(-1.0, 1.0);
    velocity_ = rng().uniform(-0.1, 0.1);
    observe(observation);
  }

  pgb::StepResult step(pgb::ActionRef action, std::span<double> observation) override {
    const double force = std::clamp(action.values()[0], -params_.max_force, params_.max_force);
    // The cost judges the state the force was applied in.
    const double cost = position_ * position_ + kSpeedCostWeight * velocity_ * velocity_ + kForceCostWeight * force * force;

    velocity_ = std::clamp(velocity_ + force / params_.mass * params_.time_step, -kMaxSpeed, kMaxSpeed);
    position_ += velocity_ * params_.time_step;
    if (std::abs(position_) > kRailHalfLength) {  // the end stop: the puck halts there
      position_ = std::copysign(kRailHalfLength, position_);
      velocity_ = 0.0;
    }
    observe(observation);
    return {.reward = -cost, .terminated = false};
  }

  // The state beyond rng(), so that a run can be checkpointed and continued bit for bit.
  void save_state(pgb::OutputArchive& out) const override {
    out.pod(position_);
    out.pod(velocity_);
  }
  void load_state(pgb::InputArchive& in) override {
    in.pod(position_);
    in.pod(velocity_);
  }

 private:
  void observe(std::span<double> observation) const {
    observation[0] = position_;
    observation[1] = velocity_;
  }

  Params params_;
  double position_ = 0.0;  // m
  double velocity_ = 0.0;  // m/s
};

}  // namespace

PGB_REGISTER_ENV(PointMass, "org.example.point-mass/1")
    .name("PointMass-v0")
    .description("Bring a puck on a frictionless rail to rest at the origin with a bounded force, at least cost.")
    .params(kParameters);

PGB_PLUGIN("org.example.point-mass", "PointMass-v0", "1.0.0", "An environment written from the pgbench template")
