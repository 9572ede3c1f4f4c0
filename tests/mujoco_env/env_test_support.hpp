// env_test_support.hpp -- helpers shared by the MuJoCo environment tests.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
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

// A locomotion task that also observes its root's horizontal position
// (exclude_current_positions_from_observation = false), as the reset-noise tests need.
template <class Env>
Env observing_root_position(const char* file) {
  typename Env::Params params = params_for<Env>(file);
  params.locomotion.exclude_current_positions_from_observation = false;
  return Env(params);
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

// sum(a^2) of reference_action(env, 0) when every control range is [-1, 1], from the formula.
inline double reference_action_squared(int nu) {
  double sum = 0.0;
  for (int i = 1; i <= nu; ++i) sum += std::pow(0.5 * std::sin(0.1 * i), 2);
  return sum;
}

// One entry of a state vector to override.
struct StateEntry {
  int index;
  double value;
};

// Sets qpos0 and zero qvel with the given entries overridden, e.g. a tilted torso at rest.
inline void set_rest_state_with(MujocoEnv& env, std::initializer_list<StateEntry> qpos_entries,
                                std::initializer_list<StateEntry> qvel_entries = {}) {
  const mjModel& m = env.model();
  std::vector<double> qpos(m.qpos0, m.qpos0 + m.nq), qvel = zeros(static_cast<std::size_t>(m.nv));
  for (const StateEntry& e : qpos_entries) qpos[e.index] = e.value;
  for (const StateEntry& e : qvel_entries) qvel[e.index] = e.value;
  env.set_state(qpos, qvel);
}

// The locomotion observation of a state from the spec's tables: qpos from `first_position` on,
// then qvel.
template <std::size_t nq, std::size_t nv>
std::vector<double> joint_state(const std::array<double, nq>& qpos, const std::array<double, nv>& qvel,
                                std::size_t first_position) {
  std::vector<double> state(qpos.begin() + first_position, qpos.end());
  state.insert(state.end(), qvel.begin(), qvel.end());
  return state;
}

// The facts of a task's spec: observation size (unbounded box), a symmetric action box, frame
// skip and time limit.
struct SpecFacts {
  std::size_t observation_dim;
  std::size_t action_dim;
  double action_bound;  // the box is [-bound, bound] in every dimension
  std::uint32_t frames_per_step;
  std::uint32_t max_episode_steps;
};
inline void expect_spec(const pgb::EnvSpec& spec, const SpecFacts& facts) {
  EXPECT_EQ(spec.observation.dim(), facts.observation_dim);
  EXPECT_TRUE(std::isinf(spec.observation.high()[0]));
  EXPECT_EQ(spec.action.low(), std::vector<double>(facts.action_dim, -facts.action_bound));
  EXPECT_EQ(spec.action.high(), std::vector<double>(facts.action_dim, facts.action_bound));
  EXPECT_EQ(spec.frames_per_step, facts.frames_per_step);
  EXPECT_EQ(spec.max_episode_steps, facts.max_episode_steps);
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

// The observations of `resets` resets from `seed`, one row per reset.
inline std::vector<std::vector<double>> reset_observations(pgb::Environment& env, std::uint64_t seed, int resets) {
  std::vector<std::vector<double>> rows(static_cast<std::size_t>(resets), std::vector<double>(obs_dim(env)));
  env.rng().reseed(seed);
  for (auto& observation : rows) env.reset(observation);
  return rows;
}

// What the resets drew for observation entry `i`: its values minus the noise-free `rest_value`.
inline std::vector<double> reset_noise(const std::vector<std::vector<double>>& observations, std::size_t i,
                                       double rest_value = 0.0) {
  std::vector<double> noise;
  noise.reserve(observations.size());
  for (const auto& observation : observations) noise.push_back(observation[i] - rest_value);
  return noise;
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
