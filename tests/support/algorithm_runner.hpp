// Drives an algorithm plugin through the C ABI as the host does, on the built-in plugins of
// this build (PGBENCH_PLUGIN_DIR): the checkpoint and metric tests of the algorithm plugins and
// the checkpoint benchmarks.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/instances.hpp"
#include "host/plugins.hpp"
#include "host/value.hpp"

namespace pgbench::test {

inline const PluginRegistry& plugins() {
  static const PluginRegistry registry = [] {
    PluginRegistry r;
    r.load({PGBENCH_PLUGIN_DIR});
    return r;
  }();
  return registry;
}

inline const AlgoType& algorithm(const std::string& name) {
  const AlgoType* type = plugins().find_algorithm(name);
  if (!type) throw std::runtime_error("the " + name + " plugin is not built");
  return *type;
}

// N sub-envs of one task and the loop that feeds an algorithm (the host's, without evaluation):
// episodes are cut at kTimeLimit steps as truncations, so both kinds of episode end occur.
class Runner {
 public:
  static constexpr std::uint64_t kTimeLimit = 50;

  Runner(const std::string& env_name, std::uint32_t num_envs, std::uint64_t seed)
      : env_(*plugins().find_env(env_name), num_envs,
             resolve_config("env", plugins().find_env(env_name)->desc->params,
                            plugins().find_env(env_name)->desc->param_count, {}),
             seed),
        n_(num_envs),
        obs_(n_ * env_.obs_dim()),
        next_obs_(obs_.size()),
        reward_(n_),
        terminated_(n_),
        truncated_(n_),
        lengths_(n_),
        action_bytes_(env_.discrete_actions() ? sizeof(std::int64_t) : env_.act_dim() * sizeof(double)) {
    std::vector<std::uint64_t> seeds(n_);
    for (std::uint32_t i = 0; i < n_; ++i) seeds[i] = seed + 1 + i;
    env_.reset(nullptr, seeds.data(), obs_.data());
  }

  AlgoHandle make(const std::string& name, const Overrides& overrides, std::uint64_t seed,
                  std::uint64_t budget = 100000) {
    const AlgoType& type = algorithm(name);
    return AlgoHandle(type, n_, *env_.info().observation_space, *env_.info().action_space,
                      resolve_config(name, type.desc->params, type.desc->param_count, overrides), seed, budget);
  }

  // Runs `steps` host steps; returns the bytes of every action taken; collects the metrics.
  using MetricLog = std::map<std::string, std::vector<double>>;
  std::vector<std::uint8_t> run(AlgoHandle& algo, int steps, MetricLog* metrics = nullptr) {
    std::vector<std::uint8_t> taken, actions(n_ * action_bytes_), ended(n_);
    const pgb_metric_sink_t sink{metrics, [](void* ctx, const char* key, double value) {
                                   if (ctx) (*static_cast<MetricLog*>(ctx))[key].push_back(value);
                                 }};
    pgb_step_out_t out{};
    out.struct_size = sizeof out;
    out.num_envs = n_;
    out.reward = reward_.data();
    out.terminated = terminated_.data();
    out.truncated = truncated_.data();
    for (int s = 0; s < steps; ++s) {
      algo.act(obs_.data(), n_, actions.data());
      taken.insert(taken.end(), actions.begin(), actions.end());
      out.observation = next_obs_.data();
      env_.step(actions.data(), nullptr, out);
      for (std::uint32_t i = 0; i < n_; ++i) {
        if (++lengths_[i] >= kTimeLimit && !terminated_[i]) truncated_[i] = 1;
        ended[i] = terminated_[i] || truncated_[i];
      }
      pgb_transition_batch_t batch{};
      batch.struct_size = sizeof batch;
      batch.rows = n_;
      batch.observation = obs_.data();
      batch.action = actions.data();
      batch.reward = reward_.data();
      batch.next_observation = next_obs_.data();
      batch.terminated = terminated_.data();
      batch.truncated = truncated_.data();
      ++host_steps_;
      if (algo.observe(batch)) algo.update(host_steps_ * n_, sink);
      bool any = false;
      for (std::uint32_t i = 0; i < n_; ++i) {
        if (!ended[i]) continue;
        lengths_[i] = 0;
        any = true;
      }
      if (any) env_.reset(ended.data(), nullptr, next_obs_.data());
      std::swap(obs_, next_obs_);
    }
    return taken;
  }

  const std::vector<double>& observations() const noexcept { return obs_; }
  const EnvHandle& env() const noexcept { return env_; }

 private:
  EnvHandle env_;
  std::uint32_t n_;
  std::vector<double> obs_, next_obs_, reward_;
  std::vector<std::uint8_t> terminated_, truncated_;
  std::vector<std::uint64_t> lengths_;
  std::size_t action_bytes_;
  std::uint64_t host_steps_ = 0;
};

}  // namespace pgbench::test
