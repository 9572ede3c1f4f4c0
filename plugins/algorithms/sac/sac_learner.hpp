// The learning step of Soft Actor-Critic with automatic entropy tuning (Haarnoja et al. 2018,
// "Soft Actor-Critic Algorithms and Applications", Algorithm 1), on one sampled minibatch, in
// u-space (learn/off_policy.hpp):
//
//   policy  u = tanh(μ_θ(s) + σ_θ(s) ⊙ ε),  ε ~ N(0, I)      a squashed Gaussian, reparameterised
//           log π(u|s) = Σ_d log N(ε_d) − log σ_d − log(1 − u_d²)
//   y       = r + γ (1 − terminated) (min_j Q'_j(s', u') − α log π(u'|s')),  u' ~ π(·|s')
//   L(φ_j)  = mean (Q_j(s, u) − y)²,  j = 1, 2                   one Adam step on each critic
//   J(θ)    = mean (α log π(ũ|s) − min_j Q_j(s, ũ)),  ũ ~ π(·|s)  one Adam step on the actor
//   J(α)    = −mean log α · (log π(ũ|s) + H̄),  H̄ = −dim(A)      one Adam step on log α
//   φ'_j ← τ φ_j + (1 − τ) φ'_j                                  Polyak averaging
//
// The actor is one ReLU MLP whose 2k outputs are μ and log σ (clamped to [−20, 2], where the
// gradient stops); log(1 − tanh² z) is computed as 2 (log 2 − z − softplus(−2z)), exact and finite
// for every z. What it shares with DDPG and TD3 (learn/off_policy.hpp): the networks'
// initialisation, the Q regression, Polyak averaging and the replay loop.
//
// A template on the scalar so that the tests can check its derivatives in double; the plugin
// runs it in float.
#pragma once

#include <pgbench/sdk/learn/mlp.hpp>
#include <pgbench/sdk/learn/off_policy.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/replay_buffer.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace pgb::sac {

using learn::ConstMatrixRef;
using learn::Index;
using learn::Matrix;
using learn::MatrixRef;
using learn::Mlp;
using learn::RowVector;
using learn::RowVectorRef;
using learn::Vector;
using learn::VectorRef;

inline constexpr double kMinLogStd = -20, kMaxLogStd = 2;

// ---- the squashed Gaussian ----

// log(1 + eˣ) without overflow.
template <class Scalar>
Scalar softplus(Scalar x) {
  return std::max(x, Scalar(0)) + std::log1p(std::exp(-std::abs(x)));
}

// log(1 − tanh² z) = 2 (log 2 − z − softplus(−2z)).
template <class Scalar>
Scalar log_one_minus_tanh_squared(Scalar z) {
  return Scalar(2) * (Scalar(std::numbers::ln2) - z - softplus(Scalar(-2) * z));
}

// The actor's outputs (2k × B: μ on top, raw log σ below) and noise ε (k × B) to actions
// u = tanh(μ + σ ε) and their log-probabilities (1 × B) under the squashed Gaussian.
template <class Scalar>
void squashed_gaussian_sample(const ConstMatrixRef<Scalar>& outputs, const ConstMatrixRef<Scalar>& noise,
                              MatrixRef<Scalar> actions, RowVectorRef<Scalar> log_probs) {
  const Index k = noise.rows();
  const Scalar half_log_two_pi = Scalar(0.5 * std::log(2 * std::numbers::pi));
  for (Index i = 0; i < noise.cols(); ++i) {
    Scalar log_prob = 0;
    for (Index d = 0; d < k; ++d) {
      const Scalar log_std = std::clamp(outputs(k + d, i), Scalar(kMinLogStd), Scalar(kMaxLogStd));
      const Scalar e = noise(d, i), z = outputs(d, i) + std::exp(log_std) * e;
      actions(d, i) = std::tanh(z);
      log_prob += Scalar(-0.5) * e * e - log_std - half_log_two_pi - log_one_minus_tanh_squared(z);
    }
    log_probs(i) = log_prob;
  }
}

// ---- the learner ----

struct LearnerSettings {
  Index observation_dim = 1, action_dim = 1;
  Index hidden_size = 256;  // both hidden layers of every network
  Index batch_size = 256;
  double gamma = 0.99;
  double tau = 0.005;
  double actor_learning_rate = 1e-3;
  double critic_learning_rate = 1e-3;
  double alpha = 1.0;  // the initial temperature (kept when auto_alpha is off)
  bool auto_alpha = true;
  double alpha_learning_rate = 3e-4;
};

