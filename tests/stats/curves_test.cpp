#include "stats/curves.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "reference_values.hpp"

namespace pgbench::stats {
namespace {

using testing::doubles;

TEST(Interpolate, MatchesNumPyInterp) {
  const auto& reference = testing::reference_values()["interpolation"];
  const std::vector<double> values =
      interpolate(doubles(reference["x"]), doubles(reference["y"]), doubles(reference["grid"]));
  const std::vector<double> expected = doubles(reference["values"]);
  ASSERT_EQ(values.size(), expected.size());
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_NEAR(values[i], expected[i], 1e-12);
}

TEST(Interpolate, NeverExtrapolates) {
  const std::vector<double> values = interpolate(std::vector{10.0, 20.0}, std::vector{1.0, 2.0}, std::vector{5.0, 25.0});
  EXPECT_TRUE(std::isnan(values[0]));
  EXPECT_TRUE(std::isnan(values[1]));
}

TEST(CommonGrid, SharedScheduleIsKeptAsIs) {
  const std::vector<double> schedule = {0, 5000, 10000, 15000};
  EXPECT_EQ(common_grid({schedule, schedule}, 100), schedule);
}

TEST(CommonGrid, CoversOnlyTheRangeEveryRunReaches) {
  const std::vector<double> a = {0, 4000, 8000, 12000};
  const std::vector<double> b = {0, 5000, 10000};
  EXPECT_EQ(common_grid({a, b}, 100), (std::vector<double>{0, 4000, 5000, 8000, 10000}));
}

TEST(CommonGrid, TooManyDistinctPointsBecomeAnEvenGrid) {
  const std::vector<double> a = {0, 1, 2, 3, 4, 10};
  const std::vector<double> b = {0, 1.5, 2.5, 3.5, 10};
  EXPECT_EQ(common_grid({a, b}, 3), (std::vector<double>{0, 5, 10}));
}

TEST(CommonGrid, DisjointRunsShareNothing) {
  EXPECT_TRUE(common_grid({std::vector{0.0, 1.0}, std::vector{2.0, 3.0}}, 10).empty());
}

TEST(MeanBand, StudentTBandAtEachPoint) {
  const CurveBand band = mean_band({{0.0, 1.0}, {2.0, 3.0}, {4.0, 5.0}}, 0.95);
  EXPECT_DOUBLE_EQ(band.mean[0], 2.0);
  EXPECT_DOUBLE_EQ(band.mean[1], 3.0);
  // s = 2, n = 3; with 2 degrees of freedom the t quantile has a closed form:
  // t_p = (2p - 1) / sqrt(2 p (1 - p)).
  const double t = 0.95 / std::sqrt(2 * 0.975 * 0.025);
  EXPECT_NEAR(band.upper[0] - band.mean[0], t * 2.0 / std::sqrt(3.0), 1e-12);
}

}  // namespace
}  // namespace pgbench::stats
