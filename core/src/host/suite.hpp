// Suites: which tasks, algorithms, seeds, budgets and hyperparameters a grid runs.
//
//   name: classic-control
//   description: ...
//   master_seed: 20261122
//   seeds: 5                 # a count (indices 0..4) or a list of indices [0, 3, 7]
//   defaults:                # task settings shared by every task unless it sets its own
//     eval_every: 5000
//     eval_episodes: 10
//   tasks:
//     CartPole-v1:           # the task's name in results; `env` defaults to it
//       env: CartPole-v1     # env id or name
//       steps: 100000        # env-step budget
//       config: {}           # env parameters
//   algorithms:
//     ppo:                   # the algorithm's name in results; `algorithm` defaults to it
//       algorithm: ppo
//       num_envs: 8          # sub-envs per run
//       seeds: 3             # optional: this algorithm's seeds, in place of the suite's
//       tasks: [CartPole-v1] # optional: the only tasks it runs (default: every task)
//       hyperparameters: {learning_rate: 3.0e-4}
//       per_task:            # overrides of hyperparameters for one task
//         Pendulum-v1: {learning_rate: 1.0e-3}
//
// Task settings: steps, eval_every, eval_episodes, max_episode_steps (default: the env's own
// registered limit), clip_actions (default true), cell_time_limit (default 24h) and
// cell_memory_limit (default 8GiB): the limits of one cell's worker process, "none" for no limit;
// checkpoint_every (default 5min): wall-clock time between a running cell's checkpoints, "none"
// for checkpoints only when the cell is stopped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/cell.hpp"
#include "host/plugins.hpp"
#include "host/value.hpp"

namespace pgbench {

struct TaskEntry {
  std::string name;
  std::string env;
  Overrides config;
  Overrides settings;  // steps, eval_every, eval_episodes, max_episode_steps, clip_actions
};

struct AlgoEntry {
  std::string name;
  std::string algorithm;
  Overrides settings;  // num_envs
  // A costly algorithm can run on fewer seeds or tasks than the rest of the grid (a stated subset,
  // e.g. DDPG on two tasks with two seeds): unset, the suite's seeds and every task.
  std::optional<std::vector<std::int64_t>> seeds;
  std::optional<std::vector<std::string>> tasks;
  Overrides hyperparameters;
  std::map<std::string, Overrides> per_task;
};

struct Suite {
  std::string name;
  std::string description;
  std::filesystem::path file;
  std::uint64_t master_seed = 0;
  std::vector<std::int64_t> seeds;
  std::vector<TaskEntry> tasks;
  std::vector<AlgoEntry> algorithms;
  Overrides defaults;                               // the task settings every task starts from
  std::vector<std::string> added_from_command_line;  // "algorithm NAME" / "task NAME" not in the file
};

// Reads and checks the structure of a suite file; throws std::invalid_argument naming the file,
// the key and what is accepted.
Suite load_suite(const std::filesystem::path& file);
// The same from the text of a suite; `file` is what messages call it.
Suite parse_suite(const std::string& yaml, const std::filesystem::path& file);

// Finds a suite. A bare name ("smoke") is looked up only in the suite folders, never in the
// current directory; anything with a '/' is a file path ("./smoke.yaml"). The error lists the
// suites available and, when a bare name matches a file here, says to give it as a path.
std::filesystem::path find_suite(const std::string& name_or_path,
                                 const std::vector<std::filesystem::path>& extra_folders = {});
// The suite folders, searched in order: `extra` (--suite-path), PGBENCH_SUITE_PATH
// (':'-separated), then the shipped suites (share/pgbench/suites beside the binary, and this
// source tree's suites/).
std::vector<std::filesystem::path> suite_folders(const std::vector<std::filesystem::path>& extra = {});
// How a manifest names the suite file: "suites/NAME.yaml" for a shipped one (no machine path),
// else the path as found.
std::string suite_file_label(const std::filesystem::path& file);

// Command-line changes to a suite, applied in this order.
struct SuiteOverrides {
  std::vector<std::string> algos;           // keep only these algorithms (suite keys)
  std::vector<std::string> envs;            // keep only these tasks (suite keys)
  std::optional<std::int64_t> seeds;        // seed indices 0..seeds-1, for the suite and every algorithm
  std::optional<std::uint64_t> steps;       // every task's budget
  std::vector<std::string> sets;            // "NAME.KEY=VALUE": NAME a task or algorithm of the suite
  std::optional<std::string> cell_time_limit, cell_memory_limit, checkpoint_every;  // every task's
};

// The default limits of a cell's worker process, and how limits are written.
inline constexpr double kDefaultCellTimeLimitSeconds = 24 * 3600;
inline constexpr std::uint64_t kDefaultCellMemoryLimitBytes = 8ull << 30;
inline constexpr double kDefaultCheckpointEverySeconds = 300;
// "3600", "90s", "30min", "2h", "1d"; "none" or 0 for no limit. Throws std::invalid_argument.
double parse_duration(const std::string& where, const std::string& text);
// "8GiB", "512MiB", "1.5GiB" (also "8G", "512M", "8GB"); "none" or 0 for no limit.
std::uint64_t parse_byte_size(const std::string& where, const std::string& text);
// `loaded` says whether a name that the suite lacks is a loaded plugin's algorithm or environment
// (kind "algorithm" or "environment"): such names in --algos / --envs join the grid with their
// declared defaults (an added task takes the suite's `defaults` and needs a budget) and are
// recorded in Suite::added_from_command_line. Without `loaded`, --algos and --envs only select.
using LoadedName = std::function<bool(const std::string& kind, const std::string& name)>;
void apply_overrides(Suite& suite, const SuiteOverrides& overrides, const LoadedName& loaded = {});

// A suite checked against the loaded plugins, ready to run.
struct ResolvedSuite {
  Suite suite;
  std::vector<TaskSpec> tasks;
  std::vector<AlgoSpec> algorithms;
  std::vector<CellSpec> cells;  // task-major, then algorithm, then seed
  struct Skipped {
    std::string task, algorithm, reason;
  };
  std::vector<Skipped> skipped;
  nlohmann::json to_json() const;  // the "suite" section of the manifest
  // The grid's shape for messages: "4 tasks x 10 algorithms x 5 seeds", then each algorithm that
  // runs a subset of it ("; ddpg: 2 tasks x 2 seeds").
  std::string shape() const;
};

// Throws std::invalid_argument on an unknown env or algorithm (with "did you mean"), a bad
// parameter, or a task the env cannot be created for. Incompatible (task, algorithm) pairs are
// skipped and listed, not errors. The result keeps pointers into itself: do not copy it.
std::unique_ptr<ResolvedSuite> resolve_suite(const Suite& suite, const PluginRegistry& plugins);

}  // namespace pgbench
