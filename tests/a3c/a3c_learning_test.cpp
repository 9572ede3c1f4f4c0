// A3C learns: the final evaluation return averaged over the 3 seeds of each suite file in this
// folder, against the thresholds stated here.
#include <gtest/gtest.h>

#include "support/learning.hpp"

namespace pgbench {
namespace {

const std::filesystem::path kSuites = PGBENCH_TEST_SUITES_DIR;

TEST(A3cLearning, LearnsCartPole) { EXPECT_GE(test::mean_final_return(kSuites / "cartpole.yaml"), 400.0); }

// A random policy scores about -1200; A2C's learning test holds the same bar on the same budget.
TEST(A3cLearning, LearnsPendulum) { EXPECT_GE(test::mean_final_return(kSuites / "pendulum.yaml"), -600.0); }

}  // namespace
}  // namespace pgbench
