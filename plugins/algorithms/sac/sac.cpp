// Soft Actor-Critic (Haarnoja et al. 2018), the version with a learned temperature: a squashed
// Gaussian policy trained to maximise Q minus α log π, twin critics with Polyak targets, and α
// tuned so that the policy's entropy stays near −dim(A) (sac_learner.hpp), on the SDK's
// off-policy loop (learn/off_policy.hpp: random start steps, replay, one update per env step,
// checkpoints).
//
//   act      the first start_steps env steps: u ~ U[−1, 1]^k; afterwards u ~ π(·|s), the policy's
//            own noise being its exploration
//   act_eval u = tanh(μ(s)), the mean action
//   update   per owed update: a uniformly sampled minibatch, one learner step
//
// Defaults: Tianshou's MuJoCo SAC (the published 1M-step benchmark, shared/specs/published-scores.md
// §2) with its automatic α: 256×256 ReLU actor and critics, Adam 1e-3 for both and 3e-4 for log α
// (α starting at 1), batch 256, buffer 1M, γ 0.99, τ 0.005, 10k random start steps, one update per
// env step.
#include <pgbench/sdk/learn/off_policy.hpp>
#include <pgbench/sdk/plugin.hpp>

#include "sac_learner.hpp"

namespace {

using namespace pgb::learn;
using pgb::sac::Learner;
using pgb::sac::LearnerSettings;

// The settings: the off-policy ones (learn/off_policy.hpp), then SAC's own; the initialisers and
// the constructor give the defaults.
struct Options : OffPolicyOptions {
  Options() { start_steps = 10000; }
  double alpha = 1.0;
  bool auto_alpha = true;
  double alpha_learning_rate = 3e-4;
};

const pgb::Hyperparameters<Options> kHyperparameters(
    {off_policy_hyperparameters<Options>()},
    {
        {"alpha", &Options::alpha, "entropy temperature: its initial value, or its value throughout when auto_alpha is off", 1e-8, 1e3},
        {"auto_alpha", &Options::auto_alpha, "learn the temperature so that the policy's entropy tracks -dim(A)"},
        {"alpha_learning_rate", &Options::alpha_learning_rate, "Adam step size of log alpha (auto_alpha)", 0.0, 1.0},
    });

LearnerSettings learner_settings(const pgb::AlgorithmContext& context, const Options& options) {
  auto settings = off_policy_learner_settings<LearnerSettings>(context, options);
  settings.alpha = options.alpha;
  settings.auto_alpha = options.auto_alpha;
  settings.alpha_learning_rate = options.alpha_learning_rate;
  return settings;
}

class Sac final : public OffPolicyAlgorithm {
 public:
  explicit Sac(const pgb::AlgorithmContext& context) : Sac(context, kHyperparameters.read(context.hyperparameters)) {}
  Sac(const pgb::AlgorithmContext& context, const Options& options)
      : OffPolicyAlgorithm(context, settings("sac", options)),
        learner_(learner_settings(context, options), rng()),
        act_workspace_(learner_.actor(), num_envs()),
        noise_(action_dim(), num_envs()),
        actions_(action_dim(), num_envs()),
        log_probs_(num_envs()) {}

 private:
  // u = tanh(μ(s) + σ(s) ⊙ ε), ε ~ N(0, I).
  void explore(const ConstMatrixRef<float>& observations, MatrixRef<double> u) override {
    for (Index i = 0; i < noise_.cols(); ++i)
      for (Index d = 0; d < noise_.rows(); ++d) noise_(d, i) = static_cast<float>(rng().normal());
    pgb::sac::squashed_gaussian_sample<float>(learner_.actor().forward(act_workspace_, observations), noise_,
                                              actions_, log_probs_);
    u = actions_.cast<double>();
  }

  void exploit(const ConstMatrixRef<float>& observations, MatrixRef<double> u) const override {
    Matrix<float> actions(action_dim(), observations.cols());
    learner_.mean_action(observations, actions);
    u = actions.cast<double>();
  }

  void learn(const Batch& batch, UpdateMetrics& metrics) override {
    const pgb::sac::UpdateStats stats = learner_.update(batch, rng());
    metrics.add("loss/critic", stats.critic_loss);
    metrics.add("loss/actor", stats.actor_loss);
    metrics.add("q/mean", stats.q_mean);
    metrics.add("policy/entropy", stats.entropy);
    metrics.add("alpha", stats.alpha);
  }

  void save_actor(pgb::OutputArchive& out) const override { learner_.actor().save(out); }
  void load_actor(pgb::InputArchive& in) override { learner_.actor().load(in); }
  void save_learner(pgb::OutputArchive& out) const override { learner_.save(out); }
  void load_learner(pgb::InputArchive& in) override { learner_.load(in); }

  Learner<float> learner_;
  Mlp<float>::Workspace act_workspace_;
  Matrix<float> noise_, actions_;  // action_dim × num_envs
  RowVector<float> log_probs_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(Sac, "org.pgbench.algo.sac/1")
    .name("sac")
    .description("Soft Actor-Critic with automatic entropy tuning (Haarnoja et al. 2018); Box action spaces only")
    .params(kHyperparameters)
    .box_actions_only();

PGB_PLUGIN("org.pgbench.sac", "SAC", "1.0.0", "Soft Actor-Critic")
