// The protocol (DESIGN.md §3): the host owns the interaction loop, counts the budget, applies the
// time limit, validates actions, and evaluates on separate env instances with fixed seeds.
#pragma once

#include "host/cell.hpp"

namespace pgbench {

// Runs one cell to the end of its budget. Never throws for a plugin failure: the result says
// Failed with the message. Returns Interrupted as soon as control.stop is set.
CellResult run_cell(const CellSpec& cell, RunControl& control);

// Env steps taken so far by the cell running on this thread. A thread-local plain integer, so a
// worker's crash handler may read it (async-signal-safe).
std::uint64_t current_cell_env_steps() noexcept;

}  // namespace pgbench
