#include "stats/hypothesis.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "reference_values.hpp"

namespace pgbench::stats {
namespace {

using testing::doubles;
using testing::reference_values;

void expect_close(double actual, double expected, double relative = 1e-10) {
  EXPECT_NEAR(actual, expected, relative * std::max(1.0, std::abs(expected)));
}

TEST(WelchTTest, MatchesSciPy) {
  for (const auto& [name, reference] : reference_values()["two_sample"].items()) {
    SCOPED_TRACE(name);
    const WelchResult welch = welch_t_test(doubles(reference["a"]), doubles(reference["b"]));
    expect_close(welch.t, reference["welch_t"]);
    expect_close(welch.degrees_of_freedom, reference["welch_df"]);
    expect_close(welch.p_two_sided, reference["welch_p"], 1e-9);
  }
}

TEST(WelchTTest, UndefinedWithoutVariance) {
  EXPECT_TRUE(std::isnan(welch_t_test(std::vector{1.0}, std::vector{1.0, 2.0}).t));
  EXPECT_TRUE(std::isnan(welch_t_test(std::vector{1.0, 1.0}, std::vector{2.0, 2.0}).p_two_sided));
}

TEST(MannWhitney, MatchesSciPy) {
  for (const auto& [name, reference] : reference_values()["two_sample"].items()) {
    SCOPED_TRACE(name);
    const MannWhitneyResult result = mann_whitney(doubles(reference["a"]), doubles(reference["b"]));
    expect_close(result.u, reference["mw_u"]);
    expect_close(result.probability_greater, reference["mw_probability_greater"]);
    expect_close(result.p_two_sided, reference["mw_p"], 1e-9);
  }
}

TEST(MannWhitney, ChoosesTheExactDistributionLikeSciPy) {
  const auto& cases = reference_values()["two_sample"];
  EXPECT_TRUE(mann_whitney(doubles(cases["small_exact"]["a"]), doubles(cases["small_exact"]["b"])).exact);
  EXPECT_FALSE(mann_whitney(doubles(cases["tied"]["a"]), doubles(cases["tied"]["b"])).exact);
  EXPECT_FALSE(mann_whitney(doubles(cases["large"]["a"]), doubles(cases["large"]["b"])).exact);
}

TEST(MannWhitney, TiesCountHalf) {
  const MannWhitneyResult identical = mann_whitney(std::vector{1.0, 2.0, 3.0}, std::vector{1.0, 2.0, 3.0});
  EXPECT_DOUBLE_EQ(identical.probability_greater, 0.5);
  const MannWhitneyResult dominated = mann_whitney(std::vector{5.0, 6.0}, std::vector{1.0, 2.0, 3.0});
  EXPECT_DOUBLE_EQ(dominated.probability_greater, 1.0);
  EXPECT_DOUBLE_EQ(dominated.u, 6.0);
}

TEST(Holm, MatchesTheDefinition) {
  for (const auto& reference : reference_values()["holm"]) {
    const std::vector<double> adjusted = holm_adjust(doubles(reference["p"]));
    const std::vector<double> expected = doubles(reference["adjusted"]);
    ASSERT_EQ(adjusted.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) expect_close(adjusted[i], expected[i]);
  }
}

TEST(Holm, TextbookExampleAndNaNOutsideTheFamily) {
  // m = 3 tests: 0.01·3 = 0.03, 0.02·2 = 0.04, 0.04·1 = 0.04; NaN is not a test.
  const double nan = std::nan("");
  const std::vector<double> adjusted = holm_adjust(std::vector{0.04, nan, 0.01, 0.02});
  EXPECT_DOUBLE_EQ(adjusted[0], 0.04);
  EXPECT_TRUE(std::isnan(adjusted[1]));
  EXPECT_DOUBLE_EQ(adjusted[2], 0.03);
  EXPECT_DOUBLE_EQ(adjusted[3], 0.04);
}

}  // namespace
}  // namespace pgbench::stats
