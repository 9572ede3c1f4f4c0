// The command line as a new user meets it: every bad input is refused with exit status 2 and a
// message that names what is wrong and what is accepted; suites are found where they are shipped.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "test_support.hpp"

namespace pgbench {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::write_file;

struct Outcome {
  int status;
  std::string output;
};

Outcome run_and_capture(const std::vector<std::string>& args, const fs::path& cwd = {}) {
  test::TempDir logs;
  const int status = test::wait_exit_code(test::spawn_pgbench(args, logs / "log", cwd));
  return {status, read_file(logs / "log")};
}

TEST(CommandLine, BadGridOptionsAreRefusedNamingWhatIsAccepted) {
  test::TempDir dir;
  write_file(dir / "a-file", "not a folder\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--algos", ""}, "--algos: empty; give one or more algorithm names of the suite"},
      {{"--envs", ""}, "--envs: empty; give one or more task names of the suite"},
      {{"--threads", "-1"}, "--threads: must be 0 (every core) or a positive count, got -1"},
      {{"--steps", "-1"}, "--steps: must be an integer >= 1, got -1"},
      {{"--seeds", "0"}, "--seeds: must be >= 1 and <= 10000, got 0"},
      {{"--seeds", "20000"}, "--seeds: must be >= 1 and <= 10000, got 20000"},
      {{"--out", (dir / "a-file").string()}, "is a file, not a folder"},
      {{"--isolation", "fork"}, "--isolation: 'fork' is not accepted; use process or thread"},
      {{"--cell-time-limit", "5x"}, "--cell-time-limit: expected a duration such as 3600, 90s, 30min, 2h or 1d"},
      {{"--cell-memory-limit", "8"}, "--cell-memory-limit: expected a size with a unit such as 8GiB or 512MiB"},
      {{"--progress-every", "often"}, "--progress-every: expected a duration such as 3600, 90s, 30min, 2h or 1d"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args{"--suite", "smoke", "--no-report"};
    args.insert(args.end(), extra.begin(), extra.end());
    if (extra.front() != "--out") args.insert(args.end(), {"--out", (dir / "run").string()});
    const Outcome o = run_and_capture(args);
    EXPECT_EQ(o.status, 2) << extra.front() << "\n" << o.output;
    EXPECT_CONTAINS(o.output, message);
  }
  EXPECT_FALSE(fs::exists(dir / "run"));
}

TEST(CommandLine, ASuiteNameIsLookedUpInTheSuiteFoldersNeverHere) {
  test::TempDir dir;
  // A file in the current directory with a shipped suite's name does not shadow it.
  write_file(dir / "smoke.yaml", "name: impostor\nmaster_seed: 1\nseeds: 1\ntasks: {CartPole-v1: {steps: 10}}\n"
                                 "algorithms: {random: {}}\n");
  Outcome o = run_and_capture({"--suite", "smoke", "--no-report", "--out", (dir / "shipped").string()}, dir.path());
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_CONTAINS(o.output, "suite 'smoke' (");
  // A file is given as a path.
  o = run_and_capture({"--suite", "./smoke.yaml", "--no-report", "--out", (dir / "local").string()}, dir.path());
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_CONTAINS(o.output, "suite 'impostor' (./smoke.yaml)");
  // A name found only here is refused, saying how to use the file.
  fs::rename(dir / "smoke.yaml", dir / "mine.yaml");
  o = run_and_capture({"--suite", "mine", "--no-report"}, dir.path());
  EXPECT_EQ(o.status, 2) << o.output;
  EXPECT_CONTAINS(o.output, "unknown suite 'mine'");
  EXPECT_CONTAINS(o.output, "give --suite ./mine.yaml");
  // --suite-path adds a folder to look names up in; the manifest records the file used.
  o = run_and_capture({"--suite", "mine", "--suite-path", dir.path().string(), "--no-report", "--out", (dir / "found").string()});
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_CONTAINS(read_file(dir / "found" / "manifest.json"), "mine.yaml");
  EXPECT_EQ(read_file(dir / "found" / "suite.yaml"), read_file(dir / "mine.yaml"));
}

