// Process isolation and the run directory's one writer and one identity (DESIGN.md §6): whatever
// a plugin does ends as a failed cell with its reason, the grid goes on, healthy cells are
// unaffected, and a run directory cannot be shared or silently credited to other binaries.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace pgbench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::cell_files;
using test::read_file;
using test::run_pgbench;
using test::spawn_pgbench;
using test::wait_exit_code;
using test::write_file;

const std::string kMisbehavingPlugins = test::test_plugin("misbehaving").string();

json summary_of(const fs::path& run, const std::string& cell) { return json::parse(read_file(run / cell / "summary.json")); }

// The cell files whose path starts with `prefix`.
std::map<std::string, std::string> files_under(const std::map<std::string, std::string>& files, const std::string& prefix) {
  std::map<std::string, std::string> out;
  for (const auto& [path, text] : files)
    if (path.rfind(prefix, 0) == 0) out[path] = text;
  return out;
}

// Pendulum with the random agent, next to one misbehaving algorithm per fault. The time limit
// leaves a worker starved by a loaded machine time to reach its fault, so that the allocating
// cell meets the memory limit first.
const char* kAlgorithmFaultSuite = R"(name: algorithm-faults
master_seed: 11
seeds: 1
defaults:
  eval_every: 500
  eval_episodes: 2
  cell_time_limit: 10s
  cell_memory_limit: 256MiB
tasks:
  Pendulum-v1:
    steps: 2000
algorithms:
  random:
    num_envs: 2
  segfault: {algorithm: misbehave, hyperparameters: {fault: segfault}}
  abort: {algorithm: misbehave, hyperparameters: {fault: abort}}
  exit: {algorithm: misbehave, hyperparameters: {fault: exit}}
  hang: {algorithm: misbehave, hyperparameters: {fault: hang}}
  allocate: {algorithm: misbehave, hyperparameters: {fault: allocate}}
  nan: {algorithm: misbehave, hyperparameters: {fault: nan}}
  throw: {algorithm: misbehave, hyperparameters: {fault: throw}}
)";

TEST(Isolation, EachMisbehavingAlgorithmFailsOnlyItsCell) {
  test::TempDir dir;
  const fs::path suite = dir / "faults.yaml";
  write_file(suite, kAlgorithmFaultSuite);
  const std::vector<std::string> grid{"--suite", suite.string(), "--plugin-path", kMisbehavingPlugins, "--threads", "2",
                                      "--no-report"};
  auto args = grid;
  args.insert(args.end(), {"--out", (dir / "run").string()});
  ASSERT_EQ(run_pgbench(args, dir / "run.log"), 1) << read_file(dir / "run.log");
  const std::string log = read_file(dir / "run.log");

  const std::map<std::string, std::string> expected_reason{
      {"segfault", "killed by SIGSEGV in act of 'misbehave'"},
      {"abort", "killed by SIGABRT in act of 'misbehave'"},
      {"exit", "the plugin called exit(0) in act of 'misbehave'"},
      {"hang", "exceeded the 10 s cell time limit in act of 'misbehave'"},
      {"allocate", "exceeded the 256 MiB cell memory limit"},
      {"nan", "the algorithm produced a non-finite action"},
      {"throw", "misbehave: throwing on purpose"}};
  for (const auto& [algorithm, reason] : expected_reason) {
    SCOPED_TRACE(algorithm);
    const std::string cell = "cells/Pendulum-v1/" + algorithm + "/seed-0";
    const json summary = summary_of(dir / "run", cell);
    EXPECT_EQ(summary["status"], "failed");
    EXPECT_CONTAINS(summary["failure"]["reason"].get<std::string>(), reason);
    EXPECT_EQ(summary["failure"]["plugin_file"], "pgbench-misbehaving_algorithm.so");
    // The faults start at env step 200 (2 sub-envs: the call that reaches it).
    EXPECT_GE(summary["failure"]["env_step"].get<std::uint64_t>(), 198u);
    EXPECT_CONTAINS(log, cell + ": " + summary["failure"]["reason"].get<std::string>());
  }
  EXPECT_CONTAINS(log, "failed cells (7;");
  EXPECT_EQ(summary_of(dir / "run", "cells/Pendulum-v1/random/seed-0")["status"], "ok");

  // The healthy cell is byte-identical to the one of a grid without the bad plugin.
  ASSERT_EQ(run_pgbench({"--suite", suite.string(), "--plugin-path", kMisbehavingPlugins, "--algos", "random",
                         "--no-report", "--out", (dir / "clean").string()},
                        dir / "clean.log"),
            0)
      << read_file(dir / "clean.log");
  const std::string healthy = "cells/Pendulum-v1/random/";
  EXPECT_EQ(files_under(cell_files(dir / "run"), healthy), files_under(cell_files(dir / "clean"), healthy));

  // Resuming runs the failed cells again, and only them.
  ASSERT_EQ(run_pgbench(args, dir / "resume.log"), 1) << read_file(dir / "resume.log");
  EXPECT_CONTAINS(read_file(dir / "resume.log"), "resuming: 1 of 8 cells already finished");
}

