// SAC learns: the final evaluation return averaged over the 3 seeds of pendulum.yaml.
#include <gtest/gtest.h>

#include "support/learning.hpp"

namespace pgbench {
namespace {

const std::filesystem::path kSuites = PGBENCH_TEST_SUITES_DIR;

TEST(SacLearning, LearnsPendulum) { EXPECT_GE(test::mean_final_return(kSuites / "pendulum.yaml"), -250.0); }

}  // namespace
}  // namespace pgbench
