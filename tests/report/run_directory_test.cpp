#include "report/run_directory.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "synthetic_run.hpp"

namespace pgbench::report {
namespace {

namespace fs = std::filesystem;
using testing::cell_dir;

class RunDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("pgbench-run-directory-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  static const Cell& find(const RunSet& set, const std::string& task, const std::string& algorithm, int seed) {
    const auto it = std::find_if(set.cells.begin(), set.cells.end(), [&](const Cell& c) {
      return c.task == task && c.algorithm == algorithm && c.seed_index == seed;
    });
    if (it == set.cells.end()) throw std::logic_error("no such cell");
    return *it;
  }

  fs::path root_;
};

TEST_F(RunDirectory, ReadsManifestCellsAndCurves) {
  testing::write_synthetic_run(root_, {});
  const RunSet set = read_run_directories({root_});
  EXPECT_EQ(set.suite_name, "classic-control");
  EXPECT_EQ(set.tasks, (std::vector<std::string>{"CartPole-v1", "Pendulum-v1"}));
  EXPECT_EQ(set.algorithms, (std::vector<std::string>{"ppo", "a2c", "random"}));
  EXPECT_EQ(set.cells.size(), 2u * 3u * 5u);
  EXPECT_TRUE(set.problems.empty());
  ASSERT_EQ(set.skipped.size(), 1u);
  const Cell& cell = find(set, "CartPole-v1", "ppo", 3);
  EXPECT_EQ(cell.status, CellStatus::finished);
  ASSERT_EQ(cell.curve.env_step.size(), 21u);
  EXPECT_EQ(cell.curve.env_step.back(), 100000);
  EXPECT_EQ(cell.curve.eval_return_mean.back(), testing::final_return_of(root_, "CartPole-v1", "ppo", 3));
  EXPECT_TRUE(std::isnan(cell.curve.train_return_mean.front()));  // empty field: no episode ended yet
  EXPECT_GT(cell.timing.wall_s, 0);
  EXPECT_EQ(set.protocols.at("Pendulum-v1").steps, 100000);
}

TEST_F(RunDirectory, DamageBecomesProblemsNamingTheFile) {
  testing::write_synthetic_run(root_, {});
  testing::mark_failed(cell_dir(root_, "CartPole-v1", "ppo", 0), "NaN action");
  testing::remove_summary(cell_dir(root_, "CartPole-v1", "ppo", 1));
  testing::truncate_curve(cell_dir(root_, "CartPole-v1", "a2c", 2));
  testing::poison_curve_with_nan(cell_dir(root_, "Pendulum-v1", "a2c", 4));

  const RunSet set = read_run_directories({root_});
  EXPECT_EQ(find(set, "CartPole-v1", "ppo", 0).status, CellStatus::failed);
  EXPECT_EQ(find(set, "CartPole-v1", "ppo", 0).error, "NaN action");
  EXPECT_EQ(find(set, "CartPole-v1", "ppo", 1).status, CellStatus::missing);
  EXPECT_EQ(find(set, "CartPole-v1", "a2c", 2).status, CellStatus::unreadable);
  EXPECT_EQ(find(set, "Pendulum-v1", "a2c", 4).status, CellStatus::unreadable);
  ASSERT_EQ(set.problems.size(), 2u);
  EXPECT_EQ(set.problems[0].file, cell_dir(root_, "CartPole-v1", "a2c", 2) / "curve.csv");
  EXPECT_NE(set.problems[0].message.find("truncated"), std::string::npos);
  EXPECT_EQ(set.problems[1].file, cell_dir(root_, "Pendulum-v1", "a2c", 4) / "curve.csv");
  EXPECT_NE(set.problems[1].message.find("NaN"), std::string::npos);
}

TEST_F(RunDirectory, ACellWhoseConfigIsNotTheManifestsGridIsNamedAndLeftOut) {
  testing::write_synthetic_run(root_, {});
  testing::change_config(cell_dir(root_, "Pendulum-v1", "ppo", 3), R"({"hyperparameters": {"learning_rate": 0.01}, "steps": 5})");
  const fs::path config = cell_dir(root_, "Pendulum-v1", "ppo", 3) / "config.json";

  const RunSet set = read_run_directories({root_});
  EXPECT_EQ(find(set, "Pendulum-v1", "ppo", 3).status, CellStatus::unreadable);
  EXPECT_EQ(find(set, "Pendulum-v1", "ppo", 2).status, CellStatus::finished);
  ASSERT_EQ(set.problems.size(), 1u);
  EXPECT_EQ(set.problems[0].file, config);
  EXPECT_NE(set.problems[0].message.find("does not match the grid of the directory's manifest"), std::string::npos);
  EXPECT_NE(set.problems[0].message.find("hyperparameters: {\"learning_rate\":0.01} here, {} in the manifest"),
            std::string::npos)
      << set.problems[0].message;
  EXPECT_NE(set.problems[0].message.find("steps: 5 here"), std::string::npos);
}

TEST_F(RunDirectory, ShardsOfOneGridMergeAndDuplicatesCountOnce) {
  testing::SyntheticRun first, second;
  first.seeds = {0, 1, 2};
  second.seeds = {2, 3, 4};  // seed 2 is in both shards
  testing::write_synthetic_run(root_ / "shard-a", first);
  testing::write_synthetic_run(root_ / "shard-b", second);
  const RunSet set = read_run_directories({root_ / "shard-a", root_ / "shard-b"});
  EXPECT_EQ(set.cells.size(), 2u * 3u * 5u);
  EXPECT_EQ(set.directories.size(), 2u);
  EXPECT_FALSE(set.problems.empty());  // the duplicate is named
}

TEST_F(RunDirectory, GridsWithDifferentMasterSeedsAreDifferentSamples) {
  testing::SyntheticRun first, second;
  second.master_seed = 2;
  testing::write_synthetic_run(root_ / "a", first);
  testing::write_synthetic_run(root_ / "b", second);
  const RunSet set = read_run_directories({root_ / "a", root_ / "b"});
  EXPECT_EQ(set.cells.size(), 2u * 2u * 3u * 5u);
}

TEST_F(RunDirectory, MissingDirectoryOrManifestIsAnInvalidArgument) {
  EXPECT_THROW(read_run_directories({root_ / "nowhere"}), std::invalid_argument);
  fs::create_directories(root_);
  try {
    read_run_directories({root_});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("manifest.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace pgbench::report
