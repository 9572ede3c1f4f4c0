// What PPO and TRPO share: collecting a batch of T steps × N envs with a stochastic policy, and
// turning it into advantages with a critic.
//
//   act      normalise s_t (updating the running statistics), sample a_t ~ π(·|s_t), keep
//            s_t, a_t and log π(a_t|s_t)
//   observe  keep the (scaled) reward, how the step ended and the next observation; ask for an
//            update once the batch is full
//   estimate_advantages   V(s_t) with the current critic, the bootstraps V(final observation)
//            after truncations and V(s_T) after the last step, then GAE(λ)
//
// The derived class writes update(): the policy and critic steps on the batch, then clear().
//
// This belongs in pgbench::learn; it lives here until the library grows an on-policy agent.
#pragma once

#include <pgbench/sdk/algorithm.hpp>
#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/normalizers.hpp>
#include <pgbench/sdk/learn/rollout.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "policy.hpp"

namespace pgb::ppo {

using learn::ConstMatrixMap;
using learn::ConstVectorMap;
using learn::EpisodeEnd;
using learn::Matrix;

struct CollectionSettings {
  explicit CollectionSettings(const Config& c)
      : steps_per_batch(c.get_int("steps_per_batch")),
        gamma(c.get_double("gamma")),
        gae_lambda(c.get_double("gae_lambda")),
        normalize_observations(c.get_bool("normalize_observations")),
        normalize_returns(c.get_bool("normalize_returns")) {}
  std::int64_t steps_per_batch;  // T = steps_per_batch / num_envs steps of every env
  double gamma, gae_lambda;
  bool normalize_observations, normalize_returns;
};

class OnPolicyAgent : public Algorithm {
 public:
  void act(ConstRows obs, ActionRows actions) override {
    check_rows(obs.rows);
    const Index t = rollout_.step();
    const ConstMatrixMap<double> raw(obs.data, obs_dim_, obs.rows);
    if (collection_.normalize_observations) observation_normalizer_.update(raw);
    auto observations = rollout_.observations(t);
    normalize(raw, observations);
    const auto outputs = policy_.network().forward(act_workspace_, observations);
    auto stored = rollout_.actions(t);
    policy_.sample(outputs, rng_, stored);
    policy_.log_prob(outputs, stored, rollout_.log_probs(t));
    policy_.write_actions(stored, actions);
  }

  // The mode of π(·|s) under frozen observation statistics.
  void act_eval(ConstRows obs, ActionRows actions) const override {
    const ConstMatrixMap<double> raw(obs.data, obs_dim_, obs.rows);
    Matrix<float> observations(obs_dim_, obs.rows);
    normalize(raw, observations);
    learn::Mlp<float>::Workspace workspace(policy_.network(), obs.rows);
    const auto outputs = policy_.network().forward(workspace, observations);
    Matrix<float> mode(policy_.action_dim(), obs.rows);
    policy_.mode(outputs, mode);
    policy_.write_actions(mode, actions);
  }

  bool observe(const Transitions& batch) override {
    check_rows(batch.rows());
    const Index t = rollout_.step();
    auto ends = rollout_.ends(t);
    for (Index i = 0; i < num_envs_; ++i) ends[i] = learn::episode_end(batch.terminated[i], batch.truncated[i]);
    const ConstVectorMap<double> rewards(batch.reward.data(), num_envs_);
    if (collection_.normalize_returns) {
      return_normalizer_.update(rewards, ends);
      return_normalizer_.normalize(rewards, rollout_.rewards(t));
    } else {
      rollout_.rewards(t) = rewards.transpose().cast<float>();
    }
    // Kept for the bootstraps of GAE; the critic evaluates them in estimate_advantages(), so
    // that an algorithm that re-estimates after changing the critic gets fresh bootstraps too.
    normalize(ConstMatrixMap<double>(batch.next_observation.data, obs_dim_, num_envs_),
              final_observations_.middleCols(t * num_envs_, num_envs_));
    rollout_.advance();
    return rollout_.full();
  }

