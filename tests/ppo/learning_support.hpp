// The learning tests of the on-policy algorithms: run a suite file in process with the host's
// own run loop, on the built-in plugins of this build (PGBENCH_PLUGIN_DIR).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "host/run_loop.hpp"
#include "host/suite.hpp"

namespace pgbench::test {

// Runs every cell of the suite; returns the mean over its cells (seeds) of the final evaluation
// return (the task's eval_episodes fixed episodes of the deterministic policy).
inline double mean_final_return(const std::filesystem::path& suite_file) {
  PluginRegistry plugins;
  plugins.load({PGBENCH_PLUGIN_DIR});
  const auto resolved = resolve_suite(load_suite(suite_file), plugins);
  double sum = 0;
  for (const CellSpec& cell : resolved->cells) {
    RunControl control;
    const CellResult result = run_cell(cell, control);
    EXPECT_EQ(result.status, CellResult::Status::Ok) << result.error;
    if (result.curve.empty()) return NAN;
    const double final_return = result.curve.back().eval_return_mean;
    std::printf("%s: final eval return %.1f in %.1f s\n", cell.dir().c_str(), final_return, result.time.wall);
    sum += final_return;
  }
  return sum / static_cast<double>(resolved->cells.size());
}

}  // namespace pgbench::test
