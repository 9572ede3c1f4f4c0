#include "stats/rliable.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/task_arena.h>

#include "reference_values.hpp"

namespace pgbench::stats {
namespace {

using testing::doubles;

const nlohmann::json& reference() { return testing::reference_values()["rliable"]; }
TaskScores tasks() { return reference()["tasks"].get<TaskScores>(); }
TaskScores other() { return reference()["other"].get<TaskScores>(); }

TEST(Aggregates, PointValuesMatchTheRliableDefinitions) {
  const auto values = aggregate_metrics(tasks());
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(values[i], reference()["aggregates"][i].get<double>(), 1e-12);
}

TEST(Aggregates, StratifiedIntervalsWithinMonteCarloErrorOfTheReference) {
  // 50,000 replicates here, 100,000 in the reference: four combined standard errors is about
  // 0.06 bootstrap standard deviations.
  const auto estimates = aggregate_estimates(tasks(), 0.95, {50000, 11});
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(aggregate_metric_name(kAggregateMetrics[i]));
    const double tolerance = 0.06 * reference()["aggregate_bootstrap_sd"][i].get<double>();
    EXPECT_EQ(estimates[i].value, aggregate_metrics(tasks())[i]);
    EXPECT_NEAR(estimates[i].interval.lower, reference()["aggregate_intervals_95"][i][0].get<double>(), tolerance);
    EXPECT_NEAR(estimates[i].interval.upper, reference()["aggregate_intervals_95"][i][1].get<double>(), tolerance);
  }
}

TEST(ProbabilityOfImprovement, MatchesReference) {
  EXPECT_NEAR(probability_of_improvement(tasks(), other()), reference()["probability_of_improvement"].get<double>(), 1e-12);
  // 20,000 replicates on both sides: four combined standard errors is about 0.11 sd.
  const Estimate estimate = probability_of_improvement_estimate(tasks(), other(), 0.95, {20000, 5});
  const double tolerance = 0.11 * reference()["probability_of_improvement_bootstrap_sd"].get<double>();
  EXPECT_NEAR(estimate.interval.lower, reference()["probability_of_improvement_interval_95"][0].get<double>(), tolerance);
  EXPECT_NEAR(estimate.interval.upper, reference()["probability_of_improvement_interval_95"][1].get<double>(), tolerance);
}

TEST(ProbabilityOfImprovement, IsComplementary) {
  EXPECT_NEAR(probability_of_improvement(tasks(), other()) + probability_of_improvement(other(), tasks()), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(probability_of_improvement(tasks(), tasks()), 0.5);
}

TEST(PerformanceProfile, MatchesReference) {
  const std::vector<double> taus = doubles(reference()["taus"]);
  const Band band = performance_profile_band(tasks(), taus, 0.95, {2000, 3});
  for (std::size_t t = 0; t < taus.size(); ++t) {
    SCOPED_TRACE(taus[t]);
    EXPECT_NEAR(band.value[t], reference()["profile"][t].get<double>(), 1e-12);
    // Fractions move in steps of 1/(M·N); the band's ends are within a couple of steps.
    EXPECT_NEAR(band.lower[t], reference()["profile_lower_95"][t].get<double>(), 0.03);
    EXPECT_NEAR(band.upper[t], reference()["profile_upper_95"][t].get<double>(), 0.03);
  }
}

TEST(IqmCurve, PointIsThePooledIqmAndTheBandIsThreadInvariant) {
  // Two tasks, curves with three checkpoints; at the last checkpoint they are the fixture scores.
  std::vector<std::vector<std::vector<double>>> curves(2);
  const TaskScores scores = tasks();
  for (std::size_t m = 0; m < 2; ++m)
    for (double final_score : scores[m]) curves[m].push_back({0.0, final_score / 2, final_score});
  auto band_with_threads = [&](int threads) {
    tbb::task_arena arena(threads);
    return arena.execute([&] { return iqm_curve_band(curves, 0.95, {5000, 9}); });
  };
  const Band one = band_with_threads(1), two = band_with_threads(2);
  EXPECT_EQ(one.lower, two.lower);
  EXPECT_EQ(one.upper, two.upper);
  EXPECT_DOUBLE_EQ(one.value[0], 0.0);
  EXPECT_DOUBLE_EQ(one.value[2], aggregate_metrics({scores[0], scores[1]})[0]);
  EXPECT_LE(one.lower[2], one.value[2]);
  EXPECT_GE(one.upper[2], one.value[2]);
}

TEST(Aggregates, IdenticalWhateverTheThreadCount) {
  auto with_threads = [&](int threads) {
    tbb::task_arena arena(threads);
    return arena.execute([&] { return aggregate_estimates(tasks(), 0.95, {10000, 77}); });
  };
  const auto one = with_threads(1), two = with_threads(2);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(one[i].interval.lower, two[i].interval.lower);
    EXPECT_EQ(one[i].interval.upper, two[i].interval.upper);
  }
}

}  // namespace
}  // namespace pgbench::stats
