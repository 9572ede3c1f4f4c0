// Drives an algorithm object in process exactly as the host does (act / observe / update), on
// N deterministic toy environments, records the metrics of its updates, and checks its
// checkpoints: the unit tests of REINFORCE and A2C.
#pragma once

#include <pgbench/sdk/algorithm.hpp>

#include "learn/memory_archive.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pgb::test {

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
  // The mean of the last `count` values of `key` (fewer if fewer were emitted): single updates
  // are noisy, so trends are judged on windows.
  double recent_mean(const std::string& key, std::size_t count) const {
    const auto it = history_.find(key);
    if (it == history_.end() || it->second.empty()) {
      ADD_FAILURE() << "metric '" << key << "' was not emitted";
      return NAN;
    }
    const auto& h = it->second;
    const std::size_t n = std::min(count, h.size());
    double sum = 0;
    for (std::size_t i = h.size() - n; i < h.size(); ++i) sum += h[i];
    return sum / static_cast<double>(n);
  }

 private:
  static void emit(void* self, const char* key, double value) {
    auto* me = static_cast<RecordedMetrics*>(self);
    me->values_[key] = value;
    me->history_[key].push_back(value);
  }
  std::map<std::string, double> values_;
  std::map<std::string, std::vector<double>> history_;
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

// ---- the checkpoint contract; make(context) builds the algorithm under test ----

// Two runs of the same seed, one checkpointed after `steps` host steps (mid-rollout) and restored
// into a fresh instance of another seed, take the same actions afterwards, bit for bit.
template <class Make>
void expect_resumable(const Make& make, const Space& actions, std::uint32_t num_envs, int steps) {
  auto reference = make(toy_context(actions, num_envs, 11));
  auto first = make(toy_context(actions, num_envs, 11));
  ToyEnvs reference_envs(actions, num_envs), envs(actions, num_envs);
  RecordedMetrics metrics;
  for (int step = 0; step < steps; ++step) {
    reference_envs.step(reference, metrics.sink());
    envs.step(first, metrics.sink());
  }
  learn::testing::MemoryCheckpoint checkpoint;
  auto writer = checkpoint.writer();
  first.save(writer, StateScope::Full);
  auto resumed = make(toy_context(actions, num_envs, 99));  // everything must come from the checkpoint
  auto reader = checkpoint.reader();
  resumed.load(reader, StateScope::Full);
  for (int step = 0; step < 40; ++step)
    ASSERT_EQ(envs.step(resumed, metrics.sink()), reference_envs.step(reference, metrics.sink())) << "step " << step;
  EXPECT_EQ(eval_actions(resumed, actions, envs.observations()), eval_actions(reference, actions, envs.observations()));
}

// A Policy-scope checkpoint after `steps` host steps of training gives a fresh instance the
// trained evaluation policy (which differs from its own).
template <class Make>
void expect_policy_scope_restores_the_evaluation_policy(const Make& make, int steps) {
  const Space actions = Space::box(2, -1.0, 1.0);
  auto trained = make(toy_context(actions, 2, 12));
  ToyEnvs envs(actions, 2);
  RecordedMetrics metrics;
  for (int step = 0; step < steps; ++step) envs.step(trained, metrics.sink());
  learn::testing::MemoryCheckpoint checkpoint;
  auto writer = checkpoint.writer();
  trained.save(writer, StateScope::Policy);
  auto fresh = make(toy_context(actions, 2, 13));
  EXPECT_NE(eval_actions(fresh, actions, envs.observations()), eval_actions(trained, actions, envs.observations()));
  auto reader = checkpoint.reader();
  fresh.load(reader, StateScope::Policy);
  EXPECT_EQ(eval_actions(fresh, actions, envs.observations()), eval_actions(trained, actions, envs.observations()));
}

}  // namespace pgb::test
