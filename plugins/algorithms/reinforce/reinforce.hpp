// REINFORCE (Williams 1992): the Monte-Carlo policy gradient with a baseline,
//
//   ∇J(θ) ≈ (1/B) Σ_i ∇θ log π_θ(a_i|s_i) · (G_i − b(s_i)),   G_t = Σ_{k≥t} γ^{k−t} r_k within the episode,
//
// one full-batch Adam step per batch of `steps_per_batch` env steps, the learning rate decayed
// linearly to 0 over the run's budget.
//
// Episodes cut by the end of a batch: G_t of an unfinished episode is not known. With a value
// baseline it is bootstrapped, G_t = r_t + … + γ^{T−t} V(s_T) (and a time-limit truncation
// bootstraps from V of the true final observation). Without one, the unfinished tail of each
// sub-env is dropped from the gradient: every sample used carries a complete Monte-Carlo return,
// so the estimate stays unbiased; the episode's later steps, in the next batch, are used there.
// Without a value baseline a truncation is treated as the episode's end (G is the return the
// episode actually collected). Keep steps_per_batch / num_envs well above the typical episode length,
// or most of each batch is dropped (metric batch/dropped_fraction).
#pragma once

#include <pgbench/sdk/hyperparameters.hpp>
#include <pgbench/sdk/learn/on_policy.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/policy.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pgb::reinforce {

namespace learn = pgb::learn;
using learn::Index;

enum class Baseline { none, mean, value };

// The settings; the initialisers are the defaults (the spec's).
struct Options {
  double learning_rate = 1e-3;
  std::int64_t steps_per_batch = 2048;
  double gamma = 0.99;
  Baseline baseline = Baseline::mean;
  bool normalize_returns = true;
  bool normalize_observations = true;
  double initial_log_std = -0.5;
  double critic_learning_rate = 1e-3;
  std::int64_t critic_iterations = 5;
};

inline const Hyperparameters<Options> kHyperparameters{
    {"learning_rate", &Options::learning_rate, "Adam step size of the policy, decayed linearly to 0", 0.0, 1.0},
    {"steps_per_batch", &Options::steps_per_batch, "env steps per update, over all sub-envs", 1.0, 1e9},
    {"gamma", &Options::gamma, "discount factor", 0.0, 1.0},
    {"baseline", &Options::baseline, "b(s) subtracted from the return: none, the batch mean, or a learned V(s)",
     {{"none", Baseline::none}, {"mean", Baseline::mean}, {"value", Baseline::value}}},
    {"normalize_returns", &Options::normalize_returns, "scale rewards by the running std of the discounted return"},
    {"normalize_observations", &Options::normalize_observations, "running mean/std observation normalisation"},
    {"initial_log_std", &Options::initial_log_std, "initial log-std of a Gaussian policy", -10.0, 2.0},
    {"critic_learning_rate", &Options::critic_learning_rate, "Adam step size of the value baseline, decayed linearly to 0",
     0.0, 1.0},
    {"critic_iterations", &Options::critic_iterations, "full-batch Adam steps of the value baseline per batch", 1.0, 1000.0},
};

// The samples of a rollout whose return is a complete Monte-Carlo return: sample t·N + env is
// kept when the episode it belongs to ended at or after step t within the rollout.
std::vector<Index> samples_with_complete_returns(std::span<const learn::EpisodeEnd> ends, Index num_envs,
                                                 Index num_steps);

// Â_i = G_i − b_i, with b = 0 (none), the batch mean of G (mean) or V(s_i) (value).
learn::RowVector<float> advantages(Baseline baseline, const learn::ConstRowVectorRef<float>& returns,
                                   const learn::ConstRowVectorRef<float>& values);

class Reinforce final : public Algorithm {
 public:
  explicit Reinforce(const AlgorithmContext& context) : Reinforce(context, kHyperparameters.read(context.hyperparameters)) {}
  Reinforce(const AlgorithmContext& context, const Options& options);

  void act(ConstRows observations, ActionRows actions) override;
  void act_eval(ConstRows observations, ActionRows actions) const override;
  bool observe(const Transitions& batch) override;
  void update(std::uint64_t env_steps_done, const Metrics& metrics) override;
  void save(OutputArchive& out, StateScope scope) const override;
  void load(InputArchive& in, StateScope scope) override;

 private:
  using Policy = learn::StochasticPolicy<float>;
  using Network = learn::Mlp<float>;

  void fit_value_baseline(const learn::Matrix<float>& observations, const learn::RowVector<float>& returns,
                          double learning_rate);

  Options options_;
  Rng rng_;
  Policy policy_;
  std::optional<Network> critic_;  // the value baseline only
  learn::Adam<float> network_optimizer_, log_std_optimizer_;
  std::optional<learn::Adam<float>> critic_optimizer_;
  learn::LinearDecay learning_rate_, critic_learning_rate_;
  learn::OnPolicyCollector collector_;
  Policy::Workspace policy_workspace_;  // the update's passes
  std::optional<Network::Workspace> critic_workspace_;
};

}  // namespace pgb::reinforce
