// stats/confidence.hpp -- confidence intervals for the mean of one cell's run scores and for
// the difference of two cells' means.
#pragma once

#include <span>

#include "stats/bootstrap.hpp"

namespace pgbench::stats {

// mean ± t_{(1+level)/2, n-1} · s / sqrt(n), s with ddof = 1. NaN bounds for n < 2.
Interval student_t_interval(std::span<const double> values, double level);

// Percentile bootstrap interval of the mean: resample the n runs with replacement.
Interval bootstrap_mean_interval(std::span<const double> values, double level,
                                 const BootstrapOptions& options);

// Percentile bootstrap interval of mean(a) - mean(b), a and b resampled independently.
Interval bootstrap_difference_interval(std::span<const double> a, std::span<const double> b,
                                       double level, const BootstrapOptions& options);

}  // namespace pgbench::stats