struct UpdateStats {
  double critic_loss = 0;  // mean of the two critics' losses
  double q_mean = 0;       // mean Q_1(s, u) on the batch
  double actor_loss = 0;
  double entropy = 0;  // −mean log π(ũ|s), an estimate of the policy's entropy
  double alpha = 0;    // the temperature this update used
};

template <class Scalar = float>
class Learner {
 public:
  using Network = Mlp<Scalar>;
  using Batch = typename learn::ReplayBuffer<Scalar>::Batch;

  Learner(const LearnerSettings& settings, Rng& rng)
      : settings_(settings),
        target_entropy_(-static_cast<double>(settings.action_dim)),
        actor_(learn::make_relu_mlp<Scalar>(settings.observation_dim, settings.hidden_size, 2 * settings.action_dim,
                                            learn::Activation::identity, rng, Scalar(0.01))),
        critics_{learn::make_q_network<Scalar>(settings.observation_dim, settings.action_dim, settings.hidden_size, rng),
                 learn::make_q_network<Scalar>(settings.observation_dim, settings.action_dim, settings.hidden_size, rng)},
        target_critics_(critics_),
        log_alpha_(Vector<Scalar>::Constant(1, Scalar(std::log(settings.alpha)))),
        actor_optimizer_(actor_.num_parameters(), {.learning_rate = settings.actor_learning_rate}),
        critic_optimizers_{learn::Adam<Scalar>(critics_[0].num_parameters(), {.learning_rate = settings.critic_learning_rate}),
                           learn::Adam<Scalar>(critics_[1].num_parameters(), {.learning_rate = settings.critic_learning_rate})},
        alpha_optimizer_(1, {.learning_rate = settings.alpha_learning_rate}),
        actor_workspace_(actor_, settings.batch_size),
        critic_workspaces_{typename Network::Workspace(critics_[0], settings.batch_size),
                           typename Network::Workspace(critics_[1], settings.batch_size)},
        actor_gradient_(actor_.num_parameters()),
        critic_gradient_(critics_[0].num_parameters()),
        critic_input_gradient_(critics_[0].input_size(), settings.batch_size),
        noise_(settings.action_dim, settings.batch_size),
        actions_(settings.action_dim, settings.batch_size),
        log_probs_(settings.batch_size),
        targets_(settings.batch_size),
        q_(settings.batch_size),
        scratch_(settings.batch_size),
        output_gradient_(2 * settings.action_dim, settings.batch_size) {}

  double alpha() const { return std::exp(double(log_alpha_(0))); }

  // One step of Algorithm 1 on `batch`; `rng` draws the policy's noise for s' and for s.
  UpdateStats update(const Batch& batch, Rng& rng) {
    UpdateStats stats;
    stats.alpha = alpha();
    compute_critic_targets(batch, draw_noise(rng, batch.size()), targets_);
    for (int j = 0; j < 2; ++j) {
      double q_mean = 0;
      stats.critic_loss += critic_loss_and_gradient(j, batch, targets_, critic_gradient_, &q_mean) / 2;
      if (j == 0) stats.q_mean = q_mean;
      critic_optimizers_[j].step(critics_[j].parameters(), critic_gradient_);
    }
    stats.actor_loss = actor_loss_and_gradient(batch.observations, draw_noise(rng, batch.size()), actor_gradient_,
                                               &log_probs_);
    actor_optimizer_.step(actor_.parameters(), actor_gradient_);
    stats.entropy = -double(log_probs_.mean());
    if (settings_.auto_alpha) {
      Vector<Scalar> gradient(1);
      gradient(0) = Scalar(alpha_loss_gradient(log_probs_));
      alpha_optimizer_.step(log_alpha_, gradient);
    }
    for (int j = 0; j < 2; ++j) learn::polyak_average(target_critics_[j], critics_[j], settings_.tau);
    return stats;
  }

  // ε ~ N(0, I), action_dim × batch (valid until the next draw).
  auto draw_noise(Rng& rng, Index batch) {
    for (Index i = 0; i < batch; ++i)
      for (Index d = 0; d < settings_.action_dim; ++d) noise_(d, i) = static_cast<Scalar>(rng.normal());
    return noise_.leftCols(batch);
  }

