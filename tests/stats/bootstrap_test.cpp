#include "stats/bootstrap.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>

#include "pgbench/sdk/rng.hpp"
#include "reference_values.hpp"
#include "stats/confidence.hpp"
#include "stats/descriptive.hpp"
#include "stats/rliable.hpp"

namespace pgbench::stats {
namespace {

using testing::doubles;
using testing::reference_values;

// The 2.5th/97.5th percentiles of B bootstrap replicates have a Monte-Carlo standard error of
// about 0.012·sd(replicates) for B = 50,000; the reference's own (400,000 replicates) is smaller.
// Four combined standard errors: 0.06·sd.
constexpr double kMonteCarloTolerance = 0.06;

TEST(Bootstrap, MeanIntervalWithinMonteCarloErrorOfTheReference) {
  const auto& reference = reference_values()["bootstrap"];
  const Interval interval = bootstrap_mean_interval(doubles(reference["values"]), 0.95, {50000, 7});
  const double tolerance = kMonteCarloTolerance * reference["mean_bootstrap_sd"].get<double>();
  EXPECT_NEAR(interval.lower, reference["mean_interval_95"][0].get<double>(), tolerance);
  EXPECT_NEAR(interval.upper, reference["mean_interval_95"][1].get<double>(), tolerance);
}

TEST(Bootstrap, DifferenceIntervalWithinMonteCarloErrorOfTheReference) {
  const auto& reference = reference_values()["bootstrap"];
  const Interval interval = bootstrap_difference_interval(doubles(reference["values"]),
                                                          doubles(reference["other"]), 0.95, {50000, 7});
  const double tolerance = kMonteCarloTolerance * reference["difference_bootstrap_sd"].get<double>();
  EXPECT_NEAR(interval.lower, reference["difference_interval_95"][0].get<double>(), tolerance);
  EXPECT_NEAR(interval.upper, reference["difference_interval_95"][1].get<double>(), tolerance);
}

TEST(Bootstrap, SameSeedSameResultOtherSeedOtherResult) {
  const std::vector<double> values = doubles(reference_values()["bootstrap"]["values"]);
  const Interval first = bootstrap_mean_interval(values, 0.95, {2000, 1});
  const Interval again = bootstrap_mean_interval(values, 0.95, {2000, 1});
  const Interval other = bootstrap_mean_interval(values, 0.95, {2000, 2});
  EXPECT_EQ(first.lower, again.lower);
  EXPECT_EQ(first.upper, again.upper);
  EXPECT_NE(first.lower, other.lower);
}

TEST(Bootstrap, IdenticalWhateverTheThreadCount) {
  const auto& reference = reference_values()["rliable"];
  const TaskScores tasks = reference["tasks"].get<TaskScores>();
  std::vector<std::size_t> sizes;
  for (const auto& task : tasks) sizes.push_back(task.size());
  auto run_with_threads = [&](int threads) {
    tbb::task_arena arena(threads);
    return arena.execute([&] {
      return stratified_bootstrap(sizes, 1, {20000, 42},
                                  [&](const Resample& draw, std::vector<double>& scratch, std::span<double> out) {
                                    scratch.clear();
                                    for (std::size_t m = 0; m < tasks.size(); ++m)
                                      append_resampled(tasks[m], draw.indices(m), scratch);
                                    out[0] = interquartile_mean_in_place(scratch);
                                  });
    });
  };
  const BootstrapDistribution one = run_with_threads(1);
  const BootstrapDistribution two = run_with_threads(2);
  const auto a = one.output(0), b = two.output(0);
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end()));
}

TEST(Bootstrap, ResamplesWithinEachStratumOnly) {
  const std::size_t sizes[] = {3, 1, 5};
  Resample draw(sizes);
  pgb::Rng rng(3);
  for (int i = 0; i < 100; ++i) {
    draw.redraw(rng);
    for (std::size_t s = 0; s < 3; ++s) {
      ASSERT_EQ(draw.indices(s).size(), sizes[s]);
      for (std::uint32_t index : draw.indices(s)) ASSERT_LT(index, sizes[s]);
    }
  }
}

// On synthetic data with a known answer, 95% intervals must contain it about 95% of the time.
// Percentile intervals of a mean from 10 runs per task are known to be a little narrow (the
// bootstrap variance carries a (n-1)/n factor), so the expected coverage is about 0.935.
TEST(Bootstrap, StratifiedIntervalCoverageOnSyntheticTasks) {
  const std::vector<double> task_means = {0.2, 0.5, 0.9, 1.3, 0.4};
  const std::vector<double> task_stds = {0.1, 0.3, 0.2, 0.5, 0.05};
  const double true_mean = mean(task_means);
  constexpr int kTrials = 1000;
  int covered_bootstrap = 0, covered_student = 0;
  pgb::Rng data_rng(2024);
  for (int trial = 0; trial < kTrials; ++trial) {
    TaskScores scores(task_means.size());
    for (std::size_t m = 0; m < task_means.size(); ++m)
      for (int n = 0; n < 10; ++n) scores[m].push_back(data_rng.normal(task_means[m], task_stds[m]));
    const auto estimates = aggregate_estimates(scores, 0.95, {1000, static_cast<std::uint64_t>(trial)});
    const Interval interval = estimates[2].interval;  // mean over tasks of the task means
    covered_bootstrap += interval.lower <= true_mean && true_mean <= interval.upper;
    const Interval single = student_t_interval(scores[1], 0.95);
    covered_student += single.lower <= task_means[1] && task_means[1] <= single.upper;
  }
  const double bootstrap_coverage = static_cast<double>(covered_bootstrap) / kTrials;
  const double student_coverage = static_cast<double>(covered_student) / kTrials;
  // Binomial standard error over 1000 trials is about 0.007; the bounds are about 5 of them
  // around the expected coverage.
  EXPECT_GT(bootstrap_coverage, 0.90);
  EXPECT_LT(bootstrap_coverage, 0.97);
  EXPECT_GT(student_coverage, 0.93);
  EXPECT_LT(student_coverage, 0.97);
}

}  // namespace
}  // namespace pgbench::stats
