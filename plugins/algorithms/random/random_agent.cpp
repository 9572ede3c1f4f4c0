// The uniform-random policy: the plumbing test of the whole pipeline, and r_min, the random
// score every normalised result is measured from. It never learns.
#include <cmath>
#include <cstring>

#include <pgbench/sdk/plugin.hpp>

namespace {

class RandomAgent final : public pgb::Algorithm {
 public:
  explicit RandomAgent(const pgb::AlgorithmContext& context)
      : action_space_(context.action_space), eval_seed_(context.seed), rng_(context.seed) {
    if (action_space_.is_box())
      for (std::size_t d = 0; d < action_space_.dim(); ++d)
        if (!std::isfinite(action_space_.low()[d]) || !std::isfinite(action_space_.high()[d]))
          throw pgb::Unsupported("random: an unbounded Box action space has no uniform distribution");
  }

  void act(pgb::ConstRows obs, pgb::ActionRows actions) override {
    for (std::uint32_t r = 0; r < obs.rows; ++r) draw(rng_, actions, r);
  }

  // Evaluation must be a pure function of the instance's fixed parameters and the observation, yet
  // the random policy's score is the score of uniform actions. So act_eval draws from a generator
  // seeded by a hash of the instance's seed and the observation's bits: uniform over actions,
  // different from one seed index to the next, reproducible, and no state is touched.
  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override {
    for (std::uint32_t r = 0; r < obs.rows; ++r) {
      std::uint64_t hash = eval_seed_;
      for (double x : obs.row(r)) {
        std::uint64_t bits;
        std::memcpy(&bits, &x, sizeof bits);
        hash ^= bits;
        hash = pgb::splitmix64(hash);
      }
      pgb::Rng rng(hash);
      draw(rng, actions, r);
    }
  }

  bool observe(const pgb::Transitions&) override { return false; }
  void update(std::uint64_t, const pgb::Metrics&) override {}

  void save(pgb::OutputArchive& out, pgb::StateScope scope) const override {
    if (scope == pgb::StateScope::Full) out.pod(rng_.state());
  }
  void load(pgb::InputArchive& in, pgb::StateScope scope) override {
    if (scope == pgb::StateScope::Full) rng_.set_state(in.pod<pgb::Rng::State>());
  }

 private:
  void draw(pgb::Rng& rng, pgb::ActionRows actions, std::uint32_t r) const {
    if (actions.discrete()) {
      actions.index(r) = action_space_.start() + static_cast<std::int64_t>(rng.below(action_space_.n()));
    } else {
      auto a = actions.values(r);
      for (std::size_t d = 0; d < a.size(); ++d) a[d] = rng.uniform(action_space_.low()[d], action_space_.high()[d]);
    }
  }

  pgb::Space action_space_;
  std::uint64_t eval_seed_;
  pgb::Rng rng_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(RandomAgent, "org.pgbench.algo.random/1")
    .name("random")
    .description("Uniform-random actions; the random-policy reference score of every task.");

PGB_PLUGIN("org.pgbench.random", "Random policy", "1.0.0", "The uniform-random agent")
