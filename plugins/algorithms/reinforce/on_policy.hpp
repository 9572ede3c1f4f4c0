// The pieces REINFORCE and A2C share (A2C includes this header from here): the stochastic
// policy with its policy-gradient loss, the value regression loss, and the rollout collector
// behind act() and observe(), with the conversions between the host's row-major double batches
// and the learning core's feature × batch columns.
//
// Written against pgbench::learn only; templated on the scalar so that the tests check every
// gradient in double while the plugins run in float. A candidate for the learning library.
#pragma once

#include <pgbench/sdk/algorithm.hpp>
#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/distributions.hpp>
#include <pgbench/sdk/learn/mlp.hpp>
#include <pgbench/sdk/learn/normalizers.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/rollout.hpp>
#include <pgbench/sdk/space.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace pgb::onpolicy {

namespace learn = pgb::learn;
using learn::Index;

// The initialisation of the reference on-policy implementations: orthogonal weights with gain √2
// on every layer, zero biases, then the output layer rescaled (0.01 for a policy, so that the
// first policy is nearly uniform or centred; 1/√2 for a critic, i.e. gain 1).
inline constexpr double kHiddenGain = std::numbers::sqrt2;

// π_θ(a|s): N(μ_θ(s), diag(exp(2 s))) with a state-independent log-std s for a Box action space,
// softmax(z_θ(s)) for a Discrete one, μ or z the output of a tanh MLP. Actions are stored as
// action_rows() × batch columns; a discrete action is its index from 0 (the space's start removed).
template <class Scalar>
class StochasticPolicy {
 public:
  using Network = learn::Mlp<Scalar>;
  using Workspace = typename Network::Workspace;

  // ∇θ of a loss: the network's flat parameters and the log-std (empty for a discrete policy).
  struct Gradient {
    learn::Vector<Scalar> network;
    learn::Vector<Scalar> log_std;
  };

  // The two terms of loss(): the policy-gradient surrogate and the mean entropy.
  struct LossTerms {
    double policy_loss;
    double entropy;
  };

  // Initialised from `rng`.
  StochasticPolicy(Index observation_dim, const Space& action_space, const std::vector<Index>& hidden_widths,
                   double initial_log_std, Rng& rng)
      : discrete_(action_space.is_discrete()),
        network_(layer_sizes(observation_dim, action_space, hidden_widths), learn::Activation::tanh),
        log_std_(learn::Vector<Scalar>::Constant(discrete_ ? 0 : network_.output_size(), Scalar(initial_log_std))) {
    network_.initialize_orthogonal(rng, Scalar(kHiddenGain));
    network_.scale_last_layer(Scalar(0.01));
  }

  bool discrete() const noexcept { return discrete_; }
  Index action_rows() const noexcept { return discrete_ ? 1 : network_.output_size(); }
  Network& network() noexcept { return network_; }
  const Network& network() const noexcept { return network_; }
  learn::Vector<Scalar>& log_std() noexcept { return log_std_; }
  const learn::Vector<Scalar>& log_std() const noexcept { return log_std_; }
  Gradient zero_gradient() const {
    return {learn::Vector<Scalar>::Zero(network_.num_parameters()), learn::Vector<Scalar>::Zero(log_std_.size())};
  }

  // a_i ~ π(·|s_i) for each column of `observations`.
  void sample(Workspace& workspace, const learn::ConstMatrixRef<Scalar>& observations, Rng& rng,
              learn::MatrixRef<Scalar> actions) const {
    const auto output = network_.forward(workspace, observations);
    if (discrete_) learn::Categorical<Scalar>(output).sample(rng, as_row(actions));
    else learn::DiagGaussian<Scalar>(output, log_std_).sample(rng, actions);
  }

  // The most likely action: the evaluation policy.
  void mode(Workspace& workspace, const learn::ConstMatrixRef<Scalar>& observations,
            learn::MatrixRef<Scalar> actions) const {
    const auto output = network_.forward(workspace, observations);
    if (discrete_) learn::Categorical<Scalar>(output).mode(as_row(actions));
    else learn::DiagGaussian<Scalar>(output, log_std_).mode(actions);
  }

