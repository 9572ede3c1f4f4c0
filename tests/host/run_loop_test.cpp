// The protocol: budget, time limits, evaluation, action validation, failures.
#include <gtest/gtest.h>

#include <cmath>

#include "host/run_loop.hpp"
#include "host/suite.hpp"
#include "test_support.hpp"

namespace pgbench {
namespace {

class RunLoopTest : public ::testing::Test {
 protected:
  // One cell of `algorithm` on `env` with the given task settings.
  CellResult run(const std::string& env, const std::string& algorithm, const std::string& task_settings,
                 const std::string& algo_settings = "", const std::string& config = "{}") {
    test::write_file(dir_ / "s.yaml", "name: t\nmaster_seed: 5\nseeds: 1\ntasks:\n  task: {env: " + env + ", config: " + config +
                                          ", " + task_settings + "}\nalgorithms:\n  algo: {algorithm: " + algorithm +
                                          (algo_settings.empty() ? "" : ", " + algo_settings) + "}\n");
    resolved_ = resolve_suite(load_suite(dir_ / "s.yaml"), plugins_);
    RunControl control;
    return run_cell(resolved_->cells.at(0), control);
  }
  test::TempDir dir_;
  PluginRegistry plugins_ = test::load_plugins({"c_plugin", "sdk_plugin"});
  std::unique_ptr<ResolvedSuite> resolved_;
};

TEST_F(RunLoopTest, CountsTheBudgetEvaluatesOnScheduleAndRecordsEpisodes) {
  // c-right walks the chain from 5 to 10: every episode is 5 steps, return 1 - 4 x 0.01.
  const CellResult r = run("c-chain", "c-right", "steps: 100, eval_every: 30, eval_episodes: 3");
  ASSERT_EQ(r.status, CellResult::Status::Ok) << r.error;
  EXPECT_EQ(r.env_steps, 100u);
  std::vector<std::uint64_t> eval_steps;
  for (const auto& row : r.curve) eval_steps.push_back(row.env_step);
  EXPECT_EQ(eval_steps, (std::vector<std::uint64_t>{0, 30, 60, 90, 100}));
  for (const auto& row : r.curve) {
    EXPECT_NEAR(row.eval_return_mean, 0.96, 1e-12);
    EXPECT_EQ(row.eval_return_std, 0.0);
  }
  ASSERT_EQ(r.episodes.size(), 20u);
  EXPECT_EQ(r.episodes[0].env_step, 5u);
  EXPECT_EQ(r.episodes[0].length, 5u);
  EXPECT_NEAR(r.episodes[0].episode_return, 0.96, 1e-12);
  EXPECT_EQ(r.curve[1].train_episodes, 6u);  // episodes ending at 5, 10, ..., 30
  EXPECT_TRUE(std::isnan(r.curve[0].train_return_mean));
}

TEST_F(RunLoopTest, TheHostAppliesTheTimeLimitAsTruncation) {
  const CellResult r = run("c-chain", "c-right", "steps: 30, eval_every: 30, eval_episodes: 2, max_episode_steps: 3");
  ASSERT_EQ(r.status, CellResult::Status::Ok) << r.error;
  ASSERT_EQ(r.episodes.size(), 10u);
  for (const auto& e : r.episodes) {
    EXPECT_EQ(e.length, 3u);
    EXPECT_NEAR(e.episode_return, -0.03, 1e-12);
  }
  EXPECT_NEAR(r.curve.back().eval_return_mean, -0.03, 1e-12);
}

TEST_F(RunLoopTest, VectorisedEnvsCountEverySubEnvStep) {
  const CellResult r = run("c-chain", "c-right", "steps: 40, eval_every: 40, eval_episodes: 1", "num_envs: 4");
  ASSERT_EQ(r.status, CellResult::Status::Ok) << r.error;
  EXPECT_EQ(r.env_steps, 40u);
  EXPECT_EQ(r.episodes.size(), 8u);  // 10 host steps x 4 sub-envs / 5 steps per episode
}

TEST_F(RunLoopTest, AnActionOutsideTheSpaceFailsTheCellWithAClearMessage) {
  const CellResult r = run("c-chain", "c-bad", "steps: 10, eval_every: 10, eval_episodes: 1");
  ASSERT_EQ(r.status, CellResult::Status::Failed);
  EXPECT_NE(r.error.find("the algorithm chose action 7 for sub-env 0; the Discrete space accepts 0 .. 1"), std::string::npos)
      << r.error;
}

TEST_F(RunLoopTest, BoxActionsAreClippedForTheEnvButTheAlgorithmKeepsItsOwn) {
  // sdk-echo acts at the lower bound, inside the box: nothing to clip, the cell runs; and with
  // clipping off it still runs. An env failure mid-run fails the cell with the env's message.
  EXPECT_EQ(run("sdk-counter", "sdk-echo", "steps: 20, eval_every: 10, eval_episodes: 1, clip_actions: false").status,
            CellResult::Status::Ok);
  const CellResult r = run("sdk-counter", "sdk-echo", "steps: 20, eval_every: 10, eval_episodes: 1", "", "{fail_at_step: 7}");
  ASSERT_EQ(r.status, CellResult::Status::Failed);
  EXPECT_NE(r.error.find("failing on purpose at step 7"), std::string::npos) << r.error;
}

TEST_F(RunLoopTest, MetricsArriveAsMeansPerCurveRow) {
  const CellResult r = run("sdk-counter", "sdk-echo", "steps: 40, eval_every: 20, eval_episodes: 1",
                           "num_envs: 1, hyperparameters: {update_every: 10, learning_rate: 0.5}");
  ASSERT_EQ(r.status, CellResult::Status::Ok) << r.error;
  EXPECT_EQ(r.updates, 4u);
  ASSERT_EQ(r.curve.size(), 3u);
  EXPECT_DOUBLE_EQ(r.curve[1].metrics.at("echo/observed"), 15.0);  // updates at 10 and 20
  EXPECT_DOUBLE_EQ(r.curve[2].metrics.at("echo/learning_rate"), 0.5);
}

TEST_F(RunLoopTest, RandomPolicyScoresOnClassicControl) {
  // The uniform-random policy's evaluation return over 20 fixed episodes, against the known
  // random-policy levels: CartPole ~22, Acrobot -500 (never solved), Pendulum ~-1200,
  // MountainCarContinuous ~-33 over 999 steps. Bounds are wide (about 4 standard errors).
  struct Case {
    const char* env;
    double low, high;
  };
  for (const Case& c : {Case{"CartPole-v1", 14, 32}, Case{"Acrobot-v1", -500, -440}, Case{"Pendulum-v1", -1450, -950},
                        Case{"MountainCarContinuous-v0", -38, -28}}) {
    const CellResult r = run(c.env, "random", "steps: 1000, eval_every: 1000, eval_episodes: 20");
    ASSERT_EQ(r.status, CellResult::Status::Ok) << c.env << ": " << r.error;
    EXPECT_GE(r.curve.back().eval_return_mean, c.low) << c.env;
    EXPECT_LE(r.curve.back().eval_return_mean, c.high) << c.env;
  }
}

}  // namespace
}  // namespace pgbench
