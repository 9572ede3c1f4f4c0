// pgbench/sdk/algorithm.hpp -- write a learning algorithm as one C++ class.
//
// The host owns the interaction loop; an algorithm only answers its calls: act on a batch of
// observations, observe the outcome, update when it asked to, act deterministically for
// evaluation, save and load its state. A class needs a constructor from
// `const pgb::AlgorithmContext&`, the functions below, and one PGB_REGISTER_ALGORITHM line.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "pgbench/sdk/archive.hpp"
#include "pgbench/sdk/config.hpp"
#include "pgbench/sdk/space.hpp"

namespace pgb {

// Everything an algorithm is created with.
struct AlgorithmContext {
  Space observation_space;
  Space action_space;
  Config hyperparameters;
  std::uint64_t seed = 0;             // the only source of randomness the instance may use
  std::uint64_t total_env_steps = 0;  // the run's budget, for schedules (the same for every algorithm)
  std::uint32_t num_envs = 1;         // rows of every act() and observe() while training
};

// A read-only (rows x cols) row-major matrix of doubles: a batch of observations.
struct ConstRows {
  const double* data = nullptr;
  std::uint32_t rows = 0;
  std::uint32_t cols = 0;
  std::span<const double> row(std::uint32_t r) const noexcept { return {data + std::size_t{r} * cols, cols}; }
};

// The host's action buffer: (rows x dim) doubles for a Box space, (rows) int64 for a Discrete one.
class ActionRows {
 public:
  ActionRows(void* data, std::uint32_t rows, std::uint32_t dim, bool discrete) noexcept
      : data_(data), rows_(rows), dim_(dim), discrete_(discrete) {}
  std::uint32_t rows() const noexcept { return rows_; }
  std::uint32_t dim() const noexcept { return dim_; }
  bool discrete() const noexcept { return discrete_; }
  std::span<double> values(std::uint32_t r) const noexcept {
    return {static_cast<double*>(data_) + std::size_t{r} * dim_, dim_};
  }
  std::int64_t& index(std::uint32_t r) const noexcept { return static_cast<std::int64_t*>(data_)[r]; }
  // The whole Box buffer, (rows x dim) row-major.
  double* box_data() const noexcept { return static_cast<double*>(data_); }

 private:
  void* data_;
  std::uint32_t rows_, dim_;
  bool discrete_;
};

// One host step of experience, one row per sub-env (row i is sub-env i).
struct Transitions {
  ConstRows observation;        // s_t
  const void* action = nullptr; // as act() wrote it: (rows x act_dim) doubles or (rows) int64
  std::uint32_t action_dim = 1;
  bool discrete = false;
  std::span<const double> reward;
  ConstRows next_observation;   // s_{t+1}; the final observation when the episode ended
  std::span<const std::uint8_t> terminated;  // do not bootstrap
  std::span<const std::uint8_t> truncated;   // bootstrap from next_observation

  std::uint32_t rows() const noexcept { return observation.rows; }
  std::span<const double> action_values(std::uint32_t r) const noexcept {
    return {static_cast<const double*>(action) + std::size_t{r} * action_dim, action_dim};
  }
  std::int64_t action_index(std::uint32_t r) const noexcept { return static_cast<const std::int64_t*>(action)[r]; }
};

// Where update() reports diagnostics: metrics("loss/policy", value).
class Metrics {
 public:
  explicit Metrics(const pgb_metric_sink_t* sink) noexcept : sink_(sink) {}
  void operator()(std::string_view key, double value) const;

 private:
  const pgb_metric_sink_t* sink_;
};

enum class StateScope { Policy = PGB_STATE_POLICY, Full = PGB_STATE_FULL };

class Algorithm {
 public:
  virtual ~Algorithm() = default;

  // The exploring policy: one action per row of `obs`.
  virtual void act(ConstRows obs, ActionRows actions) = 0;

  // The evaluation policy: deterministic, and const because it must not change any state.
  virtual void act_eval(ConstRows obs, ActionRows actions) const = 0;

  // Takes in one step of experience; returns true to ask for update() now.
  virtual bool observe(const Transitions& batch) = 0;

  // One learning phase. `env_steps_done` is the host's count, for schedules.
  virtual void update(std::uint64_t env_steps_done, const Metrics& metrics) = 0;

  // The state in `scope`. The SDK frames it with the algorithm id and checkpoint_version().
  virtual void save(OutputArchive& out, StateScope scope) const = 0;
  virtual void load(InputArchive& in, StateScope scope) = 0;
  virtual std::uint32_t checkpoint_version() const { return 1; }
};

inline void Metrics::operator()(std::string_view key, double value) const {
  if (!sink_ || !sink_->emit) return;
  char buffer[128];
  const std::size_t n = key.size() < sizeof(buffer) - 1 ? key.size() : sizeof(buffer) - 1;
  key.copy(buffer, n);
  buffer[n] = '\0';
  sink_->emit(sink_->ctx, buffer, value);
}

}  // namespace pgb