 protected:
  OnPolicyAgent(const AlgorithmContext& context, const CollectionSettings& collection)
      : collection_(collection),
        num_envs_(context.num_envs),
        obs_dim_(static_cast<Index>(context.observation_space.dim())),
        rng_(context.seed),
        policy_(context.observation_space, context.action_space, rng_),
        critic_(make_mlp<float>(obs_dim_, 1, rng_, 1.0f)),
        observation_normalizer_(obs_dim_),
        return_normalizer_(num_envs_, collection.gamma),
        rollout_(num_envs_, std::max<Index>(1, collection.steps_per_batch / num_envs_), obs_dim_,
                 policy_.action_dim()),
        final_observations_(Matrix<float>::Zero(obs_dim_, rollout_.size())),
        act_workspace_(policy_.network(), num_envs_),
        critic_workspace_(critic_, rollout_.size()) {}

  // V(s_t) for every sample, then GAE with the bootstraps from the same (current) critic.
  void estimate_advantages() {
    const Index n = num_envs_, steps = rollout_.num_steps();
    const auto values = critic_.forward(critic_workspace_, rollout_.observations());
    for (Index t = 0; t < steps; ++t) rollout_.values(t) = values.middleCols(t * n, n);
    const auto next_values = critic_.forward(critic_workspace_, final_observations_);
    for (Index t = 0; t < steps; ++t) {
      const auto ends = rollout_.ends(t);
      auto truncation_values = rollout_.truncation_values(t);
      for (Index i = 0; i < n; ++i)
        truncation_values[i] = ends[i] == EpisodeEnd::truncated ? next_values(0, t * n + i) : 0.0f;
    }
    rollout_.bootstrap_values() = next_values.rightCols(n).transpose();
    rollout_.compute_gae(static_cast<float>(collection_.gamma), static_cast<float>(collection_.gae_lambda));
  }

  // 1 − Var[R − V] / Var[R] over the batch: the share of the returns' variance the critic explains.
  double explained_variance() const {
    const auto variance = [](const Eigen::ArrayXd& x) { return (x - x.mean()).square().mean(); };
    const Eigen::ArrayXd returns = rollout_.returns().transpose().cast<double>().array();
    const Eigen::ArrayXd values = rollout_.values().transpose().cast<double>().array();
    const double total = variance(returns);
    return total > 0 ? 1.0 - variance(returns - values) / total : 0.0;
  }

  // Fisher–Yates with the algorithm's own generator.
  void shuffle(std::vector<Index>& order) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng_.below(i)]);
  }

  // Policy scope: what act_eval needs. Full: everything collection and estimation need as well.
  void save_collection(OutputArchive& out, StateScope scope) const {
    out.tag("pgb.ppo.agent");
    observation_normalizer_.save(out);
    policy_.save(out);
    if (scope == StateScope::Policy) return;
    critic_.save(out);
    return_normalizer_.save(out);
    rollout_.save(out);
    learn::save_dense(out, final_observations_);
    learn::save_rng(out, rng_);
  }
  void load_collection(InputArchive& in, StateScope scope) {
    in.expect_tag("pgb.ppo.agent");
    observation_normalizer_.load(in);
    policy_.load(in);
    if (scope == StateScope::Policy) return;
    critic_.load(in);
    return_normalizer_.load(in);
    rollout_.load(in);
    learn::load_dense(in, final_observations_, "final observations");
    learn::load_rng(in, rng_);
  }

  CollectionSettings collection_;
  Index num_envs_, obs_dim_;
  Rng rng_;
  StochasticPolicy<float> policy_;
  learn::Mlp<float> critic_;
  learn::ObservationNormalizer observation_normalizer_;
  learn::ReturnNormalizer return_normalizer_;
  learn::RolloutStorage<float> rollout_;
  Matrix<float> final_observations_;  // normalised s_{t+1} of every sample (obs_dim × T·N)
  learn::Mlp<float>::Workspace act_workspace_;
  learn::Mlp<float>::Workspace critic_workspace_;  // sized for the whole batch

 private:
  void check_rows(std::uint32_t rows) const {
    if (rows != static_cast<std::uint32_t>(num_envs_))
      throw InvalidArgument("a training batch has " + std::to_string(rows) + " rows, expected num_envs = " +
                            std::to_string(num_envs_));
  }

  template <class Out>
  void normalize(const ConstMatrixMap<double>& raw, Out&& out) const {
    if (collection_.normalize_observations) observation_normalizer_.normalize(raw, out);
    else out = raw.cast<float>();
  }
};

}  // namespace pgb::ppo
