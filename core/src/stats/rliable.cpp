#include "stats/rliable.hpp"

#include <algorithm>
#include <stdexcept>

#include "stats/descriptive.hpp"

namespace pgbench::stats {
namespace {

std::vector<std::size_t> stratum_sizes(const TaskScores& scores) {
  std::vector<std::size_t> sizes;
  for (const auto& task : scores) sizes.push_back(task.size());
  return sizes;
}

// Aggregates of scores laid out in `pooled` task after task (task m occupies
// [offsets[m], offsets[m+1])). Sorts `pooled`; `task_means` (one slot per task) is working memory.
std::array<double, 4> aggregates_of_pooled(std::span<double> pooled, std::span<const std::size_t> offsets,
                                           std::span<double> task_means, double gamma) {
  double capped_sum = 0;
  for (std::size_t m = 0; m < task_means.size(); ++m) {
    const auto task = pooled.subspan(offsets[m], offsets[m + 1] - offsets[m]);
    task_means[m] = mean(task);
    for (double x : task) capped_sum += std::min(x, gamma);
  }
  const double optimality_gap = gamma - capped_sum / static_cast<double>(pooled.size());
  const double mean_of_means = mean(task_means);
  const double median_of_means = median_in_place(task_means);
  return {interquartile_mean_in_place(pooled), median_of_means, mean_of_means, optimality_gap};
}

// U / (n_x n_y) of x against y, ties counting ½.
double pairwise_win_rate(std::span<const double> x, std::span<const double> y) {
  double wins = 0;
  for (double a : x)
    for (double b : y) wins += a > b ? 1.0 : (a == b ? 0.5 : 0.0);
  return wins / static_cast<double>(x.size() * y.size());
}

void check_aligned(const TaskScores& x, const TaskScores& y) {
  if (x.size() != y.size() || x.empty())
    throw std::invalid_argument("probability of improvement: both algorithms need the same tasks");
  for (std::size_t m = 0; m < x.size(); ++m)
    if (x[m].empty() || y[m].empty())
      throw std::invalid_argument("probability of improvement: a task has no runs");
}

double profile_at(std::span<const double> sorted_task, double tau) {
  const auto above = sorted_task.end() - std::upper_bound(sorted_task.begin(), sorted_task.end(), tau);
  return static_cast<double>(above) / static_cast<double>(sorted_task.size());
}

}  // namespace

std::string_view aggregate_metric_name(AggregateMetric metric) {
  switch (metric) {
    case AggregateMetric::iqm: return "IQM";
    case AggregateMetric::median: return "Median";
    case AggregateMetric::mean: return "Mean";
    case AggregateMetric::optimality_gap: return "Optimality gap";
  }
  return {};
}

std::array<double, 4> aggregate_metrics(const TaskScores& scores, double gamma) {
  std::vector<double> pooled;
  std::vector<std::size_t> offsets{0};
  for (const auto& task : scores) {
    pooled.insert(pooled.end(), task.begin(), task.end());
    offsets.push_back(pooled.size());
  }
  std::vector<double> task_means(scores.size());
  return aggregates_of_pooled(pooled, offsets, task_means, gamma);
}

std::array<Estimate, 4> aggregate_estimates(const TaskScores& scores, double level,
                                            const BootstrapOptions& options, double gamma) {
  const std::vector<std::size_t> sizes = stratum_sizes(scores);
  std::vector<std::size_t> offsets{0};
  for (std::size_t size : sizes) offsets.push_back(offsets.back() + size);

  const auto distribution = stratified_bootstrap(
      sizes, 4, options, [&](const Resample& draw, std::vector<double>& scratch, std::span<double> out) {
        scratch.clear();
        for (std::size_t m = 0; m < scores.size(); ++m) append_resampled(scores[m], draw.indices(m), scratch);
        // The per-task means go in the same buffer, after the pooled scores.
        const std::size_t pooled_size = scratch.size();
        scratch.resize(pooled_size + scores.size());
        const auto buffer = std::span(scratch);
        const auto aggregates = aggregates_of_pooled(buffer.first(pooled_size), offsets,
                                                     buffer.subspan(pooled_size), gamma);
        std::copy(aggregates.begin(), aggregates.end(), out.begin());
      });

  const auto point = aggregate_metrics(scores, gamma);
  std::array<Estimate, 4> estimates;
  for (std::size_t i = 0; i < 4; ++i) estimates[i] = {point[i], distribution.percentile_interval(i, level)};
  return estimates;
}

double probability_of_improvement(const TaskScores& x, const TaskScores& y) {
  check_aligned(x, y);
  double sum = 0;
  for (std::size_t m = 0; m < x.size(); ++m) sum += pairwise_win_rate(x[m], y[m]);
  return sum / static_cast<double>(x.size());
}

Estimate probability_of_improvement_estimate(const TaskScores& x, const TaskScores& y, double level,
                                             const BootstrapOptions& options) {
  check_aligned(x, y);
  // Strata 0..M-1 resample X's runs, strata M..2M-1 resample Y's: independently per algorithm.
  std::vector<std::size_t> sizes = stratum_sizes(x);
  for (std::size_t size : stratum_sizes(y)) sizes.push_back(size);
  const std::size_t tasks = x.size();

  const auto distribution = stratified_bootstrap(
      sizes, 1, options, [&](const Resample& draw, std::vector<double>& scratch, std::span<double> out) {
        double sum = 0;
        for (std::size_t m = 0; m < tasks; ++m) {
          scratch.clear();
          append_resampled(x[m], draw.indices(m), scratch);
          append_resampled(y[m], draw.indices(tasks + m), scratch);
          const auto resampled = std::span(scratch);
          sum += pairwise_win_rate(resampled.first(x[m].size()), resampled.subspan(x[m].size()));
        }
        out[0] = sum / static_cast<double>(tasks);
      });
  return {probability_of_improvement(x, y), distribution.percentile_interval(0, level)};
}

std::vector<double> performance_profile(const TaskScores& scores, std::span<const double> taus) {
  std::vector<double> profile(taus.size(), 0.0);
  for (const auto& task : scores) {
    std::vector<double> sorted(task);
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t t = 0; t < taus.size(); ++t) profile[t] += profile_at(sorted, taus[t]);
  }
  for (double& p : profile) p /= static_cast<double>(scores.size());
  return profile;
}

