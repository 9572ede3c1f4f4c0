// Algorithms that each break one rule of abi.h, for the tests of `pgbench check`: each must fail
// exactly the check that names its fault. All act uniformly at random; they differ only in
// where the randomness lives and what their checkpoints keep.
//
//   global-rng            draws from one generator shared by every instance (a global)
//   impure-eval           draws from its generator in act_eval(), so evaluating changes it
//   forgetful-checkpoint  saves nothing, so a loaded copy continues from its own seed
#include <pgbench/sdk/plugin.hpp>

namespace {

// Acts uniformly at random with `rng`.
void act_at_random(const pgb::Space& space, pgb::Rng& rng, std::uint32_t rows, pgb::ActionRows actions) {
  for (std::uint32_t r = 0; r < rows; ++r) {
    if (actions.discrete()) {
      actions.index(r) = space.start() + static_cast<std::int64_t>(rng.below(space.n()));
    } else {
      auto a = actions.values(r);
      for (std::size_t d = 0; d < a.size(); ++d) a[d] = rng.uniform(space.low()[d], space.high()[d]);
    }
  }
}

class RandomBase : public pgb::Algorithm {
 public:
  explicit RandomBase(const pgb::AlgorithmContext& c) : action_space_(c.action_space), rng_(c.seed) {}
  void act(pgb::ConstRows obs, pgb::ActionRows actions) override { act_at_random(action_space_, rng_, obs.rows, actions); }
  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override {
    pgb::Rng fixed(0);
    act_at_random(action_space_, fixed, obs.rows, actions);
  }
  bool observe(const pgb::Transitions&) override { return false; }
  void update(std::uint64_t, const pgb::Metrics&) override {}
  void save(pgb::OutputArchive& out, pgb::StateScope) const override { out.pod(rng_); }
  void load(pgb::InputArchive& in, pgb::StateScope) override { in.pod(rng_); }

 protected:
  pgb::Space action_space_;
  mutable pgb::Rng rng_;
};

class GlobalRng final : public RandomBase {
 public:
  using RandomBase::RandomBase;
  void act(pgb::ConstRows obs, pgb::ActionRows actions) override {
    static pgb::Rng shared(2024);  // the fault: one generator for all instances
    act_at_random(action_space_, shared, obs.rows, actions);
  }
};

class ImpureEval final : public RandomBase {
 public:
  using RandomBase::RandomBase;
  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override {
    act_at_random(action_space_, rng_, obs.rows, actions);  // the fault: evaluation draws from the training generator
  }
};

class ForgetfulCheckpoint final : public RandomBase {
 public:
  using RandomBase::RandomBase;
  void save(pgb::OutputArchive&, pgb::StateScope) const override {}  // the fault: the generator is not saved
  void load(pgb::InputArchive&, pgb::StateScope) override {}
};

}  // namespace

PGB_REGISTER_ALGORITHM(GlobalRng, "org.pgbench.test.global-rng/1")
    .name("global-rng")
    .description("Acts at random from a generator shared by all instances");
PGB_REGISTER_ALGORITHM(ImpureEval, "org.pgbench.test.impure-eval/1")
    .name("impure-eval")
    .description("Acts at random; act_eval draws from the training generator");
PGB_REGISTER_ALGORITHM(ForgetfulCheckpoint, "org.pgbench.test.forgetful-checkpoint/1")
    .name("forgetful-checkpoint")
    .description("Acts at random; its checkpoint keeps nothing");

PGB_PLUGIN("org.pgbench.test.nonconforming", "Nonconforming algorithms", "1.0.0",
           "Algorithms that each break one rule of the ABI, for the tests of pgbench check")