  // The policy-gradient loss on a batch of B samples (Williams 1992; Mnih et al. 2016):
  //   L(θ) = −(1/B) Σ_i Â_i log π_θ(a_i|s_i)  −  c_H (1/B) Σ_i H[π_θ(·|s_i)]
  // Writes ∇θ L into `gradient` and returns −(1/B) Σ Â log π and (1/B) Σ H separately.
  LossTerms loss(Workspace& workspace, const learn::ConstMatrixRef<Scalar>& observations,
                 const learn::ConstMatrixRef<Scalar>& actions, const learn::ConstRowVectorRef<Scalar>& advantages,
                 Scalar entropy_coefficient, Gradient& gradient) const {
    const Index batch = observations.cols();
    const auto output = network_.forward(workspace, observations);
    learn::RowVector<Scalar> log_probs(batch), entropies(batch);
    const learn::RowVector<Scalar> log_prob_weights = -advantages / Scalar(batch);
    const learn::RowVector<Scalar> entropy_weights =
        learn::RowVector<Scalar>::Constant(batch, -entropy_coefficient / Scalar(batch));
    learn::Matrix<Scalar> output_gradient = learn::Matrix<Scalar>::Zero(output.rows(), batch);
    gradient.log_std.setZero(log_std_.size());
    if (discrete_) {
      const learn::Categorical<Scalar> pi(output);
      const learn::ConstRowVectorMap<Scalar> indices(actions.data(), batch);
      pi.log_prob(indices, log_probs);
      pi.entropy(entropies);
      pi.add_log_prob_gradient(indices, log_prob_weights, output_gradient);
      pi.add_entropy_gradient(entropy_weights, output_gradient);
    } else {
      const learn::DiagGaussian<Scalar> pi(output, log_std_);
      pi.log_prob(actions, log_probs);
      pi.entropy(entropies);
      pi.add_log_prob_gradient(actions, log_prob_weights, output_gradient, gradient.log_std);
      pi.add_entropy_gradient(entropy_weights, gradient.log_std);
    }
    gradient.network.resize(network_.num_parameters());
    network_.backward(workspace, output_gradient, gradient.network);
    return {-static_cast<double>(advantages.cwiseProduct(log_probs).mean()), static_cast<double>(entropies.mean())};
  }

  void save(OutputArchive& archive) const {
    network_.save(archive);
    learn::save_dense(archive, log_std_);
  }
  void load(InputArchive& archive) {
    network_.load(archive);
    learn::load_dense(archive, log_std_, "the policy log-std");
  }

 private:
  static std::vector<Index> layer_sizes(Index observation_dim, const Space& action_space,
                                        const std::vector<Index>& hidden_widths) {
    std::vector<Index> sizes{observation_dim};
    sizes.insert(sizes.end(), hidden_widths.begin(), hidden_widths.end());
    sizes.push_back(action_space.is_discrete() ? static_cast<Index>(action_space.n())
                                               : static_cast<Index>(action_space.dim()));
    return sizes;
  }
  // A discrete policy's actions are one row; the distribution takes them as a row vector.
  static learn::RowVectorMap<Scalar> as_row(learn::MatrixRef<Scalar> actions) { return {actions.data(), actions.cols()}; }

  bool discrete_;
  Network network_;
  learn::Vector<Scalar> log_std_;
};

// A state-value network V_φ(s): a tanh MLP with one linear output.
template <class Scalar>
learn::Mlp<Scalar> make_critic(Index observation_dim, const std::vector<Index>& hidden_widths, Rng& rng) {
  std::vector<Index> sizes{observation_dim};
  sizes.insert(sizes.end(), hidden_widths.begin(), hidden_widths.end());
  sizes.push_back(1);
  learn::Mlp<Scalar> critic(sizes, learn::Activation::tanh);
  critic.initialize_orthogonal(rng, Scalar(kHiddenGain));
  critic.scale_last_layer(Scalar(1.0 / kHiddenGain));
  return critic;
}

// The value regression loss L_V(φ) = (1/B) Σ_i (V_φ(s_i) − R_i)²; writes ∇φ L_V, returns L_V.
template <class Scalar>
double value_loss(const learn::Mlp<Scalar>& critic, typename learn::Mlp<Scalar>::Workspace& workspace,
                  const std::type_identity_t<learn::ConstMatrixRef<Scalar>>& observations,
                  const std::type_identity_t<learn::ConstRowVectorRef<Scalar>>& returns,
                  std::type_identity_t<learn::VectorRef<Scalar>> gradient) {
  const auto values = critic.forward(workspace, observations);
  const learn::RowVector<Scalar> errors = values - returns;
  critic.backward(workspace, (Scalar(2) / Scalar(returns.size())) * errors, gradient);
  return static_cast<double>(errors.squaredNorm()) / static_cast<double>(returns.size());
}

