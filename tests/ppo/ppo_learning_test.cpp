// PPO learns: the final evaluation return averaged over the 3 seeds of each suite file in this
// folder (reference hyperparameters, 8 envs), against the thresholds stated here.
#include <gtest/gtest.h>

#include "support/learning.hpp"

namespace pgbench {
namespace {

const std::filesystem::path kSuites = PGBENCH_TEST_SUITES_DIR;

// 100k env steps: every seed reaches the 500 cap in 20-40k steps.
TEST(PpoLearning, SolvesCartPole) { EXPECT_GE(test::mean_final_return(kSuites / "cartpole.yaml"), 475.0); }

// 200k env steps: seeds settle between -120 and -160 after 100-150k steps; a random policy
// scores about -1200.
TEST(PpoLearning, LearnsPendulum) { EXPECT_GE(test::mean_final_return(kSuites / "pendulum.yaml"), -400.0); }

}  // namespace
}  // namespace pgbench
