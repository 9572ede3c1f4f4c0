#include "stats/curves.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

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

std::vector<double> trailing_mean(std::span<const double> y, std::size_t window) {
  window = std::max<std::size_t>(window, 1);
  std::vector<double> out(y.size());
  double sum = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    sum += y[i];
    if (i >= window) sum -= y[i - window];
    out[i] = sum / static_cast<double>(std::min(i + 1, window));
  }
  return out;
}

BandMethod parse_band_method(const std::string& name) {
  if (name == "bootstrap") return BandMethod::bootstrap;
  if (name == "t") return BandMethod::student_t;
  if (name == "std") return BandMethod::std_dev;
  throw std::invalid_argument("--bands " + name + ": accepted are bootstrap (percentile bootstrap CI of the mean), "
                              "t (Student-t CI of the mean) and std (mean ± one standard deviation)");
}

const char* band_method_name(BandMethod method) {
  switch (method) {
    case BandMethod::bootstrap: return "bootstrap";
    case BandMethod::student_t: return "t";
    case BandMethod::std_dev: return "std";
  }
  return "?";
}

CurveBand mean_band(const std::vector<std::vector<double>>& runs, const BandSettings& settings) {
  const std::size_t points = runs.empty() ? 0 : runs.front().size();
  CurveBand band;
  std::vector<std::vector<double>> columns(points);
  for (std::size_t i = 0; i < points; ++i) {
    for (const auto& run : runs) columns[i].push_back(run[i]);
    band.mean.push_back(mean(columns[i]));
  }
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (runs.size() < 2) {
    band.lower.assign(points, kNaN);
    band.upper.assign(points, kNaN);
    return band;
  }
  switch (settings.method) {
    case BandMethod::student_t:
      for (const auto& column : columns) {
        const Interval interval = student_t_interval(column, settings.level);
        band.lower.push_back(interval.lower);
        band.upper.push_back(interval.upper);
      }
      break;
    case BandMethod::std_dev:
      for (std::size_t i = 0; i < points; ++i) {
        const double spread = sample_std(columns[i]);
        const auto [low, high] = std::minmax_element(columns[i].begin(), columns[i].end());
        band.lower.push_back(std::max(band.mean[i] - spread, *low));
        band.upper.push_back(std::min(band.mean[i] + spread, *high));
      }
      break;
    case BandMethod::bootstrap: {
      // The same resampled runs for every point, so the band is the curve of one resampling.
      const std::size_t sizes[] = {runs.size()};
      const auto distribution = stratified_bootstrap(
          sizes, points, settings.bootstrap, [&](const Resample& draw, std::vector<double>&, std::span<double> out) {
            const auto drawn = draw.indices(0);
            for (std::size_t i = 0; i < points; ++i) {
              double sum = 0;
              for (const auto r : drawn) sum += runs[r][i];
              out[i] = sum / static_cast<double>(drawn.size());
            }
          });
      for (std::size_t i = 0; i < points; ++i) {
        const Interval interval = distribution.percentile_interval(i, settings.level);
        band.lower.push_back(interval.lower);
        band.upper.push_back(interval.upper);
      }
      break;
    }
  }
  return band;
}

}  // namespace pgbench::stats
