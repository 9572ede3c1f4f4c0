// RAII handles on plugin instances: each call checks its status and turns a failure into a
// PluginError carrying the plugin's own last_error(); each handle keeps its library loaded.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <pgbench/abi.h>

#include "host/plugins.hpp"
#include "host/value.hpp"

namespace pgbench {

// A plugin failed or broke the protocol. `plugin_file` names the library at fault ("" when the
// host cannot tell).
struct PluginError : std::runtime_error {
  explicit PluginError(const std::string& what, std::string plugin_file = "")
      : std::runtime_error(what), plugin_file(std::move(plugin_file)) {}
  std::string plugin_file;
};

// The plugin call this thread is inside, if any: every handle below marks its calls. Kept in
// thread-local plain pointers so that a worker's crash, exit and stop handlers can read it
// (async-signal-safe) and say which plugin was running. All three are NULL outside plugin code.
struct PluginCallSite {
  const char* plugin_file;  // the library's path
  const char* component;    // the environment's or algorithm's registered name
  const char* function;     // "step", "act", "update", ...
};
PluginCallSite current_plugin_call() noexcept;

std::string status_name(pgb_status status);

// Whether an environment type has ABI 1.1's optional save_state/load_state (can be checkpointed).
bool saves_state(const EnvType& type) noexcept;

// Number of doubles (Box) or indices (Discrete) in one row of a space.
std::size_t space_dim(const pgb_space_t& space);

class EnvHandle {
 public:
  EnvHandle(const EnvType& type, std::uint32_t num_envs, const ResolvedConfig& config, std::uint64_t seed);
  ~EnvHandle();
  EnvHandle(const EnvHandle&) = delete;
  EnvHandle& operator=(const EnvHandle&) = delete;

  const pgb_env_info_t& info() const noexcept { return info_; }
  std::uint32_t num_envs() const noexcept { return info_.num_envs; }
  std::size_t obs_dim() const noexcept { return obs_dim_; }
  std::size_t act_dim() const noexcept { return act_dim_; }
  bool discrete_actions() const noexcept { return info_.action_space->kind == PGB_SPACE_DISCRETE; }

  void reset(const std::uint8_t* mask, const std::uint64_t* seeds, double* obs_out);
  void step(const void* actions, const std::uint8_t* mask, const pgb_step_out_t& out);

  // ABI 1.1's optional state functions: whether the plugin has them, and the whole state of
  // every sub-env as bytes (a checkpoint), and back.
  bool can_save_state() const noexcept;
  std::vector<std::uint8_t> save_state() const;
  void load_state(const std::vector<std::uint8_t>& bytes);

 private:
  [[noreturn]] void fail(const char* call, pgb_status status) const;
  EnvType type_;
  pgb_env_t* env_ = nullptr;
  pgb_env_info_t info_{};
  std::size_t obs_dim_ = 0, act_dim_ = 0;
};

class AlgoHandle {
 public:
  AlgoHandle(const AlgoType& type, std::uint32_t num_envs, const pgb_space_t& observation_space,
             const pgb_space_t& action_space, const ResolvedConfig& hyperparameters, std::uint64_t seed,
             std::uint64_t total_env_steps);
  ~AlgoHandle();
  AlgoHandle(const AlgoHandle&) = delete;
  AlgoHandle& operator=(const AlgoHandle&) = delete;

  void act(const double* obs, std::uint32_t rows, void* actions_out);
  void act_eval(const double* obs, std::uint32_t rows, void* actions_out);
  bool observe(const pgb_transition_batch_t& batch);
  void update(std::uint64_t env_steps_done, const pgb_metric_sink_t& sink);
  std::vector<std::uint8_t> save(pgb_state_scope scope);
  void load(pgb_state_scope scope, const std::vector<std::uint8_t>& bytes);

 private:
  [[noreturn]] void fail(const char* call, pgb_status status) const;
  AlgoType type_;
  pgb_algo_t* algo_ = nullptr;
};

}  // namespace pgbench
