#include "memory_archive.hpp"

#include <pgbench/sdk/learn/optimizers.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

namespace pgb::learn {
namespace {

// Two steps on θ = (1, −2) with gradients (0.5, −1) then (0.2, 0.3); the expected values were
// worked out by hand from the update rules (and checked with an independent script).
const Eigen::Vector2d kStart(1.0, -2.0);
const Eigen::Vector2d kFirstGradient(0.5, -1.0);
const Eigen::Vector2d kSecondGradient(0.2, 0.3);

TEST(Adam, MatchesHandComputedSteps) {
  Adam<double> adam(2, {.learning_rate = 0.1, .beta1 = 0.9, .beta2 = 0.999, .epsilon = 1e-8});
  Eigen::VectorXd theta = kStart;
  // Step 1: m̂ = g and v̂ = g², so each coordinate moves by η·g/(|g| + ε) ≈ η against its sign.
  adam.step(theta, kFirstGradient);
  EXPECT_NEAR(theta(0), 0.900000002, 1e-12);
  EXPECT_NEAR(theta(1), -1.900000001, 1e-12);
  // Step 2: m = (0.065, −0.06), v = (2.8975e-4, 1.08900e-3), corrections 1 − 0.9² and 1 − 0.999².
  adam.step(theta, kSecondGradient);
  EXPECT_NEAR(theta(0), 0.8101424839029282, 1e-12);
  EXPECT_NEAR(theta(1), -1.8572151424292265, 1e-12);
  EXPECT_EQ(adam.steps_taken(), 2u);
}

TEST(RmsProp, MatchesHandComputedStepsWithEpsilonOutsideTheRoot) {
  RmsProp<double> rmsprop(2, {.learning_rate = 0.01, .alpha = 0.99, .epsilon = 1e-5});
  Eigen::VectorXd theta = kStart;
  // Step 1: v = 0.01 g², so the step is η·g/(0.1|g| + ε): ten times η, the PyTorch behaviour.
  rmsprop.step(theta, kFirstGradient);
  EXPECT_NEAR(theta(0), 0.9000199960007998, 1e-12);
  EXPECT_NEAR(theta(1), -1.9000099990001, 1e-12);
  rmsprop.step(theta, kSecondGradient);
  EXPECT_NEAR(theta(0), 0.8627267588957703, 1e-12);
  EXPECT_NEAR(theta(1), -1.9288747349490696, 1e-12);
}

TEST(Sgd, StepsAgainstTheGradient) {
  Sgd<double> sgd(2, 0.5);
  Eigen::VectorXd theta = kStart;
  sgd.step(theta, kFirstGradient);
  EXPECT_EQ(theta, Eigen::Vector2d(0.75, -1.5));
  sgd.set_learning_rate(0.25);
  sgd.step(theta, kFirstGradient);
  EXPECT_EQ(theta, Eigen::Vector2d(0.625, -1.25));
}

TEST(Optimizer, RejectsVectorsOfAnotherSize) {
  Adam<float> adam(3);
  Eigen::VectorXf theta = Eigen::VectorXf::Zero(2);
  EXPECT_THROW(adam.step(theta, Eigen::VectorXf::Zero(2)), std::invalid_argument);
}

TEST(ClipByGlobalNorm, ScalesAllGradientsByOneFactorOnlyAboveTheBound) {
  Eigen::VectorXf actor(2), critic(1);
  actor << 3, 4;
  critic << 12;  // joint norm 13
  const double norm = clip_by_global_norm(6.5, actor, critic);
  EXPECT_DOUBLE_EQ(norm, 13.0);
  const float factor = static_cast<float>(6.5 / (13.0 + 1e-6));
  EXPECT_FLOAT_EQ(actor(0), 3 * factor);
  EXPECT_FLOAT_EQ(actor(1), 4 * factor);
  EXPECT_FLOAT_EQ(critic(0), 12 * factor);
  EXPECT_NEAR(std::sqrt(actor.squaredNorm() + critic.squaredNorm()), 6.5, 1e-5);

  const Eigen::VectorXf before = actor;
  EXPECT_NEAR(clip_by_global_norm(100.0, actor), 2.5, 1e-6);
  EXPECT_EQ(actor, before);
}

TEST(LinearDecay, FallsLinearlyToZeroOverTheHorizonAndStaysThere) {
  const LinearDecay schedule(3e-4, 1000);
  EXPECT_DOUBLE_EQ(schedule.at(0), 3e-4);
  EXPECT_DOUBLE_EQ(schedule.at(250), 2.25e-4);
  EXPECT_DOUBLE_EQ(schedule.at(500), 1.5e-4);
  EXPECT_DOUBLE_EQ(schedule.at(1000), 0.0);
  EXPECT_DOUBLE_EQ(schedule.at(5000), 0.0);
  EXPECT_THROW(LinearDecay(1e-3, 0), std::invalid_argument);
}

// Save after a few steps, restore into a fresh optimiser, and both continue bit for bit.
template <class MakeOptimizer>
void expect_checkpoint_continues_exactly(MakeOptimizer make) {
  auto original = make();
  Eigen::VectorXf theta = Eigen::VectorXf::LinSpaced(5, -1, 1);
  const auto gradient_at = [](int step) { return Eigen::VectorXf::LinSpaced(5, 0.1f * step, -0.3f * step); };
  for (int step = 1; step <= 3; ++step) original->step(theta, gradient_at(step));

  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  original->save(out);
  auto restored = make();
  InputArchive in = checkpoint.reader();
  restored->load(in);

  Eigen::VectorXf theta_restored = theta;
  for (int step = 4; step <= 6; ++step) {
    original->step(theta, gradient_at(step));
    restored->step(theta_restored, gradient_at(step));
  }
  EXPECT_EQ(theta_restored, theta);
}

TEST(Optimizer, SaveLoadContinuesBitIdentically) {
  expect_checkpoint_continues_exactly([] { return std::make_unique<Adam<float>>(5); });
  expect_checkpoint_continues_exactly([] { return std::make_unique<RmsProp<float>>(5); });
  expect_checkpoint_continues_exactly([] { return std::make_unique<Sgd<float>>(5, 0.1); });
}

TEST(Optimizer, LoadRejectsAnotherOptimizersCheckpoint) {
  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  Adam<float>(4).save(out);
  RmsProp<float> rmsprop(4);
  InputArchive in = checkpoint.reader();
  EXPECT_THROW(rmsprop.load(in), std::runtime_error);
  Adam<float> bigger(5);
  InputArchive in_again = checkpoint.reader();
  EXPECT_THROW(bigger.load(in_again), std::runtime_error);
}

}  // namespace
}  // namespace pgb::learn
