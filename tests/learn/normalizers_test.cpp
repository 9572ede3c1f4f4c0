#include "memory_archive.hpp"

#include <pgbench/sdk/learn/normalizers.hpp>
#include <pgbench/sdk/rng.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace pgb::learn {
namespace {

// 3-dimensional samples with different scales and offsets per coordinate.
Eigen::MatrixXd samples(std::uint64_t seed, Index count) {
  Rng rng(seed);
  Eigen::MatrixXd x(3, count);
  for (Index j = 0; j < count; ++j) x.col(j) << rng.normal(5, 2), rng.normal(-1, 0.1), rng.normal(1e3, 50);
  return x;
}

Eigen::VectorXd population_variance(const Eigen::MatrixXd& x) {
  const Eigen::VectorXd mean = x.rowwise().mean();
  return (x.colwise() - mean).rowwise().squaredNorm() / double(x.cols());
}

TEST(RunningMeanStd, MatchesTheBatchStatisticsWhateverTheChunking) {
  const Eigen::MatrixXd x = samples(1, 1000);
  RunningMeanStd one_by_one(3), in_chunks(3);
  for (Index j = 0; j < x.cols(); ++j) one_by_one.update(x.col(j));
  for (Index start = 0; start < x.cols(); start += 137)
    in_chunks.update(x.middleCols(start, std::min<Index>(137, x.cols() - start)));

  EXPECT_EQ(one_by_one.count(), 1000u);
  EXPECT_TRUE(one_by_one.mean().isApprox(Eigen::VectorXd(x.rowwise().mean()), 1e-12));
  EXPECT_TRUE(one_by_one.variance().isApprox(population_variance(x), 1e-10));
  EXPECT_TRUE(in_chunks.mean().isApprox(one_by_one.mean(), 1e-12));
  EXPECT_TRUE(in_chunks.variance().isApprox(one_by_one.variance(), 1e-10));
}

TEST(RunningMeanStd, MergeEqualsSequential) {
  const Eigen::MatrixXd a = samples(2, 300);
  const Eigen::MatrixXd b = samples(3, 50);
  RunningMeanStd sequential(3), left(3), right(3);
  sequential.update(a);
  sequential.update(b);
  left.update(a);
  right.update(b);
  left.merge(right);
  EXPECT_EQ(left.count(), sequential.count());
  EXPECT_TRUE(left.mean().isApprox(sequential.mean(), 1e-14));
  EXPECT_TRUE(left.variance().isApprox(sequential.variance(), 1e-12));

  RunningMeanStd empty(3);
  left.merge(empty);
  EXPECT_TRUE(left.mean().isApprox(sequential.mean(), 1e-14));
  empty.merge(right);
  EXPECT_TRUE(empty.variance().isApprox(population_variance(b), 1e-12));
}

TEST(RunningMeanStd, ReadsAsTheIdentityBeforeAnySample) {
  const RunningMeanStd statistics(2);
  EXPECT_EQ(statistics.variance(), Eigen::VectorXd::Ones(2));
  EXPECT_EQ(statistics.mean(), Eigen::VectorXd::Zero(2));
}

TEST(ObservationNormalizer, StandardisesClipsAndIsFrozenWhenOnlyNormalizing) {
  ObservationNormalizer normalizer(3, 5.0, 1e-8);
  const Eigen::MatrixXd x = samples(4, 500);
  normalizer.update(x);
  const Eigen::VectorXd mean = x.rowwise().mean();
  const Eigen::VectorXd std = (population_variance(x).array() + 1e-8).sqrt();

  Eigen::MatrixXd probe(3, 2);
  const Eigen::VectorXd inside = (Eigen::VectorXd(3) << 1.0, -2.0, 0.5).finished();
  const Eigen::VectorXd outside = (Eigen::VectorXd(3) << 9.0, -9.0, 0.0).finished();
  probe.col(0) = mean + std.cwiseProduct(inside);
  probe.col(1) = mean + std.cwiseProduct(outside);
  Eigen::MatrixXf out(3, 2);
  normalizer.normalize(probe, out);
  EXPECT_TRUE(out.col(0).isApprox(Eigen::Vector3f(1.0f, -2.0f, 0.5f), 1e-5f)) << out;
  EXPECT_TRUE(out.col(1).head(2).isApprox(Eigen::Vector2f(5.0f, -5.0f))) << out;  // clipped to ±5

  // Normalising is pure: the statistics only move on update().
  const Eigen::VectorXd mean_before = normalizer.statistics().mean();
  normalizer.normalize(probe, out);
  EXPECT_EQ(normalizer.statistics().mean(), mean_before);
  EXPECT_EQ(normalizer.statistics().count(), 500u);
}

TEST(ObservationNormalizer, SaveLoadRestoresTheStatistics) {
  ObservationNormalizer normalizer(3);
  normalizer.update(samples(5, 100));
  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  normalizer.save(out);
  ObservationNormalizer restored(3);
  InputArchive in = checkpoint.reader();
  restored.load(in);

  const Eigen::MatrixXd probe = samples(6, 4);
  Eigen::MatrixXd expected(3, 4), actual(3, 4);
  normalizer.normalize(probe, expected);
  restored.normalize(probe, actual);
  EXPECT_EQ(actual, expected);
}

// One env, γ = 0.5, rewards 1, 1, 1 (episode ends), 2:
//   R = 1, 1.5, 1.75, then reset, then 2; Var{1, 1.5, 1.75, 2} = 0.13671875.
TEST(ReturnNormalizer, ScalesByTheRunningStdOfTheDiscountedReturn) {
  ReturnNormalizer normalizer(1, 0.5, 10.0, 0.0);
  EXPECT_DOUBLE_EQ(normalizer.scale(), 1.0);
  const std::array<double, 4> rewards = {1, 1, 1, 2};
  const std::array<EpisodeEnd, 4> ends = {EpisodeEnd::running, EpisodeEnd::running, EpisodeEnd::truncated,
                                          EpisodeEnd::running};
  for (std::size_t t = 0; t < 4; ++t)
    normalizer.update(Eigen::VectorXd::Constant(1, rewards[t]), std::span(ends).subspan(t, 1));
  EXPECT_DOUBLE_EQ(normalizer.scale(), std::sqrt(0.13671875));

  Eigen::RowVectorXd out(2);
  normalizer.normalize(Eigen::Vector2d(1.0, -100.0), out);
  EXPECT_DOUBLE_EQ(out(0), 1.0 / std::sqrt(0.13671875));
  EXPECT_DOUBLE_EQ(out(1), -10.0);  // clipped
}

TEST(ReturnNormalizer, TracksEachEnvsReturnSeparately) {
  // Two envs in one normaliser see the returns of two one-env normalisers, pooled.
  ReturnNormalizer pooled(2, 0.9, 10.0, 0.0);
  const std::array<EpisodeEnd, 2> running = {EpisodeEnd::running, EpisodeEnd::running};
  pooled.update(Eigen::Vector2d(1.0, 3.0), running);
  pooled.update(Eigen::Vector2d(1.0, 3.0), running);
  // R: env 0 → 1, 1.9; env 1 → 3, 5.7. Population variance of {1, 3, 1.9, 5.7}.
  const Eigen::Vector4d all(1.0, 3.0, 1.9, 5.7);
  const double variance = (all.array() - all.mean()).square().mean();
  EXPECT_NEAR(pooled.scale(), std::sqrt(variance), 1e-14);
}

TEST(ReturnNormalizer, SaveLoadContinuesIdentically) {
  ReturnNormalizer normalizer(2, 0.99);
  const std::array<EpisodeEnd, 2> running = {EpisodeEnd::running, EpisodeEnd::running};
  normalizer.update(Eigen::Vector2d(1.0, -2.0), running);
  normalizer.update(Eigen::Vector2d(0.5, 4.0), running);
  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  normalizer.save(out);
  ReturnNormalizer restored(2, 0.99);
  InputArchive in = checkpoint.reader();
  restored.load(in);
  // The per-env returns in flight are part of the state: the next update depends on them.
  normalizer.update(Eigen::Vector2d(3.0, 1.0), running);
  restored.update(Eigen::Vector2d(3.0, 1.0), running);
  EXPECT_EQ(restored.scale(), normalizer.scale());
}

}  // namespace
}  // namespace pgb::learn
