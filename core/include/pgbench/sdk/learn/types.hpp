// pgbench/sdk/learn/types.hpp -- the vocabulary shared by the learning core.
//
// Layout: every batch is a column-major matrix with one sample per column (features × batch).
// Eigen multiplies W (out × in) by a features × batch block with one GEMM, each sample is
// contiguous, and a C array of `batch` observations of `dim` doubles (how they cross the ABI) is
// exactly a dim × batch column-major matrix, so it maps without a copy. Per-sample scalars
// (log-probabilities, values, advantages) are 1 × batch row vectors.
#pragma once

#include <Eigen/Core>

#include <cstdint>

namespace pgb::learn {

using Index = Eigen::Index;

template <class Scalar>
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <class Scalar>
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
template <class Scalar>
using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;

// Views: functions take Ref (any contiguous-column block, map or plain matrix binds without a
// copy) and hand out Map (a fixed-size window on storage they own).
template <class Scalar>
using MatrixRef = Eigen::Ref<Matrix<Scalar>>;
template <class Scalar>
using ConstMatrixRef = Eigen::Ref<const Matrix<Scalar>>;
template <class Scalar>
using VectorRef = Eigen::Ref<Vector<Scalar>>;
template <class Scalar>
using ConstVectorRef = Eigen::Ref<const Vector<Scalar>>;
template <class Scalar>
using RowVectorRef = Eigen::Ref<RowVector<Scalar>>;
template <class Scalar>
using ConstRowVectorRef = Eigen::Ref<const RowVector<Scalar>>;
template <class Scalar>
using MatrixMap = Eigen::Map<Matrix<Scalar>>;
template <class Scalar>
using ConstMatrixMap = Eigen::Map<const Matrix<Scalar>>;
template <class Scalar>
using VectorMap = Eigen::Map<Vector<Scalar>>;
template <class Scalar>
using ConstVectorMap = Eigen::Map<const Vector<Scalar>>;
template <class Scalar>
using RowVectorMap = Eigen::Map<RowVector<Scalar>>;
template <class Scalar>
using ConstRowVectorMap = Eigen::Map<const RowVector<Scalar>>;

// How a transition ended its episode (Gymnasium semantics). Both flags may be raised by an
// environment at once; termination wins, because the true value of a terminal state is zero
// whatever the time limit says.
enum class EpisodeEnd : std::uint8_t {
  running,     // the episode goes on: bootstrap from the next step
  terminated,  // a terminal state of the MDP: no bootstrap
  truncated,   // cut by a time limit: bootstrap from V(true final observation)
};

constexpr EpisodeEnd episode_end(bool terminated, bool truncated) noexcept {
  if (terminated) return EpisodeEnd::terminated;
  return truncated ? EpisodeEnd::truncated : EpisodeEnd::running;
}

}  // namespace pgb::learn
