#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/errors.hpp>
#include <pgbench/sdk/learn/on_policy.hpp>

#include "host_rows.hpp"

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace pgb::learn {

double explained_variance(const ConstRowVectorRef<float>& values, const ConstRowVectorRef<float>& returns) {
  const auto variance = [](const RowVector<double>& x) { return (x.array() - x.mean()).square().mean(); };
  const RowVector<double> r = returns.cast<double>();
  const double var_returns = variance(r);
  return var_returns > 0 ? 1.0 - variance(r - values.cast<double>()) / var_returns : 0.0;
}

void normalize_advantages(RowVectorRef<float> advantages) {
  const Index size = advantages.size();
  if (size < 2) return;
  const double mean = advantages.mean();
  const double std = std::sqrt((advantages.array() - mean).square().sum() / static_cast<double>(size - 1));
  advantages = ((advantages.array() - mean) / (std + 1e-8)).matrix();
}

OnPolicyCollector::OnPolicyCollector(const Settings& settings, Index observation_dim, const Policy& policy)
    : normalize_observations_(settings.normalize_observations),
      normalize_returns_(settings.normalize_returns),
      observation_normalizer_(observation_dim),
      return_normalizer_(settings.num_envs, settings.gamma),
      rollout_(settings.num_envs, settings.num_steps, observation_dim, policy.action_rows()),
      next_observations_(Matrix<float>::Zero(observation_dim, rollout_.size())),
      act_workspace_(policy.network(), settings.num_envs),
      eval_workspace_(policy.network(), 1) {}

void OnPolicyCollector::act(const Policy& policy, Rng& rng, ConstRows observations, ActionRows actions) {
  const Policy* const policies[] = {&policy};
  act(policies, rng, observations, actions);
}

void OnPolicyCollector::act(std::span<const Policy* const> policies, Rng& rng, ConstRows observations,
                            ActionRows actions) {
  check_rows(observations.rows);
  const Index groups = static_cast<Index>(policies.size()), group = rollout_.num_envs() / groups;
  if (groups < 1 || group * groups != rollout_.num_envs())
    throw InvalidArgument("on-policy collection: " + std::to_string(rollout_.num_envs()) +
                          " sub-envs cannot be split into " + std::to_string(groups) + " equal groups");
  const Index t = rollout_.step();
  if (normalize_observations_) observation_normalizer_.update(columns(observations));
  normalize(observations, rollout_.observations(t));
  auto stored = rollout_.actions(t);
  auto log_probs = rollout_.log_probs(t);
  for (Index w = 0; w < groups; ++w) {
    const Policy& policy = *policies[static_cast<std::size_t>(w)];
    const auto outputs = policy.network().forward(act_workspace_, rollout_.observations(t).middleCols(w * group, group));
    policy.sample(outputs, rng, stored.middleCols(w * group, group));
    policy.log_prob(outputs, stored.middleCols(w * group, group), log_probs.middleCols(w * group, group));
  }
  policies.front()->write_actions(stored, actions);
}

void OnPolicyCollector::act_eval(const Policy& policy, ConstRows observations, ActionRows actions) const {
  eval_inputs_.resize(static_cast<Index>(observations.cols), static_cast<Index>(observations.rows));
  normalize(observations, eval_inputs_);
  eval_actions_.resize(policy.action_rows(), observations.rows);
  policy.mode(policy.network().forward(eval_workspace_, eval_inputs_), eval_actions_);
  policy.write_actions(eval_actions_, actions);
}

bool OnPolicyCollector::observe(const Transitions& batch) {
  check_rows(batch.rows());
  const Index n = rollout_.num_envs(), t = rollout_.step();
  const auto ends = rollout_.ends(t);
  for (Index i = 0; i < n; ++i) ends[i] = episode_end(batch.terminated[i] != 0, batch.truncated[i] != 0);
  const ConstVectorMap<double> rewards(batch.reward.data(), n);
  if (normalize_returns_) {
    return_normalizer_.update(rewards, ends);
    return_normalizer_.normalize(rewards, rollout_.rewards(t));
  } else {
    rollout_.rewards(t) = rewards.transpose().cast<float>();
  }
  normalize(batch.next_observation, next_observations_.middleCols(t * n, n));
  rollout_.advance();
  return rollout_.full();
}

void OnPolicyCollector::estimate_values(const Critic& critic, Critic::Workspace& workspace) {
  const Index n = rollout_.num_envs(), steps = rollout_.num_steps();
  const auto values = critic.forward(workspace, rollout_.observations());
  for (Index t = 0; t < steps; ++t) rollout_.values(t) = values.middleCols(t * n, n);
  const auto next_values = critic.forward(workspace, next_observations_);
  for (Index t = 0; t < steps; ++t) {
    const auto ends = rollout_.ends(t);
    auto truncation_values = rollout_.truncation_values(t);
    for (Index i = 0; i < n; ++i)
      truncation_values[i] = ends[i] == EpisodeEnd::truncated ? next_values(0, t * n + i) : 0.0f;
  }
  rollout_.bootstrap_values() = next_values.rightCols(n).transpose();
}

void OnPolicyCollector::save_policy_input(OutputArchive& archive) const {
  archive.tag("pgb.learn.on_policy.input");
  observation_normalizer_.save(archive);
}

void OnPolicyCollector::load_policy_input(InputArchive& archive) {
  archive.expect_tag("pgb.learn.on_policy.input");
  observation_normalizer_.load(archive);
}

void OnPolicyCollector::save_experience(OutputArchive& archive) const {
  archive.tag("pgb.learn.on_policy.experience");
  return_normalizer_.save(archive);
  rollout_.save(archive);
  save_dense(archive, next_observations_);
}

void OnPolicyCollector::load_experience(InputArchive& archive) {
  archive.expect_tag("pgb.learn.on_policy.experience");
  return_normalizer_.load(archive);
  rollout_.load(archive);
  load_dense(archive, next_observations_, "the next observations of the rollout");
}

void OnPolicyCollector::check_rows(std::uint32_t rows) const {
  if (rows != static_cast<std::uint32_t>(rollout_.num_envs()))
    throw InvalidArgument("on-policy collection: a training batch has " + std::to_string(rows) +
                          " rows, expected num_envs = " + std::to_string(rollout_.num_envs()));
}

// The network input: observations normalised by the running statistics, or passed through
// unchanged when normalisation is off.
void OnPolicyCollector::normalize(ConstRows observations, MatrixRef<float> out) const {
  if (normalize_observations_) observation_normalizer_.normalize(columns(observations), out);
  else out = columns(observations).cast<float>();
}

namespace {

const std::vector<Index> kHiddenWidths{64, 64};

Index box_dim(const Space& observation_space, std::string_view name) {
  if (!observation_space.is_box())
    throw Unsupported(std::string(name) + ": the observation space must be a Box");
  return static_cast<Index>(observation_space.dim());
}

}  // namespace

OnPolicyAlgorithm::OnPolicyAlgorithm(const AlgorithmContext& context, const Settings& settings)
    : name_(settings.name),
      rng_(context.seed),
      policy_(box_dim(context.observation_space, settings.name), context.action_space, kHiddenWidths,
              settings.initial_log_std, rng_),
      critic_(make_critic<float>(box_dim(context.observation_space, settings.name), kHiddenWidths, rng_)),
      collector_({context.num_envs, settings.num_steps, settings.normalize_observations, settings.normalize_returns,
                  settings.gamma},
                 box_dim(context.observation_space, settings.name), policy_) {}

void OnPolicyAlgorithm::act(ConstRows observations, ActionRows actions) {
  collector_.act(behaviour_policies(), rng_, observations, actions);
}

void OnPolicyAlgorithm::act_eval(ConstRows observations, ActionRows actions) const {
  collector_.act_eval(policy_, observations, actions);
}

bool OnPolicyAlgorithm::observe(const Transitions& batch) { return collector_.observe(batch); }

void OnPolicyAlgorithm::save(OutputArchive& out, StateScope scope) const {
  out.tag(name_ + ".policy");
  policy_.save(out);
  collector_.save_policy_input(out);
  if (scope == StateScope::Policy) return;
  out.tag(name_ + ".learner");
  critic_.save(out);
  save_optimizers(out);
  save_rng(out, rng_);
  collector_.save_experience(out);
}

void OnPolicyAlgorithm::load(InputArchive& in, StateScope scope) {
  in.expect_tag(name_ + ".policy");
  policy_.load(in);
  collector_.load_policy_input(in);
  if (scope == StateScope::Policy) return;
  in.expect_tag(name_ + ".learner");
  critic_.load(in);
  load_optimizers(in);
  load_rng(in, rng_);
  collector_.load_experience(in);
}

}  // namespace pgb::learn