TEST(CommandLine, AnyLoadedAlgorithmOrEnvironmentJoinsTheGridWithItsDefaults) {
  test::TempDir dir;
  const Outcome o = run_and_capture({"--suite", "smoke", "--plugin-path", test::test_plugin("sdk_plugin").string(), "--algos",
                                     "random,sdk-echo", "--envs", "Pendulum-v1,sdk-counter", "--set",
                                     "sdk-counter.steps=300", "--set", "sdk-echo.learning_rate=0.05", "--seeds", "1",
                                     "--no-report", "--out", (dir / "run").string()});
  ASSERT_EQ(o.status, 0) << o.output;
  const auto manifest = nlohmann::json::parse(read_file(dir / "run" / "manifest.json"));
  EXPECT_EQ(manifest["suite"]["added_from_command_line"], nlohmann::json::array({"algorithm sdk-echo", "task sdk-counter"}));
  EXPECT_EQ(manifest["cells"].size(), 4u);
  const auto config = nlohmann::json::parse(read_file(dir / "run" / "cells/sdk-counter/sdk-echo/seed-0/config.json"));
  EXPECT_EQ(config["hyperparameters"]["learning_rate"], 0.05);
  EXPECT_EQ(config["steps"], 300);
  // The suite's task defaults apply to the added task.
  EXPECT_EQ(config["eval_every"], 500);

  const Outcome unknown = run_and_capture({"--suite", "smoke", "--algos", "pppo", "--out", (dir / "x").string()});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_CONTAINS(unknown.output, "unknown algorithm 'pppo'");
  EXPECT_CONTAINS(unknown.output, "or among the loaded plugins (pgbench list)");
}

// A stated subset of a grid (the reference run's DDPG: two tasks, two seeds) from the command
// line, run through the workers, resumed, and recorded as part of the grid's identity.
TEST(CommandLine, AnAlgorithmRunsOnItsOwnSeedsAndTasks) {
  test::TempDir dir;
  const std::vector<std::string> args{"--suite", "smoke", "--set", "random.seeds=[2]", "--set", "random.tasks=Pendulum-v1",
                                      "--no-report", "--out", (dir / "run").string()};
  Outcome o = run_and_capture(args);
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_CONTAINS(o.output, "1 cells (2 tasks x 1 algorithms x 3 seeds; random: 1 tasks x 1 seeds)");
  const auto summary = nlohmann::json::parse(read_file(dir / "run" / "cells/Pendulum-v1/random/seed-2/summary.json"));
  EXPECT_EQ(summary["status"], "ok");
  const auto manifest = nlohmann::json::parse(read_file(dir / "run" / "manifest.json"));
  EXPECT_EQ(manifest["suite"]["algorithms"]["random"]["seeds"], nlohmann::json::array({2}));
  EXPECT_EQ(manifest["suite"]["algorithms"]["random"]["tasks"], nlohmann::json::array({"Pendulum-v1"}));

  o = run_and_capture(args);
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_CONTAINS(o.output, "1 finished earlier");
  o = run_and_capture({"report", (dir / "run").string()});
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_CONTAINS(read_file(dir / "run" / "report" / "report.md"), "master seed 7, 3 seeds (random: 1);");
  o = run_and_capture({"--suite", "smoke", "--no-report", "--out", (dir / "run").string()});
  EXPECT_EQ(o.status, 2);
  EXPECT_CONTAINS(o.output, "this folder holds a run of a different grid");
}

// Results depend on which library multiplied the matrices (PGBENCH_GEMM), so every plugin that
// links pgbench::learn names it in its build signature, which `pgbench list` shows and the manifest
// records; OpenBLAS adds the kernels it chose for this CPU.
TEST(CommandLine, ListNamesTheLibraryOfTheMatrixProducts) {
  const Outcome o = run_and_capture({"list"});
  ASSERT_EQ(o.status, 0) << o.output;
  const std::string library = PGBENCH_GEMM_LIBRARY;
  const std::regex expected(library == "openblas"
                                ? R"(built with .*; vector=\w+; matrix products=openblas \(OpenBLAS [^)]+\)\n)"
                                : R"(built with .*; vector=\w+; matrix products=eigen\n)");
  EXPECT_TRUE(std::regex_search(o.output, expected)) << "PGBENCH_GEMM_LIBRARY=" << library << "\n" << o.output;
  const std::string other = library == "openblas" ? "matrix products=eigen" : "matrix products=openblas";
  EXPECT_EQ(o.output.find(other), std::string::npos) << o.output;
}

TEST(CommandLine, TheShippedSuiteIsRecordedWithoutAMachinePath) {
  test::TempDir dir;
  const Outcome o = run_and_capture({"--suite", "smoke", "--no-report", "--out", (dir / "run").string()});
  ASSERT_EQ(o.status, 0) << o.output;
  EXPECT_CONTAINS(read_file(dir / "run" / "manifest.json"), "\"path\": \"suites/smoke.yaml\"");
  // The build's commit (filled in when the build runs; "unknown" outside a git checkout).
  const auto manifest = nlohmann::json::parse(read_file(dir / "run" / "manifest.json"));
  EXPECT_TRUE(std::regex_match(manifest["pgbench"]["git_commit"].get<std::string>(),
                               std::regex("[0-9a-f]{40}(-dirty)?|unknown")))
      << manifest["pgbench"];
}

}  // namespace
}  // namespace pgbench
