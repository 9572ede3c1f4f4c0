// An algorithm that misbehaves on request, for the isolation tests: until env step `at_step` it
// acts uniformly at random (like the random agent); from then on, `fault` says what its act() does.
//
//   none      keeps acting at random
//   segfault  writes through a null pointer (SIGSEGV)
//   abort     calls std::abort() (SIGABRT)
//   exit      calls std::exit(0), as a careless library might
//   hang      loops forever
//   allocate  allocates and touches memory without bound
//   nan       returns a NaN action (an index outside the space, for Discrete)
//   throw     throws std::runtime_error (the SDK turns it into an error status)
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

#include <pgbench/sdk/plugin.hpp>

namespace {

class Misbehaving final : public pgb::Algorithm {
 public:
  explicit Misbehaving(const pgb::AlgorithmContext& c)
      : action_space_(c.action_space), rng_(c.seed), fault_(c.hyperparameters.get_string("fault")),
        at_step_(static_cast<std::uint64_t>(c.hyperparameters.get_int("at_step"))) {}

  void act(pgb::ConstRows obs, pgb::ActionRows actions) override {
    steps_ += obs.rows;
    act_at_random(rng_, obs.rows, actions);
    if (steps_ >= at_step_) misbehave(actions);
  }
  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override {
    pgb::Rng rng(0);
    act_at_random(rng, obs.rows, actions);
  }
  bool observe(const pgb::Transitions&) override { return false; }
  void update(std::uint64_t, const pgb::Metrics&) override {}
  void save(pgb::OutputArchive& out, pgb::StateScope) const override { out.pod(steps_); }
  void load(pgb::InputArchive& in, pgb::StateScope) override { in.pod(steps_); }

 private:
  void act_at_random(pgb::Rng& rng, std::uint32_t rows, pgb::ActionRows actions) const {
    for (std::uint32_t r = 0; r < rows; ++r) {
      if (actions.discrete()) {
        actions.index(r) = action_space_.start() + static_cast<std::int64_t>(rng.below(action_space_.n()));
      } else {
        auto a = actions.values(r);
        for (std::size_t d = 0; d < a.size(); ++d) a[d] = rng.uniform(action_space_.low()[d], action_space_.high()[d]);
      }
    }
  }

  void misbehave(pgb::ActionRows actions) {
    if (fault_ == "segfault") {
      volatile int* null = nullptr;
      *null = 1;
    } else if (fault_ == "abort") {
      std::abort();
    } else if (fault_ == "exit") {
      std::exit(0);
    } else if (fault_ == "hang") {
      for (;;) asm volatile("" ::: "memory");  // a loop the compiler may not remove
    } else if (fault_ == "allocate") {
      constexpr std::size_t kChunk = 64u << 20;
      for (;;) {
        hoard_.emplace_back(kChunk);
        std::memset(hoard_.back().data(), 1, kChunk);
      }
    } else if (fault_ == "nan") {
      if (actions.discrete()) actions.index(0) = -1;  // the Discrete analogue: outside the space
      else actions.values(0)[0] = std::numeric_limits<double>::quiet_NaN();
    } else if (fault_ == "throw") {
      throw std::runtime_error("misbehave: throwing on purpose");
    }
  }

  pgb::Space action_space_;
  pgb::Rng rng_;
  std::string fault_;
  std::uint64_t at_step_;
  std::uint64_t steps_ = 0;
  std::vector<std::vector<char>> hoard_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(Misbehaving, "org.pgbench.test.misbehave/1")
    .name("misbehave")
    .description("Acts at random, then misbehaves as asked: the isolation tests' bad plugin")
    .param("fault", "none", "what act() does from at_step on", "none|segfault|abort|exit|hang|allocate|nan|throw")
    .param("at_step", 200, "env step from which act() misbehaves", 0, 1000000000);

PGB_PLUGIN("org.pgbench.test.misbehave", "Misbehaving algorithm", "1.0.0",
           "An algorithm that crashes, exits, hangs, allocates without bound, returns NaN or throws on request")
