#include "host/run_loop.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <numeric>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>
#include <pgbench/sdk/archive.hpp>
#include <pgbench/sdk/rng.hpp>

#include "host/instances.hpp"
#include "host/results.hpp"
#include "host/seeds.hpp"

namespace pgbench {

std::string CellSpec::dir() const {
  return fmt::format("cells/{}/{}/seed-{}", task->name, algo->name, seed_index);
}

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// Read by current_cell_env_steps(), from a signal handler too: initial-exec, as t_call in
// instances.cpp.
[[gnu::tls_model("initial-exec")]] thread_local std::uint64_t t_cell_env_steps = 0;

constexpr std::uint64_t kProgressChunk = 4096;  // env steps between updates of the shared progress counter

// Adds the time spent in a scope to one phase counter.
class PhaseTimer {
 public:
  explicit PhaseTimer(double& total) : total_(total), start_(Clock::now()) {}
  ~PhaseTimer() { total_ += std::chrono::duration<double>(Clock::now() - start_).count(); }
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

 private:
  double& total_;
  Clock::time_point start_;
};

// Collects metrics emitted by update(); a row of the curve reports the mean since the last row.
struct MetricAccumulator {
  struct Sum {
    double sum = 0;
    std::uint64_t count = 0;
  };
  std::map<std::string, Sum> sums;
  static void PGB_ABI emit(void* ctx, const char* key, double value) {
    if (!key) return;
    auto& [sum, count] = static_cast<MetricAccumulator*>(ctx)->sums[key];
    sum += value;
    ++count;
  }
  std::map<std::string, double> take_means() {
    std::map<std::string, double> means;
    for (auto& [key, s] : sums) means[key] = s.count ? s.sum / static_cast<double>(s.count) : NAN;
    sums.clear();
    return means;
  }
};

bool all_finite(const double* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(x[i])) return false;
  return true;
}

// Checks the algorithm's actions against the action space and writes what the env receives.
// Box: NaN/Inf fail the cell; values outside the bounds are clipped when the task asks for it,
// and fail the cell otherwise. Discrete: an index outside the space fails the cell.
class ActionValidator {
 public:
  ActionValidator(const pgb_space_t& space, bool clip) : space_(space), clip_(clip), dim_(space_dim(space)) {}

  void operator()(const void* in, void* out, std::uint32_t rows, const std::uint8_t* mask) const {
    if (space_.kind == PGB_SPACE_DISCRETE) {
      const auto* a = static_cast<const std::int64_t*>(in);
      for (std::uint32_t r = 0; r < rows; ++r) {
        if (mask && !mask[r]) continue;
        if (a[r] < space_.start || a[r] >= space_.start + space_.n)
          throw PluginError(fmt::format("the algorithm chose action {} for sub-env {}; the Discrete space accepts "
                                        "{} .. {}", a[r], r, space_.start, space_.start + space_.n - 1));
      }
      std::copy(a, a + rows, static_cast<std::int64_t*>(out));
      return;
    }
    const auto* a = static_cast<const double*>(in);
    auto* b = static_cast<double*>(out);
    for (std::uint32_t r = 0; r < rows; ++r) {
      if (mask && !mask[r]) continue;
      for (std::size_t d = 0; d < dim_; ++d) {
        const std::size_t k = r * dim_ + d;
        const double low = space_.low ? space_.low[d] : -INFINITY;
        const double high = space_.high ? space_.high[d] : INFINITY;
        if (!std::isfinite(a[k]))
          throw PluginError(fmt::format("the algorithm produced a non-finite action ({}) for sub-env {}, dimension {}",
                                        a[k], r, d));
        if (a[k] < low || a[k] > high) {
          if (!clip_)
            throw PluginError(fmt::format("the algorithm's action {} for sub-env {}, dimension {} is outside [{}, {}] "
                                          "and the task does not clip actions", a[k], r, d, low, high));
          b[k] = std::clamp(a[k], low, high);
        } else {
          b[k] = a[k];
        }
      }
    }
  }

  std::size_t bytes_per_row() const noexcept { return space_.kind == PGB_SPACE_DISCRETE ? sizeof(std::int64_t) : dim_ * sizeof(double); }

 private:
  const pgb_space_t& space_;
  bool clip_;
  std::size_t dim_;
};

