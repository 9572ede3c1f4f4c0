// The pieces of the DDPG update (ddpg_learner.hpp) against known answers: the critic target on
// hand-computed networks, the actor and critic gradients against central finite differences,
// and the Polyak averaging of the targets. In double, where finite differences are exact to ~1e-9.
#include <gtest/gtest.h>

#include <pgbench/sdk/learn/off_policy.hpp>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "ddpg_learner.hpp"
#include "support/network_checks.hpp"

namespace pgb::ddpg {
namespace {

using learn::Activation;
using learn::EpisodeEnd;
using learn::ExplorationNoise;
using Net = Mlp<double>;
using Buffer = learn::ReplayBuffer<double>;
using test::parameter_gradient;
using test::q_of;

double relative_error(const Eigen::VectorXd& actual, const Eigen::VectorXd& expected) {
  return (actual - expected).cwiseAbs().maxCoeff() / expected.cwiseAbs().maxCoeff();
}

TEST(DdpgLearner, CriticTargetBootstrapsOnTruncationAndNotOnTermination) {
  LearnerSettings settings{.observation_dim = 1, .action_dim = 1, .hidden_size = 2, .batch_size = 64};
  Rng rng(3);
  Learner<double> learner(settings, rng);
  // Targets that can be evaluated by hand (the online networks keep their random weights, which
  // must not enter the target):
  //   μ'(s') = tanh(0.5 · relu(s'))                       (W1 = [1; 0], W2 = I, W3 = [0.5 0])
  //   Q'(s', u') = relu(s') + relu(u') + 0.25             (W1 = I, W2 = I, W3 = [1 1], b3 = 0.25)
  Net& actor = learner.target_actor();
  actor.parameters().setZero();
  actor.weights(1)(0, 0) = 1;
  actor.weights(2).setIdentity();
  actor.weights(3)(0, 0) = 0.5;
  Net& critic = learner.target_critic();
  critic.parameters().setZero();
  critic.weights(1).setIdentity();
  critic.weights(2).setIdentity();
  critic.weights(3).setOnes();
  critic.bias(3)(0) = 0.25;

  // Four transitions, told apart by their rewards, stored as the plugin stores them.
  Buffer buffer(4, 1, 1);
  const Eigen::RowVector4d rewards{1.0, 2.0, -0.5, 0.0};
  const Eigen::RowVector4d next_observations{2.0, 2.0, -1.0, 0.5};
  const EpisodeEnd ends[] = {EpisodeEnd::running, EpisodeEnd::terminated, EpisodeEnd::truncated,
                             EpisodeEnd::running};
  buffer.add(Eigen::RowVector4d::Zero(), Eigen::RowVector4d::Zero(), rewards, next_observations, ends);
  const std::map<double, double> expected{
      // running:    u' = tanh(1) = 0.761594156, Q' = 2 + 0.761594156 + 0.25, y = 1 + 0.99 Q'
      {1.0, 1.0 + 0.99 * 3.0115941559557649},
      // terminated: y = r, whatever Q' says
      {2.0, 2.0},
      // truncated:  bootstraps; u' = tanh(0) = 0, Q' = 0 + 0 + 0.25
      {-0.5, -0.5 + 0.99 * 0.25},
      // running:    u' = tanh(0.25) = 0.244918662, Q' = 0.5 + 0.244918662 + 0.25
      {0.0, 0.99 * 0.99491866240370913}};

  Buffer::Batch batch(buffer, 64);
  buffer.sample(rng, batch);
  RowVector<double> targets(64);
  learner.compute_critic_targets(batch, targets);
  std::set<double> seen;
  for (Index i = 0; i < 64; ++i) {
    EXPECT_NEAR(targets(i), expected.at(batch.rewards(i)), 1e-12) << "reward " << batch.rewards(i);
    seen.insert(batch.rewards(i));
  }
  EXPECT_EQ(seen.size(), 4u) << "every kind of transition must be in the sample";
}

// A learner on random data, with an actor whose tanh is well inside its curved range.
struct GradientSetup {
  GradientSetup() : learner(settings, rng), buffer(1, 3, 2), batch(buffer, 8) {
    learner.actor().initialize_orthogonal(rng, 1.5);
    for (Index j = 0; j < batch.observations.size(); ++j) batch.observations(j) = rng.normal();
    for (Index j = 0; j < batch.actions.size(); ++j) batch.actions(j) = rng.uniform(-1, 1);
  }
  LearnerSettings settings{.observation_dim = 3, .action_dim = 2, .hidden_size = 16, .batch_size = 8};
  Rng rng{5};
  Learner<double> learner;
  Buffer buffer;
  Buffer::Batch batch;
};

TEST(DdpgLearner, ActorGradientIsTheChainRuleThroughTheCritic) {
  GradientSetup setup;
  Learner<double>& learner = setup.learner;
  const Eigen::MatrixXd& s = setup.batch.observations;
  Eigen::VectorXd gradient(learner.actor().num_parameters());
  const double loss = learner.actor_loss_and_gradient(s, gradient);

  // J(θ) = −mean Q(s, μθ(s)), differentiated numerically through both networks.
  const auto objective = [&] {
    Net::Workspace workspace(learner.actor(), s.cols());
    const Eigen::MatrixXd actions = learner.actor().forward(workspace, s);
    return -q_of(learner.critic(), s, actions).mean();
  };
  EXPECT_NEAR(loss, objective(), 1e-12);
  const Eigen::VectorXd expected = parameter_gradient(learner.actor(), objective);
  EXPECT_GT(expected.norm(), 1e-3) << "a vanishing gradient would make the test meaningless";
  EXPECT_LT(relative_error(gradient, expected), 1e-6);
}

TEST(DdpgLearner, CriticGradientIsThatOfTheMeanSquaredTdError) {
  GradientSetup setup;
  Learner<double>& learner = setup.learner;
  Buffer::Batch& batch = setup.batch;
  RowVector<double> targets(8);
  for (Index i = 0; i < 8; ++i) targets(i) = setup.rng.normal();
  Eigen::VectorXd gradient(learner.critic().num_parameters());
  double q_mean = 0;
  const double loss = learner.critic_loss_and_gradient(batch, targets, gradient, &q_mean);

  const auto objective = [&] {
    return (q_of(learner.critic(), batch.observations, batch.actions) - targets).squaredNorm() / 8;
  };
  EXPECT_NEAR(loss, objective(), 1e-12);
  EXPECT_NEAR(q_mean, q_of(learner.critic(), batch.observations, batch.actions).mean(), 1e-12);
  EXPECT_LT(relative_error(gradient, parameter_gradient(learner.critic(), objective)), 1e-6);
}

TEST(DdpgLearner, PolyakAveragingMovesTheTargetByTau) {
  Net online({2, 3, 1}, Activation::relu), target({2, 3, 1}, Activation::relu);
  online.parameters().setOnes();
  target.parameters().setZero();
  for (int n = 1; n <= 10; ++n) {
    polyak_average(target, online, 0.005);
    for (Index i = 0; i < target.num_parameters(); ++i)
      ASSERT_NEAR(target.parameters()(i), 1 - std::pow(0.995, n), 1e-15) << "after " << n << " steps";
  }
}

TEST(DdpgLearner, AnUpdateStepsBothNetworksThenAveragesTheTargets) {
  GradientSetup setup;
  Learner<double>& learner = setup.learner;
  setup.batch.rewards.setOnes();
  setup.batch.next_observations.setRandom();
  setup.batch.terminated.setZero();
  const Eigen::VectorXd actor_before = learner.actor().parameters(), critic_before = learner.critic().parameters();
  const Eigen::VectorXd target_actor_before = learner.target_actor().parameters();
  const Eigen::VectorXd target_critic_before = learner.target_critic().parameters();

  const UpdateStats stats = learner.update(setup.batch);
  EXPECT_TRUE(std::isfinite(stats.critic_loss) && std::isfinite(stats.actor_loss) && std::isfinite(stats.q_mean));
  EXPECT_NE(learner.critic().parameters(), critic_before);
  // The actor steps along the policy gradient through the critic as the critic step left it:
  // Adam's first step is θ − η g / (|g| + ε) coordinate by coordinate.
  const Eigen::VectorXd actor_after = learner.actor().parameters();
  Eigen::VectorXd gradient(actor_after.size());
  learner.actor().set_parameters(actor_before);
  learner.actor_loss_and_gradient(setup.batch.observations, gradient);
  learner.actor().set_parameters(actor_after);
  const Eigen::VectorXd adam_step = -1e-3 * (gradient.array() / (gradient.array().abs() + 1e-8)).matrix();
  EXPECT_TRUE((actor_after - actor_before).isApprox(adam_step, 1e-9));
  // The targets follow the networks as they are after this update's optimiser steps.
  const double tau = setup.settings.tau;
  EXPECT_TRUE(learner.target_actor().parameters().isApprox(
      tau * learner.actor().parameters() + (1 - tau) * target_actor_before, 1e-14));
  EXPECT_TRUE(learner.target_critic().parameters().isApprox(
      tau * learner.critic().parameters() + (1 - tau) * target_critic_before, 1e-14));
}

TEST(ExplorationNoise, OrnsteinUhlenbeckFollowsItsRecursionAndRestartsPerEnv) {
  const double theta = 0.15, sigma = 0.2;
  ExplorationNoise noise(ExplorationNoise::Kind::ornstein_uhlenbeck, sigma, theta, 2, 2);
  Rng rng(9), replay(9);
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(2, 2);
  for (int t = 0; t < 5; ++t)
    for (Index env = 0; env < 2; ++env) {
      for (Index d = 0; d < 2; ++d) x(d, env) += -theta * x(d, env) + sigma * replay.normal();
      ASSERT_TRUE(noise.sample(rng, env).isApprox(x.col(env), 1e-15));
    }
  noise.reset(1);  // sub-env 1 starts a new episode: its process restarts from 0, env 0's goes on
  const Eigen::VectorXd first = noise.sample(rng, 0), second = noise.sample(rng, 1);
  for (Index d = 0; d < 2; ++d) EXPECT_NEAR(first(d), x(d, 0) - theta * x(d, 0) + sigma * replay.normal(), 1e-15);
  for (Index d = 0; d < 2; ++d) EXPECT_NEAR(second(d), sigma * replay.normal(), 1e-15);
}

TEST(ExplorationNoise, GaussianIsIndependentFromStepToStep) {
  ExplorationNoise noise(ExplorationNoise::Kind::gaussian, 0.1, 0.15, 1, 1);
  Rng rng(4), replay(4);
  for (int t = 0; t < 5; ++t) EXPECT_NEAR(noise.sample(rng, 0)(0), 0.1 * replay.normal(), 1e-15);
}

}  // namespace
}  // namespace pgb::ddpg