// A plain-C environment that crashes, exits or hangs in step(), with the random agent.
const char* kEnvironmentFaultSuite = R"(name: environment-faults
master_seed: 12
seeds: 1
defaults:
  steps: 1000
  eval_every: 500
  eval_episodes: 2
  cell_time_limit: 2s
tasks:
  healthy: {env: c-faulty, config: {fault: none}}
  segfault: {env: c-faulty, config: {fault: segfault}}
  abort: {env: c-faulty, config: {fault: abort}}
  exit: {env: c-faulty, config: {fault: exit}}
  hang: {env: c-faulty, config: {fault: hang}}
algorithms:
  random: {}
)";

TEST(Isolation, EachMisbehavingCEnvironmentFailsOnlyItsCell) {
  test::TempDir dir;
  const fs::path suite = dir / "faults.yaml";
  write_file(suite, kEnvironmentFaultSuite);
  ASSERT_EQ(run_pgbench({"--suite", suite.string(), "--plugin-path", kMisbehavingPlugins, "--threads", "2", "--no-report",
                         "--out", (dir / "run").string()},
                        dir / "run.log"),
            1)
      << read_file(dir / "run.log");
  const std::map<std::string, std::string> expected_reason{
      {"segfault", "killed by SIGSEGV in step of 'c-faulty'"},
      {"abort", "killed by SIGABRT in step of 'c-faulty'"},
      {"exit", "the plugin called exit(0) in step of 'c-faulty'"},
      {"hang", "exceeded the 2 s cell time limit in step of 'c-faulty'"}};
  for (const auto& [task, reason] : expected_reason) {
    SCOPED_TRACE(task);
    const json summary = summary_of(dir / "run", "cells/" + task + "/random/seed-0");
    EXPECT_EQ(summary["status"], "failed");
    EXPECT_CONTAINS(summary["failure"]["reason"].get<std::string>(), reason);
    EXPECT_EQ(summary["failure"]["plugin_file"], "misbehaving_env.so");
  }
  EXPECT_EQ(summary_of(dir / "run", "cells/healthy/random/seed-0")["status"], "ok");
}

// Thread and process isolation compute the same thing: every algorithm on classic control.
TEST(Isolation, ProcessAndThreadModesGiveIdenticalResults) {
  test::TempDir dir;
  const std::vector<std::string> grid{"--suite", "classic-control", "--steps", "12000", "--seeds", "1",
                                      "--threads", "2", "--no-report"};
  for (const char* mode : {"process", "thread"}) {
    auto args = grid;
    args.insert(args.end(), {"--isolation", mode, "--out", (dir / mode).string()});
    ASSERT_EQ(run_pgbench(args, dir / (std::string(mode) + ".log")), 0) << read_file(dir / (std::string(mode) + ".log"));
  }
  const auto process = cell_files(dir / "process"), thread = cell_files(dir / "thread");
  EXPECT_EQ(process.size(), 34u * 4u);  // 4 tasks x 7 algorithms, DDPG, TD3 and SAC on the 2 Box tasks only
  EXPECT_EQ(process, thread);
}

