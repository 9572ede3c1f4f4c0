// report/run_directory.hpp -- reads one or more run directories (written by the host; layout in
// the README's "Results" section) into one tidy set of cells.
//
// Several directories merge: shards of one grid (the same master seed: a cell present in two
// shards is one cell, used once) or different grids side by side, e.g. a new algorithm's run next
// to a reference run. Where their protocols differ (protocol_differences) the report refuses
// unless told to go on; runs under different master seeds are then different samples, all used. Damage is reported, never fatal: a truncated CSV, a
// missing summary or NaN returns becomes a Problem naming the file, the cell is counted as such,
// and the rest of the report goes on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pgbench::report {

struct TaskProtocol {
  std::string env;       // plugin id, e.g. "org.pgbench.classic.cartpole/1"
  std::string env_name;  // e.g. "CartPole-v1"
  std::string config;    // the environment's parameters that affect results, as compact JSON
  double steps = 0;      // env-step budget of one run
  double eval_every = 0;
  double eval_episodes = 0;
  double max_episode_steps = 0;
  std::string action_kind;
};

enum class CellStatus {
  finished,    // summary.json says ok and the curve is readable
  failed,      // summary.json says failed
  missing,     // listed in the manifest, no summary.json (in flight or interrupted)
  unreadable,  // a file is malformed or the returns are NaN: see the problems
};
const char* to_string(CellStatus status);

// One row per evaluation, in env-step order. NaN where a field was empty.
struct Curve {
  std::vector<double> env_step;
  std::vector<double> eval_return_mean;
  std::vector<double> eval_return_std;
  std::vector<double> train_return_mean;
  std::vector<double> wall_time_s;
};

// Seconds spent per phase over the whole run (NaN where the summary lacks them).
struct Timing {
  double wall_s = 0, env_step_s = 0, act_s = 0, observe_s = 0, update_s = 0, eval_s = 0;
  double steps_per_s = 0;
};

struct Cell {
  std::string task;
  std::string algorithm;
  int seed_index = 0;
  std::uint64_t master_seed = 0;
  std::filesystem::path dir;
  CellStatus status = CellStatus::missing;
  std::string error;  // the run's own error message when it failed
  Curve curve;
  Timing timing;
};

struct Problem {
  std::filesystem::path file;
  std::string message;
};

// Where two of the directories were not made under the same protocol, so that their scores do
// not compare like with like: a different master seed (other seeds: other initial states and
// noise), or for a task they share a different environment version or parameters, budget,
// evaluation schedule, number of evaluation episodes or episode time limit.
struct ProtocolDifference {
  std::string what;                // "master seed: 20261122 in ref, 7 in new"
  std::vector<std::string> tasks;  // the tasks it affects; empty = every task
};

struct Skipped {
  std::string task, algorithm, reason;
};

// A plugin a run loaded, as its manifest records it.
struct PluginRecord {
  std::string file, id, version, sha256, build_signature;
};

struct RunDirectoryInfo {
  std::filesystem::path path;
  std::string pgbench_version, git_commit;
  std::int64_t abi_version = 0;
  std::uint64_t master_seed = 0;
  std::string seeds;  // "3 seeds", with each algorithm that has its own: "3 seeds (ddpg: 2)"
  // "AMD EPYC, 2 hardware threads, x86_64, Linux ...": the machine the run began on, then any other
  // its cells ran on (a run resumed elsewhere, the pieces of a merge), each once.
  std::vector<std::string> machines;
  std::string build;    // "Release, GNU 12.2.0, -O3 ..."
  std::vector<PluginRecord> plugins;
};

struct RunSet {
  std::string suite_name;
  std::string suite_description;
  std::vector<RunDirectoryInfo> directories;
  std::vector<std::string> tasks;       // in first-seen order
  std::vector<std::string> algorithms;  // in first-seen order
  std::map<std::string, TaskProtocol> protocols;
  std::vector<Cell> cells;
  std::vector<Skipped> skipped;
  std::vector<Problem> problems;
  std::vector<ProtocolDifference> protocol_differences;  // of each directory against the first

  // Whether a difference affects `task`.
  bool protocol_differs(const std::string& task) const;
};

// Throws std::invalid_argument when a directory or its manifest.json is missing or unreadable
// (nothing can be reported about it); everything below the manifest becomes Problems.
RunSet read_run_directories(const std::vector<std::filesystem::path>& directories);

}  // namespace pgbench::report
