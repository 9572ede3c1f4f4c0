// pgbench/sdk/archive.hpp -- typed byte streams for algorithm checkpoints (save/load).
//
// The ABI moves checkpoint bytes through callback streams (pgb_ostream_t / pgb_istream_t); these
// classes put a typed, little-endian-as-the-machine, length-checked face on them. A checkpoint
// written by one build is read back by the same build; the format carries a tag per section
// so a mismatch is a clear error instead of garbage.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pgb {

class OutputArchive {
 public:
  using Sink = std::function<void(const void* data, std::size_t size)>;
  explicit OutputArchive(Sink sink) : sink_(std::move(sink)) {}

  void bytes(const void* data, std::size_t size) { sink_(data, size); }

  template <class T>
  void pod(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes(&value, sizeof(T));
  }

  template <class T>
  void pod_vector(const std::vector<T>& values) {
    pod<std::uint64_t>(values.size());
    bytes(values.data(), values.size() * sizeof(T));
  }

  void string(std::string_view s) {
    pod<std::uint64_t>(s.size());
    bytes(s.data(), s.size());
  }

  // A named marker; InputArchive::expect_tag checks it on the way back.
  void tag(std::string_view name) { string(name); }

 private:
  Sink sink_;
};

class InputArchive {
 public:
  // Reads exactly `size` bytes or throws.
  using Source = std::function<void(void* data, std::size_t size)>;
  explicit InputArchive(Source source) : source_(std::move(source)) {}

  void bytes(void* data, std::size_t size) { source_(data, size); }

  template <class T>
  T pod() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    bytes(&value, sizeof(T));
    return value;
  }

  template <class T>
  void pod(T& value) {
    value = pod<T>();
  }

  template <class T>
  void pod_vector(std::vector<T>& values) {
    const auto n = pod<std::uint64_t>();
    if (n > (std::uint64_t{1} << 40) / sizeof(T)) throw std::runtime_error("checkpoint: implausible vector length");
    values.resize(n);
    bytes(values.data(), n * sizeof(T));
  }

  std::string string() {
    const auto n = pod<std::uint64_t>();
    if (n > (std::uint64_t{1} << 30)) throw std::runtime_error("checkpoint: implausible string length");
    std::string s(n, '\0');
    bytes(s.data(), n);
    return s;
  }

  void expect_tag(std::string_view name) {
    const std::string got = string();
    if (got != name)
      throw std::runtime_error("checkpoint: expected section '" + std::string(name) + "', found '" + got + "'");
  }

 private:
  Source source_;
};

}  // namespace pgb
