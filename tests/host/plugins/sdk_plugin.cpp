// A plugin written with the C++ SDK for the host's tests: declared parameters of every type, an
// environment whose failures can be triggered, and an algorithm that reports what it was given.
//
//   "sdk-counter": observation (t / length); any action; terminates after `length` steps;
//                  reward = `reward_scale` per step. `fail_at_step` > 0 makes step() throw there.
//   "sdk-echo":    Box or Discrete; act writes the action space's lower bound (or index 0),
//                  asks for an update every `update_every` observed steps and emits
//                  "echo/observed" and "echo/learning_rate"; its checkpoint is its counter.
#include <stdexcept>

#include <pgbench/sdk/plugin.hpp>

namespace {

class Counter final : public pgb::Environment {
 public:
  explicit Counter(const pgb::Config& config)
      : length_(config.get_int("length")),
        reward_scale_(config.get_double("reward_scale")),
        fail_at_step_(config.get_int("fail_at_step")),
        discrete_(config.get_string("actions") == "discrete") {}

  pgb::EnvSpec spec() const override {
    return {pgb::Space::box(1, 0.0, 1.0), discrete_ ? pgb::Space::discrete(3) : pgb::Space::box(2, -1.0, 1.0), 1, 0};
  }
  void reset(std::span<double> observation) override {
    t_ = 0;
    observation[0] = 0.0;
  }
  pgb::StepResult step(pgb::ActionRef, std::span<double> observation) override {
    ++t_;
    if (fail_at_step_ > 0 && t_ == fail_at_step_) throw std::runtime_error("sdk-counter: failing on purpose at step " + std::to_string(t_));
    observation[0] = static_cast<double>(t_) / static_cast<double>(length_);
    return {reward_scale_, t_ >= length_, false};
  }

 private:
  std::int64_t length_;
  double reward_scale_;
  std::int64_t fail_at_step_;
  bool discrete_;
  std::int64_t t_ = 0;
};

class Echo final : public pgb::Algorithm {
 public:
  explicit Echo(const pgb::AlgorithmContext& c)
      : action_space_(c.action_space),
        learning_rate_(c.hyperparameters.get_double("learning_rate")),
        update_every_(c.hyperparameters.get_int("update_every")) {}

  void act(pgb::ConstRows obs, pgb::ActionRows actions) override { act_eval(obs, actions); }
  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override {
    for (std::uint32_t r = 0; r < obs.rows; ++r) {
      if (actions.discrete()) actions.index(r) = action_space_.start();
      else for (std::size_t d = 0; d < actions.dim(); ++d) actions.values(r)[d] = action_space_.low()[d];
    }
  }
  bool observe(const pgb::Transitions& batch) override {
    observed_ += batch.rows();
    return update_every_ > 0 && observed_ % static_cast<std::uint64_t>(update_every_) == 0;
  }
  void update(std::uint64_t, const pgb::Metrics& metrics) override {
    metrics("echo/observed", static_cast<double>(observed_));
    metrics("echo/learning_rate", learning_rate_);
  }
  void save(pgb::OutputArchive& out, pgb::StateScope) const override { out.pod(observed_); }
  void load(pgb::InputArchive& in, pgb::StateScope) override { in.pod(observed_); }

 private:
  pgb::Space action_space_;
  double learning_rate_;
  std::int64_t update_every_;
  std::uint64_t observed_ = 0;
};

}  // namespace

PGB_REGISTER_ENV(Counter, "org.pgbench.test.sdk-counter/1")
    .name("sdk-counter")
    .description("Counts steps; fails on request")
    .param("length", 10, "steps until termination", 1, 1000)
    .param("reward_scale", 1.0, "reward per step", 0.0, 10.0)
    .param("fail_at_step", 0, "throw from step() at this step (0 = never)", 0, 1000000)
    .param("actions", "box", "action space kind", "box|discrete");

PGB_REGISTER_ALGORITHM(Echo, "org.pgbench.test.sdk-echo/1")
    .name("sdk-echo")
    .description("Acts at the lower bound and reports what it saw")
    .num_envs(3)  // what a suite that does not say gets
    .param("learning_rate", 0.001, "reported as a metric", 0.0, 1.0)
    .param("update_every", 4, "observed steps between updates (0 = never)", 0, 1000000)
    .param("verbose", false, "unused: a boolean parameter for the tests");

PGB_PLUGIN("org.pgbench.test.sdk", "SDK test plugin", "1.0.0", "An environment and an algorithm written with the SDK")