// The worker processes of a run: children of `host` whose command line is a pgbench worker.
std::vector<pid_t> workers_of(pid_t host) {
  std::vector<pid_t> pids;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state;
    pid_t parent = 0;
    rest >> state >> parent;
    if (parent == host && state != 'Z') pids.push_back(std::stoi(name));
  }
  return pids;
}

bool any_alive(const std::vector<pid_t>& pids) {
  for (pid_t p : pids) {
    std::ifstream stat(fmt::format("/proc/{}/stat", p));
    std::string line;
    if (std::getline(stat, line) && line.find(") Z") == std::string::npos) return true;
  }
  return false;
}

const std::vector<std::string> kSlowGrid{"--suite", "smoke", "--steps", "400000", "--seeds", "6", "--threads", "2", "--no-report"};

std::vector<pid_t> wait_for_workers(pid_t host) {
  for (int i = 0; i < 3000; ++i) {
    if (auto w = workers_of(host); !w.empty()) return w;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return {};
}

TEST(Isolation, AWorkerKilledWithSigkillFailsItsCellAndResumeRedoesIt) {
  test::TempDir dir;
  auto reference = kSlowGrid, killed = kSlowGrid;
  reference.insert(reference.end(), {"--out", (dir / "reference").string()});
  killed.insert(killed.end(), {"--out", (dir / "killed").string()});
  ASSERT_EQ(run_pgbench(reference, dir / "reference.log"), 0) << read_file(dir / "reference.log");

  const pid_t host = spawn_pgbench(killed, dir / "killed.log");
  const auto workers = wait_for_workers(host);
  ASSERT_FALSE(workers.empty());
  kill(workers.front(), SIGKILL);
  ASSERT_EQ(wait_exit_code(host), 1) << read_file(dir / "killed.log");
  EXPECT_CONTAINS(read_file(dir / "killed.log"), "killed by SIGKILL, not sent by pgbench");

  ASSERT_EQ(run_pgbench(killed, dir / "resumed.log"), 0) << read_file(dir / "resumed.log");
  EXPECT_CONTAINS(read_file(dir / "resumed.log"), "resuming: 11 of 12 cells already finished");
  EXPECT_EQ(cell_files(dir / "reference"), cell_files(dir / "killed"));
  for (const auto& e : fs::recursive_directory_iterator(dir / "killed"))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

TEST(Isolation, AKilledHostLeavesNoWorkerBehind) {
  test::TempDir dir;
  auto args = kSlowGrid;
  args.insert(args.end(), {"--out", (dir / "run").string()});
  const pid_t host = spawn_pgbench(args, dir / "run.log");
  const auto workers = wait_for_workers(host);
  ASSERT_FALSE(workers.empty());
  kill(host, SIGKILL);
  wait_exit_code(host);
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    gone = !any_alive(workers);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone) << "a worker outlived its host";
}

// A cell that hangs forever, with no time limit: only a stop can end it.
const char* kHangSuite = R"(name: hang
master_seed: 13
seeds: 1
defaults:
  steps: 1000
  cell_time_limit: none
tasks:
  Pendulum-v1: {}
algorithms:
  hang: {algorithm: misbehave, hyperparameters: {fault: hang, at_step: 1}}
)";

