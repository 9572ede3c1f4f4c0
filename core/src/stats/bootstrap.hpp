// stats/bootstrap.hpp -- the seeded, parallel, stratified bootstrap that every interval of the
// report comes from.
//
// Data are grouped in strata (for the rliable aggregates: one stratum per task, and per algorithm
// where two algorithms are resampled independently). A replicate draws, independently in each
// stratum, as many run indices as the stratum has runs, uniformly with replacement; a statistic
// maps the drawn indices to one or more numbers. Replicate b uses a generator seeded from
// (seed, b) alone, and writes into slot b, so the distribution is the same whatever the number
// of TBB threads (run it inside a tbb::task_arena to choose that number).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace pgb {
class Rng;
}

namespace pgbench::stats {

struct Interval {
  double lower = 0;
  double upper = 0;
};

struct BootstrapOptions {
  std::size_t replicates = 50000;
  std::uint64_t seed = 0;
};

// The run indices drawn by one replicate: indices(s)[i] is the i-th draw in stratum s.
class Resample {
 public:
  explicit Resample(std::span<const std::size_t> stratum_sizes);

  std::size_t strata() const { return offsets_.size() - 1; }
  std::span<const std::uint32_t> indices(std::size_t stratum) const {
    return std::span(draws_).subspan(offsets_[stratum], offsets_[stratum + 1] - offsets_[stratum]);
  }

  // Replaces every draw with a fresh one from `rng`.
  void redraw(pgb::Rng& rng);

 private:
  std::vector<std::size_t> offsets_;
  std::vector<std::uint32_t> draws_;
};

// Appends values[i] for every drawn index i of one stratum to `out`.
void append_resampled(std::span<const double> values, std::span<const std::uint32_t> indices,
                      std::vector<double>& out);

// output(o)[b]: statistic output o in replicate b.
class BootstrapDistribution {
 public:
  BootstrapDistribution(std::size_t outputs, std::size_t replicates);

  std::size_t outputs() const { return outputs_; }
  std::size_t replicates() const { return replicates_; }
  std::span<const double> output(std::size_t o) const {
    return std::span(values_).subspan(o * replicates_, replicates_);
  }
  void set(std::size_t o, std::size_t replicate, double value) {
    values_[o * replicates_ + replicate] = value;
  }

  // Percentile interval of output o at the given level (e.g. 0.95 -> 2.5th and 97.5th percentiles).
  Interval percentile_interval(std::size_t o, double level) const;

 private:
  std::size_t outputs_;
  std::size_t replicates_;
  std::vector<double> values_;
};

// Evaluates a statistic on one replicate: `scratch` is working memory owned by the calling
// thread (reuse it to avoid allocating per replicate); write the outputs into `out`.
using ResampleStatistic =
    std::function<void(const Resample& draw, std::vector<double>& scratch, std::span<double> out)>;

BootstrapDistribution stratified_bootstrap(std::span<const std::size_t> stratum_sizes,
                                           std::size_t outputs, const BootstrapOptions& options,
                                           const ResampleStatistic& statistic);

// Percentile interval of a sample of replicate values (NumPy's linear percentile); NaN bounds
// when any replicate is NaN.
Interval percentile_interval(std::span<const double> replicates, double level);

}  // namespace pgbench::stats
