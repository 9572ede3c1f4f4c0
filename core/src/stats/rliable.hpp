// stats/rliable.hpp -- aggregate performance across tasks, after Agarwal et al. 2021 ("Deep
// Reinforcement Learning at the Edge of the Statistical Precipice") and its library rliable.
//
// Input scores are normalised (0 = reference low, 1 = reference high) and grouped by task:
// scores[m][n] is run n on task m; tasks may have different numbers of runs. Intervals are
// percentile intervals of a stratified bootstrap (tasks are strata, runs are resampled with
// replacement within each task), seeded, and identical whatever the number of threads.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "stats/bootstrap.hpp"

namespace pgbench::stats {

using TaskScores = std::vector<std::vector<double>>;

struct Estimate {
  double value = 0;   // the statistic on the data themselves, not a bootstrap mean
  Interval interval;  // percentile bootstrap interval
};

enum class AggregateMetric { iqm, median, mean, optimality_gap };
inline constexpr std::array<AggregateMetric, 4> kAggregateMetrics = {
    AggregateMetric::iqm, AggregateMetric::median, AggregateMetric::mean,
    AggregateMetric::optimality_gap};
std::string_view aggregate_metric_name(AggregateMetric metric);  // "IQM", "Median", ...

// The four aggregates, in kAggregateMetrics order:
//  IQM            interquartile mean of all (task, run) scores pooled;
//  Median, Mean   median and mean over tasks of the per-task mean score;
//  Optimality gap gamma - mean over all (task, run) of min(score, gamma).
std::array<double, 4> aggregate_metrics(const TaskScores& scores, double gamma = 1.0);
std::array<Estimate, 4> aggregate_estimates(const TaskScores& scores, double level,
                                            const BootstrapOptions& options, double gamma = 1.0);

// P(X > Y): per task, the Mann–Whitney U of X against Y over n_x n_y (ties count ½), averaged
// over tasks. x[m] and y[m] are the same task and must both be non-empty.
double probability_of_improvement(const TaskScores& x, const TaskScores& y);
// Interval: X and Y resampled independently within each task.
Estimate probability_of_improvement_estimate(const TaskScores& x, const TaskScores& y, double level,
                                             const BootstrapOptions& options);

// Run-score distribution at each threshold tau: (1/M) sum_m (1/N_m) #{n : x_mn > tau}.
std::vector<double> performance_profile(const TaskScores& scores, std::span<const double> taus);
struct Band {
  std::vector<double> value, lower, upper;
};
Band performance_profile_band(const TaskScores& scores, std::span<const double> taus, double level,
                              const BootstrapOptions& options);

// IQM at each checkpoint of learning curves put on a common grid: curves[m][n][k] is run n of
// task m at checkpoint k. A replicate draws runs once per task and uses the drawn runs' whole
// curves (rliable draws anew at each checkpoint; the marginal intervals agree in distribution,
// and ours are also a coherent set of curves).
Band iqm_curve_band(const std::vector<std::vector<std::vector<double>>>& curves, double level,
                    const BootstrapOptions& options);

}  // namespace pgbench::stats