// The evaluation protocol: one episode per fixed eval seed, on the eval instance, act_eval only,
// score = undiscounted raw return with the task's time limit.
class Evaluator {
 public:
  Evaluator(const TaskSpec& task, std::uint64_t master_seed)
      : task_(task),
        env_(task.env, task.eval_episodes, task.env_config,
             derive_seed(master_seed, task.name, "*", -1, "env-eval")),
        validate_(*env_.info().action_space, task.clip_actions) {
    const std::uint32_t n = task.eval_episodes;
    std::uint64_t stream = derive_seed(master_seed, task.name, "*", -1, "env-eval-resets");
    seeds_.resize(n);
    for (auto& s : seeds_) s = pgb::splitmix64(stream);
    obs_.resize(n * env_.obs_dim());
    live_obs_.resize(obs_.size());
    raw_actions_.resize(n * validate_.bytes_per_row());
    env_actions_.resize(raw_actions_.size());
    live_actions_.resize(raw_actions_.size());
    reward_.resize(n);
    terminated_.resize(n);
    truncated_.resize(n);
    live_.resize(n);
  }

  // Returns (mean, std with ddof 0) of the eval returns.
  std::pair<double, double> operator()(AlgoHandle& algo) {
    const std::uint32_t n = task_.eval_episodes;
    const std::size_t od = env_.obs_dim();
    const std::size_t row_bytes = validate_.bytes_per_row();
    std::vector<double> returns(n, 0.0);
    std::vector<std::uint64_t> lengths(n, 0);
    std::fill(live_.begin(), live_.end(), 1);
    env_.reset(nullptr, seeds_.data(), obs_.data());
    pgb_step_out_t out{};
    out.struct_size = sizeof out;
    out.num_envs = n;
    out.observation = obs_.data();
    out.reward = reward_.data();
    out.terminated = terminated_.data();
    out.truncated = truncated_.data();
    std::uint32_t remaining = n;
    while (remaining > 0) {
      // act_eval sees only the episodes still running, packed into consecutive rows.
      std::uint32_t rows = 0;
      for (std::uint32_t i = 0; i < n; ++i)
        if (live_[i]) std::copy_n(&obs_[i * od], od, &live_obs_[rows++ * od]);
      algo.act_eval(live_obs_.data(), rows, live_actions_.data());
      for (std::uint32_t i = 0, r = 0; i < n; ++i)
        if (live_[i]) std::copy_n(&live_actions_[r++ * row_bytes], row_bytes, &raw_actions_[i * row_bytes]);
      validate_(raw_actions_.data(), env_actions_.data(), n, live_.data());
      env_.step(env_actions_.data(), live_.data(), out);
      for (std::uint32_t i = 0; i < n; ++i) {
        if (!live_[i]) continue;
        if (!std::isfinite(reward_[i]) || !all_finite(&obs_[i * od], od))
          throw PluginError(fmt::format("environment '{}' produced a non-finite observation or reward in evaluation",
                                        task_.env.desc->name),
                            task_.env.library->path.string());
        returns[i] += reward_[i];
        ++lengths[i];
        const bool time_up = task_.max_episode_steps && lengths[i] >= task_.max_episode_steps;
        if (terminated_[i] || truncated_[i] || time_up) {
          live_[i] = 0;
          --remaining;
        }
      }
    }
    const double mean = std::accumulate(returns.begin(), returns.end(), 0.0) / n;
    double var = 0.0;
    for (double r : returns) var += (r - mean) * (r - mean);
    return {mean, std::sqrt(var / n)};
  }

 private:
  const TaskSpec& task_;
  EnvHandle env_;
  ActionValidator validate_;
  std::vector<std::uint64_t> seeds_;
  std::vector<double> obs_, live_obs_, reward_;
  std::vector<unsigned char> raw_actions_, env_actions_, live_actions_;
  std::vector<std::uint8_t> terminated_, truncated_, live_;
};

// What the interaction loop carries from one step to the next, beyond the instances' own state:
// all a checkpoint needs to continue the loop bit-for-bit.
struct LoopState {
  std::uint64_t steps = 0, next_eval = 0;
  std::vector<double> obs;                    // (num_envs x obs_dim) the current observations
  std::vector<double> episode_return;         // (num_envs) of the episodes in progress
  std::vector<std::uint64_t> episode_length;  // (num_envs)
  double train_return_sum = 0;                // of the episodes ended since the last curve row
  std::uint32_t train_episodes_since_row = 0;
  MetricAccumulator metrics;                  // update()'s metrics since the last curve row
};

