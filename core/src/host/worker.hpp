// The worker side of process isolation (DESIGN.md §6): one cell, run in a process of its own.
//
// The scheduler (host/scheduler.hpp) starts `pgbench worker ...` for each cell. The worker runs the
// cell exactly as a grid thread would (run_cell, then RunDirectory::write_cell, so the files are
// byte-identical between the two modes) and reports to the scheduler through a pipe, one line per
// message:
//
//   steps N                      progress: N env steps taken (about twice a second)
//   resumed N                    the cell continued from a checkpoint taken at env step N (once)
//   at STEP                      the exact env step reached, sent before each "in" line
//   in FILE<TAB>NAME<TAB>CALL    the plugin call in progress when the worker was stopped, crashed
//                                or a plugin called exit(): library path, component, function
//   exit                         a plugin called exit() (sent before the "in" line, if any)
//   done                         the cell's files are written; the worker is about to _exit(0)
//
// A cell is finished only once "done" has arrived; anything else the scheduler turns into a
// failed cell with a reason. The worker ignores SIGINT (the scheduler decides on Ctrl-C), stops
// its cell at the next step on SIGTERM, and dies with the scheduler (PR_SET_PDEATHSIG).
#pragma once

#include "host/cell.hpp"
#include "host/results.hpp"

namespace pgbench {

// The exit status of a worker whose cell was interrupted (SIGTERM) before it finished.
inline constexpr int kWorkerInterrupted = 130;

// Runs `cell` and writes its files into `run`, reporting on `status_fd`. Never returns: the
// process ends with _exit, so plugin libraries are never unloaded and static destructors of
// plugin code never run after a failure.
[[noreturn]] void run_worker(const CellSpec& cell, const RunDirectory& run, int status_fd);

}  // namespace pgbench
