// The shared on-policy pieces: the policy-gradient loss and the value loss, against hand-computed
// values and against finite differences in double; sampling and the evaluation mode.
#include "on_policy.hpp"

#include "learn/finite_difference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace pgb::onpolicy {
namespace {

using learn::testing::close;
using learn::testing::numerical_gradient;
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
  const auto terms = policy.loss(workspace, observations, actions, advantages, 0.0, gradient);

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
  const auto terms = policy.loss(workspace, observations, actions, advantages, 0.0, gradient);

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
  const auto terms = policy.loss(workspace, observations, actions, advantages, entropy_coefficient, unused);
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
  policy.loss(workspace, observations, actions, advantages, entropy_coefficient, gradient);

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

TEST(ValueLoss, MatchesHandComputedValueAndFiniteDifferences) {
  Rng rng(5);
  learn::Mlp<double> critic = make_critic<double>(3, {5}, rng);
  const Eigen::MatrixXd observations = Eigen::MatrixXd::Random(3, 4);
  const Eigen::RowVectorXd returns = Eigen::RowVectorXd::Random(4);
  learn::Mlp<double>::Workspace workspace(critic, 4);
  Eigen::VectorXd gradient(critic.num_parameters());
  const double loss = value_loss(critic, workspace, observations, returns, gradient);

  const Eigen::RowVectorXd values = critic.forward(workspace, observations);
  EXPECT_NEAR(loss, (values - returns).squaredNorm() / 4, 1e-12);
  const auto loss_at = [&](const Eigen::VectorXd& theta) {
    learn::Mlp<double> copy = critic;
    copy.parameters() = theta;
    learn::Mlp<double>::Workspace scratch(copy, 4);
    Eigen::VectorXd unused(copy.num_parameters());
    return value_loss(copy, scratch, observations, returns, unused);
  };
  EXPECT_TRUE(close(gradient, numerical_gradient(loss_at, critic.parameters())));
}

TEST(ExplainedVariance, IsOneForAPerfectCriticAndZeroForAConstantOne) {
  const Eigen::RowVectorXf returns = (Eigen::RowVectorXf(4) << 1, 2, 3, 5).finished();
  EXPECT_NEAR(explained_variance(returns, returns), 1.0, 1e-12);
  EXPECT_NEAR(explained_variance(Eigen::RowVectorXf::Constant(4, 7.0f), returns), 0.0, 1e-12);
}

TEST(LearningRate, DecaysLinearlyToZeroOverTheBudgetAndStaysWithoutOne) {
  EXPECT_DOUBLE_EQ(linear_decay_over_budget(1e-3, 1000).at(250), 0.75e-3);
  EXPECT_DOUBLE_EQ(linear_decay_over_budget(1e-3, 1000).at(1000), 0.0);
  EXPECT_NEAR(linear_decay_over_budget(1e-3, 0).at(1'000'000), 1e-3, 1e-15);  // a horizon of 2^64 steps
}

TEST(StochasticPolicy, StartsNearUniformAndModeIsDeterministic) {
  Rng rng(6);
  StochasticPolicy<float> policy(3, Space::discrete(3), {64, 64}, -0.5, rng);
  StochasticPolicy<float>::Workspace workspace(policy.network(), 8);
  const Eigen::MatrixXf observations = Eigen::MatrixXf::Random(3, 8);
  const auto logits = policy.network().forward(workspace, observations);
  EXPECT_LT(logits.cwiseAbs().maxCoeff(), 0.1f);  // the last layer scaled by 0.01

  Eigen::MatrixXf first(1, 8), second(1, 8);
  policy.mode(workspace, observations, first);
  policy.mode(workspace, observations, second);
  EXPECT_EQ(first, second);
  policy.sample(workspace, observations, rng, first);
  EXPECT_TRUE((first.array() >= 0).all() && (first.array() <= 2).all());
}

// One step of 3 sub-envs: 0 runs on, 1 terminates, 2 is truncated by the time limit.
TEST(RolloutCollector, BootstrapsTruncationsFromTheFinalObservationAndTheLastStepFromV) {
  Rng rng(7);
  const Space actions = Space::box(1, -1.0, 1.0);
  StochasticPolicy<float> policy(2, actions, {8}, -0.5, rng);
  learn::Mlp<float> critic = make_critic<float>(2, {8}, rng);
  RolloutCollector collector({3, 2, false, false, 0.99}, 2, actions, policy, &critic);

  const std::vector<double> observations{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, next{1.0, -1.0, 2.0, -2.0, 3.0, -3.0};
  const std::vector<double> rewards{1.0, 2.0, 3.0};
  const std::vector<std::uint8_t> terminated{0, 1, 0}, truncated{0, 0, 1};
  std::vector<double> taken(3);
  const ConstRows rows{observations.data(), 3, 2};
  Transitions batch;
  batch.observation = rows;
  batch.action = taken.data();
  batch.reward = rewards;
  batch.next_observation = {next.data(), 3, 2};
  batch.terminated = terminated;
  batch.truncated = truncated;

  learn::Mlp<float>::Workspace workspace(critic, 3);
  const Eigen::MatrixXf next_values = critic.forward(workspace, columns(batch.next_observation).cast<float>());
  for (int t = 0; t < 2; ++t) {
    collector.act(policy, rng, rows, ActionRows(taken.data(), 3, 1, false));
    EXPECT_EQ(collector.observe(batch, &critic), t == 1);
  }
  auto& rollout = collector.rollout();
  EXPECT_EQ(rollout.truncation_values(0), Eigen::RowVector3f(0.0f, 0.0f, next_values(0, 2)));
  EXPECT_EQ(rollout.bootstrap_values(), next_values.transpose());
  EXPECT_EQ(rollout.rewards(0), Eigen::RowVector3f(1.0f, 2.0f, 3.0f));
  EXPECT_EQ(rollout.actions(1), Eigen::Map<const Eigen::RowVectorXd>(taken.data(), 3).cast<float>());
  EXPECT_EQ(rollout.ends(0)[1], learn::EpisodeEnd::terminated);
  EXPECT_EQ(rollout.ends(0)[2], learn::EpisodeEnd::truncated);
}

TEST(RolloutCollector, DiscreteActionsAreStoredFromZeroAndWrittenFromTheSpaceStart) {
  Rng rng(8);
  const Space actions = Space::discrete(3, 5);  // actions 5, 6, 7
  StochasticPolicy<float> policy(2, actions, {8}, -0.5, rng);
  RolloutCollector collector({2, 4, true, true, 0.99}, 2, actions, policy, nullptr);
  const std::vector<double> observations{0.1, 0.2, 0.3, 0.4}, rewards{0.0, 0.0};
  const std::vector<std::uint8_t> no{0, 0};
  std::vector<std::int64_t> taken(2);
  for (int t = 0; t < 4; ++t) {
    collector.act(policy, rng, {observations.data(), 2, 2}, ActionRows(taken.data(), 2, 1, true));
    for (std::int64_t a : taken) EXPECT_TRUE(a >= 5 && a <= 7) << a;
    Transitions batch;
    batch.observation = {observations.data(), 2, 2};
    batch.action = taken.data();
    batch.discrete = true;
    batch.reward = rewards;
    batch.next_observation = batch.observation;
    batch.terminated = no;
    batch.truncated = no;
    collector.observe(batch, nullptr);
    EXPECT_EQ(collector.rollout().actions(t)(0, 1), static_cast<float>(taken[1] - 5));
  }
}

}  // namespace
}  // namespace pgb::onpolicy
