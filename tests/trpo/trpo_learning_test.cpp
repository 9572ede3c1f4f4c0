// TRPO learns: the final evaluation return averaged over the 3 seeds of each suite file in this
// folder (reference hyperparameters, 8 envs), against the thresholds stated here.
#include <gtest/gtest.h>

#include "support/learning.hpp"

namespace pgbench {
namespace {

const std::filesystem::path kSuites = PGBENCH_TEST_SUITES_DIR;

// 100k env steps: seeds reach the 500 cap in 10-20k steps and hold it, with dips.
TEST(TrpoLearning, LearnsCartPole) { EXPECT_GE(test::mean_final_return(kSuites / "cartpole.yaml"), 400.0); }

// 200k env steps: seeds settle between -120 and -190 after 80-100k steps; a random policy
// scores about -1200.
TEST(TrpoLearning, LearnsPendulum) { EXPECT_GE(test::mean_final_return(kSuites / "pendulum.yaml"), -400.0); }

}  // namespace
}  // namespace pgbench
