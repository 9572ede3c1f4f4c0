// The pieces of the SAC update (sac_learner.hpp) against independent computations: the squashed
// Gaussian's log-probability against the change-of-variables formula and as a density, the
// critic target by hand, and the critics', actor's and temperature's gradients against central
// finite differences. In double, where finite differences are exact to ~1e-9.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "support/network_checks.hpp"
#include "sac_learner.hpp"

namespace pgb::sac {
namespace {

using Net = Mlp<double>;
using Buffer = learn::ReplayBuffer<double>;
using test::outputs_of;
using test::parameter_gradient;
using test::q_of;

TEST(SquashedGaussian, LogProbabilityIsTheChangeOfVariablesOfTheGaussian) {
  // 2-D actions: log π(u) = Σ_d log N(z_d; μ_d, σ_d²) − log(1 − tanh² z_d), written naively.
  Eigen::MatrixXd outputs(4, 3);
  outputs << 0.3, -1.2, 0.0,   //
      -0.7, 0.1, 2.0,          // μ
      -0.5, 0.4, -25.0,        // log σ (the last clamped to −20)
      0.2, -1.0, 3.0;          // (the last clamped to 2)
  Eigen::MatrixXd noise(2, 3);
  noise << 0.5, -1.5, 0.7, 1.1, 0.0, -0.4;
  Eigen::MatrixXd actions(2, 3);
  Eigen::RowVectorXd log_probs(3);
  squashed_gaussian_sample<double>(outputs, noise, actions, log_probs);
  for (Index i = 0; i < 3; ++i) {
    double expected = 0;
    for (Index d = 0; d < 2; ++d) {
      const double log_std = std::clamp(outputs(2 + d, i), -20.0, 2.0), std = std::exp(log_std);
      const double z = outputs(d, i) + std * noise(d, i);
      EXPECT_NEAR(actions(d, i), std::tanh(z), 1e-15);
      const double gaussian = -0.5 * std::pow((z - outputs(d, i)) / std, 2) - log_std - 0.5 * std::log(2 * std::numbers::pi);
      expected += gaussian - std::log(1 - std::tanh(z) * std::tanh(z));
    }
    EXPECT_NEAR(log_probs(i), expected, 1e-9) << "sample " << i;
  }
}

TEST(SquashedGaussian, TheDensityIntegratesToOneOverTheOpenBox) {
  // One dimension, μ = 0.8, σ = e^0.3: ∫ π(u) du over (−1, 1) by the midpoint rule in u.
  Eigen::MatrixXd outputs(2, 1);
  outputs << 0.8, 0.3;
  const int cells = 200000;
  double integral = 0;
  Eigen::MatrixXd action(1, 1);
  Eigen::RowVectorXd log_prob(1);
  for (int c = 0; c < cells; ++c) {
    const double u = -1 + (c + 0.5) * 2.0 / cells;
    // the noise that gives u: ε = (atanh u − μ) / σ
    Eigen::MatrixXd noise(1, 1);
    noise(0, 0) = (std::atanh(u) - 0.8) / std::exp(0.3);
    squashed_gaussian_sample<double>(outputs, noise, action, log_prob);
    ASSERT_NEAR(action(0, 0), u, 1e-12);
    integral += std::exp(log_prob(0)) * 2.0 / cells;
  }
  EXPECT_NEAR(integral, 1.0, 1e-4);
}

TEST(SquashedGaussian, StaysFiniteWhereTanhSaturates) {
  // z = ±30: 1 − tanh² z rounds to 0 in double, yet log(1 − tanh² z) = 2 (log 2 − |z| − log(1 + e^−2|z|)).
  Eigen::MatrixXd outputs(2, 2);
  outputs << 30.0, -30.0, -20.0, -20.0;
  Eigen::MatrixXd noise = Eigen::MatrixXd::Zero(1, 2), actions(1, 2);
  Eigen::RowVectorXd log_probs(2);
  squashed_gaussian_sample<double>(outputs, noise, actions, log_probs);
  const double expected = 20.0 - 0.5 * std::log(2 * std::numbers::pi) - 2 * (std::numbers::ln2 - 30.0);
  EXPECT_NEAR(log_probs(0), expected, 1e-9);
  EXPECT_NEAR(log_probs(1), expected, 1e-9);
}

// A learner on random data, with critics that disagree and an actor in its curved range.
struct Fixture {
  Fixture() : learner(settings, rng), buffer(1, 3, 2), batch(buffer, 8), noise(2, 8) {
    learner.actor().initialize_orthogonal(rng, 1.0);
    // Second critics near the first, so that each is the smaller on some samples.
    for (Net* second : {&learner.critic(1), &learner.target_critic(1)}) {
      second->set_parameters(learner.critic(0).parameters());
      for (auto& x : second->parameters()) x += 0.3 * rng.normal();
    }
    learner.log_alpha()(0) = std::log(0.3);
    for (Index j = 0; j < batch.observations.size(); ++j) batch.observations(j) = rng.normal();
    for (Index j = 0; j < batch.actions.size(); ++j) batch.actions(j) = rng.uniform(-1, 1);
    for (Index j = 0; j < batch.next_observations.size(); ++j) batch.next_observations(j) = rng.normal();
    for (Index i = 0; i < 8; ++i) batch.rewards(i) = rng.normal();
    batch.terminated.setZero();
    batch.terminated(5) = 1;
    for (Index j = 0; j < noise.size(); ++j) noise(j) = rng.normal();
  }
  LearnerSettings settings{.observation_dim = 3, .action_dim = 2, .hidden_size = 16, .batch_size = 8};
  Rng rng{9};
  Learner<double> learner;
  Buffer buffer;
  Buffer::Batch batch;
  Eigen::MatrixXd noise;
};

TEST(SacLearner, TheTargetIsTheSoftValueOfTheSmallerTargetCritic) {
  Fixture f;
  RowVector<double> targets(8);
  f.learner.compute_critic_targets(f.batch, f.noise, targets);
  Eigen::MatrixXd next_actions(2, 8);
  Eigen::RowVectorXd log_probs(8);
  squashed_gaussian_sample<double>(outputs_of(f.learner.actor(), f.batch.next_observations), f.noise, next_actions,
                                   log_probs);
  const Eigen::RowVectorXd q1 = q_of(f.learner.target_critic(0), f.batch.next_observations, next_actions);
  const Eigen::RowVectorXd q2 = q_of(f.learner.target_critic(1), f.batch.next_observations, next_actions);
  for (Index i = 0; i < 8; ++i) {
    const double soft_value = std::min(q1(i), q2(i)) - 0.3 * log_probs(i);
    EXPECT_NEAR(targets(i), f.batch.rewards(i) + (i == 5 ? 0.0 : 0.99 * soft_value), 1e-12) << "sample " << i;
  }
}

TEST(SacLearner, EachCriticsGradientIsThatOfItsMeanSquaredTdError) {
  Fixture f;
  RowVector<double> targets(8);
  for (Index i = 0; i < 8; ++i) targets(i) = f.rng.normal();
  for (int j = 0; j < 2; ++j) {
    Eigen::VectorXd gradient(f.learner.critic(j).num_parameters());
    const double loss = f.learner.critic_loss_and_gradient(j, f.batch, targets, gradient);
    const auto objective = [&] {
      return (q_of(f.learner.critic(j), f.batch.observations, f.batch.actions) - targets).squaredNorm() / 8;
    };
    EXPECT_NEAR(loss, objective(), 1e-12);
    EXPECT_TRUE(learn::testing::close(gradient, parameter_gradient(f.learner.critic(j), objective), 1e-6));
  }
}

TEST(SacLearner, TheActorGradientIsTheReparameterisedGradientThroughTheSmallerCritic) {
  Fixture f;
  const Eigen::MatrixXd& s = f.batch.observations;
  // J(θ) = mean (α log π(ũ|s) − min_j Q_j(s, ũ)), ũ from the fixed noise, computed afresh.
  const auto objective = [&] {
    Eigen::MatrixXd actions(2, 8);
    Eigen::RowVectorXd log_probs(8);
    squashed_gaussian_sample<double>(outputs_of(f.learner.actor(), s), f.noise, actions, log_probs);
    const Eigen::RowVectorXd q = q_of(f.learner.critic(0), s, actions).cwiseMin(q_of(f.learner.critic(1), s, actions));
    return (0.3 * log_probs - q).mean();
  };
  // The two critics must each be the smaller on some samples for the test to cover the choice.
  {
    Eigen::MatrixXd actions(2, 8);
    Eigen::RowVectorXd log_probs(8);
    squashed_gaussian_sample<double>(outputs_of(f.learner.actor(), s), f.noise, actions, log_probs);
    const Eigen::RowVectorXd q1 = q_of(f.learner.critic(0), s, actions), q2 = q_of(f.learner.critic(1), s, actions);
    const auto first_smaller = (q1.array() < q2.array()).count();
    ASSERT_GT(first_smaller, 0);
    ASSERT_LT(first_smaller, 8);
  }
  Eigen::VectorXd gradient(f.learner.actor().num_parameters());
  const double loss = f.learner.actor_loss_and_gradient(s, f.noise, gradient);
  EXPECT_NEAR(loss, objective(), 1e-12);
  const Eigen::VectorXd expected = parameter_gradient(f.learner.actor(), objective);
  EXPECT_GT(expected.norm(), 1e-3);
  EXPECT_TRUE(learn::testing::close(gradient, expected, 1e-6));
}

TEST(SacLearner, TheSquashedLogProbabilitysGradientAloneMatchesFiniteDifferences) {
  // Critics that return a constant (zero last-layer weights): J(θ) = α mean log π(ũ|s) − c, so the
  // actor's gradient is the reparameterised gradient of the tanh-squashed log-probability alone.
  Fixture f;
  for (int j = 0; j < 2; ++j) f.learner.critic(j).weights(f.learner.critic(j).num_layers()).setZero();
  const Eigen::MatrixXd& s = f.batch.observations;
  const auto mean_log_prob = [&] {
    Eigen::MatrixXd actions(2, 8);
    Eigen::RowVectorXd log_probs(8);
    squashed_gaussian_sample<double>(outputs_of(f.learner.actor(), s), f.noise, actions, log_probs);
    return log_probs.mean();
  };
  Eigen::VectorXd gradient(f.learner.actor().num_parameters());
  f.learner.actor_loss_and_gradient(s, f.noise, gradient);
  const Eigen::VectorXd expected = 0.3 * parameter_gradient(f.learner.actor(), mean_log_prob);
  EXPECT_GT(expected.norm(), 1e-3);
  EXPECT_TRUE(learn::testing::close(gradient, expected, 1e-6));
}

TEST(SacLearner, TheActorGradientStopsWhereTheLogStdIsClamped) {
  Fixture f;
  // Push every log σ output far below −20 through the last layer's bias: the policy no longer
  // depends on those outputs, and neither may the gradient.
  auto bias = f.learner.actor().bias(f.learner.actor().num_layers());
  bias.tail(2).setConstant(-40.0);
  Eigen::VectorXd gradient(f.learner.actor().num_parameters());
  f.learner.actor_loss_and_gradient(f.batch.observations, f.noise, gradient);
  const Index bias_offset = f.learner.actor().num_parameters() - 4;
  EXPECT_EQ(gradient(bias_offset + 2), 0.0);
  EXPECT_EQ(gradient(bias_offset + 3), 0.0);
  EXPECT_NE(gradient(bias_offset), 0.0);
}

TEST(SacLearner, TheTemperatureMovesToMatchTheTargetEntropy) {
  Fixture f;
  EXPECT_EQ(f.learner.target_entropy(), -2.0);
  // J(log α) = −mean log α · (log π + H̄): its derivative, numerically.
  RowVector<double> log_probs(8);
  for (Index i = 0; i < 8; ++i) log_probs(i) = f.rng.normal();
  const auto objective = [&](const Eigen::VectorXd& log_alpha) {
    return -(log_alpha(0) * (log_probs.array() + f.learner.target_entropy())).mean();
  };
  const Eigen::VectorXd numeric = learn::testing::numerical_gradient(objective, Eigen::VectorXd::Constant(1, std::log(0.3)));
  EXPECT_NEAR(f.learner.alpha_loss_gradient(log_probs), numeric(0), 1e-9);
  // A policy whose entropy (−log π) is above the target lowers α; below it, raises it.
  EXPECT_GT(f.learner.alpha_loss_gradient(RowVector<double>::Constant(8, 1.0)), 0.0);   // H = −1 > −2 → α falls
  EXPECT_LT(f.learner.alpha_loss_gradient(RowVector<double>::Constant(8, 5.0)), 0.0);   // H = −5 < −2 → α rises
}

TEST(SacLearner, AnUpdateStepsTheCriticsTheActorAndTheTemperatureThenAveragesTheTargets) {
  Fixture f;
  const Eigen::VectorXd actor = f.learner.actor().parameters(), critic = f.learner.critic(0).parameters();
  const Eigen::VectorXd target = f.learner.target_critic(1).parameters();
  const double alpha = f.learner.alpha();
  const UpdateStats stats = f.learner.update(f.batch, f.rng);
  EXPECT_EQ(stats.alpha, alpha);
  for (double v : {stats.critic_loss, stats.actor_loss, stats.q_mean, stats.entropy}) EXPECT_TRUE(std::isfinite(v));
  EXPECT_NE(f.learner.actor().parameters(), actor);
  EXPECT_NE(f.learner.critic(0).parameters(), critic);
  EXPECT_NE(f.learner.alpha(), alpha);
  EXPECT_TRUE(f.learner.target_critic(1).parameters().isApprox(
      0.005 * f.learner.critic(1).parameters() + 0.995 * target, 1e-14));
}

}  // namespace
}  // namespace pgb::sac
