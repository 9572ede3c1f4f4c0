// pgbench/sdk/errors.hpp -- exceptions that the SDK turns into ABI status codes.
//
// Plugin code reports failure by throwing; the SDK catches every exception at the C boundary and
// maps it: these types to their status, std::invalid_argument to PGB_ERR_INVALID_ARGUMENT, and
// anything else to PGB_ERR_INTERNAL, always with the message kept for last_error().
#pragma once

#include <stdexcept>
#include <string>

#include "pgbench/abi.h"

namespace pgb {

class Error : public std::runtime_error {
 public:
  Error(pgb_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  pgb_status status() const noexcept { return status_; }

 private:
  pgb_status status_;
};

// A bad configuration value or call argument.
struct InvalidArgument : Error {
  explicit InvalidArgument(const std::string& m) : Error(PGB_ERR_INVALID_ARGUMENT, m) {}
};
// A space kind or feature this plugin does not handle.
struct Unsupported : Error {
  explicit Unsupported(const std::string& m) : Error(PGB_ERR_UNSUPPORTED, m) {}
};
// A call out of order, e.g. stepping an ended episode.
struct BadState : Error {
  explicit BadState(const std::string& m) : Error(PGB_ERR_BAD_STATE, m) {}
};
// A checkpoint from another algorithm or format version.
struct VersionMismatch : Error {
  explicit VersionMismatch(const std::string& m) : Error(PGB_ERR_VERSION, m) {}
};
// The computation diverged: NaN or Inf in state, parameters or outputs.
struct NumericalError : Error {
  explicit NumericalError(const std::string& m) : Error(PGB_ERR_NUMERICAL, m) {}
};

}  // namespace pgb
