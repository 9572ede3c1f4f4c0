#include "stats/curves.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

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
  const CurveBand band = mean_band({{0.0, 1.0}, {2.0, 3.0}, {4.0, 5.0}}, {BandMethod::student_t, 0.95});
  EXPECT_DOUBLE_EQ(band.mean[0], 2.0);
  EXPECT_DOUBLE_EQ(band.mean[1], 3.0);
  // s = 2, n = 3; with 2 degrees of freedom the t quantile has a closed form:
  // t_p = (2p - 1) / sqrt(2 p (1 - p)).
  const double t = 0.95 / std::sqrt(2 * 0.975 * 0.025);
  EXPECT_NEAR(band.upper[0] - band.mean[0], t * 2.0 / std::sqrt(3.0), 1e-12);
}

// CartPole-like: three runs at the 500 cap and one that failed. The t band goes above 500, which
// no run can score; the bootstrap and std bands stay within what the runs reached.
TEST(MeanBand, BootstrapAndStdBandsStayInTheRunsRangeWhereTheTBandLeavesIt) {
  const std::vector<std::vector<double>> runs = {{500.0}, {500.0}, {500.0}, {20.0}};
  EXPECT_GT(mean_band(runs, {BandMethod::student_t, 0.95}).upper[0], 500.0);
  for (const BandMethod method : {BandMethod::bootstrap, BandMethod::std_dev}) {
    const CurveBand band = mean_band(runs, {method, 0.95});
    EXPECT_LE(band.upper[0], 500.0) << band_method_name(method);
    EXPECT_GE(band.lower[0], 20.0) << band_method_name(method);
    EXPECT_LT(band.lower[0], band.mean[0]) << band_method_name(method);
  }
  // mean 380, s = 240: the std band is [140, 500] after clipping.
  const CurveBand spread = mean_band(runs, {BandMethod::std_dev, 0.95});
  EXPECT_DOUBLE_EQ(spread.lower[0], 140.0);
  EXPECT_DOUBLE_EQ(spread.upper[0], 500.0);
}

// With two runs a resampled mean is a, (a + b) / 2 or b with probabilities 1/4, 1/2, 1/4, so the
// 95% percentile band is exactly [a, b], where the t band is 12.7 times as wide (t = 12.706 at 1
// degree of freedom, SE = |a - b| / 2).
TEST(MeanBand, TwoRunsGiveTheirRangeAsBootstrapBand) {
  const CurveBand band = mean_band({{100.0, -3.0}, {300.0, 5.0}}, {BandMethod::bootstrap, 0.95, {4000, 7}});
  EXPECT_DOUBLE_EQ(band.lower[0], 100.0);
  EXPECT_DOUBLE_EQ(band.upper[0], 300.0);
  EXPECT_DOUBLE_EQ(band.lower[1], -3.0);
  EXPECT_DOUBLE_EQ(band.upper[1], 5.0);
  const CurveBand t = mean_band({{100.0}, {300.0}}, {BandMethod::student_t, 0.95});
  EXPECT_NEAR(t.upper[0] - t.lower[0], 12.706 * 200.0, 1.0);
}

TEST(MeanBand, OneRunHasNoBand) {
  for (const BandMethod method : {BandMethod::bootstrap, BandMethod::student_t, BandMethod::std_dev}) {
    const CurveBand band = mean_band({{1.0, 2.0}}, {method, 0.95});
    EXPECT_EQ(band.mean, (std::vector<double>{1.0, 2.0}));
    EXPECT_TRUE(std::isnan(band.lower[0]) && std::isnan(band.upper[1]));
  }
}

TEST(MeanBand, MethodsByNameAndABadNameSaysWhatIsAccepted) {
  for (const BandMethod method : {BandMethod::bootstrap, BandMethod::student_t, BandMethod::std_dev})
    EXPECT_EQ(parse_band_method(band_method_name(method)), method);
  try {
    parse_band_method("sem");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--bands sem: accepted are bootstrap"), std::string::npos) << e.what();
  }
}

TEST(TrailingMean, AveragesTheWindowEndingAtEachPoint) {
  const std::vector<double> y = {1, 2, 3, 4, 5};
  EXPECT_EQ(trailing_mean(y, 1), y);
  EXPECT_EQ(trailing_mean(y, 2), (std::vector<double>{1, 1.5, 2.5, 3.5, 4.5}));
  EXPECT_EQ(trailing_mean(y, 3), (std::vector<double>{1, 1.5, 2, 3, 4}));
}

}  // namespace
}  // namespace pgbench::stats
