// The scheduler side of process isolation (DESIGN.md §6): every cell in a worker process of its
// own, at most `parallel` at once, so that whatever a plugin does (segfault, abort, exit, hang,
// runaway memory) ends as one failed cell with its reason, never as a dead grid.
//
// Workers are this same binary re-executed (`pgbench worker ...`, see host/worker.hpp), started
// with fork+exec: a fresh process image, no state inherited from the scheduler's threads. Each
// dies with the scheduler (PR_SET_PDEATHSIG), so a killed host leaves no orphans.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "host/cell.hpp"

namespace pgbench {

// How to start the worker of a cell: `program args... <cell arguments> --status-fd 3`.
struct WorkerCommand {
  std::filesystem::path program;
  std::vector<std::string> args;                                         // shared by every cell
  std::function<std::vector<std::string>(const CellSpec&)> cell_args;    // names the cell
};

// What became of a worker.
struct WorkerOutcome {
  enum class Kind {
    Finished,     // the worker wrote the cell's files (its summary says ok or failed)
    Failed,       // the worker died or was killed: `failure` says why; nothing was written
    Interrupted,  // stopped by a stop request before it finished; nothing was written
  } kind = Kind::Finished;
  CellResult failure;  // Failed: status, error, failed_plugin, env_steps, stderr_tail
};

// Seconds to wait after SIGTERM before SIGKILL, when stopping or at a time limit.
inline constexpr double kStopGraceSeconds = 5.0;

// The cells to run, one at a time: the next one, or nullptr when there is none left. Called from
// the thread that runs the cells (so a source may hand out cells shared with other processes).
using CellSource = std::function<const CellSpec*()>;

// Runs every cell `next_cell` gives in a worker and calls `on_finish` (from this thread) as each
// ends. Per-cell limits come from the task (TaskSpec::time_limit_s, memory_limit_bytes). When
// control.stop is set, no new worker starts, running ones get SIGTERM and, after the grace
// period, SIGKILL; cells not started yet are taken and reported Interrupted.
void run_in_workers(const CellSource& next_cell, unsigned parallel, const WorkerCommand& command,
                    RunControl& control, const std::function<void(const CellSpec&, const WorkerOutcome&)>& on_finish);

// "3600 s", "90 min", "8 GiB": the limits as error messages and --help state them.
std::string duration_text_exact(double seconds);
std::string bytes_text(std::uint64_t bytes);

}  // namespace pgbench
