#include "stats/bootstrap.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "pgbench/sdk/rng.hpp"
#include "stats/descriptive.hpp"
#include "stats/seeding.hpp"

namespace pgbench::stats {

Resample::Resample(std::span<const std::size_t> stratum_sizes) {
  offsets_.reserve(stratum_sizes.size() + 1);
  offsets_.push_back(0);
  for (std::size_t size : stratum_sizes) offsets_.push_back(offsets_.back() + size);
  draws_.resize(offsets_.back());
}

void Resample::redraw(pgb::Rng& rng) {
  for (std::size_t s = 0; s + 1 < offsets_.size(); ++s) {
    const std::size_t size = offsets_[s + 1] - offsets_[s];
    for (std::size_t i = offsets_[s]; i < offsets_[s + 1]; ++i)
      draws_[i] = static_cast<std::uint32_t>(rng.below(size));
  }
}

void append_resampled(std::span<const double> values, std::span<const std::uint32_t> indices,
                      std::vector<double>& out) {
  for (std::uint32_t index : indices) out.push_back(values[index]);
}

BootstrapDistribution::BootstrapDistribution(std::size_t outputs, std::size_t replicates)
    : outputs_(outputs), replicates_(replicates), values_(outputs * replicates) {}

Interval BootstrapDistribution::percentile_interval(std::size_t o, double level) const {
  return stats::percentile_interval(output(o), level);
}

BootstrapDistribution stratified_bootstrap(std::span<const std::size_t> stratum_sizes,
                                           std::size_t outputs, const BootstrapOptions& options,
                                           const ResampleStatistic& statistic) {
  if (options.replicates == 0) throw std::invalid_argument("bootstrap: replicates must be > 0");
  for (std::size_t size : stratum_sizes)
    if (size == 0) throw std::invalid_argument("bootstrap: every stratum needs at least one run");

  BootstrapDistribution distribution(outputs, options.replicates);
  // Grain: enough replicates per task that scheduling costs nothing next to the work.
  constexpr std::size_t kGrain = 256;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, options.replicates, kGrain),
      [&](const tbb::blocked_range<std::size_t>& range) {
        Resample draw(stratum_sizes);
        std::vector<double> scratch;
        std::vector<double> out(outputs);
        for (std::size_t b = range.begin(); b != range.end(); ++b) {
          pgb::Rng rng(replicate_seed(options.seed, b));
          draw.redraw(rng);
          statistic(draw, scratch, out);
          for (std::size_t o = 0; o < outputs; ++o) distribution.set(o, b, out[o]);
        }
      });
  return distribution;
}

Interval percentile_interval(std::span<const double> replicates, double level) {
  for (double v : replicates)
    if (std::isnan(v)) {
      constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
      return {kNaN, kNaN};
    }
  const double tail = (1.0 - level) / 2.0;
  return {quantile(replicates, tail), quantile(replicates, 1.0 - tail)};
}

}  // namespace pgbench::stats
