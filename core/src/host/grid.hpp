// The grid: every cell of a resolved suite, run in parallel with TBB, one thread per cell.
//
// A cell is a pure function of its spec (its seeds come from the master seed and its own names),
// so results do not depend on the thread count or on the order cells run in; cells already
// finished in the run directory are skipped.
#pragma once

#include <cstdint>
#include <ostream>

#include "host/cell.hpp"
#include "host/results.hpp"
#include "host/run_loop.hpp"
#include "host/suite.hpp"

namespace pgbench {

struct GridOptions {
  unsigned threads = 0;   // 0 = every hardware thread
  bool live_progress = false;  // redraw one status line (a terminal); else a log line per cell
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
};

GridOutcome run_grid(const ResolvedSuite& suite, const RunDirectory& run, const GridOptions& options,
                     RunControl& control, std::ostream& log);

}  // namespace pgbench