  // y = r + γ (1 − terminated) (min_j Q'_j(s', u') − α log π(u'|s')), u' = tanh(μ(s') + σ(s') ε').
  void compute_critic_targets(const Batch& batch, const ConstMatrixRef<Scalar>& next_noise, RowVector<Scalar>& targets) {
    const Index n = batch.size();
    auto next_actions = actions_.leftCols(n);
    squashed_gaussian_sample<Scalar>(actor_.forward(actor_workspace_, batch.next_observations), next_noise,
                                     next_actions, log_probs_);
    q_ = learn::q_values(target_critics_[0], critic_workspaces_[0], batch.next_observations, next_actions);
    q_ = q_.cwiseMin(learn::q_values(target_critics_[1], critic_workspaces_[1], batch.next_observations, next_actions));
    targets = batch.rewards.array() + Scalar(settings_.gamma) * (Scalar(1) - batch.terminated.array()) *
                                          (q_.array() - Scalar(alpha()) * log_probs_.array());
  }

  // L(φ_j) = mean (Q_j(s, u) − y)² and its gradient wrt φ_j; *q_mean ← mean Q_j(s, u) when asked.
  double critic_loss_and_gradient(int j, const Batch& batch, const RowVector<Scalar>& targets,
                                  VectorRef<Scalar> gradient, double* q_mean = nullptr) {
    return learn::q_regression_loss(critics_[j], critic_workspaces_[j], batch.observations, batch.actions, targets,
                                    scratch_, gradient, q_mean);
  }

  // J(θ) = mean (α log π(ũ|s) − min_j Q_j(s, ũ)) with ũ = tanh(μ + σ ε) for the given ε, and ∇θ J
  // by the reparameterisation: with z = μ + σ ε,
  //   ∂J/∂z = (1/B) (−∂min Q/∂u ⊙ (1 − u²) + α · 2u)      (−∂ log(1 − tanh² z)/∂z = 2 tanh z)
  //   ∂J/∂μ = ∂J/∂z,   ∂J/∂log σ = ∂J/∂z ⊙ σ ε − α/B      (0 where log σ is clamped)
  // ∂min Q/∂u from the input gradient of whichever critic is the smaller on each sample.
  // *log_probs ← log π(ũ|s) when asked.
  double actor_loss_and_gradient(const ConstMatrixRef<Scalar>& observations, const ConstMatrixRef<Scalar>& noise,
                                 VectorRef<Scalar> gradient, RowVector<Scalar>* log_probs = nullptr) {
    const Index n = observations.cols(), k = settings_.action_dim;
    const Scalar a = Scalar(alpha()), inv_n = Scalar(1) / Scalar(n);
    const auto outputs = actor_.forward(actor_workspace_, observations);
    auto actions = actions_.leftCols(n);
    RowVector<Scalar> log_pi(n);
    squashed_gaussian_sample<Scalar>(outputs, noise, actions, log_pi);

    // min_j Q_j(s, ũ), and which critic gives it: dJ/dQ_j = −1/B on its samples, 0 elsewhere.
    // Each critic's forward pass stays in its own workspace for its input gradient below.
    q_ = learn::q_values(critics_[0], critic_workspaces_[0], observations, actions);
    scratch_ = learn::q_values(critics_[1], critic_workspaces_[1], observations, actions);
    const RowVector<Scalar> second_is_min = (scratch_.array() < q_.array()).template cast<Scalar>();
    q_ = q_.cwiseMin(scratch_);
    const double loss = double((a * log_pi - q_).mean());

    auto dj_du = output_gradient_.topRows(k).leftCols(n);  // ∂J/∂u, then ∂J/∂z in place
    dj_du.setZero();
    auto dj_dinputs = critic_input_gradient_.leftCols(n);
    for (int j = 0; j < 2; ++j) {
      if (j == 0) scratch_ = (Scalar(1) - second_is_min.array()).matrix() * (-inv_n);
      else scratch_ = second_is_min * (-inv_n);
      critics_[j].input_gradient(critic_workspaces_[j], scratch_, dj_dinputs);
      dj_du += dj_dinputs.bottomRows(k);
    }
    auto dj_dlog_std = output_gradient_.bottomRows(k).leftCols(n);
    for (Index i = 0; i < n; ++i)
      for (Index d = 0; d < k; ++d) {
        const Scalar u = actions(d, i);
        const Scalar dz = dj_du(d, i) * (Scalar(1) - u * u) + a * inv_n * Scalar(2) * u;
        dj_du(d, i) = dz;  // ∂J/∂μ
        const Scalar raw = outputs(k + d, i);
        const bool clamped = raw < Scalar(kMinLogStd) || raw > Scalar(kMaxLogStd);
        dj_dlog_std(d, i) = clamped ? Scalar(0) : dz * std::exp(raw) * noise(d, i) - a * inv_n;
      }
    actor_.backward(actor_workspace_, output_gradient_.leftCols(n), gradient);
    if (log_probs) *log_probs = log_pi;
    return loss;
  }

