#include "stats/descriptive.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "reference_values.hpp"
#include "stats/confidence.hpp"

namespace pgbench::stats {
namespace {

using testing::doubles;
using testing::reference_values;

// Same formulas as NumPy, different summation order: agree to a few ulps.
void expect_close(double actual, double expected, double relative = 1e-12) {
  EXPECT_NEAR(actual, expected, relative * std::max(1.0, std::abs(expected)));
}

// SciPy 1.10's Student-t quantile (Cephes stdtrit) is accurate to about 1e-9 relative for few
// degrees of freedom; Boost.Math's is exact to a few ulps (see the closed-form check in
// curves_test.cpp), so intervals built on the quantile are compared at 1e-8.
constexpr double kStudentQuantileTolerance = 1e-8;

TEST(Descriptive, MatchesNumPyAndSciPy) {
  for (const auto& [name, reference] : reference_values()["descriptive"].items()) {
    SCOPED_TRACE(name);
    const std::vector<double> values = doubles(reference["values"]);
    const Summary summary = summarize(values);
    EXPECT_EQ(summary.n, values.size());
    expect_close(summary.mean, reference["mean"]);
    expect_close(summary.median, reference["median"]);
    expect_close(summary.iqm, reference["iqm"]);
    expect_close(summary.min, reference["min"]);
    expect_close(summary.max, reference["max"]);
    expect_close(quantile(values, 0.1), reference["quantile_0_1"]);
    expect_close(quantile(values, 0.9), reference["quantile_0_9"]);
    expect_close(interquartile_mean(values), reference["iqm"]);
    if (values.size() >= 2) {
      expect_close(summary.std, reference["std"]);
      expect_close(summary.standard_error, reference["sem"]);
      for (const auto& [key, level] : {std::pair{"t_interval_95", 0.95}, std::pair{"t_interval_90", 0.9}}) {
        const Interval interval = student_t_interval(values, level);
        expect_close(interval.lower, reference[key][0], kStudentQuantileTolerance);
        expect_close(interval.upper, reference[key][1], kStudentQuantileTolerance);
      }
    } else {
      EXPECT_TRUE(std::isnan(summary.std));
      EXPECT_TRUE(std::isnan(student_t_interval(values, 0.95).lower));
    }
  }
}

TEST(Descriptive, EmptyInputIsNaN) {
  const Summary summary = summarize({});
  EXPECT_EQ(summary.n, 0u);
  EXPECT_TRUE(std::isnan(summary.mean));
  EXPECT_TRUE(std::isnan(summary.iqm));
  EXPECT_TRUE(std::isnan(median({})));
}

TEST(Descriptive, InPlaceVariantsAgreeWithCopyingOnes) {
  const std::vector<double> values = doubles(reference_values()["descriptive"]["thirteen"]["values"]);
  std::vector<double> buffer = values;
  EXPECT_EQ(interquartile_mean_in_place(buffer), interquartile_mean(values));
  buffer = values;
  EXPECT_EQ(median_in_place(buffer), median(values));
}

}  // namespace
}  // namespace pgbench::stats