constexpr std::string_view kCheckpointFormat = "pgbench-cell-checkpoint/1";

// One description of a checkpoint's layout for both directions: `io` is a pgb::OutputArchive
// (writing; the state may be const) or a pgb::InputArchive (reading into it); pod() and
// pod_vector() go either way.
template <class Io>
constexpr bool kReading = std::is_same_v<Io, pgb::InputArchive>;

template <class Io, class Map>
void transfer_map(Io& io, Map& map) {
  std::uint64_t n = map.size();
  io.pod(n);
  if constexpr (kReading<Io>) {
    for (; n > 0; --n) {
      std::string key = io.string();
      io.pod(map[key]);
    }
  } else {
    for (const auto& [key, value] : map) {
      io.string(key);
      io.pod(value);
    }
  }
}

template <class Io, class State, class Result, class Seconds>
void transfer(Io& io, State& state, Result& result, Seconds& elapsed) {
  io.pod(state.steps);
  io.pod(state.next_eval);
  io.pod_vector(state.obs);
  io.pod_vector(state.episode_return);
  io.pod_vector(state.episode_length);
  io.pod(state.train_return_sum);
  io.pod(state.train_episodes_since_row);
  transfer_map(io, state.metrics.sums);
  std::uint64_t rows = result.curve.size();
  io.pod(rows);
  if constexpr (kReading<Io>) result.curve.resize(rows);
  for (auto& row : result.curve) {
    io.pod(row.env_step);
    io.pod(row.eval_return_mean);
    io.pod(row.eval_return_std);
    io.pod(row.eval_episodes);
    io.pod(row.train_return_mean);
    io.pod(row.train_episodes);
    io.pod(row.wall_time_s);
    transfer_map(io, row.metrics);
  }
  io.pod_vector(result.episodes);
  io.pod(result.updates);
  io.pod(result.time);
  io.pod(elapsed);
}

// The cell's checkpoint: its identity (cell, plugin files), the loop's state, the curve and
// episodes so far, the phase times, then the environment's and the algorithm's own bytes.
std::string encode_checkpoint(const CellSpec& cell, const LoopState& state, const CellResult& result, double elapsed,
                              const EnvHandle& env, AlgoHandle& algo) {
  std::string bytes;
  pgb::OutputArchive out([&bytes](const void* data, std::size_t size) { bytes.append(static_cast<const char*>(data), size); });
  out.tag(kCheckpointFormat);
  out.string(cell.dir());
  out.string(cell.task->env.library->sha256);
  out.string(cell.algo->algorithm.library->sha256);
  transfer(out, state, result, elapsed);
  out.pod_vector(env.save_state());
  out.pod_vector(algo.save(PGB_STATE_FULL));
  out.tag("end");
  return bytes;
}

// Restores a checkpoint written by encode_checkpoint for this very cell and these plugin files.
// Returns false, leaving everything as it was, when there is none or it belongs to something
// else (another cell, a rebuilt plugin) or is damaged: the cell then starts from step 0.
bool load_checkpoint(const fs::path& file, const CellSpec& cell, LoopState& state, CellResult& result,
                     double& elapsed, EnvHandle& env, AlgoHandle& algo) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) return false;
  const std::string bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  std::size_t offset = 0;
  pgb::InputArchive in([&](void* data, std::size_t size) {
    if (size > bytes.size() - offset) throw std::runtime_error("checkpoint ends early");
    std::memcpy(data, bytes.data() + offset, size);
    offset += size;
  });
  LoopState loaded;
  CellResult partial;
  double loaded_elapsed = 0;
  std::vector<std::uint8_t> env_state, algo_state;
  try {
    in.expect_tag(kCheckpointFormat);
    if (in.string() != cell.dir() || in.string() != cell.task->env.library->sha256 ||
        in.string() != cell.algo->algorithm.library->sha256)
      return false;
    transfer(in, loaded, partial, loaded_elapsed);
    in.pod_vector(env_state);
    in.pod_vector(algo_state);
    in.expect_tag("end");
  } catch (const std::exception&) {
    return false;
  }
  if (loaded.obs.size() != state.obs.size() || loaded.episode_return.size() != state.episode_return.size()) return false;
  env.load_state(env_state);
  algo.load(PGB_STATE_FULL, algo_state);
  state = std::move(loaded);
  result.curve = std::move(partial.curve);
  result.episodes = std::move(partial.episodes);
  result.updates = partial.updates;
  result.time = partial.time;
  elapsed = loaded_elapsed;
  return true;
}

}  // namespace

