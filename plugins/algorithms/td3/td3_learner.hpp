// The learning step of TD3, Twin Delayed DDPG (Fujimoto et al. 2018, Algorithm 1), on one
// sampled minibatch, in u-space (learn/off_policy.hpp):
//
//   ã      = clip(μ'(s') + clip(ε, −c, c), −1, 1),  ε ~ N(0, σ̃² I)   target policy smoothing
//   y      = r + γ (1 − terminated) min_j Q'_j(s', ã)                  clipped double Q-learning
//   L(φ_j) = mean (Q_j(s, u) − y)²,  j = 1, 2                           one Adam step on each critic
//   every policy_delay-th step:                                         delayed policy updates
//     J(θ) = −mean Q_1(s, μ_θ(s))                                       one Adam step on the actor
//     θ' ← τ θ + (1 − τ) θ',  φ'_j ← τ φ_j + (1 − τ) φ'_j              Polyak averaging
//
// What it has from DDPG (shared through learn/off_policy.hpp, not copied): the networks and their
// initialisation, the Q regression, the deterministic policy gradient, Polyak averaging; the
// replay loop and the exploration noise are the plugin's OffPolicyAlgorithm.
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
#include <cstdint>

namespace pgb::td3 {

using learn::ConstMatrixRef;
using learn::Index;
using learn::Matrix;
using learn::Mlp;
using learn::RowVector;
using learn::Vector;
using learn::VectorRef;

struct LearnerSettings {
  Index observation_dim = 1, action_dim = 1;
  Index hidden_size = 256;  // both hidden layers of every network
  Index batch_size = 256;
  double gamma = 0.99;
  double tau = 0.005;
  double actor_learning_rate = 3e-4;
  double critic_learning_rate = 3e-4;
  double target_noise = 0.2;       // σ̃, in u-space
  double target_noise_clip = 0.5;  // c, in u-space
  std::int64_t policy_delay = 2;   // d
};

struct UpdateStats {
  double critic_loss = 0;  // mean of the two critics' losses
  double q_mean = 0;       // mean Q_1(s, u) on the batch
  bool actor_updated = false;
  double actor_loss = 0;  // when actor_updated
};

template <class Scalar = float>
class Learner {
 public:
  using Network = Mlp<Scalar>;
  using Batch = typename learn::ReplayBuffer<Scalar>::Batch;

  Learner(const LearnerSettings& settings, Rng& rng)
      : settings_(settings),
        actor_(learn::make_deterministic_actor<Scalar>(settings.observation_dim, settings.action_dim,
                                                       settings.hidden_size, rng)),
        critics_{learn::make_q_network<Scalar>(settings.observation_dim, settings.action_dim, settings.hidden_size, rng),
                 learn::make_q_network<Scalar>(settings.observation_dim, settings.action_dim, settings.hidden_size, rng)},
        target_actor_(actor_),
        target_critics_(critics_),
        actor_optimizer_(actor_.num_parameters(), {.learning_rate = settings.actor_learning_rate}),
        critic_optimizers_{learn::Adam<Scalar>(critics_[0].num_parameters(), {.learning_rate = settings.critic_learning_rate}),
                           learn::Adam<Scalar>(critics_[1].num_parameters(), {.learning_rate = settings.critic_learning_rate})},
        actor_workspace_(actor_, settings.batch_size),
        critic_workspace_(critics_[0], settings.batch_size),
        actor_gradient_(actor_.num_parameters()),
        critic_gradient_(critics_[0].num_parameters()),
        critic_input_gradient_(critics_[0].input_size(), settings.batch_size),
        smoothing_noise_(settings.action_dim, settings.batch_size),
        smoothed_actions_(settings.action_dim, settings.batch_size),
        targets_(settings.batch_size),
        scratch_(settings.batch_size) {}

  // One step of Algorithm 1 on `batch`; `rng` draws the target policy smoothing noise.
  UpdateStats update(const Batch& batch, Rng& rng) {
    UpdateStats stats;
    compute_critic_targets(batch, draw_smoothing_noise(rng, batch.size()), targets_);
    for (int j = 0; j < 2; ++j) {
      double q_mean = 0;
      stats.critic_loss += critic_loss_and_gradient(j, batch, targets_, critic_gradient_, &q_mean) / 2;
      if (j == 0) stats.q_mean = q_mean;
      critic_optimizers_[j].step(critics_[j].parameters(), critic_gradient_);
    }
    if (++critic_updates_ % settings_.policy_delay == 0) {
      stats.actor_updated = true;
      stats.actor_loss = actor_loss_and_gradient(batch.observations, actor_gradient_);
      actor_optimizer_.step(actor_.parameters(), actor_gradient_);
      learn::polyak_average(target_actor_, actor_, settings_.tau);
      for (int j = 0; j < 2; ++j) learn::polyak_average(target_critics_[j], critics_[j], settings_.tau);
    }
    return stats;
  }

