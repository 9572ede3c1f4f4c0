// The C++ side of the Python package's equivalence test: an environment driven through the
// host's EnvHandle under the host's protocol (reset with seeds seed+i, the registered time limit
// as truncation, ended sub-envs reset with their own streams), with seeded uniform actions.
// Writes the actions taken and everything observed, as raw float64, for test_envs.py to replay.
//
//   reference_rollout ENV NUM_ENVS SEED RESET_SEED STEPS ACTION_SEED ACTIONS_OUT TRACE_OUT
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <pgbench/sdk/rng.hpp>

#include "host/instances.hpp"
#include "host/plugins.hpp"

using namespace pgbench;

namespace {
void write(std::ofstream& out, const std::vector<double>& values) {
  out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(double)));
}
template <class T>
std::vector<double> as_doubles(const std::vector<T>& v) {
  return {v.begin(), v.end()};
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 9) {
    std::cerr << "usage: reference_rollout ENV NUM_ENVS SEED RESET_SEED STEPS ACTION_SEED ACTIONS_OUT TRACE_OUT\n";
    return 2;
  }
  PluginRegistry plugins;
  plugins.load({PGBENCH_PLUGIN_DIR});
  const EnvType* type = plugins.find_env(argv[1]);
  if (!type) {
    std::cerr << "no environment " << argv[1] << "\n";
    return 2;
  }
  const auto n = static_cast<std::uint32_t>(std::stoul(argv[2]));
  const std::uint64_t seed = std::stoull(argv[3]), reset_seed = std::stoull(argv[4]);
  const int steps = std::stoi(argv[5]);
  pgb::Rng rng(std::stoull(argv[6]));
  EnvHandle env(*type, n, resolve_config("reference", type->desc->params, type->desc->param_count, {}), seed);
  const std::size_t od = env.obs_dim(), ad = env.act_dim();
  const pgb_space_t& a = *env.info().action_space;
  const std::uint32_t limit = env.info().max_episode_steps;

  std::ofstream actions_out(argv[7], std::ios::binary), trace(argv[8], std::ios::binary);
  std::vector<double> obs(n * od), box(n * ad), reward(n);
  std::vector<std::int64_t> index(n);
  std::vector<std::uint8_t> terminated(n), truncated(n), ended(n);
  std::vector<std::uint32_t> length(n, 0);
  std::vector<std::uint64_t> seeds(n);
  for (std::uint32_t i = 0; i < n; ++i) seeds[i] = reset_seed + i;
  env.reset(nullptr, seeds.data(), obs.data());
  write(trace, obs);
  for (int t = 0; t < steps; ++t) {
    if (a.kind == PGB_SPACE_DISCRETE) {
      for (auto& x : index) x = a.start + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(a.n)));
      write(actions_out, as_doubles(index));
    } else {
      for (std::size_t k = 0; k < box.size(); ++k) box[k] = rng.uniform(a.low[k % ad], a.high[k % ad]);
      write(actions_out, box);
    }
    pgb_step_out_t out{};
    out.struct_size = sizeof out;
    out.num_envs = n;
    out.observation = obs.data();
    out.reward = reward.data();
    out.terminated = terminated.data();
    out.truncated = truncated.data();
    env.step(a.kind == PGB_SPACE_DISCRETE ? static_cast<const void*>(index.data()) : box.data(), nullptr, out);
    bool any = false;
    for (std::uint32_t i = 0; i < n; ++i) {
      ++length[i];
      if (limit && length[i] >= limit && !terminated[i]) truncated[i] = 1;
      ended[i] = terminated[i] || truncated[i];
      if (ended[i]) length[i] = 0;
      any = any || ended[i];
    }
    std::vector<double> final_obs(n * od, 0.0);
    for (std::uint32_t i = 0; i < n; ++i)
      if (ended[i]) std::copy(obs.begin() + i * od, obs.begin() + (i + 1) * od, final_obs.begin() + i * od);
    if (any) env.reset(ended.data(), nullptr, obs.data());
    write(trace, obs);
    write(trace, reward);
    write(trace, as_doubles(terminated));
    write(trace, as_doubles(truncated));
    write(trace, final_obs);
  }
  return 0;
}
