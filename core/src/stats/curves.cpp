#include "stats/curves.hpp"

#include <algorithm>
#include <limits>

#include "stats/confidence.hpp"
#include "stats/descriptive.hpp"

namespace pgbench::stats {

std::vector<double> interpolate(std::span<const double> x, std::span<const double> y,
                                std::span<const double> grid) {
  std::vector<double> result(grid.size(), std::numeric_limits<double>::quiet_NaN());
  if (x.empty()) return result;
  for (std::size_t g = 0; g < grid.size(); ++g) {
    const double at = grid[g];
    if (at < x.front() || at > x.back()) continue;
    // First point at or beyond `at`; the segment ends there.
    const auto upper = static_cast<std::size_t>(std::lower_bound(x.begin(), x.end(), at) - x.begin());
    if (x[upper] == at) {
      result[g] = y[upper];
      continue;
    }
    const std::size_t lower = upper - 1;
    const double fraction = (at - x[lower]) / (x[upper] - x[lower]);
    result[g] = y[lower] + fraction * (y[upper] - y[lower]);
  }
  return result;
}

std::vector<double> linear_grid(double first, double last, std::size_t points) {
  if (points == 1) return {first};
  std::vector<double> grid(points);
  for (std::size_t i = 0; i < points; ++i)
    grid[i] = first + (last - first) * static_cast<double>(i) / static_cast<double>(points - 1);
  grid.back() = last;  // exactly, whatever the rounding above
  return grid;
}

std::vector<double> common_grid(const std::vector<std::span<const double>>& run_x,
                                std::size_t max_points) {
  double first = -std::numeric_limits<double>::infinity();
  double last = std::numeric_limits<double>::infinity();
  for (const auto& x : run_x) {
    if (x.empty()) return {};
    first = std::max(first, x.front());
    last = std::min(last, x.back());
  }
  if (run_x.empty() || first > last) return {};

  std::vector<double> grid;
  for (const auto& x : run_x)
    for (double v : x)
      if (v >= first && v <= last) grid.push_back(v);
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  if (grid.size() > max_points) return linear_grid(first, last, max_points);
  return grid;
}

CurveBand mean_band(const std::vector<std::vector<double>>& runs, double level) {
  const std::size_t points = runs.empty() ? 0 : runs.front().size();
  CurveBand band;
  std::vector<double> column;
  for (std::size_t i = 0; i < points; ++i) {
    column.clear();
    for (const auto& run : runs) column.push_back(run[i]);
    const Interval interval = student_t_interval(column, level);
    band.mean.push_back(mean(column));
    band.lower.push_back(interval.lower);
    band.upper.push_back(interval.upper);
  }
  return band;
}

}  // namespace pgbench::stats
