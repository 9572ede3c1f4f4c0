// mujoco_runtime.hpp -- what every MuJoCo task shares: the compiled models, where they are found,
// and the process-wide error and warning handlers of the MuJoCo library.
//
// MuJoCo's default error handler prints and calls exit(), and its default warning handler prints
// to stdout and appends to MUJOCO_LOG.TXT in the working directory. Both are process-global
// function pointers; install_mujoco_handlers() replaces them once: an error becomes a C++
// exception (MujocoError) that unwinds out of the MuJoCo call to the environment that made it,
// and a warning is written into the WarningSink of the environment that is calling MuJoCo on
// this thread (see MujocoCallScope), or dropped when none is.
#pragma once

#include <mujoco/mujoco.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace mujoco_control {

// An error reported by MuJoCo itself (mju_error), e.g. its stack is too small for the model.
class MujocoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Installs the handlers described above; safe to call any number of times from any thread.
void install_mujoco_handlers();

// The latest MuJoCo warning seen by one environment, kept in a fixed buffer so that recording it
// never allocates (warnings arrive in the middle of a step).
struct WarningSink {
  static constexpr std::size_t kCapacity = 512;
  char message[kCapacity] = "";
  void record(const char* text) noexcept;
  void clear() noexcept { message[0] = '\0'; }
};

// While alive, MuJoCo warnings raised on this thread go to `sink`. Scopes nest.
class MujocoCallScope {
 public:
  explicit MujocoCallScope(WarningSink& sink) noexcept;
  ~MujocoCallScope();
  MujocoCallScope(const MujocoCallScope&) = delete;
  MujocoCallScope& operator=(const MujocoCallScope&) = delete;

 private:
  WarningSink* previous_;
};

// The folder of the bundled task models: `mujoco-models` beside the shared library (or
// executable) this code is linked into -- found from the library's own file, never from the
// working directory.
std::filesystem::path bundled_models_dir();

// Which file a task loads: the bundled `default_file` when `model_path` is empty; otherwise
// `model_path`, where a relative path is taken relative to the bundled models folder.
std::filesystem::path resolve_model_path(const std::string& model_path, const std::string& default_file);

// The compiled model of an MJCF file. Each file is compiled once per process and shared,
// read-only, by every environment that uses it (MuJoCo never writes to an mjModel while
// simulating). Thread-safe. Throws pgb::InvalidArgument with MuJoCo's message when the file is
// missing or does not compile.
std::shared_ptr<const mjModel> load_model(const std::filesystem::path& file);

}  // namespace mujoco_control
