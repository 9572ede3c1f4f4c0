#include "reinforce.hpp"

#include <pgbench/sdk/learn/checkpoint.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace pgb::reinforce {

std::vector<Index> samples_with_complete_returns(std::span<const learn::EpisodeEnd> ends, Index num_envs,
                                                 Index num_steps) {
  std::vector<bool> complete(ends.size(), false);
  for (Index env = 0; env < num_envs; ++env) {
    bool episode_ends_later = false;  // scanning backwards in time
    for (Index t = num_steps - 1; t >= 0; --t) {
      const Index k = t * num_envs + env;
      episode_ends_later = episode_ends_later || ends[k] != learn::EpisodeEnd::running;
      complete[k] = episode_ends_later;
    }
  }
  std::vector<Index> kept;
  for (Index k = 0; k < static_cast<Index>(complete.size()); ++k)
    if (complete[k]) kept.push_back(k);
  return kept;
}

learn::RowVector<float> advantages(Baseline baseline, const learn::ConstRowVectorRef<float>& returns,
                                   const learn::ConstRowVectorRef<float>& values) {
  switch (baseline) {
    case Baseline::none: return returns;
    case Baseline::mean: return (returns.array() - returns.mean()).matrix();
    case Baseline::value: return returns - values;
  }
  return returns;
}

namespace {

const std::vector<Index> kHiddenWidths{64, 64};

Index steps_per_env(const Options& options, std::uint32_t num_envs) {
  if (num_envs == 0 || options.steps_per_batch < static_cast<std::int64_t>(num_envs))
    throw InvalidArgument("reinforce: steps_per_batch (" + std::to_string(options.steps_per_batch) +
                          ") must be at least num_envs (" + std::to_string(num_envs) + ")");
  return static_cast<Index>(options.steps_per_batch / num_envs);  // rounded down to a multiple of num_envs
}

Index observation_dim(const Space& space) {
  if (!space.is_box()) throw Unsupported("reinforce: the observation space must be a Box");
  return static_cast<Index>(space.dim());
}

}  // namespace

Reinforce::Reinforce(const AlgorithmContext& context, const Options& options)
    : options_(options),
      rng_(context.seed),
      policy_(observation_dim(context.observation_space), context.action_space, kHiddenWidths, options.initial_log_std, rng_),
      critic_(options.baseline == Baseline::value
                  ? std::optional<Network>(learn::make_critic<float>(observation_dim(context.observation_space),
                                                                        kHiddenWidths, rng_))
                  : std::nullopt),
      network_optimizer_(policy_.network().num_parameters()),
      log_std_optimizer_(policy_.log_std().size()),
      learning_rate_(learn::linear_decay_over_budget(options.learning_rate, context.total_env_steps)),
      critic_learning_rate_(learn::linear_decay_over_budget(options.critic_learning_rate, context.total_env_steps)),
      collector_({context.num_envs, steps_per_env(options, context.num_envs), options.normalize_observations,
                  options.normalize_returns, options.gamma},
                 observation_dim(context.observation_space), policy_),
      policy_workspace_(policy_.network(), collector_.rollout().size()) {
  if (critic_) {
    critic_optimizer_.emplace(critic_->num_parameters());
    critic_workspace_.emplace(*critic_, collector_.rollout().size());
  }
}

void Reinforce::act(ConstRows observations, ActionRows actions) { collector_.act(policy_, rng_, observations, actions); }

void Reinforce::act_eval(ConstRows observations, ActionRows actions) const {
  collector_.act_eval(policy_, observations, actions);
}

bool Reinforce::observe(const Transitions& batch) { return collector_.observe(batch); }