// 1 − Var[R − V] / Var[R]: 1 for a perfect critic, 0 for a constant one, negative for worse.
inline double explained_variance(const learn::ConstRowVectorRef<float>& values,
                                 const learn::ConstRowVectorRef<float>& returns) {
  const auto variance = [](const learn::RowVector<double>& x) { return (x.array() - x.mean()).square().mean(); };
  const learn::RowVector<double> r = returns.cast<double>();
  const double var_returns = variance(r);
  return var_returns > 0 ? 1.0 - variance(r - values.cast<double>()) / var_returns : 0.0;
}

// η decayed linearly to 0 over the run's env-step budget; a budget of 0 (not given) keeps it constant.
inline learn::LinearDecay linear_decay_over_budget(double initial, std::uint64_t total_env_steps) {
  return {initial, total_env_steps ? total_env_steps : std::numeric_limits<std::uint64_t>::max()};
}

// ---- the host's batches: rows of doubles (row i = sub-env i) seen as dim × rows columns ----

inline Eigen::Map<const Eigen::MatrixXd> columns(ConstRows rows) {
  return {rows.data, static_cast<Index>(rows.cols), static_cast<Index>(rows.rows)};
}

// The network input: observations normalised by running statistics (updated in training only,
// so evaluation reads them frozen), or passed through unchanged when normalisation is off.
class ObservationInput {
 public:
  ObservationInput(Index observation_dim, bool normalize) : normalize_(normalize), normalizer_(observation_dim) {}

  void update(ConstRows observations) {
    if (normalize_) normalizer_.update(columns(observations));
  }
  // Resizes `out` to observation_dim × rows.
  void operator()(ConstRows observations, learn::Matrix<float>& out) const {
    out.resize(observations.cols, observations.rows);
    if (normalize_) normalizer_.normalize(columns(observations), out);
    else out = columns(observations).cast<float>();
  }

  void save(OutputArchive& archive) const { normalizer_.save(archive); }
  void load(InputArchive& archive) { normalizer_.load(archive); }

 private:
  bool normalize_;
  learn::ObservationNormalizer normalizer_;
};

// Writes stored actions (action_rows × batch) into the host's buffer.
inline void write_actions(const learn::ConstMatrixRef<float>& actions, const Space& action_space, ActionRows out) {
  for (std::uint32_t r = 0; r < out.rows(); ++r) {
    if (out.discrete()) {
      out.index(r) = action_space.start() + static_cast<std::int64_t>(actions(0, r));
    } else {
      const auto values = out.values(r);
      for (std::uint32_t d = 0; d < out.dim(); ++d) values[d] = static_cast<double>(actions(d, r));
    }
  }
}

// The actions of an observe() batch as stored actions: the unclipped Box action the algorithm
// drew, or the discrete index from 0.
inline void read_actions(const Transitions& batch, const Space& action_space, learn::MatrixRef<float> actions) {
  for (std::uint32_t r = 0; r < batch.rows(); ++r) {
    if (batch.discrete) {
      actions(0, r) = static_cast<float>(batch.action_index(r) - action_space.start());
    } else {
      const auto values = batch.action_values(r);
      for (std::uint32_t d = 0; d < batch.action_dim; ++d) actions(d, r) = static_cast<float>(values[d]);
    }
  }
}

// act() and observe() of both algorithms: samples actions from the policy on normalised
// observations and fills an N × T rollout with what the algorithm learns from (normalised
// observations, the actions as drawn, rewards scaled by the return normaliser when enabled,
// episode ends). Given a critic, it also fills the bootstrap values: V of the true final
// observation of a truncated episode, and V(s_T) for every sub-env after the rollout's last step.
class RolloutCollector {
 public:
  using Policy = StochasticPolicy<float>;
  using Critic = learn::Mlp<float>;

  struct Settings {
    Index num_envs, num_steps;
    bool normalize_observations, normalize_returns;
    double gamma;
  };

