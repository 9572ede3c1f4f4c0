// stats/curves.hpp -- learning curves on a common x grid (env steps or wall-clock seconds).
//
// Runs evaluate at their own steps (different schedules, shards, a resumed run), so every
// cross-run statistic first puts each run on one grid by linear interpolation between its
// evaluations. The grid never extends beyond a run's first or last evaluation: nothing is
// extrapolated.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "stats/bootstrap.hpp"

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

// Each point replaced by the mean of itself and the window − 1 points before it (fewer at the
// start): the causal smoothing of a noisy evaluation curve. A window of 1 leaves it as it is.
std::vector<double> trailing_mean(std::span<const double> y, std::size_t window);

// The band drawn around a mean learning curve.
enum class BandMethod {
  bootstrap,  // percentile bootstrap CI of the mean, runs resampled (one draw for every point)
  student_t,  // mean ± t · s / √n
  std_dev,    // mean ± s, clipped to the runs' own range (a spread, not a CI)
};
BandMethod parse_band_method(const std::string& name);  // bootstrap | t | std; throws otherwise
const char* band_method_name(BandMethod method);

struct BandSettings {
  BandMethod method = BandMethod::bootstrap;
  double level = 0.95;  // of the confidence bands
  BootstrapOptions bootstrap{2000, 0};
};

// Mean over runs at each grid point with its band (runs[r][i]: run r at grid point i; NaN bounds
// where fewer than 2 runs). The bootstrap and std bands never leave the runs' range.
struct CurveBand {
  std::vector<double> mean, lower, upper;
};
CurveBand mean_band(const std::vector<std::vector<double>>& runs, const BandSettings& settings);

}  // namespace pgbench::stats
