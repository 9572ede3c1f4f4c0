// The on-policy helpers: the value loss, explained variance, the learning-rate schedule, and the
// collector behind act() and observe() (storage, bootstraps, discrete actions).
#include <pgbench/sdk/learn/on_policy.hpp>

#include "finite_difference.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace pgb::learn {
namespace {

using testing::close;
using testing::numerical_gradient;

TEST(ValueLoss, MatchesHandComputedValueAndFiniteDifferences) {
  Rng rng(5);
  Mlp<double> critic = make_critic<double>(3, {5}, rng);
  const Eigen::MatrixXd observations = Eigen::MatrixXd::Random(3, 4);
  const Eigen::RowVectorXd returns = Eigen::RowVectorXd::Random(4);
  Mlp<double>::Workspace workspace(critic, 4);
  Eigen::VectorXd gradient(critic.num_parameters());
  const double loss = value_loss(critic, workspace, observations, returns, gradient);

  const Eigen::RowVectorXd values = critic.forward(workspace, observations);
  EXPECT_NEAR(loss, (values - returns).squaredNorm() / 4, 1e-12);
  const auto loss_at = [&](const Eigen::VectorXd& theta) {
    Mlp<double> copy = critic;
    copy.parameters() = theta;
    Mlp<double>::Workspace scratch(copy, 4);
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

TEST(NormalizeAdvantages, GivesZeroMeanAndUnitUnbiasedStd) {
  Eigen::RowVectorXf advantages(4);
  advantages << 1, 2, 3, 6;
  normalize_advantages(advantages);
  EXPECT_NEAR(advantages.mean(), 0.0f, 1e-6f);
  EXPECT_NEAR(advantages.squaredNorm() / 3.0f, 1.0f, 1e-5f);
}

// A batch of 3 sub-envs with 2-dimensional observations and a 1-dimensional Box action: 0 runs
// on, 1 terminates, 2 is truncated by the time limit.
struct ThreeEnvs {
  std::vector<double> observations{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, next{1.0, -1.0, 2.0, -2.0, 3.0, -3.0};
  std::vector<double> rewards{1.0, 2.0, 3.0}, taken = std::vector<double>(3);
  std::vector<std::uint8_t> terminated{0, 1, 0}, truncated{0, 0, 1};

  ConstRows rows() const { return {observations.data(), 3, 2}; }
  ActionRows actions() { return ActionRows(taken.data(), 3, 1, false); }
  Transitions batch() const {
    Transitions batch;
    batch.observation = rows();
    batch.action = taken.data();
    batch.reward = rewards;
    batch.next_observation = {next.data(), 3, 2};
    batch.terminated = terminated;
    batch.truncated = truncated;
    return batch;
  }
};

TEST(OnPolicyCollector, StoresWhatActDrewWithItsLogProbability) {
  Rng rng(7);
  StochasticPolicy<float> policy(2, Space::box(1, -1.0, 1.0), {8}, -0.5, rng);
  OnPolicyCollector collector({3, 2, false, false, 0.99}, 2, policy);
  ThreeEnvs envs;
  collector.act(policy, rng, envs.rows(), envs.actions());
  EXPECT_FALSE(collector.observe(envs.batch()));

  const auto& rollout = collector.rollout();
  const Eigen::MatrixXf observations = Eigen::Map<const Eigen::MatrixXd>(envs.observations.data(), 2, 3).cast<float>();
  EXPECT_EQ(Eigen::MatrixXf(rollout.observations().leftCols(3)), observations);
  EXPECT_EQ(Eigen::RowVectorXf(rollout.actions().leftCols(3)),
            Eigen::Map<const Eigen::RowVectorXd>(envs.taken.data(), 3).cast<float>());
  StochasticPolicy<float>::Workspace workspace(policy.network(), 3);
  Eigen::RowVectorXf log_probs(3);
  policy.log_prob(policy.network().forward(workspace, observations), rollout.actions().leftCols(3), log_probs);
  EXPECT_TRUE(log_probs.isApprox(rollout.log_probs().head(3)));
  EXPECT_EQ(Eigen::RowVectorXf(rollout.rewards().head(3)), Eigen::RowVector3f(1.0f, 2.0f, 3.0f));
  EXPECT_EQ(rollout.ends()[1], EpisodeEnd::terminated);
  EXPECT_EQ(rollout.ends()[2], EpisodeEnd::truncated);
}

TEST(OnPolicyCollector, BootstrapsTruncationsFromTheFinalObservationAndTheLastStepFromV) {
  Rng rng(7);
  StochasticPolicy<float> policy(2, Space::box(1, -1.0, 1.0), {8}, -0.5, rng);
  Mlp<float> critic = make_critic<float>(2, {8}, rng);
  OnPolicyCollector collector({3, 2, false, false, 0.99}, 2, policy);
  ThreeEnvs envs;
  for (int t = 0; t < 2; ++t) {
    collector.act(policy, rng, envs.rows(), envs.actions());
    EXPECT_EQ(collector.observe(envs.batch()), t == 1);
  }
  Mlp<float>::Workspace workspace(critic, 6);
  const Eigen::MatrixXf next_values =
      critic.forward(workspace, Eigen::Map<const Eigen::MatrixXd>(envs.next.data(), 2, 3).cast<float>());
  const Eigen::MatrixXf values =
      critic.forward(workspace, Eigen::Map<const Eigen::MatrixXd>(envs.observations.data(), 2, 3).cast<float>());
  collector.estimate_values(critic, workspace);

  auto& rollout = collector.rollout();
  EXPECT_TRUE(rollout.values(0).isApprox(values));
  EXPECT_EQ(rollout.truncation_values(0), Eigen::RowVector3f(0.0f, 0.0f, next_values(0, 2)));
  EXPECT_TRUE(rollout.bootstrap_values().isApprox(next_values.transpose()));
}

TEST(OnPolicyCollector, DiscreteActionsAreStoredFromZeroAndWrittenFromTheSpaceStart) {
  Rng rng(8);
  StochasticPolicy<float> policy(2, Space::discrete(3, 5), {8}, -0.5, rng);  // actions 5, 6, 7
  OnPolicyCollector collector({2, 4, true, true, 0.99}, 2, policy);
  const std::vector<double> observations{0.1, 0.2, 0.3, 0.4}, rewards{0.0, 0.0};
  const std::vector<std::uint8_t> no{0, 0};
  std::vector<std::int64_t> taken(2);
  for (int t = 0; t < 4; ++t) {
    collector.act(policy, rng, {observations.data(), 2, 2}, ActionRows(taken.data(), 2, 1, true));
    for (std::int64_t a : taken) EXPECT_TRUE(a >= 5 && a <= 7) << a;
    EXPECT_EQ(collector.rollout().actions(t)(0, 1), static_cast<float>(taken[1] - 5));
    Transitions batch;
    batch.observation = {observations.data(), 2, 2};
    batch.action = taken.data();
    batch.discrete = true;
    batch.reward = rewards;
    batch.next_observation = batch.observation;
    batch.terminated = no;
    batch.truncated = no;
    collector.observe(batch);
  }
}

TEST(OnPolicyCollector, RefusesABatchOfAnotherSize) {
  Rng rng(9);
  StochasticPolicy<float> policy(2, Space::box(1, -1.0, 1.0), {8}, -0.5, rng);
  OnPolicyCollector collector({2, 4, false, false, 0.99}, 2, policy);
  ThreeEnvs envs;
  EXPECT_THROW(collector.act(policy, rng, envs.rows(), envs.actions()), InvalidArgument);
}

}  // namespace
}  // namespace pgb::learn
