// A2C: the update's metrics and the direction of each term of its loss, and checkpoints
// (save → load → continue is the run that never stopped). The loss terms themselves are
// checked against finite differences in tests/reinforce/on_policy_test.cpp.
#include "a2c.hpp"

#include "learn/memory_archive.hpp"
#include "support/toy_envs.hpp"

#include <gtest/gtest.h>

namespace pgb::a2c {
namespace {

using learn::testing::MemoryCheckpoint;
using test::eval_actions;
using test::RecordedMetrics;
using test::toy_context;
using test::ToyEnvs;

TEST(Update, AsksForAnUpdateEveryNStepsAndReportsTheSpecMetrics) {
  const Space actions = Space::discrete(3);
  A2c algo(toy_context(actions, 4, 1), Options{});
  ToyEnvs envs(actions, 4);
  RecordedMetrics metrics;
  for (int step = 0; step < 4; ++step) envs.step(algo, metrics.sink());
  EXPECT_FALSE(metrics.has("loss/policy"));  // n_steps = 5
  envs.step(algo, metrics.sink());
  for (const char* key : {"loss/policy", "loss/value", "value/explained_variance", "optim/grad_norm"})
    EXPECT_TRUE(std::isfinite(metrics.at(key))) << key;
  EXPECT_NEAR(metrics.at("policy/entropy"), std::log(3.0), 1e-3);  // the near-uniform first policy
  EXPECT_DOUBLE_EQ(metrics.at("optim/lr"), 7e-4 * (1.0 - 20.0 / 10'000.0));
}

TEST(Update, TheCriticLearnsTheValues) {
  const Space actions = Space::box(1, -1.0, 1.0);
  Options options;
  options.learning_rate = 3e-3;
  A2c algo(toy_context(actions, 4, 2, 1'000'000), options);
  ToyEnvs envs(actions, 4);
  RecordedMetrics metrics;
  // The policy keeps changing, so the size of the value targets (and of the loss) drifts; the
  // share of the returns' variance the critic explains is the measure that does not.
  for (int step = 0; step < 5 * 5; ++step) envs.step(algo, metrics.sink());
  const double early = metrics.recent_mean("value/explained_variance", 5);
  for (int step = 0; step < 5 * 300; ++step) envs.step(algo, metrics.sink());
  const double late = metrics.recent_mean("value/explained_variance", 50);
  EXPECT_GT(late, 0.5);
  EXPECT_GT(late, early + 0.1);
}

TEST(Update, TheEntropyBonusRaisesTheEntropy) {
  const Space actions = Space::box(2, -1.0, 1.0);
  Options options;
  options.entropy_coef = 1.0;
  A2c algo(toy_context(actions, 2, 3, 1'000'000), options);
  ToyEnvs envs(actions, 2);
  RecordedMetrics metrics;
  for (int step = 0; step < 5; ++step) envs.step(algo, metrics.sink());
  const double first = metrics.at("policy/entropy");
  for (int step = 0; step < 5 * 50; ++step) envs.step(algo, metrics.sink());
  EXPECT_GT(metrics.at("policy/entropy"), first + 0.1);
}

TEST(Update, ReportsTheGradientNormBeforeClipping) {
  const Space actions = Space::discrete(2);
  Options options;
  options.max_grad_norm = 1e-6;
  A2c algo(toy_context(actions, 2, 4), options);
  ToyEnvs envs(actions, 2);
  RecordedMetrics metrics;
  for (int step = 0; step < 5; ++step) envs.step(algo, metrics.sink());
  EXPECT_GT(metrics.at("optim/grad_norm"), 1e-3);
}

A2c make(const AlgorithmContext& context) { return A2c(context, Options{}); }

// Two updates and 2 steps into the next rollout.
TEST(Checkpoint, SaveLoadContinueGivesIdenticalActionsContinuous) {
  test::expect_resumable(make, Space::box(2, -1.0, 1.0), 3, 12);
}

TEST(Checkpoint, SaveLoadContinueGivesIdenticalActionsDiscrete) {
  test::expect_resumable(make, Space::discrete(3, -1), 3, 12);
}

TEST(Checkpoint, PolicyScopeRestoresTheEvaluationPolicy) {
  test::expect_policy_scope_restores_the_evaluation_policy(make, 30);
}

TEST(Checkpoint, RefusesAnotherArchitecture) {
  MemoryCheckpoint checkpoint;
  auto writer = checkpoint.writer();
  A2c(toy_context(Space::box(2, -1.0, 1.0), 2, 1), Options{}).save(writer, StateScope::Full);
  A2c other(toy_context(Space::box(3, -1.0, 1.0), 2, 1), Options{});
  auto reader = checkpoint.reader();
  EXPECT_THROW(other.load(reader, StateScope::Full), std::runtime_error);
}

TEST(ActEval, IsPureAndDeterministic) {
  const Space actions = Space::discrete(3);
  A2c algo(toy_context(actions, 2, 14), Options{});
  A2c twin(toy_context(actions, 2, 14), Options{});
  ToyEnvs envs(actions, 2), twin_envs(actions, 2);
  RecordedMetrics metrics;
  for (int step = 0; step < 20; ++step) {
    const auto first = eval_actions(algo, actions, envs.observations());
    EXPECT_EQ(eval_actions(algo, actions, envs.observations()), first);
    ASSERT_EQ(envs.step(algo, metrics.sink()), twin_envs.step(twin, metrics.sink()));
  }
}

TEST(Seeds, SameSeedSameActionsOtherSeedOtherActions) {
  const Space actions = Space::box(1, -2.0, 2.0);
  A2c a(toy_context(actions, 2, 21), Options{});
  A2c b(toy_context(actions, 2, 21), Options{});
  A2c c(toy_context(actions, 2, 22), Options{});
  ToyEnvs ea(actions, 2), eb(actions, 2), ec(actions, 2);
  RecordedMetrics metrics;
  for (int step = 0; step < 20; ++step) {
    const auto ta = ea.step(a, metrics.sink());
    EXPECT_EQ(ta, eb.step(b, metrics.sink()));
    EXPECT_NE(ta, ec.step(c, metrics.sink()));
  }
}

}  // namespace
}  // namespace pgb::a2c
