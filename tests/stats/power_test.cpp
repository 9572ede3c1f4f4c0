#include "stats/power.hpp"

#include <gtest/gtest.h>

#include "reference_values.hpp"

namespace pgbench::stats {
namespace {

// SciPy 1.10's Student-t quantile is accurate to about 1e-9 relative (Boost.Math's to a few
// ulps), so values built on quantiles are compared at 1e-8 relative.
TEST(Power, MatchesColasFormulasEvaluatedWithSciPy) {
  for (const auto& reference : testing::reference_values()["power"]) {
    const double std_a = reference["std_a"], std_b = reference["std_b"], epsilon = reference["epsilon"];
    const std::size_t n = reference["n"];
    EXPECT_NEAR(type_two_error(std_a, std_b, n, epsilon), reference["beta"].get<double>(), 1e-8);
    const double detectable = reference["detectable"];
    EXPECT_NEAR(detectable_difference(std_a, std_b, n), detectable, 1e-8 * detectable);
    EXPECT_EQ(required_runs(std_a, std_b, epsilon), reference["required_runs"].get<std::size_t>());
  }
}

TEST(Power, TheDetectableDifferenceHasTheRequestedPower) {
  const double epsilon = detectable_difference(40.0, 25.0, 10);
  EXPECT_NEAR(type_two_error(40.0, 25.0, 10, epsilon), 0.2, 1e-9);
}

TEST(Power, NoRunCountIsEnoughForAVanishingDifference) {
  EXPECT_FALSE(required_runs(100.0, 100.0, 1e-6, {}, 50).has_value());
}

}  // namespace
}  // namespace pgbench::stats
