// The grid: every cell of a resolved suite, at most `threads` at once, each in a worker process
// of its own (the default; host/scheduler.hpp) or in a thread of this process (TBB; for
// debugging and tests: a crashing plugin then ends the grid).
//
// A cell is a pure function of its spec (its seeds come from the master seed and its own names),
// so results are bit-identical whatever the isolation, the thread count or the order cells run
// in; cells already finished in the run directory are skipped, failed ones are run again.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>

#include "host/cell.hpp"
#include "host/results.hpp"
#include "host/run_loop.hpp"
#include "host/suite.hpp"
#include "host/scheduler.hpp"

namespace pgbench {

enum class Isolation { Process, Thread };

struct GridOptions {
  unsigned threads = 0;   // 0 = every hardware thread
  bool live_progress = false;  // redraw one status line (a terminal); else a log line per cell
  double progress_every_s = 0; // not live: also a status line in the log this often (0 = none)
  Isolation isolation = Isolation::Thread;
  WorkerCommand worker;   // Isolation::Process: how to start a cell's worker
  // Hands out positions in the list of pending cells (those not finished in the run directory, in
  // grid order); a position past its end means none is left. Default: 0, 1, 2, ... Under MPI the
  // ranks draw from one shared counter, so that each pending cell runs on exactly one rank.
  std::function<std::size_t()> next_pending;
  std::string log_name;   // when several processes share the grid: who prints ("rank 1"), instead of counts
};

// Where the time of one finished cell went.
struct CellProfile {
  std::string task, algorithm;
  PhaseTimes time;
  std::uint64_t env_steps = 0, updates = 0;
};

struct GridOutcome {
  std::size_t total = 0, already_finished = 0, ok = 0, failed = 0, interrupted = 0;
  std::vector<CellProfile> profiles;  // the cells run now, in the order they finished
  std::vector<std::string> failures;  // "cells/<task>/<algorithm>/seed-<k>: reason", in the order they failed
};

GridOutcome run_grid(const ResolvedSuite& suite, const RunDirectory& run, const GridOptions& options,
                     RunControl& control, std::ostream& log);

}  // namespace pgbench
