// A complete pgbench algorithm plugin in one file: it always takes the same action, a fixed point
// `level` of the way from the low to the high end of a Box space (or the first action of a
// Discrete one). It learns nothing; it shows the shape every algorithm plugin has.
#include <pgbench/sdk/plugin.hpp>

namespace {

struct Options {
  double level = 0.5;
};

const pgb::Hyperparameters<Options> kHyperparameters{
    {"level", &Options::level, "where in [low, high] the action sits (0 = low, 1 = high)", 0.0, 1.0},
};

class ConstantAgent final : public pgb::Algorithm {
 public:
  explicit ConstantAgent(const pgb::AlgorithmContext& context)
      : space_(context.action_space), options_(kHyperparameters.read(context.hyperparameters)) {}

  void act(pgb::ConstRows obs, pgb::ActionRows actions) override { act_eval(obs, actions); }

  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override {
    for (std::uint32_t r = 0; r < obs.rows; ++r) {
      if (actions.discrete()) {
        actions.index(r) = space_.start();
        continue;
      }
      for (std::size_t d = 0; d < actions.dim(); ++d)
        actions.values(r)[d] = space_.low()[d] + options_.level * (space_.high()[d] - space_.low()[d]);
    }
  }

  bool observe(const pgb::Transitions&) override { return false; }
  void update(std::uint64_t, const pgb::Metrics&) override {}
  void save(pgb::OutputArchive&, pgb::StateScope) const override {}
  void load(pgb::InputArchive&, pgb::StateScope) override {}

 private:
  pgb::Space space_;
  Options options_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(ConstantAgent, "org.example.constant/1")
    .name("constant")
    .description("Always the same action: a fixed point of the action box")
    .params(kHyperparameters);

PGB_PLUGIN("org.example.constant", "Constant agent", "1.0.0", "An out-of-tree example plugin")
