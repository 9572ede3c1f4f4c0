// REINFORCE learns CartPole-v1: the pgbench binary runs cartpole.yaml (3 seeds, 100k env steps,
// 4 envs, batches of 2048 steps, learning rate 3e-3, the other hyperparameters the plugin's
// defaults) and the mean final evaluation return must clear a bar far above the random policy's ~20.
#include "support/learning.hpp"

#include <gtest/gtest.h>

namespace {

using namespace pgbench::test;

const std::filesystem::path kSuites = PGBENCH_TEST_SUITES_DIR;

void expect_learns_cartpole(const std::string& algorithm) {
  const SuiteRun run(PGBENCH_BINARY, (kSuites / "cartpole.yaml").string(), algorithm);
  const std::vector<double> returns = final_eval_returns(run.dir(), "CartPole-v1", algorithm);
  ASSERT_EQ(returns.size(), 3u);
  EXPECT_GE(mean(returns), 400.0) << "seeds: " << returns[0] << ", " << returns[1] << ", " << returns[2];
}

// The default baseline: the batch mean of the returns.
TEST(Learning, CartPoleMeanBaselineMeanFinalEvalReturnOverThreeSeeds) { expect_learns_cartpole("reinforce"); }

TEST(Learning, CartPoleValueBaselineMeanFinalEvalReturnOverThreeSeeds) { expect_learns_cartpole("reinforce_value"); }

}  // namespace
