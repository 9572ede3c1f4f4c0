// pgbench/sdk/learn/checkpoint.hpp -- Eigen arrays and the Rng through pgb archives.
//
// Every stateful piece of the learning core saves itself as a tagged section: the tag, the
// shapes that must match on the way back, then the raw numbers. Loading checks each shape
// against the object being restored (built with the same configuration), so a checkpoint of
// another architecture is a clear error rather than a silent reinterpretation of bytes.
#pragma once

#include <pgbench/sdk/archive.hpp>
#include <pgbench/sdk/rng.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace pgb::learn {

// Writes rows, columns and the coefficients of a contiguous column-major array.
template <class Derived>
void save_dense(OutputArchive& archive, const Eigen::PlainObjectBase<Derived>& array) {
  archive.pod<std::int64_t>(array.rows());
  archive.pod<std::int64_t>(array.cols());
  archive.bytes(array.data(), sizeof(typename Derived::Scalar) * static_cast<std::size_t>(array.size()));
}

// Reads back what save_dense wrote into an array that already has the saved shape.
template <class Derived>
void load_dense(InputArchive& archive, Eigen::PlainObjectBase<Derived>& array, const char* what) {
  const auto rows = archive.pod<std::int64_t>();
  const auto cols = archive.pod<std::int64_t>();
  if (rows != array.rows() || cols != array.cols())
    throw std::runtime_error(std::string("checkpoint: ") + what + " has shape " + std::to_string(rows) + "x" +
                             std::to_string(cols) + ", expected " + std::to_string(array.rows()) + "x" +
                             std::to_string(array.cols()));
  archive.bytes(array.data(), sizeof(typename Derived::Scalar) * static_cast<std::size_t>(array.size()));
}

// Reads one size (a count written by save) and checks it equals what the object was built with.
inline void expect_size(InputArchive& archive, std::int64_t expected, const char* what) {
  const auto saved = archive.pod<std::int64_t>();
  if (saved != expected)
    throw std::runtime_error(std::string("checkpoint: ") + what + " is " + std::to_string(saved) + ", expected " +
                             std::to_string(expected));
}

inline void save_rng(OutputArchive& archive, const Rng& rng) {
  archive.tag("pgb.learn.rng");
  archive.pod(rng.state());
}

inline void load_rng(InputArchive& archive, Rng& rng) {
  archive.expect_tag("pgb.learn.rng");
  rng.set_state(archive.pod<Rng::State>());
}

}  // namespace pgb::learn
