// stats/curves.hpp -- learning curves on a common x grid (env steps or wall-clock seconds).
//
// Runs evaluate at their own steps (different schedules, shards, a resumed run), so every
// cross-run statistic first puts each run on one grid by linear interpolation between its
// evaluations. The grid never extends beyond a run's first or last evaluation: nothing is
// extrapolated.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace pgbench::stats {

// Piecewise-linear interpolation of the points (x[i], y[i]) (x increasing) at each grid value;
// NaN outside [x.front(), x.back()].
std::vector<double> interpolate(std::span<const double> x, std::span<const double> y,
                                std::span<const double> grid);

// `points` evenly spaced values from `first` to `last` inclusive.
std::vector<double> linear_grid(double first, double last, std::size_t points);

// The grid that all runs cover: from the latest first evaluation to the earliest last one. It is
// the union of the runs' own evaluation points in that range (so runs that share a schedule are
// not interpolated at all), unless that union has more than `max_points` values, in which case
// it is `max_points` evenly spaced values. Empty when the runs share no range.
std::vector<double> common_grid(const std::vector<std::span<const double>>& run_x,
                                std::size_t max_points);

// Mean over runs at each grid point with a Student-t confidence band (runs[r][i]: run r at
// grid point i; NaN bounds where fewer than 2 runs).
struct CurveBand {
  std::vector<double> mean, lower, upper;
};
CurveBand mean_band(const std::vector<std::vector<double>>& runs, double level);

}  // namespace pgbench::stats
