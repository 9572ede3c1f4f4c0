// env_test_support.hpp -- helpers shared by the MuJoCo environment tests.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pgbench/sdk/environment.hpp>

#include "mujoco_env.hpp"

namespace mujoco_control::testing {

// The source folder's model files. The environments linked into a test program would look for
// them beside the program, where they are not, so every test names its model file.
inline std::string model_file(const char* name) { return std::string(PGBENCH_MUJOCO_MODELS_DIR) + "/" + name; }

// `Env`'s default parameters for `version`, loading `file` from the source models folder.
template <class Env>
typename Env::Params params_for(const char* file, Version version = Version::v4) {
  typename Env::Params params;
  params.common.version = version;
  params.common.model_path = model_file(file);
  return params;
}

inline std::vector<double> zeros(std::size_t n) { return std::vector<double>(n, 0.0); }

// The spec's reference state (Appendix B): qpos0, qvel 0, forward-consistent.
inline void set_reference_start(MujocoEnv& env) {
  const mjModel& m = env.model();
  env.set_state(std::span<const double>(m.qpos0, static_cast<std::size_t>(m.nq)), zeros(static_cast<std::size_t>(m.nv)));
}

// The spec's reference control for env step t (Appendix B):
// ctrl[i] = 0.5 x ctrlrange_high[i] x sin(0.1 (t + 1)(i + 1)).
inline std::vector<double> reference_action(const MujocoEnv& env, int t) {
  const mjModel& m = env.model();
  std::vector<double> action(static_cast<std::size_t>(m.nu));
  for (int i = 0; i < m.nu; ++i)
    action[i] = 0.5 * m.actuator_ctrlrange[2 * i + 1] * std::sin(0.1 * (t + 1) * (i + 1));
  return action;
}

inline pgb::StepResult step(pgb::Environment& env, const std::vector<double>& action, std::span<double> observation) {
  return env.step(std::span<const double>(action), observation);
}

// Observation dimension of an environment's spec.
inline std::size_t obs_dim(const pgb::Environment& env) { return env.spec().observation.dim(); }

// Elementwise |actual - expected| <= tolerance, reporting the index.
inline void expect_all_near(std::span<const double> actual, std::span<const double> expected, double tolerance,
                            const char* what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], tolerance) << what << " [" << i << "]";
}

// Mean and variance of samples.
struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};
inline Moments moments(const std::vector<double>& samples) {
  Moments m;
  for (const double x : samples) m.mean += x;
  m.mean /= static_cast<double>(samples.size());
  for (const double x : samples) m.variance += (x - m.mean) * (x - m.mean);
  m.variance /= static_cast<double>(samples.size() - 1);
  return m;
}

// Checks reset noise: `samples` are the offsets from the noise-free value of one coordinate
// over many resets. Uniform U(-scale, scale): inside the bounds, mean 0, variance scale^2 / 3.
// Normal scale x N(0,1): mean 0, variance scale^2. The tolerances are 5 standard errors.
inline void expect_uniform_noise(const std::vector<double>& samples, double scale, const std::string& what) {
  for (const double x : samples) {
    ASSERT_GE(x, -scale) << what;
    ASSERT_LT(x, scale) << what;
  }
  const double n = static_cast<double>(samples.size());
  const Moments m = moments(samples);
  const double variance = scale * scale / 3.0;
  EXPECT_NEAR(m.mean, 0.0, 5.0 * std::sqrt(variance / n)) << what;
  // The variance of x^2 for a uniform is 4 scale^4 / 45.
  EXPECT_NEAR(m.variance, variance, 5.0 * std::sqrt(4.0 * std::pow(scale, 4) / 45.0 / n)) << what;
}
inline void expect_normal_noise(const std::vector<double>& samples, double scale, const std::string& what) {
  const double n = static_cast<double>(samples.size());
  const Moments m = moments(samples);
  EXPECT_NEAR(m.mean, 0.0, 5.0 * scale / std::sqrt(n)) << what;
  EXPECT_NEAR(m.variance, scale * scale, 5.0 * scale * scale * std::sqrt(2.0 / n)) << what;
}

// Runs `steps` reference-action steps from a reset with `seed`; returns every observation and
// reward in order, for comparing trajectories.
inline std::vector<double> trajectory(pgb::Environment& env, std::uint64_t seed, int steps) {
  auto& mj = dynamic_cast<MujocoEnv&>(env);
  std::vector<double> observation(obs_dim(env)), record;
  env.rng().reseed(seed);
  env.reset(observation);
  record.insert(record.end(), observation.begin(), observation.end());
  for (int t = 0; t < steps; ++t) {
    const pgb::StepResult r = step(env, reference_action(mj, t), observation);
    record.insert(record.end(), observation.begin(), observation.end());
    record.push_back(r.reward);
    if (r.terminated) break;
  }
  return record;
}

}  // namespace mujoco_control::testing
