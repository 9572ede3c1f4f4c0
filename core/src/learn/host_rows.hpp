// The host's batches are rows of doubles (row i = sub-env i); the learning core's are columns.
// One view for both on-policy and off-policy collection (internal to pgbench::learn).
#pragma once

#include <pgbench/sdk/algorithm.hpp>
#include <pgbench/sdk/learn/types.hpp>

namespace pgb::learn {

// `rows` rows of `dim` doubles at `data`, seen as dim × rows columns.
inline ConstMatrixMap<double> columns(const double* data, std::uint32_t rows, Index dim) {
  return {data, dim, static_cast<Index>(rows)};
}

inline ConstMatrixMap<double> columns(ConstRows rows) { return columns(rows.data, rows.rows, rows.cols); }

}  // namespace pgb::learn
