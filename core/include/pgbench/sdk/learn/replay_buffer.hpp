// pgbench/sdk/learn/replay_buffer.hpp -- a ring buffer of transitions for off-policy learning.
//
// Each transition (s, a, r, s', terminated) sits in one slot; once the buffer is full the next
// transition overwrites the oldest. s' is the true next observation, the final one when the
// episode ended; `terminated` is 1 only for a terminal MDP state, so the critic target
// r + γ (1 − terminated) Q'(s', μ'(s')) still bootstraps on a time-limit truncation.
//
// Inputs come in double, as transitions cross the ABI; slots store Scalar. Sampling is uniform
// over the filled slots, with replacement, slot i = rng.below(size()) for each sample in turn,
// into a Batch allocated once.
#pragma once

#include <pgbench/sdk/archive.hpp>
#include <pgbench/sdk/learn/types.hpp>
#include <pgbench/sdk/rng.hpp>

#include <span>

namespace pgb::learn {

template <class Scalar = float>
class ReplayBuffer {
 public:
  // A sampled minibatch, one transition per column.
  struct Batch {
    Batch(const ReplayBuffer& buffer, Index batch_size);
    Index size() const noexcept { return rewards.size(); }

    Matrix<Scalar> observations;       // observation_dim × batch
    Matrix<Scalar> actions;            // action_dim × batch
    RowVector<Scalar> rewards;         // 1 × batch
    Matrix<Scalar> next_observations;  // observation_dim × batch
    RowVector<Scalar> terminated;      // 1 × batch, 1 for a terminal state, else 0
  };

  ReplayBuffer(Index capacity, Index observation_dim, Index action_dim);

  Index capacity() const noexcept { return rewards_.size(); }
  Index size() const noexcept { return size_; }
  Index observation_dim() const noexcept { return observations_.rows(); }
  Index action_dim() const noexcept { return actions_.rows(); }

  // Appends one transition per column (e.g. one per env of a step).
  void add(const ConstMatrixRef<double>& observations, const ConstMatrixRef<double>& actions,
           const ConstRowVectorRef<double>& rewards, const ConstMatrixRef<double>& next_observations,
           std::span<const EpisodeEnd> ends);

  // Fills every column of `batch` with a transition drawn uniformly from the filled slots.
  void sample(Rng& rng, Batch& batch) const;

  // The filled slots and the write position (a checkpoint of a full 1M buffer is large: the
  // algorithm decides whether to include it).
  void save(OutputArchive& archive) const;
  void load(InputArchive& archive);

 private:
  Matrix<Scalar> observations_;
  Matrix<Scalar> actions_;
  RowVector<Scalar> rewards_;
  Matrix<Scalar> next_observations_;
  RowVector<Scalar> terminated_;
  Index size_ = 0;
  Index next_slot_ = 0;  // where the next transition goes
};

extern template class ReplayBuffer<float>;
extern template class ReplayBuffer<double>;

}  // namespace pgb::learn
