// A cell of the grid: one (task, algorithm, seed index), fully resolved, and what running it gives.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "host/plugins.hpp"
#include "host/value.hpp"

namespace pgbench {

// A task as the protocol runs it: the env, its config, budget and evaluation schedule.
struct TaskSpec {
  std::string name;                  // the suite's key, e.g. "CartPole-v1"
  EnvType env;
  ResolvedConfig env_config;
  std::uint64_t steps = 0;           // env-step budget
  std::uint64_t eval_every = 0;      // env steps between evaluations
  std::uint32_t eval_episodes = 0;   // one episode per fixed eval seed
  std::uint32_t max_episode_steps = 0;  // host-applied time limit; 0 = none
  bool clip_actions = true;          // clip Box actions into the bounds (the algorithm sees its own)
  bool discrete_actions = false;     // the env's action space kind (read at resolution)
  // Limits of one cell's worker process (--isolation process); 0 = none. They do not change what
  // a cell computes, so they are not part of the grid's identity.
  double time_limit_s = 0;           // wall-clock seconds
  std::uint64_t memory_limit_bytes = 0;  // resident memory
  double checkpoint_every_s = 0;     // wall-clock seconds between a running cell's checkpoints; 0 = only on stop
};

struct AlgoSpec {
  std::string name;                  // the suite's key, e.g. "ppo"
  AlgoType algorithm;
  std::uint32_t num_envs = 1;
  ResolvedConfig hyperparameters;    // the suite's, before per-task overrides
};

struct CellSpec {
  const TaskSpec* task = nullptr;
  const AlgoSpec* algo = nullptr;
  ResolvedConfig hyperparameters;    // base + per-task overrides
  std::int64_t seed_index = 0;
  std::uint64_t master_seed = 0;
  std::string dir() const;           // "cells/<task>/<algorithm>/seed-<k>"
};

struct CurveRow {
  std::uint64_t env_step = 0;
  double eval_return_mean = 0, eval_return_std = 0;
  std::uint32_t eval_episodes = 0;
  double train_return_mean = 0;      // NaN when no training episode ended since the last row
  std::uint32_t train_episodes = 0;
  double wall_time_s = 0;
  std::map<std::string, double> metrics;  // mean of each metric emitted since the last row
};

struct EpisodeRecord {
  std::uint64_t env_step = 0;
  double episode_return = 0;
  std::uint64_t length = 0;
};

// Seconds spent in each phase of a cell; the host times them separately.
struct PhaseTimes {
  double env_step = 0, act = 0, observe = 0, update = 0, eval = 0, wall = 0;
};

struct CellResult {
  enum class Status { Ok, Failed, Interrupted } status = Status::Ok;
  std::string error;                 // Failed: what went wrong, in words
  std::string failed_plugin;         // Failed: the file name of the plugin at fault, when known
  std::string stderr_tail;           // Failed in a worker process: the end of what it printed
  std::vector<CurveRow> curve;
  std::vector<EpisodeRecord> episodes;
  PhaseTimes time;
  std::uint64_t env_steps = 0;
  std::uint64_t updates = 0;
  std::uint64_t resumed_at_env_step = 0;  // > 0: continued from a checkpoint taken there
};

// Shared between the grid and its cells: a stop request, and counters for the progress display.
struct RunControl {
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> env_steps_done{0};     // taken by the cells in flight and finished
  std::atomic<std::uint64_t> env_steps_resumed{0};  // taken before the checkpoints cells resumed from
};

}  // namespace pgbench
