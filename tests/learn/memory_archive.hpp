// Checkpoints in memory: the byte sink and source the archive tests write to and read from.
#pragma once

#include <pgbench/sdk/archive.hpp>

#include <cstring>
#include <stdexcept>
#include <string>

namespace pgb::learn::testing {

class MemoryCheckpoint {
 public:
  OutputArchive writer() {
    return OutputArchive([this](const void* data, std::size_t size) {
      bytes_.append(static_cast<const char*>(data), size);
    });
  }

  // A reader from the first byte; several readers can read the same checkpoint.
  InputArchive reader() const {
    return InputArchive([this, position = std::size_t{0}](void* data, std::size_t size) mutable {
      if (position + size > bytes_.size()) throw std::runtime_error("checkpoint: truncated");
      std::memcpy(data, bytes_.data() + position, size);
      position += size;
    });
  }

  const std::string& bytes() const noexcept { return bytes_; }

 private:
  std::string bytes_;
};

}  // namespace pgb::learn::testing
