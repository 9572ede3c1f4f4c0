// A2C, the synchronous advantage actor-critic (Mnih et al. 2016): every `n_steps` steps of the
// N sub-envs, one gradient step on
//
//   L(θ, φ) = −(1/B) Σ_i Â_i log π_θ(a_i|s_i)  +  c_V (1/B) Σ_i (V_φ(s_i) − R_i)²  −  c_H (1/B) Σ_i H[π_θ(·|s_i)]
//
// over the B = N · n_steps samples, with Â from GAE(γ, λ) on the critic's values, R = Â + V the
// λ-returns, the gradient clipped to a global norm and applied by RMSprop; the learning rate is
// decayed linearly to 0 over the run's budget. Actor and critic are separate 64×64 tanh MLPs.
// A time-limit truncation bootstraps from V of the true final observation, a termination does not,
// and an episode cut by the end of the rollout bootstraps from V(s_T).
#pragma once

#include <pgbench/sdk/hyperparameters.hpp>
#include <pgbench/sdk/learn/on_policy.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/policy.hpp>

namespace pgb::a2c {

namespace learn = pgb::learn;
using learn::Index;

// The settings; the initialisers are the defaults (the spec's reference setting).
struct Options {
  double learning_rate = 7e-4;
  std::int64_t n_steps = 5;
  double gamma = 0.99;
  double gae_lambda = 0.95;
  double value_coef = 0.5;
  double entropy_coef = 0.01;
  double max_grad_norm = 0.5;
  double rmsprop_alpha = 0.99;
  double rmsprop_epsilon = 1e-5;
  bool normalize_returns = true;
  bool normalize_observations = true;
  double initial_log_std = -0.5;
};

inline const Hyperparameters<Options> kHyperparameters{
    {"learning_rate", &Options::learning_rate, "RMSprop step size, decayed linearly to 0", 0.0, 1.0},
    {"n_steps", &Options::n_steps, "steps per sub-env between updates", 1.0, 1e6},
    {"gamma", &Options::gamma, "discount factor", 0.0, 1.0},
    {"gae_lambda", &Options::gae_lambda, "GAE lambda", 0.0, 1.0},
    {"value_coef", &Options::value_coef, "weight of the value loss", 0.0, 100.0},
    {"entropy_coef", &Options::entropy_coef, "weight of the entropy bonus", 0.0, 10.0},
    {"max_grad_norm", &Options::max_grad_norm, "global gradient-norm clip", 0.0, 1e9},
    {"rmsprop_alpha", &Options::rmsprop_alpha, "RMSprop smoothing constant", 0.0, 1.0},
    {"rmsprop_epsilon", &Options::rmsprop_epsilon, "RMSprop epsilon (outside the square root)", 0.0, 1.0},
    {"normalize_returns", &Options::normalize_returns, "scale rewards by the running std of the discounted return"},
    {"normalize_observations", &Options::normalize_observations, "running mean/std observation normalisation"},
    {"initial_log_std", &Options::initial_log_std, "initial log-std of a Gaussian policy", -10.0, 2.0},
};

class A2c final : public learn::OnPolicyAlgorithm {
 public:
  explicit A2c(const AlgorithmContext& context) : A2c(context, kHyperparameters.read(context.hyperparameters)) {}
  A2c(const AlgorithmContext& context, const Options& options);

  void update(std::uint64_t env_steps_done, const Metrics& metrics) override;

 private:
  void save_optimizers(OutputArchive& out) const override;
  void load_optimizers(InputArchive& in) override;

  Options options_;
  learn::RmsProp<float> network_optimizer_, log_std_optimizer_, critic_optimizer_;
  learn::LinearDecay learning_rate_;
  Policy::Workspace policy_workspace_;  // the update's passes
  Critic::Workspace critic_workspace_;
};

}  // namespace pgb::a2c
