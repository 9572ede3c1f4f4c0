#include "stats/descriptive.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace pgbench::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> sorted_copy(std::span<const double> values) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

double quantile_of_sorted(std::span<const double> sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

double interquartile_mean_of_sorted(std::span<const double> sorted) {
  const std::size_t cut = sorted.size() / 4;
  const auto first = sorted.begin() + static_cast<std::ptrdiff_t>(cut);
  const auto last = sorted.end() - static_cast<std::ptrdiff_t>(cut);
  return std::accumulate(first, last, 0.0) / static_cast<double>(last - first);
}

}  // namespace

double mean(std::span<const double> values) {
  if (values.empty()) return kNaN;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double sample_std(std::span<const double> values) {
  if (values.size() < 2) return kNaN;
  const double centre = mean(values);
  double squares = 0;
  for (double v : values) squares += (v - centre) * (v - centre);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double quantile(std::span<const double> values, double q) {
  if (values.empty()) return kNaN;
  return quantile_of_sorted(sorted_copy(values), q);
}

double median(std::span<const double> values) { return quantile(values, 0.5); }

double interquartile_mean(std::span<const double> values) {
  if (values.empty()) return kNaN;
  return interquartile_mean_of_sorted(sorted_copy(values));
}

double median_in_place(std::span<double> values) {
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  return quantile_of_sorted(values, 0.5);
}

double interquartile_mean_in_place(std::span<double> values) {
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  return interquartile_mean_of_sorted(values);
}

Summary summarize(std::span<const double> values) {
  Summary summary;
  summary.n = values.size();
  if (values.empty()) {
    summary.mean = summary.median = summary.iqm = summary.std = summary.standard_error = kNaN;
    summary.min = summary.max = kNaN;
    return summary;
  }
  const std::vector<double> sorted = sorted_copy(values);
  summary.mean = mean(values);
  summary.median = quantile_of_sorted(sorted, 0.5);
  summary.iqm = interquartile_mean_of_sorted(sorted);
  summary.std = sample_std(values);
  summary.standard_error = summary.std / std::sqrt(static_cast<double>(values.size()));
  summary.min = sorted.front();
  summary.max = sorted.back();
  return summary;
}

}  // namespace pgbench::stats
