// The learning tests of the algorithms: a suite file run either in process with the host's own
// run loop on the built-in plugins of this build (PGBENCH_PLUGIN_DIR), or by the pgbench binary
// (PGBENCH_BINARY) and read back from its curves.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

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

// ---- a suite run by the pgbench binary ----

// A run of one algorithm of `suite` on one thread into a fresh folder of the temporary directory, with the
// binary's output beside it; both are removed at the end of a test that passed and kept for
// inspection otherwise.
class SuiteRun {
 public:
  // `algorithm`: the one algorithm of the suite to run.
  SuiteRun(const std::string& binary, const std::string& suite, const std::string& algorithm)
      : dir_(std::filesystem::temp_directory_path() / ("pgbench-" + algorithm + "-" + std::to_string(::getpid()))),
        log_(dir_.string() + ".log") {
    std::filesystem::remove_all(dir_);
    const std::string command = "\"" + binary + "\" --suite \"" + suite + "\" --algos " + algorithm + " --out \"" +
                                dir_.string() + "\" --threads 1 --no-report > \"" + log_.string() + "\" 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command << "\nsee " << log_;
  }
  ~SuiteRun() {
    if (::testing::Test::HasFailure()) return;
    std::filesystem::remove_all(dir_);
    std::filesystem::remove(log_);
  }
  SuiteRun(const SuiteRun&) = delete;
  SuiteRun& operator=(const SuiteRun&) = delete;

  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_, log_;
};

// The final evaluation return of each seed of one cell (the last row of each curve.csv).
inline std::vector<double> final_eval_returns(const std::filesystem::path& run, const std::string& task,
                                              const std::string& algorithm) {
  std::vector<double> returns;
  const auto cell = run / "cells" / task / algorithm;
  for (int seed = 0; std::filesystem::exists(cell / ("seed-" + std::to_string(seed))); ++seed) {
    std::ifstream curve(cell / ("seed-" + std::to_string(seed)) / "curve.csv");
    std::string line, last;
    while (std::getline(curve, line))
      if (!line.empty()) last = line;
    std::stringstream fields(last);
    std::string env_step, eval_return_mean;
    std::getline(fields, env_step, ',');
    std::getline(fields, eval_return_mean, ',');
    returns.push_back(std::stod(eval_return_mean));
    std::printf("%s/%s/seed-%d: final eval return %.1f\n", task.c_str(), algorithm.c_str(), seed, returns.back());
  }
  return returns;
}

inline double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? NAN : sum / static_cast<double>(values.size());
}

}  // namespace pgbench::test