Band performance_profile_band(const TaskScores& scores, std::span<const double> taus, double level,
                              const BootstrapOptions& options) {
  const auto distribution = stratified_bootstrap(
      stratum_sizes(scores), taus.size(), options,
      [&](const Resample& draw, std::vector<double>& scratch, std::span<double> out) {
        std::fill(out.begin(), out.end(), 0.0);
        for (std::size_t m = 0; m < scores.size(); ++m) {
          scratch.clear();
          append_resampled(scores[m], draw.indices(m), scratch);
          std::sort(scratch.begin(), scratch.end());
          for (std::size_t t = 0; t < taus.size(); ++t) out[t] += profile_at(scratch, taus[t]);
        }
        for (double& p : out) p /= static_cast<double>(scores.size());
      });

  Band band;
  band.value = performance_profile(scores, taus);
  for (std::size_t t = 0; t < taus.size(); ++t) {
    const Interval interval = distribution.percentile_interval(t, level);
    band.lower.push_back(interval.lower);
    band.upper.push_back(interval.upper);
  }
  return band;
}

Band iqm_curve_band(const std::vector<std::vector<std::vector<double>>>& curves, double level,
                    const BootstrapOptions& options) {
  std::vector<std::size_t> sizes;
  for (const auto& task : curves) sizes.push_back(task.size());
  const std::size_t checkpoints = curves.empty() || curves.front().empty() ? 0 : curves.front().front().size();

  const auto distribution = stratified_bootstrap(
      sizes, checkpoints, options,
      [&](const Resample& draw, std::vector<double>& scratch, std::span<double> out) {
        for (std::size_t k = 0; k < checkpoints; ++k) {
          scratch.clear();
          for (std::size_t m = 0; m < curves.size(); ++m)
            for (std::uint32_t run : draw.indices(m)) scratch.push_back(curves[m][run][k]);
          out[k] = interquartile_mean_in_place(scratch);
        }
      });

  Band band;
  std::vector<double> pooled;
  for (std::size_t k = 0; k < checkpoints; ++k) {
    pooled.clear();
    for (const auto& task : curves)
      for (const auto& run : task) pooled.push_back(run[k]);
    band.value.push_back(interquartile_mean_in_place(pooled));
    const Interval interval = distribution.percentile_interval(k, level);
    band.lower.push_back(interval.lower);
    band.upper.push_back(interval.upper);
  }
  return band;
}

}  // namespace pgbench::stats
