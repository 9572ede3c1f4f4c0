// A3C, the asynchronous advantage actor-critic (Mnih et al. 2016, Algorithm S3), made
// deterministic. W workers (by default one per sub-env); worker w owns a consecutive group of N/W
// sub-envs and a local copy (θ_w, φ_w) of the shared parameters (θ, φ). Every n_steps host steps each worker has a segment
// of n_steps steps of its sub-envs, collected with its own θ_w; then, in the fixed order
// w = 0, 1, ..., W−1:
//
//   R      n-step returns of the segment from V_φw (GAE with gae_lambda = 1, the paper's),
//          Â = R − V_φw
//   g_w    ∇ of −(1/B) Σ Â log π_θw(a|s) − c_H (1/B) Σ H[π_θw]  +  c_V (1/B) Σ (V_φw(s) − R)²
//          at the worker's copy, over its B = (N/W) · n_steps samples, clipped to a global norm
//   (θ, φ) ← shared RMSprop step with g_w (one set of RMSprop statistics for all workers, as in
//          the paper), the learning rate decayed linearly to 0 over the run's budget
//   (θ_w, φ_w) ← (θ, φ)   the worker refreshes its copy and starts its next segment
//
// Staleness: between a worker's refresh and its next update the other W−1 workers each update
// once, so every gradient is computed on parameters exactly W−1 updates old (w updates in the
// first round) and applied without a barrier, as A3C's threads do, while the segments of all
// workers are collected in lockstep with the host's batched env steps.
//
// How it differs from A2C: A2C takes one step per n_steps with the mean gradient of all N sub-envs
// on the current θ; A3C takes W steps, each with one worker's gradient on a copy W−1 steps old.
// How it differs from Hogwild A3C on real threads: there the interleaving is whatever the
// scheduler makes it (staleness varies from update to update, and a reader can even see a
// half-written parameter vector), so no two runs are alike; here the interleaving is the fixed
// round-robin that W equally fast threads would produce, and a cell reruns bit for bit, on any
// number of host threads, because it runs on one. What is not reproduced is A3C's wall-clock
// speed-up from the threads.
//
// Settings: the paper's where it states one for its MuJoCo experiments: 16 workers (num_envs 16,
// one sub-env each), t_max-step segments with n-step returns, shared RMSprop, the learning rate
// decayed linearly to 0, entropy cost 1e-4. Where it used what the other on-policy algorithms here
// do not (an LSTM, a softplus σ), A2C's reference values: 64×64 tanh actor and critic,
// state-independent log σ, RMSprop α 0.99 ε 1e-5, c_V 0.5, gradient-norm clip 0.5, observation and
// return normalisation (their running statistics shared by the workers). The paper drew the
// learning rate log-uniformly per run; here it is 2.5e-4, chosen among 1e-4, 2.5e-4 and A2C's 7e-4
// on HalfCheetah (seeds 0-1 of mujoco-control-extended at 1M steps: 380 and 1536, 1657 and 4489,
// 156 and 1456): with W workers each stepping on its own n_steps samples, A3C takes W times as
// many steps per sample as A2C, and A2C's rate let HalfCheetah's policies collapse after 400k
// steps. With A2C's entropy weight, 0.01, σ grew without bound (the entropy's gradient is the same
// at every one of those steps while the noisy policy gradients partly cancel): entropy 19 at 100k
// steps, 82 at 1M, and no learning.
//
// So A3C and A2C differ in the asynchrony, the returns (n-step here, GAE λ = 0.95 in A2C's
// reference setting), the learning rate and the entropy weight; with A2C's values of gae_lambda,
// learning_rate and entropy_coef they differ in the asynchrony alone, and with workers = 1 as
// well A3C is A2C, update for update (a test checks it).
#pragma once

#include <pgbench/sdk/hyperparameters.hpp>
#include <pgbench/sdk/learn/on_policy.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>

#include <span>
#include <vector>

namespace pgb::a3c {

namespace learn = pgb::learn;
using learn::Index;

// The settings: the advantage actor-critics' (learn/on_policy.hpp) with A3C's defaults, then the
// workers.
struct Options : learn::AdvantageActorCriticOptions {
  Options() {
    learning_rate = 2.5e-4;
    gae_lambda = 1.0;
    entropy_coef = 1e-4;
  }
  std::int64_t workers = 0;
};

inline const Hyperparameters<Options> kHyperparameters(
    {learn::advantage_actor_critic_hyperparameters<Options>()},
    {
        {"workers", &Options::workers, "asynchronous workers W, each with num_envs / W sub-envs (num_envs must be a multiple); 0: one per sub-env", 0.0, 4096.0},
    });

class A3c final : public learn::OnPolicyAlgorithm {
 public:
  explicit A3c(const AlgorithmContext& context) : A3c(context, kHyperparameters.read(context.hyperparameters)) {}
  // Throws InvalidArgument unless num_envs is a multiple of options.workers.
  A3c(const AlgorithmContext& context, const Options& options);

  void update(std::uint64_t env_steps_done, const Metrics& metrics) override;

  // For inspection: the shared π_θ and worker w's copy π_θw.
  const Policy& shared_policy() const noexcept { return policy(); }
  const Policy& worker_policy(Index w) const { return workers_.at(static_cast<std::size_t>(w)).policy; }

 private:
  struct Worker {
    Policy policy;               // θ_w
    Critic critic;               // φ_w
    std::uint64_t version = 0;   // the shared parameters' version at the last refresh
  };
  struct Sums {
    double policy_loss = 0, value_loss = 0, entropy = 0, explained_variance = 0, grad_norm = 0, staleness = 0;
  };

  std::span<const Policy* const> behaviour_policies() const override { return behaviour_; }
  void worker_update(Index w, Sums& sums);
  void gather(Index w);
  void save_optimizers(OutputArchive& out) const override;
  void load_optimizers(InputArchive& in) override;

  Options options_;
  Index group_;  // sub-envs per worker
  std::vector<Worker> workers_;
  std::vector<const Policy*> behaviour_;  // &workers_[w].policy
  learn::RmsProp<float> network_optimizer_, log_std_optimizer_, critic_optimizer_;
  learn::LinearDecay learning_rate_;
  std::uint64_t version_ = 0;           // updates applied to the shared parameters
  Policy::Workspace policy_workspace_;  // one worker's segment
  Critic::Workspace critic_workspace_;  // the whole rollout
  // One worker's segment, gathered: group · n_steps samples.
  learn::Matrix<float> observations_, actions_;
  learn::RowVector<float> advantages_, returns_, values_;
};

}  // namespace pgb::a3c
