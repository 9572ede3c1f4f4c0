#include "stats/power.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace pgbench::stats {
namespace {

double welch_degrees_of_freedom(double var_a, double var_b, std::size_t n) {
  return (var_a + var_b) * (var_a + var_b) * static_cast<double>(n - 1) /
         (var_a * var_a + var_b * var_b);
}

}  // namespace

double type_two_error(double std_a, double std_b, std::size_t n, double epsilon,
                      const PowerSettings& settings) {
  const double var_a = std_a * std_a, var_b = std_b * std_b;
  if (n < 2 || var_a + var_b == 0) return std::numeric_limits<double>::quiet_NaN();
  const boost::math::students_t distribution(welch_degrees_of_freedom(var_a, var_b, n));
  const double critical = boost::math::quantile(distribution, 1 - settings.alpha);
  const double effect = epsilon / std::sqrt((var_a + var_b) / static_cast<double>(n));
  return boost::math::cdf(distribution, critical - effect);
}

double detectable_difference(double std_a, double std_b, std::size_t n,
                             const PowerSettings& settings) {
  const double var_a = std_a * std_a, var_b = std_b * std_b;
  if (n < 2 || var_a + var_b == 0) return std::numeric_limits<double>::quiet_NaN();
  const boost::math::students_t distribution(welch_degrees_of_freedom(var_a, var_b, n));
  return std::sqrt((var_a + var_b) / static_cast<double>(n)) *
         (boost::math::quantile(distribution, 1 - settings.alpha) +
          boost::math::quantile(distribution, settings.power));
}

std::optional<std::size_t> required_runs(double std_a, double std_b, double epsilon,
                                         const PowerSettings& settings, std::size_t max_runs) {
  for (std::size_t n = 2; n <= max_runs; ++n)
    if (type_two_error(std_a, std_b, n, epsilon, settings) <= 1 - settings.power) return n;
  return std::nullopt;
}

}  // namespace pgbench::stats