TEST(Isolation, CtrlCStopsAHungWorkerAndSaysHowToResume) {
  test::TempDir dir;
  write_file(dir / "hang.yaml", kHangSuite);
  const pid_t host = spawn_pgbench({"--suite", (dir / "hang.yaml").string(), "--plugin-path", kMisbehavingPlugins,
                                    "--no-report", "--out", (dir / "run").string()},
                                   dir / "run.log");
  const auto workers = wait_for_workers(host);
  ASSERT_FALSE(workers.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // into the hang
  kill(host, SIGINT);
  EXPECT_EQ(wait_exit_code(host), 130) << read_file(dir / "run.log");
  EXPECT_FALSE(any_alive(workers));
  EXPECT_CONTAINS(read_file(dir / "run.log"), "Resume with:");
  EXPECT_FALSE(fs::exists(dir / "run/cells/Pendulum-v1/hang/seed-0/summary.json"));
}

TEST(Isolation, ASecondRunOnTheSameDirectoryIsRefusedWithTheHoldersPid) {
  test::TempDir dir;
  auto args = kSlowGrid;
  args.insert(args.end(), {"--out", (dir / "run").string()});
  const pid_t first = spawn_pgbench(args, dir / "first.log");
  ASSERT_FALSE(wait_for_workers(first).empty());
  EXPECT_EQ(run_pgbench(args, dir / "second.log"), 2);
  EXPECT_CONTAINS(read_file(dir / "second.log"), fmt::format("is in use by another pgbench (PID {} on host", first));
  kill(first, SIGKILL);
  wait_exit_code(first);
  // The lock of the dead process is taken over.
  EXPECT_EQ(run_pgbench(args, dir / "third.log"), 0) << read_file(dir / "third.log");
  EXPECT_CONTAINS(read_file(dir / "third.log"), "took over the lock of a pgbench that ended without releasing it");
}

const char* kHealthySuite = R"(name: healthy
master_seed: 14
seeds: 2
defaults:
  steps: 1000
  eval_every: 500
  eval_episodes: 2
tasks:
  Pendulum-v1: {}
algorithms:
  misbehave: {}
)";

TEST(Isolation, ResumeWithAChangedPluginIsRefusedUnlessAllowedAndThenRecorded) {
  test::TempDir dir;
  write_file(dir / "suite.yaml", kHealthySuite);
  fs::create_directories(dir / "plugins");
  const fs::path plugin = dir / "plugins" / "pgbench-misbehaving_algorithm.so";
  fs::copy_file(fs::path(kMisbehavingPlugins) / "pgbench-misbehaving_algorithm.so", plugin);
  const std::vector<std::string> args{"--suite", (dir / "suite.yaml").string(), "--plugin-path", (dir / "plugins").string(),
                                      "--no-report", "--out", (dir / "run").string()};
  ASSERT_EQ(run_pgbench(args, dir / "first.log"), 0) << read_file(dir / "first.log");
  fs::remove(dir / "run/cells/Pendulum-v1/misbehave/seed-1/summary.json");  // as if it had not finished

  // A rebuilt plugin: other bytes, so another SHA-256.
  std::ofstream(plugin, std::ios::app) << "rebuilt";
  EXPECT_EQ(run_pgbench(args, dir / "refused.log"), 2);
  const std::string refused = read_file(dir / "refused.log");
  EXPECT_CONTAINS(refused, "the run was started with other binaries");
  EXPECT_CONTAINS(refused, "plugin org.pgbench.test.misbehave: SHA-256 ");
  EXPECT_CONTAINS(refused, "--allow-changed-binaries");

  auto allowed = args;
  allowed.push_back("--allow-changed-binaries");
  ASSERT_EQ(run_pgbench(allowed, dir / "allowed.log"), 0) << read_file(dir / "allowed.log");
  const json manifest = json::parse(read_file(dir / "run/manifest.json"));
  ASSERT_EQ(manifest["binary_changes"].size(), 1u);
  EXPECT_CONTAINS(manifest["binary_changes"][0]["differences"][0].get<std::string>(), "SHA-256");
  EXPECT_EQ(manifest["binary_changes"][0]["cells"], json::array({"cells/Pendulum-v1/misbehave/seed-1"}));
}

}  // namespace
}  // namespace pgbench