  // ∂J(α)/∂log α = −mean (log π + H̄), with J(α) = −mean log α · (log π + H̄).
  double alpha_loss_gradient(const RowVector<Scalar>& log_probs) const {
    return -(log_probs.template cast<double>().array() + target_entropy_).mean();
  }

  // The evaluation policy: tanh(μ(s)) (action_dim × batch).
  void mean_action(const ConstMatrixRef<Scalar>& observations, MatrixRef<Scalar> actions) const {
    typename Network::Workspace workspace(actor_, observations.cols());
    actions = actor_.forward(workspace, observations).topRows(settings_.action_dim).array().tanh().matrix();
  }

  const LearnerSettings& settings() const noexcept { return settings_; }
  double target_entropy() const noexcept { return target_entropy_; }
  Network& actor() noexcept { return actor_; }
  const Network& actor() const noexcept { return actor_; }
  Network& critic(int j) noexcept { return critics_[j]; }
  Network& target_critic(int j) noexcept { return target_critics_[j]; }
  Vector<Scalar>& log_alpha() noexcept { return log_alpha_; }

  // The five networks, log α and the four optimisers' moments.
  void save(OutputArchive& out) const {
    out.tag("pgb.sac.learner");
    for (const Network* network : {&actor_, &critics_[0], &critics_[1], &target_critics_[0], &target_critics_[1]})
      network->save(out);
    learn::save_dense(out, log_alpha_);
    actor_optimizer_.save(out);
    for (const auto& optimizer : critic_optimizers_) optimizer.save(out);
    alpha_optimizer_.save(out);
  }
  void load(InputArchive& in) {
    in.expect_tag("pgb.sac.learner");
    for (Network* network : {&actor_, &critics_[0], &critics_[1], &target_critics_[0], &target_critics_[1]})
      network->load(in);
    learn::load_dense(in, log_alpha_, "SAC's log alpha");
    actor_optimizer_.load(in);
    for (auto& optimizer : critic_optimizers_) optimizer.load(in);
    alpha_optimizer_.load(in);
  }

 private:
  LearnerSettings settings_;
  double target_entropy_;  // H̄ = −dim(A)
  Network actor_;
  std::array<Network, 2> critics_;
  std::array<Network, 2> target_critics_;
  Vector<Scalar> log_alpha_;  // 1 value
  learn::Adam<Scalar> actor_optimizer_;
  std::array<learn::Adam<Scalar>, 2> critic_optimizers_;
  learn::Adam<Scalar> alpha_optimizer_;
  typename Network::Workspace actor_workspace_;
  // One per critic, each target borrowing its critic's: the actor's gradient needs both critics'
  // forward passes at once.
  std::array<typename Network::Workspace, 2> critic_workspaces_;
  Vector<Scalar> actor_gradient_, critic_gradient_;
  Matrix<Scalar> critic_input_gradient_;  // dJ/d[s; u], (observation_dim + action_dim) × batch
  Matrix<Scalar> noise_;                  // ε, action_dim × batch
  Matrix<Scalar> actions_;                // u' or ũ, action_dim × batch
  RowVector<Scalar> log_probs_;           // log π(u'|s'), then log π(ũ|s)
  RowVector<Scalar> targets_;             // y
  RowVector<Scalar> q_;                   // min Q
  RowVector<Scalar> scratch_;             // a second Q, then dLoss/dQ
  Matrix<Scalar> output_gradient_;        // ∂J/∂[μ; log σ], 2·action_dim × batch
};

}  // namespace pgb::sac
