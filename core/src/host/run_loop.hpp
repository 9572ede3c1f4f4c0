// The protocol (DESIGN.md §3): the host owns the interaction loop, counts the budget, applies the
// time limit, validates actions, and evaluates on separate env instances with fixed seeds.
#pragma once

#include <filesystem>

#include "host/cell.hpp"

namespace pgbench {

// Mid-cell checkpoints (DESIGN.md §6): where a cell keeps its checkpoint and how often it writes
// it. A checkpoint holds the loop's state, the curve so far, the environment's state (ABI 1.1
// save_state) and the algorithm's full state; it is written atomically every `every_seconds` of
// wall clock and when the cell is stopped, and a cell that finds one continues from it, with
// results byte-identical to an uninterrupted run. An environment without save_state is not
// checkpointed: its cell starts again from step 0. The evaluation env needs no checkpoint: every
// evaluation starts it afresh from the task's fixed evaluation seeds.
struct CheckpointPolicy {
  std::filesystem::path file;
  double every_seconds = 0;  // 0: only when stopped
};

// Runs one cell to the end of its budget (from its checkpoint, if `checkpoints` names one that
// exists). Never throws for a plugin failure: the result says Failed with the message. Returns
// Interrupted as soon as control.stop is set, after writing a checkpoint when it can.
CellResult run_cell(const CellSpec& cell, RunControl& control, const CheckpointPolicy* checkpoints = nullptr);

// Env steps taken so far by the cell running on this thread. A thread-local plain integer, so a
// worker's crash handler may read it (async-signal-safe).
std::uint64_t current_cell_env_steps() noexcept;

}  // namespace pgbench
