// pgbench/sdk/learn/on_policy.hpp -- collecting an on-policy batch behind act() and observe(),
// and the value-function helpers the on-policy algorithms share.
//
// OnPolicyCollector fills an N × T RolloutStorage with what the algorithm learns from:
//   act      folds s_t into the running observation statistics, normalises it, samples
//            a_t ~ π(·|s_t) and keeps s_t, a_t and log π(a_t|s_t);
//   observe  keeps the reward (scaled by the return normaliser when enabled), how the step ended
//            and the normalised next observation; reports when the rollout is full;
//   estimate_values   V(s_t) of every sample and the bootstraps with a critic: V of the true final
//            observation after a time-limit truncation, V(s_T) after the rollout's last step.
// The algorithm then calls compute_gae or compute_reward_to_go on rollout(), updates, and clears it.
//
// The bootstraps are evaluated when asked for, not when observed, so that an algorithm that
// re-estimates after changing its critic (PPO, every epoch) gets fresh ones too.
//
// OnPolicyAlgorithm is the plugin around them: it owns π_θ, V_φ and the collector, acts, observes
// and checkpoints; an algorithm derived from it writes its hyperparameters, update() and the
// checkpoint of its optimisers.
#pragma once

#include <pgbench/sdk/algorithm.hpp>
#include <pgbench/sdk/hyperparameters.hpp>
#include <pgbench/sdk/learn/normalizers.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/policy.hpp>
#include <pgbench/sdk/learn/rollout.hpp>

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pgb::learn {

// The value regression loss L_V(φ) = (1/B) Σ_i (V_φ(s_i) − R_i)²; writes ∇φ L_V, returns L_V.
template <class Scalar>
double value_loss(const Mlp<Scalar>& critic, typename Mlp<Scalar>::Workspace& workspace,
                  const std::type_identity_t<ConstMatrixRef<Scalar>>& observations,
                  const std::type_identity_t<ConstRowVectorRef<Scalar>>& returns,
                  std::type_identity_t<VectorRef<Scalar>> gradient) {
  const auto values = critic.forward(workspace, observations);
  const RowVector<Scalar> errors = values - returns;
  critic.backward(workspace, (Scalar(2) / Scalar(returns.size())) * errors, gradient);
  return static_cast<double>(errors.squaredNorm()) / static_cast<double>(returns.size());
}

// `iterations` full-batch optimiser steps on L_V (value_loss above), as TRPO and NPG fit their
// critic; returns L_V before the last step.
template <class Optimizer>
double fit_value_function(Mlp<float>& critic, Mlp<float>::Workspace& workspace, Optimizer& optimizer,
                          const ConstMatrixRef<float>& observations, const ConstRowVectorRef<float>& returns,
                          std::int64_t iterations) {
  Vector<float> gradient(critic.num_parameters());
  double loss = 0;
  for (std::int64_t i = 0; i < iterations; ++i) {
    loss = value_loss(critic, workspace, observations, returns, gradient);
    optimizer.step(critic.parameters(), gradient);
  }
  return loss;
}

// 1 − Var[R − V] / Var[R]: 1 for a perfect critic, 0 for a constant one, negative for worse.
double explained_variance(const ConstRowVectorRef<float>& values, const ConstRowVectorRef<float>& returns);

// Standardises the advantages in place, (Â − mean) / (std + 1e-8) with the unbiased std.
void normalize_advantages(RowVectorRef<float> advantages);

// η decayed linearly to 0 over the run's env-step budget; a budget of 0 (not given) keeps it constant.
inline LinearDecay linear_decay_over_budget(double initial, std::uint64_t total_env_steps) {
  return {initial, total_env_steps ? total_env_steps : std::numeric_limits<std::uint64_t>::max()};
}

// The settings of the advantage actor-critics, A2C and A3C (Mnih et al. 2016), with A2C's
// reference setting as defaults. Their Options derive from it (A3C sets its own defaults in its
// constructor); advantage_actor_critic_hyperparameters<Options>() declares these once for both.
struct AdvantageActorCriticOptions {
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

// The RMSprop of these settings (its step size is then decayed over the budget).
inline RmsPropOptions rmsprop_options(const AdvantageActorCriticOptions& o) {
  return {o.learning_rate, o.rmsprop_alpha, o.rmsprop_epsilon};
}

template <class Options>
std::vector<typename Hyperparameters<Options>::Entry> advantage_actor_critic_hyperparameters() {
  using O = AdvantageActorCriticOptions;
  return {
      {"learning_rate", &O::learning_rate, "RMSprop step size, decayed linearly to 0", 0.0, 1.0},
      {"n_steps", &O::n_steps, "steps per sub-env between updates (t_max)", 1.0, 1e6},
      {"gamma", &O::gamma, "discount factor", 0.0, 1.0},
      {"gae_lambda", &O::gae_lambda, "GAE lambda; 1 gives n-step returns", 0.0, 1.0},
      {"value_coef", &O::value_coef, "weight of the value loss", 0.0, 100.0},
      {"entropy_coef", &O::entropy_coef, "weight of the entropy bonus", 0.0, 10.0},
      {"max_grad_norm", &O::max_grad_norm, "global gradient-norm clip", 0.0, 1e9},
      {"rmsprop_alpha", &O::rmsprop_alpha, "RMSprop smoothing constant", 0.0, 1.0},
      {"rmsprop_epsilon", &O::rmsprop_epsilon, "RMSprop epsilon (outside the square root)", 0.0, 1.0},
      {"normalize_returns", &O::normalize_returns, "scale rewards by the running std of the discounted return"},
      {"normalize_observations", &O::normalize_observations, "running mean/std observation normalisation"},
      {"initial_log_std", &O::initial_log_std, "initial log-std of a Gaussian policy", -10.0, 2.0},
  };
}

class OnPolicyCollector {
 public:
  using Policy = StochasticPolicy<float>;
  using Critic = Mlp<float>;

  struct Settings {
    Index num_envs, num_steps;  // N sub-envs, T steps of each per rollout
    bool normalize_observations, normalize_returns;
    double gamma;  // of the return normaliser
  };

  OnPolicyCollector(const Settings& settings, Index observation_dim, const Policy& policy);

  RolloutStorage<float>& rollout() noexcept { return rollout_; }
  const RolloutStorage<float>& rollout() const noexcept { return rollout_; }

  // The exploring policy.
  void act(const Policy& policy, Rng& rng, ConstRows observations, ActionRows actions);
  // Several exploring policies: the sub-envs split into policies.size() equal consecutive groups,
  // group w acting with policies[w] (A3C's workers); samples are drawn in sub-env order.
  void act(std::span<const Policy* const> policies, Rng& rng, ConstRows observations, ActionRows actions);
  // The evaluation policy: the mode, on observations normalised with frozen statistics. Its
  // scratch is mutable because it holds nothing between calls (so, like the host, call it from
  // one thread at a time).
  void act_eval(const Policy& policy, ConstRows observations, ActionRows actions) const;
  // Stores the outcome of the step act() began; returns true when the rollout is full.
  bool observe(const Transitions& batch);

  // Writes the rollout's values, truncation values and bootstrap values from `critic`;
  // `workspace` serves a batch of the rollout's size.
  void estimate_values(const Critic& critic, Critic::Workspace& workspace);

  // What act_eval needs (the observation statistics), then what training needs besides.
  void save_policy_input(OutputArchive& archive) const;
  void load_policy_input(InputArchive& archive);
  void save_experience(OutputArchive& archive) const;
  void load_experience(InputArchive& archive);

 private:
  void check_rows(std::uint32_t rows) const;
  void normalize(ConstRows observations, MatrixRef<float> out) const;

  bool normalize_observations_, normalize_returns_;
  ObservationNormalizer observation_normalizer_;
  ReturnNormalizer return_normalizer_;
  RolloutStorage<float> rollout_;
  Matrix<float> next_observations_;  // normalised s_{t+1} of every sample (observation_dim × T·N)
  Policy::Workspace act_workspace_;
  mutable Policy::Workspace eval_workspace_;
  mutable Matrix<float> eval_inputs_, eval_actions_;
};

// An actor-critic on-policy algorithm: separate 64×64 tanh networks for π_θ and V_φ (the
// reference implementations'), both drawn from the algorithm's generator, and a collector that
// asks for update() every T steps of the N sub-envs.
class OnPolicyAlgorithm : public Algorithm {
 public:
  using Policy = StochasticPolicy<float>;
  using Critic = Mlp<float>;

  struct Settings {
    std::string_view name;  // tags the checkpoint: "<name>.policy", then "<name>.learner"
    Index num_steps;        // T steps of every sub-env per rollout
    double initial_log_std;
    bool normalize_observations, normalize_returns;
    double gamma;  // of the return normaliser
  };

  void act(ConstRows observations, ActionRows actions) final;
  void act_eval(ConstRows observations, ActionRows actions) const final;
  bool observe(const Transitions& batch) final;

  // Policy scope: what act_eval needs. Full: everything training needs as well, the rollout in
  // progress included, so that save → load → continue is the run that never stopped.
  void save(OutputArchive& out, StateScope scope) const final;
  void load(InputArchive& in, StateScope scope) final;

 protected:
  // Throws Unsupported unless the observation space is a Box.
  OnPolicyAlgorithm(const AlgorithmContext& context, const Settings& settings);

  Rng& rng() noexcept { return rng_; }
  Policy& policy() noexcept { return policy_; }
  const Policy& policy() const noexcept { return policy_; }
  Critic& critic() noexcept { return critic_; }
  OnPolicyCollector& collector() noexcept { return collector_; }
  RolloutStorage<float>& rollout() noexcept { return collector_.rollout(); }

  // The derived algorithm's optimiser state, checkpointed with the learner (Full scope).
  virtual void save_optimizers(OutputArchive& out) const = 0;
  virtual void load_optimizers(InputArchive& in) = 0;

  // The policies that act in training, one per equal consecutive group of sub-envs: π_θ alone
  // unless overridden (A3C's workers each act with their own copy of it).
  virtual std::span<const Policy* const> behaviour_policies() const { return {&self_, 1}; }

 private:
  std::string name_;
  Rng rng_;
  Policy policy_;
  const Policy* self_ = &policy_;
  Critic critic_;
  OnPolicyCollector collector_;
};

}  // namespace pgb::learn
