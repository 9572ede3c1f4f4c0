// The grid on real cluster engines: a single-node Slurm started by tests/cluster/slurm-cluster
// (munged, slurmctld, slurmd), and Open MPI's mpirun. Each result must equal the one-machine run.
#include <cstdio>
#include <cstdlib>

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pgbench {
namespace {

namespace fs = std::filesystem;
using test::cell_files;
using test::read_file;
using test::run_pgbench;

// Runs a shell command; returns its exit status and what it printed.
std::pair<int, std::string> shell(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A Slurm cluster of this machine for the life of the object.
class SlurmCluster {
 public:
  explicit SlurmCluster(const fs::path& dir) : dir_(dir) {
    auto [status, out] = shell(std::string(PGBENCH_TESTS_DIR) + "/cluster/slurm-cluster start " + dir.string());
    status_ = status;
    message_ = out;
    if (status == 0) {
      while (!out.empty() && out.back() == '\n') out.pop_back();
      ::setenv("SLURM_CONF", out.substr(out.rfind('\n') + 1).c_str(), 1);
    }
  }
  ~SlurmCluster() {
    if (status_ == 0) shell(std::string(PGBENCH_TESTS_DIR) + "/cluster/slurm-cluster stop " + dir_.string());
    ::unsetenv("SLURM_CONF");
  }
  int status() const { return status_; }
  const std::string& message() const { return message_; }

 private:
  fs::path dir_;
  int status_ = -1;
  std::string message_;
};

const std::vector<std::string> kGrid{"--suite", "smoke", "--seeds", "4"};

TEST(Slurm, AJobArrayOfShardsAndItsMergeGiveTheOneMachineRun) {
  test::TempDir dir;
  const SlurmCluster cluster(dir / "cluster");
  if (cluster.status() == 77) GTEST_SKIP() << cluster.message();
  ASSERT_EQ(cluster.status(), 0) << cluster.message();

  auto slurm = kGrid;
  slurm.insert(slurm.begin(), "slurm");
  slurm.insert(slurm.end(), {"--shards", "2", "--cpus-per-task", "1", "--time", "00:10:00", "--out", (dir / "job").string(), "--submit"});
  ASSERT_EQ(run_pgbench(slurm, dir / "submit.log"), 0) << read_file(dir / "submit.log");
  EXPECT_CONTAINS(read_file(dir / "submit.log"), "submitted: array job");

  const fs::path report = dir / "job" / "merged" / "report" / "report.md";
  for (int i = 0; i < 1200 && !fs::exists(report); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  ASSERT_TRUE(fs::exists(report)) << "no merged report after 5 minutes; merge log:\n"
                                  << read_file(dir / "job" / "slurm" / "logs" / "merge.log") << "\nshard 1 log:\n"
                                  << read_file(dir / "job" / "slurm" / "logs" / "shard-1.log");

  auto one = kGrid;
  one.insert(one.end(), {"--no-report", "--out", (dir / "one").string()});
  ASSERT_EQ(run_pgbench(one, dir / "one.log"), 0) << read_file(dir / "one.log");
  EXPECT_EQ(cell_files(dir / "one"), cell_files(dir / "job" / "merged"));
  EXPECT_TRUE(fs::exists(dir / "job" / "shards" / "shard-1" / "manifest.json"));
  EXPECT_TRUE(fs::exists(dir / "job" / "shards" / "shard-2" / "manifest.json"));
}

TEST(Slurm, TheScriptsAreWrittenWithATimeLimitFromTheCalibratedCost) {
  test::TempDir dir;
  auto slurm = kGrid;
  slurm.insert(slurm.begin(), "slurm");
  slurm.insert(slurm.end(), {"--shards", "3", "--cpus-per-task", "2", "--partition", "short", "--calibration-steps", "500",
                             "--out", (dir / "job").string()});
  ASSERT_EQ(run_pgbench(slurm, dir / "write.log"), 0) << read_file(dir / "write.log");
  const std::string array = read_file(dir / "job" / "slurm" / "array.sbatch");
  EXPECT_CONTAINS(array, "#SBATCH --array=1-3\n");
  EXPECT_CONTAINS(array, "#SBATCH --cpus-per-task=2\n");
  EXPECT_CONTAINS(array, "#SBATCH --partition=short\n");
  EXPECT_CONTAINS(array, "#SBATCH --time=00:11:00\n");  // seconds of work, plus the 10-minute margin
  EXPECT_CONTAINS(array, "#SBATCH --requeue\n");
  EXPECT_CONTAINS(array, "--shard \"${SLURM_ARRAY_TASK_ID}/3\"");
  EXPECT_CONTAINS(array, "--costs " + (dir / "job" / "slurm" / "costs.json").string());
  EXPECT_CONTAINS(read_file(dir / "job" / "slurm" / "merge.sbatch"), "merge " + (dir / "job" / "merged").string());
  EXPECT_EQ(shell("bash -n " + (dir / "job" / "slurm" / "array.sbatch").string()).first, 0);
  EXPECT_EQ(shell("bash -n " + (dir / "job" / "slurm" / "merge.sbatch").string()).first, 0);
  EXPECT_CONTAINS(read_file(dir / "write.log"), "submit with:");

  auto bad = kGrid;
  bad.insert(bad.begin(), "slurm");
  bad.insert(bad.end(), {"--time", "soon", "--out", (dir / "bad").string()});
  EXPECT_EQ(run_pgbench(bad, dir / "bad.log"), 2);
  EXPECT_CONTAINS(read_file(dir / "bad.log"), "--time: expected auto, HH:MM:SS");
}

TEST(Mpi, TwoRanksShareTheGridAndGiveTheOneMachineRun) {
  if (shell("command -v mpirun").first != 0) GTEST_SKIP() << "Open MPI is not installed (apt-get install openmpi-bin libopenmpi-dev)";
  test::TempDir dir;
  // Cells long enough (~0.1 s) that both ranks get some whatever the machine's load.
  auto one = kGrid;
  one.insert(one.end(), {"--steps", "40000", "--no-report", "--out", (dir / "one").string()});
  ASSERT_EQ(run_pgbench(one, dir / "one.log"), 0) << read_file(dir / "one.log");

  // --allow-run-as-root: CI runs as root; --oversubscribe: 2 ranks on a machine Open MPI may count as fewer slots.
  const auto [status, output] = shell(fmt::format(
      "mpirun --allow-run-as-root --oversubscribe -n 2 {} --suite smoke --seeds 4 --steps 40000 --threads 1 --mpi --no-report "
      "--out {}",
      PGBENCH_BINARY, (dir / "mpi").string()));
  if (status == 2 && output.find("built without MPI") != std::string::npos) GTEST_SKIP() << "pgbench was built without MPI";
  ASSERT_EQ(status, 0) << output;
  EXPECT_CONTAINS(output, "MPI: 2 ranks take the cells from one shared counter");
  EXPECT_CONTAINS(output, "[rank 0] cells/");
  EXPECT_CONTAINS(output, "[rank 1] cells/");
  EXPECT_CONTAINS(output, "done: 8 ok, 0 failed");
  EXPECT_EQ(cell_files(dir / "one"), cell_files(dir / "mpi"));
}

}  // namespace
}  // namespace pgbench
