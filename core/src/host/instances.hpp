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

struct PluginError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string status_name(pgb_status status);

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
