// Test support shared by the REINFORCE and A2C tests (the A2C tests include it from here): a toy
// batch of environments that drives an algorithm through act / observe / update exactly as the
// host does, a metric recorder, and the pgbench runs and curves of the learning tests.
#pragma once

#include <pgbench/sdk/algorithm.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace pgb::onpolicy::testing {

// The context the host would pass: `num_envs` sub-envs, a 3-dimensional Box observation.
inline AlgorithmContext toy_context(const Space& action_space, std::uint32_t num_envs, std::uint64_t seed,
                                    std::uint64_t total_env_steps = 10'000) {
  AlgorithmContext context;
  context.observation_space = Space::box(3, -10.0, 10.0);
  context.action_space = action_space;
  context.seed = seed;
  context.total_env_steps = total_env_steps;
  context.num_envs = num_envs;
  return context;
}

// Every metric update() emitted, the last value of each key.
class RecordedMetrics {
 public:
  Metrics sink() const { return Metrics(&sink_); }
  double at(const std::string& key) const {
    const auto it = values_.find(key);
    if (it == values_.end()) ADD_FAILURE() << "metric '" << key << "' was not emitted";
    return it == values_.end() ? NAN : it->second;
  }
  bool has(const std::string& key) const { return values_.count(key) != 0; }

 private:
  static void emit(void* self, const char* key, double value) {
    static_cast<RecordedMetrics*>(self)->values_[key] = value;
  }
  std::map<std::string, double> values_;
  pgb_metric_sink_t sink_{this, &RecordedMetrics::emit};
};

// N deterministic toy environments whose observations depend on the actions taken, so any
// difference in actions shows in every later observation. Sub-env i would terminate after
// 5 + 2i steps, and a time limit truncates every episode at 6 steps: sub-env 0 terminates every
// 5 steps, the others are truncated every 6. The reward is the first observation coordinate
// minus the action's size.
class ToyEnvs {
 public:
  ToyEnvs(const Space& action_space, std::uint32_t num_envs)
      : action_space_(action_space),
        n_(num_envs),
        obs_(3 * n_),
        next_obs_(3 * n_),
        reward_(n_),
        terminated_(n_),
        truncated_(n_),
        t_(n_, 0),
        box_actions_(action_space.is_box() ? action_space.dim() * n_ : 0),
        index_actions_(n_) {
    for (std::uint32_t i = 0; i < n_; ++i) reset(i, obs_);
  }

  // One host step: act, step, observe and, when asked, update. Returns the actions taken.
  std::vector<double> step(Algorithm& algo, const Metrics& metrics) {
    const ConstRows rows{obs_.data(), n_, 3};
    void* action_buffer = action_space_.is_box() ? static_cast<void*>(box_actions_.data()) : index_actions_.data();
    const std::uint32_t dim = action_space_.is_box() ? static_cast<std::uint32_t>(action_space_.dim()) : 1;
    algo.act(rows, ActionRows(action_buffer, n_, dim, action_space_.is_discrete()));
    std::vector<double> taken;
    for (std::uint32_t i = 0; i < n_; ++i) {
      double size = 0;
      if (action_space_.is_box()) {
        for (std::uint32_t d = 0; d < dim; ++d) {
          taken.push_back(box_actions_[i * dim + d]);
          size += std::abs(box_actions_[i * dim + d]);
        }
      } else {
        taken.push_back(static_cast<double>(index_actions_[i]));
        size = static_cast<double>(index_actions_[i] - action_space_.start());
      }
      ++t_[i];
      const double* o = &obs_[3 * i];
      double* next = &next_obs_[3 * i];
      next[0] = 0.9 * o[0] + 0.1 * std::tanh(size);
      next[1] = std::sin(o[1] + 0.3 * size);
      next[2] = 0.05 * static_cast<double>(t_[i]);
      reward_[i] = o[0] - 0.1 * size;
      terminated_[i] = t_[i] == 5 + 2 * i;
      truncated_[i] = !terminated_[i] && t_[i] == 6;
    }
    Transitions batch;
    batch.observation = rows;
    batch.action = action_buffer;
    batch.action_dim = dim;
    batch.discrete = action_space_.is_discrete();
    batch.reward = reward_;
    batch.next_observation = ConstRows{next_obs_.data(), n_, 3};
    batch.terminated = terminated_;
    batch.truncated = truncated_;
    steps_ += n_;
    if (algo.observe(batch)) algo.update(steps_, metrics);
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (terminated_[i] || truncated_[i]) reset(i, next_obs_);
    }
    obs_.swap(next_obs_);
    return taken;
  }

  ConstRows observations() const { return {obs_.data(), n_, 3}; }

 private:
  void reset(std::uint32_t i, std::vector<double>& into) {
    t_[i] = 0;
    into[3 * i] = 0.1 * (i + 1);
    into[3 * i + 1] = -0.2 * (i + 1);
    into[3 * i + 2] = 0.0;
  }

  Space action_space_;
  std::uint32_t n_;
  std::vector<double> obs_, next_obs_, reward_;
  std::vector<std::uint8_t> terminated_, truncated_;
  std::vector<std::uint64_t> t_;
  std::vector<double> box_actions_;
  std::vector<std::int64_t> index_actions_;
  std::uint64_t steps_ = 0;
};

