// mujoco_runtime.cpp -- model cache, model folder and MuJoCo's global handlers.
#include "mujoco_runtime.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <system_error>

#include <pgbench/sdk/errors.hpp>

namespace mujoco_control {
namespace {

// The environment calling MuJoCo on this thread, if any (set by MujocoCallScope).
thread_local WarningSink* t_warning_sink = nullptr;

// MuJoCo never expects its error handler to return. Throwing unwinds through libmujoco (built
// with unwind tables, the x86-64 default) back to the environment, which catches it at its step
// or reset boundary. What MuJoCo was doing is abandoned; the next reset starts from mj_resetData.
[[noreturn]] void throw_mujoco_error(const char* message) { throw MujocoError(message); }

void route_mujoco_warning(const char* message) {
  if (t_warning_sink) t_warning_sink->record(message);
}

}  // namespace

void install_mujoco_handlers() {
  static std::once_flag installed;
  std::call_once(installed, [] {
    mju_user_error = throw_mujoco_error;
    mju_user_warning = route_mujoco_warning;
  });
}

void WarningSink::record(const char* text) noexcept { std::snprintf(message, kCapacity, "%s", text); }

MujocoCallScope::MujocoCallScope(WarningSink& sink) noexcept : previous_(t_warning_sink) { t_warning_sink = &sink; }

MujocoCallScope::~MujocoCallScope() { t_warning_sink = previous_; }

std::filesystem::path bundled_models_dir() {
  // dladdr names the object file that contains this function: the plugin when it is loaded by
  // the host, the test program when the environments are linked into one.
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&bundled_models_dir), &info) == 0 || !info.dli_fname)
    throw pgb::InvalidArgument("cannot locate the MuJoCo plugin's own file to find its models; set model_path");
  std::error_code ignored;
  const std::filesystem::path self = std::filesystem::weakly_canonical(info.dli_fname, ignored);
  return self.parent_path() / "mujoco-models";
}

std::filesystem::path resolve_model_path(const std::string& model_path, const std::string& default_file) {
  if (model_path.empty()) return bundled_models_dir() / default_file;
  const std::filesystem::path given(model_path);
  return given.is_absolute() ? given : bundled_models_dir() / given;
}

std::shared_ptr<const mjModel> load_model(const std::filesystem::path& file) {
  install_mujoco_handlers();
  // Compiled models live as long as the process (or the plugin): there are a dozen at most.
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::shared_ptr<const mjModel>> models;

  std::error_code ignored;
  const std::filesystem::path key = std::filesystem::weakly_canonical(file, ignored);
  const std::lock_guard lock(mutex);
  if (auto it = models.find(key); it != models.end()) return it->second;

  if (!std::filesystem::is_regular_file(key))
    throw pgb::InvalidArgument("MuJoCo model file not found: " + file.string());
  char error[1024] = "";
  mjModel* model = mj_loadXML(key.c_str(), nullptr, error, sizeof error);
  if (!model) throw pgb::InvalidArgument("cannot compile MuJoCo model " + key.string() + ": " + error);
  std::shared_ptr<const mjModel> shared(model, [](const mjModel* m) { mj_deleteModel(const_cast<mjModel*>(m)); });
  models.emplace(key, shared);
  return shared;
}

}  // namespace mujoco_control
