// pgbench/sdk/space.hpp -- observation and action spaces as C++ values.
#pragma once

#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "pgbench/abi.h"
#include "pgbench/sdk/errors.hpp"

namespace pgb {

// A Box (a vector of doubles with per-element bounds) or a Discrete set {start, ..., start+n-1}.
// Owns its bounds; as_c() gives the ABI view, valid while this Space lives and is not modified.
class Space {
 public:
  Space() = default;  // an empty Box, to be assigned
  static Space box(std::vector<double> low, std::vector<double> high) {
    if (low.size() != high.size() || low.empty())
      throw InvalidArgument("Box space: low and high must be non-empty and of equal length");
    Space s;
    s.kind_ = PGB_SPACE_BOX;
    s.shape_ = {static_cast<std::int64_t>(low.size())};
    s.low_ = std::move(low);
    s.high_ = std::move(high);
    return s;
  }
  // A Box of `dim` elements, each in [low, high].
  static Space box(std::size_t dim, double low, double high) {
    return box(std::vector<double>(dim, low), std::vector<double>(dim, high));
  }
  static Space unbounded_box(std::size_t dim) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    return box(dim, -inf, inf);
  }
  static Space discrete(std::int64_t n, std::int64_t start = 0) {
    if (n < 1) throw InvalidArgument("Discrete space: n must be >= 1");
    Space s;
    s.kind_ = PGB_SPACE_DISCRETE;
    s.n_ = n;
    s.start_ = start;
    return s;
  }
  // A copy of an ABI space (e.g. the one an algorithm is created with).
  static Space from_c(const pgb_space_t& c) {
    if (c.kind == PGB_SPACE_DISCRETE) return discrete(c.n, c.start);
    if (c.kind != PGB_SPACE_BOX) throw Unsupported("unknown space kind " + std::to_string(c.kind));
    if (c.ndim < 1 || c.ndim > PGB_MAX_DIMS) throw InvalidArgument("Box space: bad ndim");
    std::int64_t count = 1;
    for (std::uint32_t d = 0; d < c.ndim; ++d) count *= c.shape[d];
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::vector<double> low(count, -inf), high(count, inf);
    if (c.low) low.assign(c.low, c.low + count);
    if (c.high) high.assign(c.high, c.high + count);
    Space s = box(std::move(low), std::move(high));
    s.shape_.assign(c.shape, c.shape + c.ndim);
    return s;
  }

  bool is_box() const noexcept { return kind_ == PGB_SPACE_BOX; }
  bool is_discrete() const noexcept { return kind_ == PGB_SPACE_DISCRETE; }
  // Doubles per row: the element count of a Box, 1 for a Discrete (one index).
  std::size_t dim() const noexcept {
    return is_box() ? static_cast<std::size_t>(std::accumulate(shape_.begin(), shape_.end(), std::int64_t{1},
                                                               std::multiplies<>()))
                    : 1;
  }
  const std::vector<double>& low() const noexcept { return low_; }
  const std::vector<double>& high() const noexcept { return high_; }
  std::int64_t n() const noexcept { return n_; }
  std::int64_t start() const noexcept { return start_; }

  pgb_space_t as_c() const noexcept {
    pgb_space_t c{};
    c.struct_size = sizeof(pgb_space_t);
    c.kind = kind_;
    if (is_box()) {
      c.dtype = PGB_DTYPE_F64;
      c.ndim = static_cast<std::uint32_t>(shape_.size());
      for (std::size_t d = 0; d < shape_.size(); ++d) c.shape[d] = shape_[d];
      c.low = low_.data();
      c.high = high_.data();
    } else {
      c.dtype = PGB_DTYPE_I64;
      c.n = n_;
      c.start = start_;
    }
    return c;
  }

 private:
  pgb_space_kind kind_ = PGB_SPACE_BOX;
  std::vector<std::int64_t> shape_;
  std::vector<double> low_, high_;
  std::int64_t n_ = 0, start_ = 0;
};

}  // namespace pgb
