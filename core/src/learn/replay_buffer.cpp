#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/replay_buffer.hpp>

#include <stdexcept>

namespace pgb::learn {
namespace {

// The first `columns` columns of a column-major array, which are contiguous.
template <class Scalar>
std::size_t leading_bytes(const Matrix<Scalar>& array, Index columns) {
  return sizeof(Scalar) * static_cast<std::size_t>(array.rows() * columns);
}
template <class Scalar>
std::size_t leading_bytes(const RowVector<Scalar>&, Index columns) {
  return sizeof(Scalar) * static_cast<std::size_t>(columns);
}

}  // namespace

template <class Scalar>
ReplayBuffer<Scalar>::Batch::Batch(const ReplayBuffer& buffer, Index batch_size)
    : observations(buffer.observation_dim(), batch_size),
      actions(buffer.action_dim(), batch_size),
      rewards(batch_size),
      next_observations(buffer.observation_dim(), batch_size),
      terminated(batch_size) {}

template <class Scalar>
ReplayBuffer<Scalar>::ReplayBuffer(Index capacity, Index observation_dim, Index action_dim) {
  if (capacity < 1 || observation_dim < 1 || action_dim < 1)
    throw std::invalid_argument("ReplayBuffer: every size must be positive");
  observations_.setZero(observation_dim, capacity);
  actions_.setZero(action_dim, capacity);
  rewards_.setZero(capacity);
  next_observations_.setZero(observation_dim, capacity);
  terminated_.setZero(capacity);
}

template <class Scalar>
void ReplayBuffer<Scalar>::add(const ConstMatrixRef<double>& observations, const ConstMatrixRef<double>& actions,
                               const ConstRowVectorRef<double>& rewards,
                               const ConstMatrixRef<double>& next_observations, std::span<const EpisodeEnd> ends) {
  const Index count = observations.cols();
  if (observations.rows() != observation_dim() || next_observations.rows() != observation_dim() ||
      actions.rows() != action_dim() || actions.cols() != count || rewards.size() != count ||
      next_observations.cols() != count || static_cast<Index>(ends.size()) != count)
    throw std::invalid_argument("ReplayBuffer::add: the transitions have inconsistent shapes");
  for (Index i = 0; i < count; ++i) {
    observations_.col(next_slot_) = observations.col(i).template cast<Scalar>();
    actions_.col(next_slot_) = actions.col(i).template cast<Scalar>();
    rewards_(next_slot_) = static_cast<Scalar>(rewards(i));
    next_observations_.col(next_slot_) = next_observations.col(i).template cast<Scalar>();
    terminated_(next_slot_) = ends[static_cast<std::size_t>(i)] == EpisodeEnd::terminated ? Scalar(1) : Scalar(0);
    next_slot_ = (next_slot_ + 1) % capacity();
    if (size_ < capacity()) ++size_;
  }
}

template <class Scalar>
void ReplayBuffer<Scalar>::sample(Rng& rng, Batch& batch) const {
  if (size_ == 0) throw std::logic_error("ReplayBuffer::sample: the buffer is empty");
  if (batch.observations.rows() != observation_dim() || batch.actions.rows() != action_dim())
    throw std::invalid_argument("ReplayBuffer::sample: the batch was made for another buffer");
  for (Index i = 0; i < batch.size(); ++i) {
    const auto slot = static_cast<Index>(rng.below(static_cast<std::uint64_t>(size_)));
    batch.observations.col(i) = observations_.col(slot);
    batch.actions.col(i) = actions_.col(slot);
    batch.rewards(i) = rewards_(slot);
    batch.next_observations.col(i) = next_observations_.col(slot);
    batch.terminated(i) = terminated_(slot);
  }
}

template <class Scalar>
void ReplayBuffer<Scalar>::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.replay_buffer");
  archive.pod<std::int64_t>(capacity());
  archive.pod<std::int64_t>(observation_dim());
  archive.pod<std::int64_t>(action_dim());
  archive.pod<std::int64_t>(size_);
  archive.pod<std::int64_t>(next_slot_);
  // Slots fill from 0, so the filled ones are always the first size_ columns.
  archive.bytes(observations_.data(), leading_bytes(observations_, size_));
  archive.bytes(actions_.data(), leading_bytes(actions_, size_));
  archive.bytes(rewards_.data(), leading_bytes(rewards_, size_));
  archive.bytes(next_observations_.data(), leading_bytes(next_observations_, size_));
  archive.bytes(terminated_.data(), leading_bytes(terminated_, size_));
}

template <class Scalar>
void ReplayBuffer<Scalar>::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.replay_buffer");
  expect_size(archive, capacity(), "the replay buffer capacity");
  expect_size(archive, observation_dim(), "the replay buffer observation dimension");
  expect_size(archive, action_dim(), "the replay buffer action dimension");
  const auto size = archive.pod<std::int64_t>();
  const auto next_slot = archive.pod<std::int64_t>();
  if (size < 0 || size > capacity() || next_slot < 0 || next_slot >= capacity() ||
      (size < capacity() && next_slot != size))
    throw std::runtime_error("checkpoint: inconsistent replay buffer positions");
  size_ = size;
  next_slot_ = next_slot;
  archive.bytes(observations_.data(), leading_bytes(observations_, size_));
  archive.bytes(actions_.data(), leading_bytes(actions_, size_));
  archive.bytes(rewards_.data(), leading_bytes(rewards_, size_));
  archive.bytes(next_observations_.data(), leading_bytes(next_observations_, size_));
  archive.bytes(terminated_.data(), leading_bytes(terminated_, size_));
}

template class ReplayBuffer<float>;
template class ReplayBuffer<double>;

}  // namespace pgb::learn