// act_eval's actions on `observations`, as doubles.
inline std::vector<double> eval_actions(const Algorithm& algo, const Space& action_space, ConstRows observations) {
  const std::uint32_t dim = action_space.is_box() ? static_cast<std::uint32_t>(action_space.dim()) : 1;
  std::vector<double> box(dim * observations.rows);
  std::vector<std::int64_t> index(observations.rows);
  void* buffer = action_space.is_box() ? static_cast<void*>(box.data()) : index.data();
  algo.act_eval(observations, ActionRows(buffer, observations.rows, dim, action_space.is_discrete()));
  if (action_space.is_box()) return box;
  return {index.begin(), index.end()};
}

// ---- learning tests: a suite run by the pgbench binary, read back from its curves ----

// A run of one algorithm of `suite` on one thread into a fresh folder of the temporary directory, with the
// binary's output beside it; both are removed at the end of a test that passed and kept for
// inspection otherwise.
class SuiteRun {
 public:
  // `algorithm`: the one algorithm of the suite to run.
  SuiteRun(const std::string& binary, const std::string& suite, const std::string& algorithm)
      : dir_(std::filesystem::temp_directory_path() / ("pgbench-" + algorithm + "-" + std::to_string(::getpid()))),
        log_(dir_.string() + ".log") {
    std::filesystem::remove_all(dir_);
    const std::string command = "\"" + binary + "\" --suite \"" + suite + "\" --algos " + algorithm + " --out \"" +
                                dir_.string() + "\" --threads 1 --no-report > \"" + log_.string() + "\" 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command << "\nsee " << log_;
  }
  ~SuiteRun() {
    if (::testing::Test::HasFailure()) return;
    std::filesystem::remove_all(dir_);
    std::filesystem::remove(log_);
  }
  SuiteRun(const SuiteRun&) = delete;
  SuiteRun& operator=(const SuiteRun&) = delete;

  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_, log_;
};

// The final evaluation return of each seed of one cell (the last row of each curve.csv).
inline std::vector<double> final_eval_returns(const std::filesystem::path& run, const std::string& task,
                                              const std::string& algorithm) {
  std::vector<double> returns;
  const auto cell = run / "cells" / task / algorithm;
  for (int seed = 0; std::filesystem::exists(cell / ("seed-" + std::to_string(seed))); ++seed) {
    std::ifstream curve(cell / ("seed-" + std::to_string(seed)) / "curve.csv");
    std::string line, last;
    while (std::getline(curve, line))
      if (!line.empty()) last = line;
    std::stringstream fields(last);
    std::string env_step, eval_return_mean;
    std::getline(fields, env_step, ',');
    std::getline(fields, eval_return_mean, ',');
    returns.push_back(std::stod(eval_return_mean));
  }
  return returns;
}

inline double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? NAN : sum / static_cast<double>(values.size());
}

}  // namespace pgb::onpolicy::testing
