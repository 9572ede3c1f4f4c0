// Conjugate gradient and the backtracking line search on problems whose answers are known.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <pgbench/sdk/rng.hpp>

#include <cmath>
#include <vector>

#include <pgbench/sdk/learn/trust_region.hpp>

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

TEST(ConjugateGradient, SolvesATwoByTwoSystemInTwoIterations) {
  // [4 1; 1 3] x = [1; 2] has x = [1/11; 7/11].
  MatrixXd a(2, 2);
  a << 4, 1, 1, 3;
  const VectorXd b = (VectorXd(2) << 1, 2).finished();
  const auto result = pgb::learn::conjugate_gradient<double>([&](const VectorXd& v) { return VectorXd(a * v); }, b, 10);
  EXPECT_EQ(result.iterations, 2);
  EXPECT_NEAR(result.x(0), 1.0 / 11, 1e-12);
  EXPECT_NEAR(result.x(1), 7.0 / 11, 1e-12);
  EXPECT_LT(result.residual_norm, 1e-10);
}

TEST(ConjugateGradient, SolvesAnSpdSystemInAtMostItsDimension) {
  pgb::Rng rng(17);
  MatrixXd m(8, 8);
  for (auto& x : m.reshaped()) x = rng.normal();
  const MatrixXd a = m.transpose() * m + MatrixXd::Identity(8, 8);
  VectorXd b(8);
  for (auto& x : b) x = rng.normal();
  const auto result = pgb::learn::conjugate_gradient<double>([&](const VectorXd& v) { return VectorXd(a * v); }, b, 8);
  const VectorXd expected = a.ldlt().solve(b);
  EXPECT_LT((result.x - expected).norm(), 1e-8 * expected.norm());
  EXPECT_NEAR(result.residual_norm, (b - a * result.x).norm(), 1e-8);
}

TEST(ConjugateGradient, StopsAtTheIterationCap) {
  // One iteration from 0 is the exact line minimum along b: x = (bᵀb / bᵀAb) b.
  MatrixXd a(3, 3);
  a << 5, 1, 0, 1, 4, 1, 0, 1, 3;
  const VectorXd b = (VectorXd(3) << 1, -2, 3).finished();
  const auto result = pgb::learn::conjugate_gradient<double>([&](const VectorXd& v) { return VectorXd(a * v); }, b, 1);
  EXPECT_EQ(result.iterations, 1);
  const VectorXd expected = b.squaredNorm() / b.dot(a * b) * b;
  EXPECT_LT((result.x - expected).norm(), 1e-12);
  EXPECT_NEAR(result.residual_norm, (b - a * result.x).norm(), 1e-12);
}

TEST(BacktrackingLineSearch, RejectsStepsThatViolateTheKlBoundAndTakesTheFirstThatFits) {
  // Every step improves; KL = 0.05 f² exceeds δ = 0.01 for f = 1, 0.8, 0.64, 0.512 and not
  // for 0.8⁴ = 0.4096 (KL 0.00839).
  std::vector<double> tried;
  const auto result = pgb::learn::backtracking_line_search(
      [&](double f) {
        tried.push_back(f);
        return pgb::learn::TrialStep{f, 0.05 * f * f};
      },
      0.01, 0.8, 10);
  ASSERT_TRUE(result.accepted);
  EXPECT_EQ(result.tries, 5);
  EXPECT_NEAR(result.fraction, 0.4096, 1e-12);
  EXPECT_NEAR(result.step.kl, 0.05 * 0.4096 * 0.4096, 1e-12);
  ASSERT_EQ(tried.size(), 5u);
  for (std::size_t k = 0; k < tried.size(); ++k) EXPECT_NEAR(tried[k], std::pow(0.8, k), 1e-12);
}

TEST(BacktrackingLineSearch, TakesNoStepWhenEveryTrialViolatesTheBound) {
  int calls = 0;
  const auto result = pgb::learn::backtracking_line_search(
      [&](double) {
        ++calls;
        return pgb::learn::TrialStep{1.0, 0.02};
      },
      0.01, 0.8, 10);
  EXPECT_FALSE(result.accepted);
  EXPECT_EQ(calls, 10);
  EXPECT_EQ(result.tries, 10);
  EXPECT_EQ(result.fraction, 0.0);
}

TEST(BacktrackingLineSearch, RejectsStepsThatDoNotImproveTheSurrogate) {
  // Inside the trust region but worse until f = 0.64, then better.
  const auto result = pgb::learn::backtracking_line_search(
      [&](double f) { return pgb::learn::TrialStep{f > 0.7 ? -f : f, 0.0}; }, 0.01, 0.8, 10);
  ASSERT_TRUE(result.accepted);
  EXPECT_EQ(result.tries, 3);
  EXPECT_NEAR(result.fraction, 0.64, 1e-12);
}

}  // namespace
