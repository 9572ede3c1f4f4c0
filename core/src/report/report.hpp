// report/report.hpp -- `pgbench report`: the statistics of specs/statistics.md over one or more
// run directories, written as report.md, report.html, tables (Markdown, LaTeX, CSV),
// summary.json and gnuplot figures (PDF, PNG, SVG, with their scripts and data).
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace pgbench::report {

struct Options {
  std::vector<std::filesystem::path> run_dirs;  // one or more run directories, merged
  std::filesystem::path out_dir;                // empty = run_dirs.front() / "report"
  std::vector<std::string> formats;             // subset of {md, html, tex, csv, json, pdf, png, svg}; empty = all
  std::string score = "final";                  // final | last-k | auc | max
  int last_k = 5;
  double ci = 0.95;
  int bootstrap = 50000;                        // replicates for cell, difference and aggregate CIs
  std::string baseline;                         // empty = every pair of algorithms is compared
  std::string normalize;                        // built-in table name, a file, or "none"; empty = the suite's
  std::uint64_t seed = 0;                       // bootstrap seed
  // Added for pgbench report:
  int profile_bootstrap = 2000;                 // replicates for performance profiles and P(X > Y)
  double power_difference = 0.1;                // normalised difference the power table sizes N for
  std::string bands = "bootstrap";              // around mean learning curves: bootstrap | t | std
  int smooth = 1;                               // trailing mean over this many evaluations (1: none)
  std::string gnuplot = "gnuplot";              // the program that renders figures (name on PATH or path)
  // Directories made under different protocols (RunSet::protocol_differences) are refused unless
  // this is set; then the report lists the differences and marks the rows they affect.
  bool allow_mismatch = false;
};

// Writes the report; returns the output directory. Throws std::invalid_argument with a message
// that names the bad input and what is accepted (unknown score name, missing run directory, runs
// made under different protocols without allow_mismatch, …).
// Damaged cells (truncated CSV, missing summary, NaN returns) do not throw: the report names
// the files and counts the cells, and `log` gets one line per problem.
std::filesystem::path write_report(const Options& options, std::ostream& log);

}  // namespace pgbench::report