  // clip(ε, −c, c), ε ~ N(0, σ̃²), per action dimension and sample (action_dim × batch, valid
  // until the next draw).
  auto draw_smoothing_noise(Rng& rng, Index batch) {
    const double sigma = settings_.target_noise, clip = settings_.target_noise_clip;
    for (Index i = 0; i < batch; ++i)
      for (Index d = 0; d < settings_.action_dim; ++d)
        smoothing_noise_(d, i) = static_cast<Scalar>(std::clamp(sigma * rng.normal(), -clip, clip));
    return smoothing_noise_.leftCols(batch);
  }

  // y = r + γ (1 − terminated) min_j Q'_j(s', clip(μ'(s') + noise, −1, 1)), `noise` the already
  // clipped smoothing noise (action_dim × batch).
  void compute_critic_targets(const Batch& batch, const ConstMatrixRef<Scalar>& noise, RowVector<Scalar>& targets) {
    const Index n = batch.size();
    auto smoothed = smoothed_actions_.leftCols(n);
    smoothed = (target_actor_.forward(actor_workspace_, batch.next_observations) + noise).cwiseMax(Scalar(-1)).cwiseMin(Scalar(1));
    scratch_ = learn::q_values(target_critics_[0], critic_workspace_, batch.next_observations, smoothed);
    scratch_ = scratch_.cwiseMin(learn::q_values(target_critics_[1], critic_workspace_, batch.next_observations, smoothed));
    targets = batch.rewards.array() + Scalar(settings_.gamma) * (Scalar(1) - batch.terminated.array()) * scratch_.array();
  }

  // L(φ_j) = mean (Q_j(s, u) − y)² and its gradient wrt φ_j; *q_mean ← mean Q_j(s, u) when asked.
  double critic_loss_and_gradient(int j, const Batch& batch, const RowVector<Scalar>& targets,
                                  VectorRef<Scalar> gradient, double* q_mean = nullptr) {
    return learn::q_regression_loss(critics_[j], critic_workspace_, batch.observations, batch.actions, targets,
                                    scratch_, gradient, q_mean);
  }

  // J(θ) = −mean Q_1(s, μ(s)) and its deterministic policy gradient.
  double actor_loss_and_gradient(const ConstMatrixRef<Scalar>& observations, VectorRef<Scalar> gradient) {
    return learn::deterministic_policy_gradient(actor_, actor_workspace_, critics_[0], critic_workspace_,
                                                observations, scratch_, critic_input_gradient_, gradient);
  }

  const LearnerSettings& settings() const noexcept { return settings_; }
  Network& actor() noexcept { return actor_; }
  const Network& actor() const noexcept { return actor_; }
  Network& critic(int j) noexcept { return critics_[j]; }
  Network& target_actor() noexcept { return target_actor_; }
  Network& target_critic(int j) noexcept { return target_critics_[j]; }

  // The six networks, the three optimisers' moments and the update counter (the delay's phase).
  void save(OutputArchive& out) const {
    out.tag("pgb.td3.learner");
    for (const Network* network : {&actor_, &critics_[0], &critics_[1], &target_actor_, &target_critics_[0],
                                   &target_critics_[1]})
      network->save(out);
    actor_optimizer_.save(out);
    for (const auto& optimizer : critic_optimizers_) optimizer.save(out);
    out.pod(critic_updates_);
  }
  void load(InputArchive& in) {
    in.expect_tag("pgb.td3.learner");
    for (Network* network : {&actor_, &critics_[0], &critics_[1], &target_actor_, &target_critics_[0],
                             &target_critics_[1]})
      network->load(in);
    actor_optimizer_.load(in);
    for (auto& optimizer : critic_optimizers_) optimizer.load(in);
    in.pod(critic_updates_);
  }

 private:
  LearnerSettings settings_;
  Network actor_;
  std::array<Network, 2> critics_;
  Network target_actor_;
  std::array<Network, 2> target_critics_;
  learn::Adam<Scalar> actor_optimizer_;
  std::array<learn::Adam<Scalar>, 2> critic_optimizers_;
  // One workspace per architecture: the critics and their targets share one.
  typename Network::Workspace actor_workspace_, critic_workspace_;
  Vector<Scalar> actor_gradient_, critic_gradient_;
  Matrix<Scalar> critic_input_gradient_;  // dJ/d[s; u], (observation_dim + action_dim) × batch
  Matrix<Scalar> smoothing_noise_;        // action_dim × batch
  Matrix<Scalar> smoothed_actions_;       // ã, action_dim × batch
  RowVector<Scalar> targets_;             // y
  RowVector<Scalar> scratch_;             // min Q', then dLoss/dQ
  std::uint64_t critic_updates_ = 0;
};

}  // namespace pgb::td3
