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

// The settings: the advantage actor-critics' (learn/on_policy.hpp), whose defaults are A2C's
// reference setting.
struct Options : learn::AdvantageActorCriticOptions {};

inline const Hyperparameters<Options> kHyperparameters({learn::advantage_actor_critic_hyperparameters<Options>()}, {});

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
