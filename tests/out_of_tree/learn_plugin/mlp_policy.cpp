// A fixed random network as a deterministic policy: a = tanh(MLP(s)) scaled into the action
// bounds. It learns nothing; it holds Eigen objects made in this plugin and filled by
// pgbench::learn, which is what goes wrong when the two are compiled for different vector units.
#include <cmath>

#include <pgbench/sdk/learn/mlp.hpp>
#include <pgbench/sdk/plugin.hpp>

namespace {

class MlpPolicy final : public pgb::Algorithm {
 public:
  explicit MlpPolicy(const pgb::AlgorithmContext& c)
      : space_(c.action_space),
        network_({static_cast<pgb::learn::Index>(c.observation_space.dim()), 64, 64,
                  static_cast<pgb::learn::Index>(c.action_space.dim())},
                 pgb::learn::Activation::tanh, pgb::learn::Activation::tanh),
        workspace_(network_, 64) {
    pgb::Rng rng(c.seed);
    network_.initialize_orthogonal(rng, std::sqrt(2.0f));
  }

  void act(pgb::ConstRows obs, pgb::ActionRows actions) override { act_eval(obs, actions); }
  void act_eval(pgb::ConstRows obs, pgb::ActionRows actions) const override {
    for (std::uint32_t r = 0; r < obs.rows; ++r) {
      auto in = workspace_.inputs(1);
      for (std::size_t i = 0; i < obs.cols; ++i) in(static_cast<pgb::learn::Index>(i), 0) = static_cast<float>(obs.row(r)[i]);
      const auto out = network_.forward(workspace_);
      for (std::size_t d = 0; d < actions.dim(); ++d) {
        const double low = space_.low()[d], high = space_.high()[d];
        actions.values(r)[d] = low + (high - low) * (static_cast<double>(out(static_cast<pgb::learn::Index>(d), 0)) + 1) / 2;
      }
    }
  }
  bool observe(const pgb::Transitions&) override { return false; }
  void update(std::uint64_t, const pgb::Metrics&) override {}
  void save(pgb::OutputArchive&, pgb::StateScope) const override {}
  void load(pgb::InputArchive&, pgb::StateScope) override {}

 private:
  pgb::Space space_;
  pgb::learn::Mlp<float> network_;
  mutable pgb::learn::Mlp<float>::Workspace workspace_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(MlpPolicy, "org.example.mlp-policy/1")
    .name("mlp-policy")
    .description("A fixed random tanh network: the out-of-tree pgbench::learn check")
    .box_actions_only();

PGB_PLUGIN("org.example.mlp-policy", "MLP policy", "1.0.0", "An out-of-tree plugin that links pgbench::learn")
