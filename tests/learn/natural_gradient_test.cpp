// The natural-gradient step shared by NPG and TRPO (natural_gradient.hpp) against its closed form
// on a tiny Gaussian policy in double precision, where every piece is computed independently:
// g by central differences of the surrogate, F as the finite-difference Hessian of the mean KL,
// and (F + λI)⁻¹g by a dense factorisation. Also the exploration-noise floor.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>

#include <cmath>
#include <limits>

#include <pgbench/sdk/learn/natural_gradient.hpp>

#include "finite_difference.hpp"

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using Policy = pgb::learn::StochasticPolicy<double>;
using Network = pgb::learn::Mlp<double>;

constexpr Index kInputs = 3, kHidden = 4, kActions = 2, kBatch = 7;
constexpr double kDamping = 0.1, kStepSize = 0.02;

struct Problem {
  Problem()
      : policy(pgb::Space::box(kActions, -1.0, 1.0),
               Network({kInputs, kHidden, kActions}, pgb::learn::Activation::tanh), -0.3),
        observations(kInputs, kBatch),
        actions(kActions, kBatch),
        advantages(kBatch) {
    pgb::Rng rng(23);
    policy.network().initialize_orthogonal(rng, 1.0);
    for (auto& x : policy.network().parameters()) x += 0.3 * rng.normal();
    for (auto& x : observations.reshaped()) x = rng.normal();
    for (auto& x : actions.reshaped()) x = rng.normal();
    // Large advantages: the normalised step does not depend on the scale of g, and a large g
    // puts conjugate gradient's absolute stopping tolerance far below the size of the answer.
    for (auto& x : advantages) x = 1e3 * rng.normal();
  }

  MatrixXd outputs(const VectorXd& theta) const {
    Policy p = policy;
    p.set_flat_parameters(theta);
    Network::Workspace workspace(p.network(), kBatch);
    return p.network().forward(workspace, observations);
  }
  Policy at(const VectorXd& theta) const {
    Policy p = policy;
    p.set_flat_parameters(theta);
    return p;
  }

  // L(θ) = (1/B) Σ π_θ(a|s) / π_old(a|s) · Â.
  double surrogate(const VectorXd& theta) const {
    const VectorXd old = policy.flat_parameters();
    pgb::learn::RowVector<double> log_new(kBatch), log_old(kBatch);
    at(theta).log_prob(outputs(theta), actions, log_new);
    policy.log_prob(outputs(old), actions, log_old);
    double sum = 0;
    for (Index i = 0; i < kBatch; ++i) sum += std::exp(log_new[i] - log_old[i]) * advantages[i];
    return sum / kBatch;
  }

  // Mean over the batch of KL(π_old ‖ π_θ).
  double mean_kl(const VectorXd& theta) const {
    pgb::learn::RowVector<double> kl(kBatch);
    at(theta).kl_from(outputs(policy.flat_parameters()), policy.log_std(), outputs(theta), kl);
    return kl.mean();
  }

  // The Fisher matrix as the Hessian of the mean KL at θ_old, by central second differences.
  MatrixXd fisher() const {
    const VectorXd theta = policy.flat_parameters();
    const Index p = theta.size();
    const double h = 1e-4;
    MatrixXd f(p, p);
    for (Index j = 0; j < p; ++j)
      for (Index k = 0; k < p; ++k) {
        const VectorXd ej = h * VectorXd::Unit(p, j), ek = h * VectorXd::Unit(p, k);
        f(j, k) = (mean_kl(theta + ej + ek) - mean_kl(theta + ej - ek) - mean_kl(theta - ej + ek) +
                   mean_kl(theta - ej - ek)) / (4 * h * h);
      }
    return (f + f.transpose()) / 2;
  }

  Policy policy;
  MatrixXd observations, actions;
  pgb::learn::RowVector<double> advantages;
};

TEST(NaturalGradient, TheNormalisedStepIsTheClosedFormNaturalGradientStep) {
  const Problem problem;
  const Index p = problem.policy.num_parameters();

  const VectorXd g = pgb::learn::testing::numerical_gradient([&](const VectorXd& theta) { return problem.surrogate(theta); },
                                                             problem.policy.flat_parameters());
  const MatrixXd damped_fisher = problem.fisher() + kDamping * MatrixXd::Identity(p, p);
  const VectorXd x = damped_fisher.ldlt().solve(g);
  const VectorXd expected = std::sqrt(kStepSize / g.dot(x)) * x;

  Network::Workspace workspace(problem.policy.network(), kBatch);
  problem.policy.network().forward(workspace, problem.observations);
  const auto natural = pgb::learn::natural_gradient<double>(problem.policy, workspace, problem.actions,
                                                            problem.advantages, kDamping, static_cast<int>(4 * p));
  EXPECT_TRUE(pgb::learn::testing::close(natural.gradient, g, 1e-6));
  const VectorXd step = pgb::learn::normalized_natural_step(natural, kStepSize);
  EXPECT_TRUE(pgb::learn::testing::close(step, expected, 1e-5));
  // The step travels exactly δ in the damped Fisher metric.
  EXPECT_NEAR(step.dot(damped_fisher * step), kStepSize, 1e-5 * kStepSize);
  EXPECT_NEAR(natural.curvature, natural.g_dot_x, 1e-6 * natural.g_dot_x);
}

TEST(NaturalGradient, AZeroGradientGivesNoStep) {
  Problem problem;
  problem.advantages.setZero();
  Network::Workspace workspace(problem.policy.network(), kBatch);
  problem.policy.network().forward(workspace, problem.observations);
  const auto natural = pgb::learn::natural_gradient<double>(problem.policy, workspace, problem.actions,
                                                            problem.advantages, kDamping, 10);
  const VectorXd step = pgb::learn::normalized_natural_step(natural, kStepSize);
  EXPECT_TRUE(step.allFinite());
  EXPECT_EQ(step.norm(), 0.0);
}

TEST(LogStdFloor, IsAFractionOfEachHalfRangeAndAbsentWhereThereIsNoRange) {
  const auto floor = pgb::learn::log_std_floor(pgb::Space::box({-2.0, 0.0}, {2.0, 0.5}), 0.1);
  ASSERT_EQ(floor.size(), 2);
  EXPECT_FLOAT_EQ(floor[0], std::log(0.2f));
  EXPECT_FLOAT_EQ(floor[1], std::log(0.025f));
  EXPECT_EQ(pgb::learn::log_std_floor(pgb::Space::box(2, -1.0, 1.0), 0.0)[0], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(pgb::learn::log_std_floor(pgb::Space::unbounded_box(1), 0.1)[0], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(pgb::learn::log_std_floor(pgb::Space::discrete(3), 0.1).size(), 0);
}

TEST(LogStdFloor, RaisesOnlyTheDimensionsBelowIt) {
  Problem problem;
  problem.policy.log_std() << -3.0, 0.5;
  pgb::learn::apply_log_std_floor(problem.policy, VectorXd(VectorXd::Constant(kActions, -1.0)));
  EXPECT_EQ(problem.policy.log_std()[0], -1.0);
  EXPECT_EQ(problem.policy.log_std()[1], 0.5);
}

}  // namespace
