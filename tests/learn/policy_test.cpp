// The stochastic policy: the policy-gradient loss against hand-computed values and against finite
// differences in double; sampling and the evaluation mode.
#include <pgbench/sdk/learn/policy.hpp>

#include "finite_difference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace pgb::learn {
namespace {

using testing::close;
using testing::numerical_gradient;
using Policy = StochasticPolicy<double>;

// Zeroes every parameter but the output bias: the policy is then the same for every state.
void make_state_independent(Policy& policy, const Eigen::VectorXd& output_bias) {
  policy.network().parameters().setZero();
  policy.network().bias(policy.network().num_layers()) = output_bias;
}

TEST(PolicyLoss, CategoricalMatchesHandComputedValueAndGradient) {
  Rng rng(1);
  Policy policy(2, Space::discrete(2), {4}, -0.5, rng);
  make_state_independent(policy, Eigen::Vector2d(0.0, std::log(3.0)));  // π = (1/4, 3/4)
  Policy::Workspace workspace(policy.network(), 2);
  const Eigen::MatrixXd observations = Eigen::MatrixXd::Random(2, 2);
  const Eigen::RowVector2d actions(0, 1), advantages(2.0, -1.0);
  Policy::Gradient gradient = policy.zero_gradient();
  const auto terms = policy.policy_gradient_loss(workspace, observations, actions, advantages, 0.0, gradient);

  // L = −½ [2 log ¼ − log ¾];  ∂L/∂z = −½ Σ Â_i (e_{a_i} − π) = −½ [2 (¾, −¾) − (¼, −¼)].
  EXPECT_NEAR(terms.policy_loss, -0.5 * (2 * std::log(0.25) - std::log(0.75)), 1e-12);
  EXPECT_NEAR(terms.entropy, -(0.25 * std::log(0.25) + 0.75 * std::log(0.75)), 1e-12);
  const auto output_bias_gradient = gradient.network.tail(2);
  EXPECT_NEAR(output_bias_gradient(0), -0.875, 1e-12);
  EXPECT_NEAR(output_bias_gradient(1), 0.875, 1e-12);
  EXPECT_EQ(gradient.log_std.size(), 0);
}

TEST(PolicyLoss, GaussianMatchesHandComputedValueAndGradient) {
  Rng rng(2);
  Policy policy(2, Space::box(1, -1.0, 1.0), {4}, std::log(2.0), rng);  // σ = 2
  make_state_independent(policy, Eigen::VectorXd::Constant(1, 0.5));   // μ = 0.5
  Policy::Workspace workspace(policy.network(), 1);
  const Eigen::MatrixXd observations = Eigen::MatrixXd::Random(2, 1);
  const Eigen::MatrixXd actions = Eigen::MatrixXd::Constant(1, 1, 1.5);
  const Eigen::RowVectorXd advantages = Eigen::RowVectorXd::Constant(1, 1.0);
  Policy::Gradient gradient = policy.zero_gradient();
  const auto terms = policy.policy_gradient_loss(workspace, observations, actions, advantages, 0.0, gradient);

  // log π = −½ ((1.5 − 0.5)/2)² − log 2 − ½ log 2π;  ∂L/∂μ = −(a − μ)/σ² = −¼;  ∂L/∂s = −(((a − μ)/σ)² − 1) = ¾.
  EXPECT_NEAR(terms.policy_loss, 0.125 + std::log(2.0) + 0.5 * std::log(2 * std::numbers::pi), 1e-12);
  EXPECT_NEAR(terms.entropy, std::log(2.0) + 0.5 * std::log(2 * std::numbers::pi * std::numbers::e), 1e-12);
  EXPECT_NEAR(gradient.network.tail(1)(0), -0.25, 1e-12);
  EXPECT_NEAR(gradient.log_std(0), 0.75, 1e-12);
}

// L(θ) = policy_loss − c_H · entropy as a function of the flat vector [network θ; log-std].
double total_loss(const Policy& policy, const Eigen::MatrixXd& observations, const Eigen::MatrixXd& actions,
                  const Eigen::RowVectorXd& advantages, double entropy_coefficient) {
  Policy::Workspace workspace(policy.network(), observations.cols());
  Policy::Gradient unused = policy.zero_gradient();
  const auto terms = policy.policy_gradient_loss(workspace, observations, actions, advantages, entropy_coefficient, unused);
  return terms.policy_loss - entropy_coefficient * terms.entropy;
}

void expect_gradient_matches_finite_differences(Policy& policy, const Eigen::MatrixXd& actions) {
  const Eigen::Index batch = actions.cols();
  const Eigen::MatrixXd observations = Eigen::MatrixXd::Random(3, batch);
  const Eigen::RowVectorXd advantages = Eigen::RowVectorXd::Random(batch);
  const double entropy_coefficient = 0.3;
  // Generic parameters: the 0.01 output scale of the initialisation would hide errors.
  policy.network().parameters() = Eigen::VectorXd::Random(policy.network().num_parameters());

  Policy::Workspace workspace(policy.network(), batch);
  Policy::Gradient gradient = policy.zero_gradient();
  policy.policy_gradient_loss(workspace, observations, actions, advantages, entropy_coefficient, gradient);

  const Eigen::Index n = policy.network().num_parameters();
  Eigen::VectorXd theta(n + policy.log_std().size());
  theta << policy.network().parameters(), policy.log_std();
  const auto loss_at = [&](const Eigen::VectorXd& x) {
    Policy copy = policy;
    copy.network().parameters() = x.head(n);
    copy.log_std() = x.tail(x.size() - n);
    return total_loss(copy, observations, actions, advantages, entropy_coefficient);
  };
  Eigen::VectorXd analytic(theta.size());
  analytic << gradient.network, gradient.log_std;
  EXPECT_TRUE(close(analytic, numerical_gradient(loss_at, theta)));
}

TEST(PolicyLoss, GaussianGradientMatchesFiniteDifferences) {
  Rng rng(3);
  Policy policy(3, Space::box(2, -1.0, 1.0), {5, 4}, -0.5, rng);
  policy.log_std() << 0.2, -0.7;
  expect_gradient_matches_finite_differences(policy, Eigen::MatrixXd::Random(2, 6));
}

TEST(PolicyLoss, CategoricalGradientMatchesFiniteDifferences) {
  Rng rng(4);
  Policy policy(3, Space::discrete(4, 1), {5, 4}, -0.5, rng);
  Eigen::MatrixXd actions(1, 6);
  actions << 0, 3, 1, 2, 2, 0;
  expect_gradient_matches_finite_differences(policy, actions);
}

TEST(StochasticPolicy, StartsNearUniformAndModeIsDeterministic) {
  Rng rng(6);
  StochasticPolicy<float> policy(3, Space::discrete(3), {64, 64}, -0.5, rng);
  StochasticPolicy<float>::Workspace workspace(policy.network(), 8);
  const Eigen::MatrixXf observations = Eigen::MatrixXf::Random(3, 8);
  const auto logits = policy.network().forward(workspace, observations);
  EXPECT_LT(logits.cwiseAbs().maxCoeff(), 0.1f);  // the last layer scaled by 0.01

  Eigen::MatrixXf first(1, 8), second(1, 8);
  policy.mode(logits, first);
  policy.mode(logits, second);
  EXPECT_EQ(first, second);
  policy.sample(logits, rng, first);
  EXPECT_TRUE((first.array() >= 0).all() && (first.array() <= 2).all());
}

}  // namespace
}  // namespace pgb::learn