std::uint64_t current_cell_env_steps() noexcept { return t_cell_env_steps; }

CellResult run_cell(const CellSpec& cell, RunControl& control, const CheckpointPolicy* checkpoints) {
  CellResult result;
  t_cell_env_steps = 0;
  const TaskSpec& task = *cell.task;
  const AlgoSpec& algo_spec = *cell.algo;
  const auto started = Clock::now();
  double elapsed_before = 0;  // wall seconds of the run before the checkpoint it resumed from
  const auto elapsed = [&] { return elapsed_before + std::chrono::duration<double>(Clock::now() - started).count(); };
  try {
    const std::uint32_t n = algo_spec.num_envs;
    EnvHandle env(task.env, n, task.env_config,
                  derive_seed(cell.master_seed, task.name, "*", cell.seed_index, "env-train"));
    AlgoHandle algo(algo_spec.algorithm, n, *env.info().observation_space, *env.info().action_space,
                    cell.hyperparameters,
                    derive_seed(cell.master_seed, task.name, algo_spec.name, cell.seed_index, "algorithm"), task.steps);
    Evaluator evaluate(task, cell.master_seed);
    const ActionValidator validate(*env.info().action_space, task.clip_actions);
    const bool checkpointing = checkpoints && env.can_save_state();

    const std::size_t od = env.obs_dim();
    const std::size_t row_bytes = validate.bytes_per_row();
    LoopState state;
    state.obs.resize(n * od);
    state.episode_return.assign(n, 0.0);
    state.episode_length.assign(n, 0);
    state.next_eval = task.eval_every;
    std::vector<double> next_obs(n * od), reward(n);
    std::vector<unsigned char> actions(n * row_bytes), env_actions(n * row_bytes);
    std::vector<std::uint8_t> terminated(n), truncated(n), ended(n);

    const bool resumed = checkpointing && load_checkpoint(checkpoints->file, cell, state, result, elapsed_before, env, algo);
    if (resumed) {
      result.resumed_at_env_step = state.steps;
      control.env_steps_resumed.fetch_add(state.steps, std::memory_order_relaxed);
    }
    const pgb_metric_sink_t sink{&state.metrics, &MetricAccumulator::emit};
    const auto save_checkpoint = [&] {
      write_file_atomic(checkpoints->file, encode_checkpoint(cell, state, result, elapsed(), env, algo));
    };

    const auto record_row = [&](std::uint64_t step) {
      CurveRow row;
      {
        PhaseTimer t(result.time.eval);
        std::tie(row.eval_return_mean, row.eval_return_std) = evaluate(algo);
      }
      row.env_step = step;
      row.eval_episodes = task.eval_episodes;
      row.train_episodes = state.train_episodes_since_row;
      row.train_return_mean = state.train_episodes_since_row ? state.train_return_sum / state.train_episodes_since_row : NAN;
      row.wall_time_s = elapsed();
      row.metrics = state.metrics.take_means();
      result.curve.push_back(std::move(row));
      state.train_return_sum = 0.0;
      state.train_episodes_since_row = 0;
    };

    if (!resumed) {
      // First resets: one seed per sub-env from the env-train stream (then each stream continues).
      std::uint64_t reset_stream = derive_seed(cell.master_seed, task.name, "*", cell.seed_index, "env-train-resets");
      std::vector<std::uint64_t> first_seeds(n);
      for (auto& s : first_seeds) s = pgb::splitmix64(reset_stream);
      env.reset(nullptr, first_seeds.data(), state.obs.data());
      record_row(0);
    }

    pgb_step_out_t out{};
    out.struct_size = sizeof out;
    out.num_envs = n;
    out.reward = reward.data();
    out.terminated = terminated.data();
    out.truncated = truncated.data();
    pgb_transition_batch_t batch{};
    batch.struct_size = sizeof batch;
    batch.rows = n;
    batch.action = actions.data();
    batch.reward = reward.data();
    batch.terminated = terminated.data();
    batch.truncated = truncated.data();

    // Phase timing by laps: one clock read per phase boundary, each read closing one phase and
    // opening the next, so timing costs three reads per step rather than two per phase.
    Clock::time_point mark;
    const auto lap = [&mark](double& phase) {
      const Clock::time_point now = Clock::now();
      phase += std::chrono::duration<double>(now - mark).count();
      mark = now;
    };
    // Periodic checkpoints, when asked for (one year stands for never: no overflow, no clock read).
    const bool periodic = checkpointing && checkpoints->every_seconds > 0;
    const auto checkpoint_interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(periodic ? std::min(checkpoints->every_seconds, 365 * 86400.0) : 0.0));
    Clock::time_point next_checkpoint = Clock::now() + checkpoint_interval;

    std::uint64_t& steps = state.steps;
    std::uint64_t unreported_steps = 0;
    result.env_steps = t_cell_env_steps = steps;
    mark = Clock::now();
    while (steps < task.steps) {
      if (control.stop.load(std::memory_order_relaxed)) {
        // Stopped (Ctrl-C, SIGTERM, a Slurm time limit): keep what this cell has done.
        if (checkpointing) save_checkpoint();
        result.status = CellResult::Status::Interrupted;
        return result;
      }
      algo.act(state.obs.data(), n, actions.data());
      lap(result.time.act);
      validate(actions.data(), env_actions.data(), n, nullptr);
      out.observation = next_obs.data();  // obs and next_obs swap buffers every step
      env.step(env_actions.data(), nullptr, out);
      lap(result.time.env_step);
      steps += n;
      result.env_steps = steps;
      t_cell_env_steps = steps;
      // The progress counter is shared by every cell in flight: add to it in chunks rather than
      // every step, so the cells' threads do not contend for its cache line.
      if ((unreported_steps += n) >= kProgressChunk) {
        control.env_steps_done.fetch_add(unreported_steps, std::memory_order_release);  // after a resume's count
        unreported_steps = 0;
      }

      bool any_ended = false;
      for (std::uint32_t i = 0; i < n; ++i) {
        if (!std::isfinite(reward[i]) || !all_finite(&next_obs[i * od], od))
          throw PluginError(fmt::format("environment '{}' produced a non-finite observation or reward at env step {}",
                                        task.env.desc->name, steps),
                            task.env.library->path.string());
        state.episode_return[i] += reward[i];
        ++state.episode_length[i];
        if (task.max_episode_steps && state.episode_length[i] >= task.max_episode_steps && !terminated[i]) truncated[i] = 1;
        ended[i] = terminated[i] || truncated[i];
        any_ended = any_ended || ended[i];
      }

      batch.observation = state.obs.data();
      batch.next_observation = next_obs.data();
      const bool update_ready = algo.observe(batch);
      lap(result.time.observe);
      if (update_ready) {
        algo.update(steps, sink);
        ++result.updates;
        lap(result.time.update);
      }

      if (any_ended) {
        for (std::uint32_t i = 0; i < n; ++i) {
          if (!ended[i]) continue;
          result.episodes.push_back({steps, state.episode_return[i], state.episode_length[i]});
          state.train_return_sum += state.episode_return[i];
          ++state.train_episodes_since_row;
          state.episode_return[i] = 0.0;
          state.episode_length[i] = 0;
        }
        env.reset(ended.data(), nullptr, next_obs.data());
        lap(result.time.env_step);
      }
      std::swap(state.obs, next_obs);

      if (steps >= state.next_eval && steps < task.steps) {
        record_row(steps);
        while (state.next_eval <= steps) state.next_eval += task.eval_every;
        mark = Clock::now();
      }
      if (periodic && mark >= next_checkpoint && steps < task.steps) {
        save_checkpoint();
        mark = Clock::now();
        next_checkpoint = mark + checkpoint_interval;
      }
    }
    control.env_steps_done.fetch_add(unreported_steps, std::memory_order_release);
    record_row(steps);
  } catch (const PluginError& e) {
    result.status = CellResult::Status::Failed;
    result.error = e.what();
    // The only protocol errors raised without a library are the action checks: the algorithm's.
    const fs::path& culprit = e.plugin_file.empty() ? algo_spec.algorithm.library->path : fs::path(e.plugin_file);
    result.failed_plugin = culprit.filename().string();
  } catch (const std::exception& e) {
    result.status = CellResult::Status::Failed;
    result.error = e.what();
  }
  result.time.wall = elapsed();
  return result;
}

}  // namespace pgbench