  RolloutCollector(const Settings& settings, Index observation_dim, const Space& action_space, const Policy& policy,
                   const Critic* critic)
      : action_space_(action_space),
        normalize_returns_(settings.normalize_returns),
        observation_input_(observation_dim, settings.normalize_observations),
        return_normalizer_(settings.num_envs, settings.gamma),
        rollout_(settings.num_envs, settings.num_steps, observation_dim, policy.action_rows()),
        act_workspace_(policy.network(), settings.num_envs),
        eval_workspace_(policy.network(), 1) {
    if (critic) critic_workspace_.emplace(*critic, settings.num_envs);
  }

  learn::RolloutStorage<float>& rollout() noexcept { return rollout_; }

  // The exploring policy; folds the observations into the normalisation statistics first.
  void act(const Policy& policy, Rng& rng, ConstRows observations, ActionRows actions) {
    observation_input_.update(observations);
    observation_input_(observations, inputs_);
    actions_.resize(policy.action_rows(), observations.rows);
    policy.sample(act_workspace_, inputs_, rng, actions_);
    write_actions(actions_, action_space_, actions);
  }

  // The evaluation policy: the mode, on observations normalised with frozen statistics. Its
  // scratch is mutable because it holds nothing between calls (so, like the host, call it from
  // one thread at a time).
  void act_eval(const Policy& policy, ConstRows observations, ActionRows actions) const {
    observation_input_(observations, eval_inputs_);
    eval_actions_.resize(policy.action_rows(), observations.rows);
    policy.mode(eval_workspace_, eval_inputs_, eval_actions_);
    write_actions(eval_actions_, action_space_, actions);
  }

  // Stores one step of all sub-envs; returns true when the rollout is full. `critic` is the one
  // given at construction, or null for pure Monte-Carlo returns.
  bool observe(const Transitions& batch, const Critic* critic) {
    const Index n = rollout_.num_envs();
    if (batch.rows() != n)
      throw BadState("observe() got " + std::to_string(batch.rows()) + " rows, expected num_envs = " + std::to_string(n));
    const Index t = rollout_.step();
    observation_input_(batch.observation, inputs_);
    rollout_.observations(t) = inputs_;
    read_actions(batch, action_space_, rollout_.actions(t));
    const auto ends = rollout_.ends(t);
    for (Index i = 0; i < n; ++i) ends[i] = learn::episode_end(batch.terminated[i] != 0, batch.truncated[i] != 0);

    const Eigen::Map<const Eigen::VectorXd> rewards(batch.reward.data(), n);
    if (normalize_returns_) {
      return_normalizer_.update(rewards, ends);
      return_normalizer_.normalize(rewards, rollout_.rewards(t));
    } else {
      rollout_.rewards(t) = rewards.transpose().cast<float>();
    }

    const bool last_step = t + 1 == rollout_.num_steps();
    const bool any_truncated =
        std::any_of(ends.begin(), ends.end(), [](learn::EpisodeEnd e) { return e == learn::EpisodeEnd::truncated; });
    if (critic && (any_truncated || last_step)) {
      observation_input_(batch.next_observation, inputs_);
      const auto next_values = critic->forward(*critic_workspace_, inputs_);
      for (Index i = 0; i < n; ++i)
        if (ends[i] == learn::EpisodeEnd::truncated) rollout_.truncation_values(t)(i) = next_values(0, i);
      if (last_step) rollout_.bootstrap_values() = next_values.transpose();
    }
    rollout_.advance();
    return rollout_.full();
  }

  // What act_eval needs (the observation statistics), then what training needs besides.
  void save_policy_input(OutputArchive& archive) const { observation_input_.save(archive); }
  void load_policy_input(InputArchive& archive) { observation_input_.load(archive); }
  void save_experience(OutputArchive& archive) const {
    return_normalizer_.save(archive);
    rollout_.save(archive);
  }
  void load_experience(InputArchive& archive) {
    return_normalizer_.load(archive);
    rollout_.load(archive);
  }

 private:
  Space action_space_;
  bool normalize_returns_;
  ObservationInput observation_input_;
  learn::ReturnNormalizer return_normalizer_;
  learn::RolloutStorage<float> rollout_;
  Policy::Workspace act_workspace_;
  mutable Policy::Workspace eval_workspace_;
  std::optional<Critic::Workspace> critic_workspace_;
  learn::Matrix<float> inputs_, actions_;
  mutable learn::Matrix<float> eval_inputs_, eval_actions_;
};

}  // namespace pgb::onpolicy
