// The pieces of the TD3 update (td3_learner.hpp) against known answers: the clipped double-Q
// target with target policy smoothing on hand-built networks, both critics' and the actor's
// gradients against central finite differences, the smoothing noise's clip, and the delay
// schedule. In double, where finite differences are exact to ~1e-9.
#include <gtest/gtest.h>

#include <cmath>

#include "support/network_checks.hpp"
#include "td3_learner.hpp"

namespace pgb::td3 {
namespace {

using Net = Mlp<double>;
using Buffer = learn::ReplayBuffer<double>;
using test::outputs_of;
using test::parameter_gradient;
using test::q_of;
using learn::EpisodeEnd;

// A learner on random data, with networks in their curved ranges.
struct Fixture {
  Fixture() : learner(settings, rng), buffer(1, 3, 2), batch(buffer, 8) {
    learner.actor().initialize_orthogonal(rng, 1.5);
    for (Index j = 0; j < batch.observations.size(); ++j) batch.observations(j) = rng.normal();
    for (Index j = 0; j < batch.actions.size(); ++j) batch.actions(j) = rng.uniform(-1, 1);
    for (Index j = 0; j < batch.next_observations.size(); ++j) batch.next_observations(j) = rng.normal();
    for (Index i = 0; i < 8; ++i) batch.rewards(i) = rng.normal();
    batch.terminated.setZero();
    batch.terminated(3) = 1;
  }
  LearnerSettings settings{.observation_dim = 3, .action_dim = 2, .hidden_size = 16, .batch_size = 8};
  Rng rng{5};
  Learner<double> learner;
  Buffer buffer;
  Buffer::Batch batch;
};

TEST(Td3Learner, TheTargetIsTheSmallerTargetCriticAtTheSmoothedTargetAction) {
  Fixture setup;
  Learner<double>& learner = setup.learner;
  const Buffer::Batch& batch = setup.batch;
  // Make the two target critics disagree, in a different direction on different samples.
  learner.target_critic(1).initialize_orthogonal(setup.rng, 2.0);
  Eigen::MatrixXd noise(2, 8);
  for (Index j = 0; j < noise.size(); ++j) noise(j) = setup.rng.uniform(-0.5, 0.5);
  noise(0, 0) = 3.0;  // pushes ã past the Box: clipped to 1
  RowVector<double> targets(8);
  learner.compute_critic_targets(batch, noise, targets);

  Net::Workspace workspace(learner.target_actor(), 8);
  const Eigen::MatrixXd smoothed =
      (learner.target_actor().forward(workspace, batch.next_observations) + noise).cwiseMax(-1.0).cwiseMin(1.0);
  EXPECT_EQ(smoothed(0, 0), 1.0);
  const Eigen::RowVectorXd q1 = q_of(learner.target_critic(0), batch.next_observations, smoothed);
  const Eigen::RowVectorXd q2 = q_of(learner.target_critic(1), batch.next_observations, smoothed);
  int first_smaller = 0;
  for (Index i = 0; i < 8; ++i) {
    const double expected = batch.rewards(i) + (i == 3 ? 0.0 : 0.99 * std::min(q1(i), q2(i)));
    EXPECT_NEAR(targets(i), expected, 1e-12) << "sample " << i;
    first_smaller += q1(i) < q2(i);
  }
  EXPECT_GT(first_smaller, 0);
  EXPECT_LT(first_smaller, 7) << "each critic must be the smaller one somewhere";
}

TEST(Td3Learner, EachCriticsGradientIsThatOfItsMeanSquaredTdError) {
  Fixture setup;
  Learner<double>& learner = setup.learner;
  RowVector<double> targets(8);
  for (Index i = 0; i < 8; ++i) targets(i) = setup.rng.normal();
  for (int j = 0; j < 2; ++j) {
    Eigen::VectorXd gradient(learner.critic(j).num_parameters());
    const double loss = learner.critic_loss_and_gradient(j, setup.batch, targets, gradient);
    const auto objective = [&] {
      return (q_of(learner.critic(j), setup.batch.observations, setup.batch.actions) - targets).squaredNorm() / 8;
    };
    EXPECT_NEAR(loss, objective(), 1e-12);
    EXPECT_TRUE(learn::testing::close(gradient, parameter_gradient(learner.critic(j), objective), 1e-6)) << "critic " << j;
  }
}

TEST(Td3Learner, TheActorGradientIsTheDeterministicPolicyGradientThroughTheFirstCritic) {
  Fixture setup;
  Learner<double>& learner = setup.learner;
  const Eigen::MatrixXd& s = setup.batch.observations;
  Eigen::VectorXd gradient(learner.actor().num_parameters());
  const double loss = learner.actor_loss_and_gradient(s, gradient);
  const auto objective = [&] {
    Net::Workspace workspace(learner.actor(), s.cols());
    const Eigen::MatrixXd actions = learner.actor().forward(workspace, s);
    return -q_of(learner.critic(0), s, actions).mean();
  };
  EXPECT_NEAR(loss, objective(), 1e-12);
  const Eigen::VectorXd expected = parameter_gradient(learner.actor(), objective);
  EXPECT_GT(expected.norm(), 1e-3) << "a vanishing gradient would make the test meaningless";
  EXPECT_TRUE(learn::testing::close(gradient, expected, 1e-6));
}

TEST(Td3Learner, TheActorAndTheTargetsMoveOnlyEveryPolicyDelayUpdates) {
  Fixture setup;
  setup.settings.policy_delay = 3;
  Learner<double> learner(setup.settings, setup.rng);
  for (int k = 1; k <= 7; ++k) {
    const Eigen::VectorXd actor = learner.actor().parameters(), critic = learner.critic(1).parameters();
    const Eigen::VectorXd target_actor = learner.target_actor().parameters();
    const Eigen::VectorXd target_critic = learner.target_critic(0).parameters();
    const UpdateStats stats = learner.update(setup.batch, setup.rng);
    const bool delayed_step = k % 3 == 0;
    EXPECT_EQ(stats.actor_updated, delayed_step) << "update " << k;
    EXPECT_NE(learner.critic(1).parameters(), critic) << "the critics learn at every update";
    EXPECT_EQ(learner.actor().parameters() != actor, delayed_step) << "update " << k;
    EXPECT_EQ(learner.target_actor().parameters() != target_actor, delayed_step) << "update " << k;
    EXPECT_EQ(learner.target_critic(0).parameters() != target_critic, delayed_step) << "update " << k;
    if (delayed_step) {
      const double tau = setup.settings.tau;
      EXPECT_TRUE(learner.target_actor().parameters().isApprox(
          tau * learner.actor().parameters() + (1 - tau) * target_actor, 1e-14));
    }
  }
}

TEST(Td3Learner, TheSmoothingNoiseIsGaussianClippedAtC) {
  Fixture setup;
  setup.settings.target_noise = 0.2;
  setup.settings.target_noise_clip = 0.5;
  Learner<double> learner(setup.settings, setup.rng);
  // 2 × 8 × 5000 draws: P(|ε| ≥ 2.5σ̃) = 1.24%; the std of the clipped noise is 0.1977.
  double sum_of_squares = 0;
  int at_clip = 0;
  const int draws = 5000;
  for (int k = 0; k < draws; ++k)
    for (double e : learner.draw_smoothing_noise(setup.rng, 8).reshaped()) {
      ASSERT_LE(std::abs(e), 0.5);
      at_clip += std::abs(e) == 0.5;
      sum_of_squares += e * e;
    }
  const double n = 16.0 * draws;
  EXPECT_NEAR(at_clip / n, 0.0124, 0.002);
  EXPECT_NEAR(std::sqrt(sum_of_squares / n), 0.1977, 0.002);
}

}  // namespace
}  // namespace pgb::td3
