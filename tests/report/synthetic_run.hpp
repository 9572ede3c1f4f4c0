// A run directory in the host's format, written by the tests themselves: learning curves that
// rise towards a known level with seeded noise, so every statistic has a known neighbourhood.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace pgbench::report::testing {

struct SyntheticAlgorithm {
  std::string name;
  // Final evaluation return per task, in the order of SyntheticRun::tasks.
  std::vector<double> final_return;
  double steps_per_s = 5000;
};

struct SyntheticTask {
  std::string name;      // the suite's key
  std::string env_name;
  double start_return;   // return at step 0
  double noise;          // std of the evaluation noise
};

struct SyntheticRun {
  std::string suite = "classic-control";
  std::uint64_t master_seed = 1;
  std::vector<int> seeds = {0, 1, 2, 3, 4};
  double steps = 100000;
  double eval_every = 5000;
  std::vector<SyntheticTask> tasks = {{"CartPole-v1", "CartPole-v1", 22.0, 25.0},
                                      {"Pendulum-v1", "Pendulum-v1", -1225.0, 60.0}};
  std::vector<SyntheticAlgorithm> algorithms = {{"ppo", {480.0, -200.0}, 4000},
                                                {"a2c", {350.0, -420.0}, 6000},
                                                {"random", {22.0, -1225.0}, 20000}};
};

void write_synthetic_run(const std::filesystem::path& directory, const SyntheticRun& run);

std::filesystem::path cell_dir(const std::filesystem::path& run_dir, const std::string& task,
                               const std::string& algorithm, int seed);

// The final evaluation return written for a cell (the "final" score of that run).
double final_return_of(const std::filesystem::path& run_dir, const std::string& task,
                       const std::string& algorithm, int seed);

// Damage, as a crashed or interrupted host leaves it.
void mark_failed(const std::filesystem::path& cell, const std::string& error);
// Overwrites fields of the cell's config.json: `changes` is a JSON object of the new values.
void change_config(const std::filesystem::path& cell, const std::string& changes);
void remove_summary(const std::filesystem::path& cell);
void truncate_curve(const std::filesystem::path& cell);
void poison_curve_with_nan(const std::filesystem::path& cell);

}  // namespace pgbench::report::testing
