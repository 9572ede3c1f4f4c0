// The grid: results are bit-identical whatever the thread count; a run killed at any moment
// resumes to exactly the uninterrupted result; Ctrl-C stops cleanly and says how to resume.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "host/grid.hpp"
#include "host/provenance.hpp"
#include "test_support.hpp"

using pgbench::test::cell_files;
using pgbench::test::spawn_pgbench;
using pgbench::test::wait_exit_code;

namespace pgbench {
namespace {

namespace fs = std::filesystem;

GridOutcome run_in_process(const fs::path& out, unsigned threads, const std::string& suite_name,
                           const SuiteOverrides& overrides = {}) {
  const PluginRegistry plugins = test::load_plugins({});
  Suite suite = load_suite(find_suite(suite_name));
  apply_overrides(suite, overrides);
  const auto resolved = resolve_suite(suite, plugins);
  const RunDirectory run(out, make_manifest(*resolved, plugins, "test"));
  RunControl control;
  std::ostringstream log;
  GridOptions options;
  options.threads = threads;
  options.isolation = Isolation::Thread;
  return run_grid(*resolved, run, options, control, log);
}

TEST(Grid, ResultsAreBitIdenticalWhateverTheThreadCount) {
  test::TempDir dir;
  const GridOutcome one = run_in_process(dir / "one", 1, "smoke");
  const GridOutcome two = run_in_process(dir / "two", 2, "smoke");
  EXPECT_EQ(one.ok, 6u);
  EXPECT_EQ(two.ok, 6u);
  const auto a = cell_files(dir / "one"), b = cell_files(dir / "two");
  ASSERT_EQ(a.size(), 6u * 4u);
  EXPECT_EQ(a, b);
}

// The same with learning algorithms, whose updates (Eigen, the SDK's generators) must not depend
// on which thread runs them or what runs beside them.
TEST(Grid, LearningResultsAreBitIdenticalWhateverTheThreadCount) {
  test::TempDir dir;
  SuiteOverrides learning;
  learning.envs = {"Pendulum-v1"};
  learning.algos = {"ppo", "npg", "a3c", "ddpg", "td3", "sac"};
  learning.seeds = 2;
  // PPO updates once (2048-step rollouts), NPG twice (1024), A3C in 37 rounds of its 8 workers
  // (80-step segments); DDPG, TD3 and SAC 2000 times each (after 1000 random steps).
  learning.steps = 3000;
  const GridOutcome one = run_in_process(dir / "one", 1, "classic-control", learning);
  const GridOutcome two = run_in_process(dir / "two", 2, "classic-control", learning);
  EXPECT_EQ(one.ok, 12u);
  EXPECT_EQ(two.ok, 12u);
  const auto a = cell_files(dir / "one"), b = cell_files(dir / "two");
  ASSERT_EQ(a.size(), 12u * 4u);
  EXPECT_EQ(a, b);
  for (const char* algorithm : {"ppo", "npg", "a3c", "ddpg", "td3", "sac"})
    EXPECT_NE(a.at("cells/Pendulum-v1/" + std::string(algorithm) + "/seed-0/curve.csv").find("loss/"), std::string::npos)
        << algorithm << " never updated";
}

TEST(Grid, ARerunIntoAFinishedDirectoryRunsNothing) {
  test::TempDir dir;
  run_in_process(dir / "run", 2, "smoke");
  const GridOutcome again = run_in_process(dir / "run", 2, "smoke");
  EXPECT_EQ(again.already_finished, 6u);
  EXPECT_EQ(again.ok, 0u);
}

std::size_t finished_cells(const fs::path& run) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(run / "cells", ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->path().filename() == "summary.json") ++n;
  return n;
}

// Waits until at least one cell has finished (or the process has ended); returns false after two
// minutes, long enough for a heavily loaded CI machine.
bool wait_for_first_cell(const fs::path& run, pid_t pid) {
  for (int i = 0; i < 12000; ++i) {
    if (finished_cells(run) > 0) return true;
    if (waitpid(pid, nullptr, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// A grid of 12 cells of ~0.3 s each: long enough to be killed in the middle.
const std::vector<std::string> kSlowGrid{"--suite", "smoke", "--steps", "400000", "--seeds", "6", "--threads", "2", "--no-report"};

std::vector<std::string> with_out(std::vector<std::string> args, const fs::path& out) {
  args.insert(args.end(), {"--out", out.string()});
  return args;
}

TEST(Grid, KilledWithSigkillThenResumedGivesTheUninterruptedResult) {
  test::TempDir dir;
  const fs::path reference = dir / "reference", killed = dir / "killed";
  ASSERT_EQ(wait_exit_code(spawn_pgbench(with_out(kSlowGrid, reference), dir / "reference.log")), 0)
      << test::read_file(dir / "reference.log");

  const pid_t pid = spawn_pgbench(with_out(kSlowGrid, killed), dir / "killed.log");
  ASSERT_TRUE(wait_for_first_cell(killed, pid)) << test::read_file(dir / "killed.log");
  kill(pid, SIGKILL);
  wait_exit_code(pid);
  const std::size_t survived = finished_cells(killed);
  ASSERT_LT(survived, 12u) << "the grid finished before it could be killed; make it longer";

  ASSERT_EQ(wait_exit_code(spawn_pgbench(with_out(kSlowGrid, killed), dir / "resumed.log")), 0)
      << test::read_file(dir / "resumed.log");
  EXPECT_NE(test::read_file(dir / "resumed.log").find("resuming: " + std::to_string(survived) + " of 12 cells already finished"),
            std::string::npos);
  EXPECT_EQ(cell_files(reference), cell_files(killed));
  // No temporary file is left behind by the atomic writes.
  for (const auto& e : fs::recursive_directory_iterator(killed))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

TEST(Grid, CtrlCStopsCleanlyAndSaysHowToResume) {
  test::TempDir dir;
  const pid_t pid = spawn_pgbench(with_out(kSlowGrid, dir / "run"), dir / "run.log");
  ASSERT_TRUE(wait_for_first_cell(dir / "run", pid)) << test::read_file(dir / "run.log");
  kill(pid, SIGINT);
  EXPECT_EQ(wait_exit_code(pid), 130);
  const std::string log = test::read_file(dir / "run.log");
  EXPECT_NE(log.find("interrupted:"), std::string::npos) << log;
  EXPECT_NE(log.find("Resume with:"), std::string::npos) << log;
}

TEST(Grid, ARunDirectoryOfAnotherGridIsRefused) {
  test::TempDir dir;
  ASSERT_EQ(wait_exit_code(spawn_pgbench({"--suite", "smoke", "--no-report", "--out", (dir / "run").string()}, dir / "a.log")), 0);
  EXPECT_EQ(wait_exit_code(spawn_pgbench({"--suite", "smoke", "--seeds", "1", "--no-report", "--out", (dir / "run").string()},
                                         dir / "b.log")),
            2);
  const std::string log = test::read_file(dir / "b.log");
  EXPECT_NE(log.find("holds a run of a different grid"), std::string::npos) << log;
  // It says how to resume: the command the run began with, and the suite file as it was then.
  EXPECT_NE(log.find("`pgbench --suite smoke"), std::string::npos) << log;
  EXPECT_NE(log.find("--suite " + (dir / "run" / "suite.yaml").string()), std::string::npos) << log;
}

}  // namespace
}  // namespace pgbench

namespace pgbench {
namespace {

TEST(Grid, DryRunEstimatesTheCostAndWritesNothing) {
  test::TempDir dir;
  const fs::path out = dir / "run";
  ASSERT_EQ(wait_exit_code(spawn_pgbench({"--suite", "smoke", "--dry-run", "--calibration-steps", "500", "--out", out.string()},
                                         dir / "dry.log")),
            0);
  const std::string log = test::read_file(dir / "dry.log");
  EXPECT_NE(log.find("suite 'smoke': 2 tasks x 1 algorithms x 3 seeds = 6 cells"), std::string::npos) << log;
  EXPECT_NE(log.find("estimated cost:"), std::string::npos) << log;
  for (const char* column : {"simulation", "learning", "evaluation"}) EXPECT_NE(log.find(column), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(out));
}

// An algorithm that acts at random before it learns (DDPG's start_steps) is calibrated past that
// warm-up, so that the cost of its updates is in the estimate.
TEST(Grid, DryRunCalibratesPastAnAlgorithmsWarmUp) {
  test::TempDir dir;
  ASSERT_EQ(wait_exit_code(spawn_pgbench({"--suite", "classic-control", "--envs", "Pendulum-v1", "--algos", "ddpg", "--dry-run",
                                          "--calibration-steps", "300"},
                                         dir / "dry.log")),
            0);
  const std::string log = test::read_file(dir / "dry.log");
  // classic-control gives DDPG 1000 random steps on Pendulum-v1.
  EXPECT_NE(log.find("(calibrated on 300 steps after 1000 warm-up)"), std::string::npos) << log;
}

TEST(Grid, ProfileSaysWhereTheTimeWent) {
  test::TempDir dir;
  ASSERT_EQ(wait_exit_code(spawn_pgbench({"--suite", "smoke", "--profile", "--no-report", "--out", (dir / "run").string()},
                                         dir / "profile.log")),
            0);
  const std::string log = test::read_file(dir / "profile.log");
  for (const char* column : {"simulate", "act", "observe", "update", "evaluate"}) EXPECT_NE(log.find(column), std::string::npos) << log;
  EXPECT_NE(log.find("CartPole-v1                random           3"), std::string::npos) << log;
}

}  // namespace
}  // namespace pgbench
