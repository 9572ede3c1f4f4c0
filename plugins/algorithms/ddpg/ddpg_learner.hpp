// The learning step of DDPG (Lillicrap et al. 2016, Algorithm 1), on one sampled minibatch:
//
//   y      = r + γ (1 − terminated) Q'(s', μ'(s'))          the critic target
//   L(φ)   = mean (Q_φ(s, a) − y)²                           critic loss, one Adam step on φ
//   J(θ)   = −mean Q_φ(s, μ_θ(s))                            actor loss, one Adam step on θ
//            ∇θ J = −mean ∇a Q_φ(s, a)|a=μθ(s) · ∇θ μθ(s)    (deterministic policy gradient)
//   φ' ← τ φ + (1 − τ) φ',   θ' ← τ θ + (1 − τ) θ'          Polyak averaging of the targets
//
// Actions live in u-space, [−1, 1]^k, and the critic reads [s; u] (learn/off_policy.hpp, which also
// holds the pieces shared with TD3: the Q regression, the deterministic policy gradient, Polyak
// averaging).
//
// Everything the update touches is allocated in the constructor (networks, workspaces sized for
// the batch, gradients, targets), so update() allocates nothing of its own; every pass is a
// batched matrix product over the whole minibatch.
//
// A template on the scalar so that the tests can check its derivatives in double; the plugin
// runs it in float.
#pragma once

#include <pgbench/sdk/learn/mlp.hpp>
#include <pgbench/sdk/learn/off_policy.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/replay_buffer.hpp>

namespace pgb::ddpg {

using learn::ConstMatrixMap;
using learn::ConstMatrixRef;
using learn::Index;
using learn::Matrix;
using learn::Mlp;
using learn::RowVector;
using learn::Vector;
using learn::VectorRef;

struct LearnerSettings {
  Index observation_dim = 1, action_dim = 1;
  Index hidden_size = 256;  // both hidden layers of both networks
  Index batch_size = 256;
  double gamma = 0.99;
  double tau = 0.005;
  double actor_learning_rate = 1e-3;
  double critic_learning_rate = 1e-3;
};

struct UpdateStats {
  double critic_loss = 0, actor_loss = 0, q_mean = 0;
};

using learn::polyak_average;

template <class Scalar = float>
class Learner {
 public:
  using Network = Mlp<Scalar>;
  using Batch = typename learn::ReplayBuffer<Scalar>::Batch;

  Learner(const LearnerSettings& settings, Rng& rng)
      : settings_(settings),
        actor_(learn::make_deterministic_actor<Scalar>(settings.observation_dim, settings.action_dim,
                                                       settings.hidden_size, rng)),
        critic_(learn::make_q_network<Scalar>(settings.observation_dim, settings.action_dim, settings.hidden_size,
                                              rng)),
        target_actor_(actor_),
        target_critic_(critic_),
        actor_optimizer_(actor_.num_parameters(), {.learning_rate = settings.actor_learning_rate}),
        critic_optimizer_(critic_.num_parameters(), {.learning_rate = settings.critic_learning_rate}),
        actor_workspace_(actor_, settings.batch_size),
        critic_workspace_(critic_, settings.batch_size),
        actor_gradient_(actor_.num_parameters()),
        critic_gradient_(critic_.num_parameters()),
        critic_input_gradient_(critic_.input_size(), settings.batch_size),
        targets_(settings.batch_size),
        loss_gradient_(settings.batch_size) {}

  // One step of Algorithm 1 on `batch` (actions in u-space, see the top of the file).
  UpdateStats update(const Batch& batch) {
    UpdateStats stats;
    compute_critic_targets(batch, targets_);
    stats.critic_loss = critic_loss_and_gradient(batch, targets_, critic_gradient_, &stats.q_mean);
    critic_optimizer_.step(critic_.parameters(), critic_gradient_);
    stats.actor_loss = actor_loss_and_gradient(batch.observations, actor_gradient_);
    actor_optimizer_.step(actor_.parameters(), actor_gradient_);
    polyak_average(target_critic_, critic_, settings_.tau);
    polyak_average(target_actor_, actor_, settings_.tau);
    return stats;
  }

  // y = r + γ (1 − terminated) Q'(s', μ'(s')): a truncated transition (terminated = 0) still
  // bootstraps from its true final observation s'.
  void compute_critic_targets(const Batch& batch, RowVector<Scalar>& targets) {
    const auto next_actions = target_actor_.forward(actor_workspace_, batch.next_observations);
    const auto next_q = q_values(target_critic_, batch.next_observations, next_actions);
    targets = batch.rewards.array() +
              Scalar(settings_.gamma) * (Scalar(1) - batch.terminated.array()) * next_q.array();
  }

  // L(φ) = mean (Q(s, a) − y)² and its gradient wrt φ; *q_mean ← mean Q(s, a) when asked.
  double critic_loss_and_gradient(const Batch& batch, const RowVector<Scalar>& targets, VectorRef<Scalar> gradient,
                                  double* q_mean = nullptr) {
    return learn::q_regression_loss(critic_, critic_workspace_, batch.observations, batch.actions, targets,
                                    loss_gradient_, gradient, q_mean);
  }

  // J(θ) = −mean Q(s, μ(s)) and its deterministic policy gradient.
  double actor_loss_and_gradient(const ConstMatrixRef<Scalar>& observations, VectorRef<Scalar> gradient) {
    return learn::deterministic_policy_gradient(actor_, actor_workspace_, critic_, critic_workspace_, observations,
                                                loss_gradient_, critic_input_gradient_, gradient);
  }

  // Q(s, u) of `critic` on a batch, in the critic workspace.
  ConstMatrixMap<Scalar> q_values(const Network& critic, const ConstMatrixRef<Scalar>& observations,
                                  const ConstMatrixRef<Scalar>& actions) {
    return learn::q_values(critic, critic_workspace_, observations, actions);
  }

  const LearnerSettings& settings() const noexcept { return settings_; }
  Network& actor() noexcept { return actor_; }
  const Network& actor() const noexcept { return actor_; }
  Network& critic() noexcept { return critic_; }
  Network& target_actor() noexcept { return target_actor_; }
  Network& target_critic() noexcept { return target_critic_; }

  // The four networks and both optimisers' moments.
  void save(OutputArchive& out) const {
    out.tag("pgb.ddpg.learner");
    for (const Network* network : {&actor_, &critic_, &target_actor_, &target_critic_}) network->save(out);
    actor_optimizer_.save(out);
    critic_optimizer_.save(out);
  }
  void load(InputArchive& in) {
    in.expect_tag("pgb.ddpg.learner");
    for (Network* network : {&actor_, &critic_, &target_actor_, &target_critic_}) network->load(in);
    actor_optimizer_.load(in);
    critic_optimizer_.load(in);
  }

 private:
  LearnerSettings settings_;
  Network actor_, critic_, target_actor_, target_critic_;
  learn::Adam<Scalar> actor_optimizer_, critic_optimizer_;
  // One workspace per architecture: each target network borrows its online network's.
  typename Network::Workspace actor_workspace_, critic_workspace_;
  Vector<Scalar> actor_gradient_, critic_gradient_;
  Matrix<Scalar> critic_input_gradient_;  // dJ/d[s; u], (observation_dim + action_dim) × batch
  RowVector<Scalar> targets_;             // y
  RowVector<Scalar> loss_gradient_;       // dLoss/dQ
};

}  // namespace pgb::ddpg
