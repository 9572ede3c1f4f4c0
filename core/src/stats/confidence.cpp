#include "stats/confidence.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "stats/descriptive.hpp"

namespace pgbench::stats {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

Interval student_t_interval(std::span<const double> values, double level) {
  if (values.size() < 2) return {kNaN, kNaN};
  const double n = static_cast<double>(values.size());
  const boost::math::students_t distribution(n - 1);
  const double critical = boost::math::quantile(distribution, (1.0 + level) / 2.0);
  const double half_width = critical * sample_std(values) / std::sqrt(n);
  const double centre = mean(values);
  return {centre - half_width, centre + half_width};
}

Interval bootstrap_mean_interval(std::span<const double> values, double level,
                                 const BootstrapOptions& options) {
  if (values.empty()) return {kNaN, kNaN};
  const std::size_t sizes[] = {values.size()};
  const auto distribution = stratified_bootstrap(
      sizes, 1, options, [&](const Resample& draw, std::vector<double>& scratch, std::span<double> out) {
        scratch.clear();
        append_resampled(values, draw.indices(0), scratch);
        out[0] = mean(scratch);
      });
  return distribution.percentile_interval(0, level);
}

Interval bootstrap_difference_interval(std::span<const double> a, std::span<const double> b,
                                       double level, const BootstrapOptions& options) {
  if (a.empty() || b.empty()) return {kNaN, kNaN};
  const std::size_t sizes[] = {a.size(), b.size()};
  const auto distribution = stratified_bootstrap(
      sizes, 1, options, [&](const Resample& draw, std::vector<double>& scratch, std::span<double> out) {
        scratch.clear();
        append_resampled(a, draw.indices(0), scratch);
        const double mean_a = mean(scratch);
        scratch.clear();
        append_resampled(b, draw.indices(1), scratch);
        out[0] = mean_a - mean(scratch);
      });
  return distribution.percentile_interval(0, level);
}

}  // namespace pgbench::stats