void Reinforce::update(std::uint64_t env_steps_done, const Metrics& metrics) {
  const double learning_rate = learning_rate_.at(env_steps_done);
  auto& rollout = collector_.rollout();
  // Only the value baseline bootstraps (see the header): without it the bootstrap values stay 0.
  if (critic_) collector_.estimate_values(*critic_, *critic_workspace_);
  rollout.compute_reward_to_go(static_cast<float>(options_.gamma));

  // The samples the gradient is estimated on: all of them when unfinished episodes are
  // bootstrapped, else those with a complete return (see the header).
  std::vector<Index> used(static_cast<std::size_t>(rollout.size()));
  if (critic_) std::iota(used.begin(), used.end(), Index{0});
  else used = samples_with_complete_returns(rollout.ends(), rollout.num_envs(), rollout.num_steps());
  metrics("batch/dropped_fraction", 1.0 - static_cast<double>(used.size()) / static_cast<double>(rollout.size()));
  metrics("optim/lr", learning_rate);
  if (used.empty()) {  // no episode ended in this batch: nothing to learn from yet
    rollout.clear();
    return;
  }

  learn::RolloutSamples<float> samples;  // G_i, and V(s_i) when there is a value baseline
  samples.gather(rollout, used);

  // θ ← θ − η ∇θ [ −(1/B) Σ_i log π_θ(a_i|s_i) (G_i − b(s_i)) ]
  const learn::RowVector<float> advantage = advantages(options_.baseline, samples.returns, samples.values);
  Policy::Gradient gradient = policy_.zero_gradient();
  const auto terms =
      policy_.policy_gradient_loss(policy_workspace_, samples.observations, samples.actions, advantage, 0.0f, gradient);
  const double grad_norm = std::sqrt(static_cast<double>(gradient.network.squaredNorm() + gradient.log_std.squaredNorm()));
  network_optimizer_.set_learning_rate(learning_rate);
  network_optimizer_.step(policy_.network().parameters(), gradient.network);
  if (!policy_.discrete()) {
    log_std_optimizer_.set_learning_rate(learning_rate);
    log_std_optimizer_.step(policy_.log_std(), gradient.log_std);
  }
  if (critic_) fit_value_baseline(samples.observations, samples.returns, critic_learning_rate_.at(env_steps_done));

  metrics("loss/policy", terms.policy_loss);
  metrics("policy/entropy", terms.entropy);
  metrics("optim/grad_norm", grad_norm);
  if (critic_)
    metrics("loss/value", (samples.values - samples.returns).squaredNorm() / static_cast<double>(samples.size()));
  rollout.clear();
}

// V_φ regressed on the returns, L_V = (1/B) Σ (V_φ(s_i) − G_i)², by full-batch Adam steps.
void Reinforce::fit_value_baseline(const learn::Matrix<float>& observations, const learn::RowVector<float>& returns,
                                   double learning_rate) {
  learn::Vector<float> gradient(critic_->num_parameters());
  critic_optimizer_->set_learning_rate(learning_rate);
  for (std::int64_t step = 0; step < options_.critic_iterations; ++step) {
    learn::value_loss(*critic_, *critic_workspace_, observations, returns, gradient);
    critic_optimizer_->step(critic_->parameters(), gradient);
  }
}

// A checkpoint may be taken between any two calls: the rollout in progress, the RNG and the
// running statistics are all in it, so save → load → continue is the run that never stopped.
void Reinforce::save(OutputArchive& out, StateScope scope) const {
  out.tag("reinforce.policy");
  policy_.save(out);
  collector_.save_policy_input(out);
  if (scope == StateScope::Policy) return;
  out.tag("reinforce.learner");
  network_optimizer_.save(out);
  log_std_optimizer_.save(out);
  if (critic_) {
    critic_->save(out);
    critic_optimizer_->save(out);
  }
  learn::save_rng(out, rng_);
  collector_.save_experience(out);
}

void Reinforce::load(InputArchive& in, StateScope scope) {
  in.expect_tag("reinforce.policy");
  policy_.load(in);
  collector_.load_policy_input(in);
  if (scope == StateScope::Policy) return;
  in.expect_tag("reinforce.learner");
  network_optimizer_.load(in);
  log_std_optimizer_.load(in);
  if (critic_) {
    critic_->load(in);
    critic_optimizer_->load(in);
  }
  learn::load_rng(in, rng_);
  collector_.load_experience(in);
}

}  // namespace pgb::reinforce
