// stats/descriptive.hpp -- one-sample descriptive statistics over the run scores of a cell.
//
// Conventions follow NumPy/SciPy so that every number can be checked against them:
// quantiles interpolate linearly between order statistics (NumPy's default "linear" method),
// the standard deviation uses ddof = 1, and the IQM is SciPy's trim_mean(x, 0.25).
// Functions take spans and never reorder the caller's data. Empty input gives NaN.
#pragma once

#include <cstddef>
#include <span>

namespace pgbench::stats {

double mean(std::span<const double> values);

// Sample standard deviation with ddof = 1 (the unbiased variance estimator); NaN for n < 2.
double sample_std(std::span<const double> values);

// q-quantile, q in [0, 1], by linear interpolation between the order statistics
// (position (n - 1) q), as numpy.quantile(x, q) does.
double quantile(std::span<const double> values, double q);

double median(std::span<const double> values);

// Interquartile mean: drop floor(n / 4) values at each end of the sorted sample and average the
// rest. For n < 4 nothing is dropped, as in scipy.stats.trim_mean(x, 0.25).
double interquartile_mean(std::span<const double> values);

// The same two statistics on a buffer the caller lets us sort in place (no allocation: the
// bootstrap evaluates them hundreds of thousands of times).
double median_in_place(std::span<double> values);
double interquartile_mean_in_place(std::span<double> values);

struct Summary {
  std::size_t n = 0;
  double mean = 0;
  double median = 0;
  double iqm = 0;
  double std = 0;             // ddof = 1
  double standard_error = 0;  // std / sqrt(n)
  double min = 0;
  double max = 0;
};

Summary summarize(std::span<const double> values);

}  // namespace pgbench::stats
