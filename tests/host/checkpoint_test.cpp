// Mid-cell checkpoints: a cell whose worker is killed (SIGKILL), or whose host is stopped
// (SIGTERM, as Slurm does at a time limit), after its first checkpoint continues from it when the
// run is resumed, and its curve and summary are byte-identical to an uninterrupted run. For the
// five algorithms on a classic task, and for PPO and DDPG on a MuJoCo task. And the progress a
// log file shows, resumed cells included.
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <random>
#include <regex>
#include <thread>

#include <fmt/format.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace pgbench {
namespace {

namespace fs = std::filesystem;
using test::cell_files;
using test::read_file;
using test::spawn_pgbench;
using test::wait_exit_code;

struct Case {
  const char* suite;
  const char* task;
  const char* algorithm;
  const char* steps;  // long enough for a few checkpoints on a loaded machine
  std::vector<std::string> extra;
};

std::string name_of(const testing::TestParamInfo<Case>& info) {
  std::string n = std::string(info.param.task) + "_" + info.param.algorithm;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

// Where after the first checkpoint to strike: anywhere in the next 0.4 s (the cells run for
// several seconds), different on every run; a failure prints it.
int random_delay_ms() {
  static std::mt19937 generator{std::random_device{}()};
  return std::uniform_int_distribution<int>(0, 400)(generator);
}

class Checkpoint : public testing::TestWithParam<Case> {
 protected:
  std::vector<std::string> grid(const fs::path& out) const {
    const Case& c = GetParam();
    std::vector<std::string> args{"--suite", c.suite,  "--envs",  c.task,         "--algos",     c.algorithm,
                                  "--seeds", "1",      "--steps", c.steps,        "--no-report", "--checkpoint-every",
                                  "0.3s",    "--out",  out.string()};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    return args;
  }
  fs::path checkpoint_of(const fs::path& run) const {
    const Case& c = GetParam();
    return run / "cells" / c.task / c.algorithm / "seed-0" / "checkpoint.bin";
  }
  // Starts the grid and waits for the cell's first checkpoint; returns the host's pid.
  pid_t start_until_checkpoint(const fs::path& run, const fs::path& log) const {
    const pid_t host = spawn_pgbench(grid(run), log);
    for (int i = 0; i < 6000 && !fs::exists(checkpoint_of(run)); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return host;
  }
  void expect_resumed_identical(const fs::path& reference, const fs::path& run, const fs::path& log) const {
    ASSERT_EQ(wait_exit_code(spawn_pgbench(grid(run), log)), 0) << read_file(log);
    EXPECT_EQ(cell_files(reference), cell_files(run));
    const Case& c = GetParam();
    const auto summary = nlohmann::json::parse(read_file(run / "cells" / c.task / c.algorithm / "seed-0" / "summary.json"));
    EXPECT_GT(summary["timing"].value("resumed_from_checkpoint_at_env_step", 0), 0) << "the cell started over";
    EXPECT_FALSE(fs::exists(checkpoint_of(run))) << "a finished cell keeps no checkpoint";
  }
};

TEST_P(Checkpoint, AKilledWorkerOrAStoppedHostContinuesFromTheCheckpointBitForBit) {
  test::TempDir dir;
  ASSERT_EQ(wait_exit_code(spawn_pgbench(grid(dir / "reference"), dir / "reference.log")), 0)
      << read_file(dir / "reference.log");

  // The worker, killed outright: its cell fails; the resumed run takes it up from the checkpoint.
  const pid_t host = start_until_checkpoint(dir / "killed", dir / "killed.log");
  ASSERT_TRUE(fs::exists(checkpoint_of(dir / "killed"))) << read_file(dir / "killed.log");
  const int kill_after = random_delay_ms();
  SCOPED_TRACE(fmt::format("worker killed {} ms after the first checkpoint", kill_after));
  std::this_thread::sleep_for(std::chrono::milliseconds(kill_after));  // a random point after it
  ASSERT_EQ(std::system(fmt::format("pkill -KILL -P {}", host).c_str()), 0);
  ASSERT_EQ(wait_exit_code(host), 1) << read_file(dir / "killed.log");
  expect_resumed_identical(dir / "reference", dir / "killed", dir / "killed-resume.log");

  // The host, stopped as Slurm stops a job: the worker writes a checkpoint and the run exits 130.
  const pid_t stopped = start_until_checkpoint(dir / "stopped", dir / "stopped.log");
  ASSERT_TRUE(fs::exists(checkpoint_of(dir / "stopped"))) << read_file(dir / "stopped.log");
  const int stop_after = random_delay_ms();
  SCOPED_TRACE(fmt::format("host stopped {} ms after the first checkpoint", stop_after));
  std::this_thread::sleep_for(std::chrono::milliseconds(stop_after));
  kill(stopped, SIGTERM);
  ASSERT_EQ(wait_exit_code(stopped), 130) << read_file(dir / "stopped.log");
  expect_resumed_identical(dir / "reference", dir / "stopped", dir / "stopped-resume.log");
}

// The env steps of the grid done, from every "[k/n cells] X of Y env steps, ..." progress line of
// a log, in order.
std::vector<std::pair<std::uint64_t, std::uint64_t>> progress_lines(const std::string& log) {
  static const std::regex line(R"(\[\d+/\d+ cells\] (\d+) of (\d+) env steps, \d+ env steps/s, elapsed \S+, ETA \S+)");
  std::vector<std::pair<std::uint64_t, std::uint64_t>> found;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator(); ++it)
    found.emplace_back(std::stoull((*it)[1]), std::stoull((*it)[2]));
  return found;
}

// A run whose output is a file prints its progress line every --progress-every; after a resume the
// steps done include those the cell took before its checkpoint.
TEST(CheckpointProgress, ALogFileShowsHowFarTheGridIsIncludingWhatAResumedCellHadDone) {
  test::TempDir dir;
  const std::vector<std::string> grid{"--suite", "classic-control", "--envs", "Pendulum-v1", "--algos", "ppo",
                                      "--seeds", "1", "--steps", "1000000", "--no-report", "--checkpoint-every", "0.3s",
                                      "--progress-every", "0.1s", "--out", (dir / "run").string()};
  const fs::path cell = dir / "run" / "cells" / "Pendulum-v1" / "ppo" / "seed-0";
  // Stopped well into the cell, so that it resumes from further on than it gets in its first
  // half-second again (the worker's progress reports come about twice a second).
  const pid_t host = spawn_pgbench(grid, dir / "first.log");
  for (int i = 0; i < 6000 && !fs::exists(cell / "checkpoint.bin"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(host, SIGTERM);
  ASSERT_EQ(wait_exit_code(host), 130) << read_file(dir / "first.log");
  const auto before = progress_lines(read_file(dir / "first.log"));
  ASSERT_FALSE(before.empty()) << read_file(dir / "first.log");
  EXPECT_EQ(before.back().second, 1000000u);

  ASSERT_EQ(wait_exit_code(spawn_pgbench(grid, dir / "resumed.log")), 0) << read_file(dir / "resumed.log");
  const auto summary = nlohmann::json::parse(read_file(cell / "summary.json"));
  const std::uint64_t resumed_at = summary["timing"].value("resumed_from_checkpoint_at_env_step", std::uint64_t{0});
  ASSERT_GT(resumed_at, 0u);
  const auto after = progress_lines(read_file(dir / "resumed.log"));
  const auto first_counted = std::find_if(after.begin(), after.end(), [](const auto& line) { return line.first > 0; });
  ASSERT_NE(first_counted, after.end()) << read_file(dir / "resumed.log");
  EXPECT_GE(first_counted->first, resumed_at) << read_file(dir / "resumed.log");
  for (std::size_t i = 1; i < after.size(); ++i) EXPECT_LE(after[i - 1].first, after[i].first);
  EXPECT_LE(after.back().first, 1000000u);

  // With none, only the lines of finished cells.
  ASSERT_EQ(wait_exit_code(spawn_pgbench({"--suite", "classic-control", "--envs", "Pendulum-v1", "--algos", "ppo",
                                          "--seeds", "1", "--steps", "100000", "--no-report", "--progress-every",
                                          "none", "--out", (dir / "quiet").string()},
                                         dir / "quiet.log")),
            0);
  EXPECT_TRUE(progress_lines(read_file(dir / "quiet.log")).empty()) << read_file(dir / "quiet.log");
}

INSTANTIATE_TEST_SUITE_P(
    ClassicControl, Checkpoint,
    testing::Values(Case{"classic-control", "Pendulum-v1", "reinforce", "3000000", {}},
                    Case{"classic-control", "Pendulum-v1", "a2c", "3000000", {}},
                    Case{"classic-control", "Pendulum-v1", "ppo", "300000", {}},
                    Case{"classic-control", "Pendulum-v1", "trpo", "300000", {}},
                    Case{"classic-control", "Pendulum-v1", "ddpg", "4000", {}}),
    name_of);

INSTANTIATE_TEST_SUITE_P(MuJoCo, Checkpoint,
                         testing::Values(Case{"mujoco-control", "Hopper-v4", "ppo", "60000", {}},
                                         Case{"mujoco-control", "Hopper-v4", "ddpg", "3000",
                                              {"--set", "ddpg.start_steps=500", "--set", "ddpg.hidden_size=64"}}),
                         name_of);

}  // namespace
}  // namespace pgbench
