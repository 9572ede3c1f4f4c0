// pgbench/sdk/learn/rollout.hpp -- on-policy rollouts of N environments × T steps, with the
// returns and advantages computed on them.
//
// Layout: sample k = t·N + env, time-major, so the N columns of step t are contiguous and are
// exactly the batch the host passes to one act() call. Per-step scalars are stored as N × T
// matrices (entry (env, t)), which is the same memory as the 1 × (T·N) rows the whole-batch
// accessors hand out in sample order, ready to sit beside the network outputs of the update.
//
// Episode boundaries follow Gymnasium (types.hpp, EpisodeEnd). Two kinds of bootstrap values,
// both zero after clear(), which gives pure Monte-Carlo returns to a critic-less algorithm:
//   truncation_values(t)  V(true final observation) for each env whose episode step t truncated;
//   bootstrap_values()    V(s_T) for each env: the observation after the rollout's last step.
//
// Typical use: at step() = t, act() writes observations(t), actions(t), log_probs(t) and
// values(t); observe() writes rewards(t), ends(t) and, on truncations, truncation_values(t), then
// calls advance(); once full(), the algorithm writes bootstrap_values(), calls compute_gae (or
// compute_reward_to_go), updates on the whole batch and calls clear().
#pragma once

#include <pgbench/sdk/archive.hpp>
#include <pgbench/sdk/learn/types.hpp>

#include <span>
#include <vector>

namespace pgb::learn {

template <class Scalar = float>
class RolloutStorage {
 public:
  RolloutStorage(Index num_envs, Index num_steps, Index observation_dim, Index action_dim);

  Index num_envs() const noexcept { return num_envs_; }
  Index num_steps() const noexcept { return num_steps_; }
  Index size() const noexcept { return num_envs_ * num_steps_; }  // samples in a full rollout

  // ---- filling, one step of all N envs at a time ----
  Index step() const noexcept { return step_; }  // the step being written, in [0, num_steps]
  bool full() const noexcept { return step_ == num_steps_; }
  void advance();
  // Back to step 0 with zero bootstrap and truncation values (the other arrays are overwritten
  // by the next rollout).
  void clear();

  MatrixMap<Scalar> observations(Index t);  // observation_dim × N
  MatrixMap<Scalar> actions(Index t);       // action_dim × N
  RowVectorMap<Scalar> log_probs(Index t);  // 1 × N each
  RowVectorMap<Scalar> values(Index t);
  RowVectorMap<Scalar> rewards(Index t);
  RowVectorMap<Scalar> truncation_values(Index t);
  std::span<EpisodeEnd> ends(Index t);      // N
  VectorMap<Scalar> bootstrap_values() noexcept { return {bootstrap_values_.data(), num_envs_}; }

  // ---- the whole batch in sample order (observation_dim × T·N, action_dim × T·N, 1 × T·N) ----
  ConstMatrixMap<Scalar> observations() const noexcept;
  ConstMatrixMap<Scalar> actions() const noexcept;
  ConstRowVectorMap<Scalar> log_probs() const noexcept { return row(log_probs_); }
  ConstRowVectorMap<Scalar> values() const noexcept { return row(values_); }
  ConstRowVectorMap<Scalar> rewards() const noexcept { return row(rewards_); }
  std::span<const EpisodeEnd> ends() const noexcept { return ends_; }
  // Written by compute_gae / compute_reward_to_go; the algorithm may rescale the advantages in
  // place (advantage normalisation).
  RowVectorMap<Scalar> advantages() noexcept { return row(advantages_); }
  ConstRowVectorMap<Scalar> advantages() const noexcept { return row(advantages_); }
  ConstRowVectorMap<Scalar> returns() const noexcept { return row(returns_); }

  // Generalized advantage estimation (Schulman et al. 2016), backwards in time, per env:
  //   δ_t = r_t + γ V_next − V(s_t),   A_t = δ_t + γλ c_t A_{t+1},   returns_t = A_t + V(s_t),
  // where V_next is 0 after a termination, truncation_values(t) after a truncation,
  // bootstrap_values() after the last step and V(s_{t+1}) otherwise, and c_t is 0 when the
  // episode ended at t (the accumulation restarts) and 1 otherwise, A_T taken as 0.
  void compute_gae(Scalar gamma, Scalar lambda);
  // Discounted reward-to-go within each episode, G_t = r_t + γ (c_t G_{t+1} + (1 − c_t) V_end),
  // with the same bootstraps as above: the λ = 1 returns of compute_gae. Writes returns only.
  void compute_reward_to_go(Scalar gamma);

  void save(OutputArchive& archive) const;
  void load(InputArchive& archive);

 private:
  void check_step(Index t) const;
  RowVectorMap<Scalar> row(Matrix<Scalar>& per_step) noexcept { return {per_step.data(), size()}; }
  ConstRowVectorMap<Scalar> row(const Matrix<Scalar>& per_step) const noexcept { return {per_step.data(), size()}; }
  RowVectorMap<Scalar> step_row(Matrix<Scalar>& per_step, Index t);

  Index num_envs_, num_steps_;
  Index step_ = 0;
  Matrix<Scalar> observations_;  // observation_dim × T·N
  Matrix<Scalar> actions_;       // action_dim × T·N
  Matrix<Scalar> log_probs_, values_, rewards_, truncation_values_, advantages_, returns_;  // N × T
  std::vector<EpisodeEnd> ends_;                                                          // T·N
  Vector<Scalar> bootstrap_values_;                                                       // N
};

// Some samples of a rollout copied out in a given order: a minibatch of a shuffled epoch, or the
// samples an estimator keeps. The arrays are resized on each gather and reused between calls.
template <class Scalar = float>
struct RolloutSamples {
  Matrix<Scalar> observations, actions;
  RowVector<Scalar> log_probs, values, advantages, returns;

  // Sample j of this batch is sample indices[j] of `rollout`.
  void gather(const RolloutStorage<Scalar>& rollout, std::span<const Index> indices);
  Index size() const noexcept { return observations.cols(); }
};

extern template class RolloutStorage<float>;
extern template class RolloutStorage<double>;
extern template struct RolloutSamples<float>;
extern template struct RolloutSamples<double>;

}  // namespace pgb::learn
