// REINFORCE: which samples carry a complete return, the three baselines, the update's wiring,
// and checkpoints (save → load → continue is the run that never stopped).
#include "reinforce.hpp"

#include "learn/memory_archive.hpp"
#include "support/toy_envs.hpp"

#include <gtest/gtest.h>

namespace pgb::reinforce {
namespace {

using learn::EpisodeEnd;
using learn::testing::MemoryCheckpoint;
using test::eval_actions;
using test::RecordedMetrics;
using test::toy_context;
using test::ToyEnvs;

TEST(CompleteReturns, DropsTheTailOfEachSubEnvAfterItsLastEpisodeEnd) {
  // N = 2 sub-envs × T = 4 steps, sample t·N + env. Env 0 terminates at t = 1 and is cut by the
  // batch end after that; env 1 is truncated at t = 3, the last step: all its samples count.
  std::vector<EpisodeEnd> ends(8, EpisodeEnd::running);
  ends[1 * 2 + 0] = EpisodeEnd::terminated;
  ends[3 * 2 + 1] = EpisodeEnd::truncated;
  EXPECT_EQ(samples_with_complete_returns(ends, 2, 4), (std::vector<Index>{0, 1, 2, 3, 5, 7}));
}

TEST(CompleteReturns, IsEmptyWhenNoEpisodeEnds) {
  const std::vector<EpisodeEnd> ends(6, EpisodeEnd::running);
  EXPECT_TRUE(samples_with_complete_returns(ends, 3, 2).empty());
}

TEST(Baselines, SubtractNothingTheBatchMeanOrTheValue) {
  const Eigen::RowVector3f returns(1.0f, 2.0f, 6.0f), values(0.5f, 2.5f, 1.0f);
  EXPECT_EQ(advantages(Baseline::none, returns, values), returns);
  EXPECT_EQ(advantages(Baseline::mean, returns, values), Eigen::RowVector3f(-2.0f, -1.0f, 3.0f));
  EXPECT_EQ(advantages(Baseline::value, returns, values), Eigen::RowVector3f(0.5f, -0.5f, 5.0f));
}

Options plain_options(Baseline baseline) {
  Options options;
  options.baseline = baseline;
  options.steps_per_batch = 16;
  options.normalize_returns = false;
  options.normalize_observations = false;
  return options;
}

// Runs one full batch (16 steps over 2 sub-envs) and returns the update's metrics.
RecordedMetrics one_update(Reinforce& algo, const Space& action_space) {
  ToyEnvs envs(action_space, 2);
  RecordedMetrics metrics;
  for (int step = 0; step < 8; ++step) envs.step(algo, metrics.sink());
  return metrics;
}

TEST(Update, ReportsTheSpecMetricsAndTheDroppedTail) {
  const Space actions = Space::discrete(3);
  Reinforce algo(toy_context(actions, 2, 7), plain_options(Baseline::mean));
  const RecordedMetrics metrics = one_update(algo, actions);
  // Env 0 terminates at its 5th step (t = 4), env 1 is truncated at its 6th (t = 5): their
  // unfinished tails t = 5..7 and t = 6..7 are dropped, 5 of the 16 samples.
  EXPECT_DOUBLE_EQ(metrics.at("batch/dropped_fraction"), 5.0 / 16.0);
  for (const char* key : {"loss/policy", "policy/entropy", "optim/grad_norm"}) EXPECT_TRUE(std::isfinite(metrics.at(key)));
  EXPECT_DOUBLE_EQ(metrics.at("optim/lr"), 1e-3 * (1.0 - 16.0 / 10'000.0));
  EXPECT_NEAR(metrics.at("policy/entropy"), std::log(3.0), 1e-3);  // the near-uniform first policy
  EXPECT_FALSE(metrics.has("loss/value"));
}

TEST(Update, TheValueBaselineIsFittedToTheReturns) {
  const Space actions = Space::box(1, -1.0, 1.0);
  Options options = plain_options(Baseline::value);
  options.critic_learning_rate = 1e-2;
  Reinforce algo(toy_context(actions, 2, 8), options);
  ToyEnvs envs(actions, 2);
  RecordedMetrics metrics;
  for (int step = 0; step < 8; ++step) envs.step(algo, metrics.sink());
  const double first = metrics.at("loss/value");
  EXPECT_DOUBLE_EQ(metrics.at("batch/dropped_fraction"), 0.0);  // unfinished episodes are bootstrapped
  for (int step = 0; step < 8 * 30; ++step) envs.step(algo, metrics.sink());
  EXPECT_LT(metrics.at("loss/value"), 0.5 * first);
}

TEST(Update, TheMeanBaselineCancelsEqualReturns) {
  // A one-step task with reward 1: every return is 1, so G − mean(G) = 0 and the gradient is 0;
  // without a baseline the same batch pushes up the log-probability of every action taken.
  const Space actions = Space::discrete(2);
  for (Baseline baseline : {Baseline::mean, Baseline::none}) {
    Reinforce algo(toy_context(actions, 1, 9), plain_options(baseline));
    const std::vector<double> observation{0.1, 0.2, 0.3}, reward{1.0};
    const std::vector<std::uint8_t> ended{1}, running{0};
    RecordedMetrics metrics;
    for (int step = 0; step < 16; ++step) {
      std::int64_t action = 0;
      algo.act({observation.data(), 1, 3}, ActionRows(&action, 1, 1, true));
      Transitions batch;
      batch.observation = {observation.data(), 1, 3};
      batch.action = &action;
      batch.discrete = true;
      batch.reward = reward;
      batch.next_observation = {observation.data(), 1, 3};
      batch.terminated = ended;
      batch.truncated = running;
      if (algo.observe(batch)) algo.update(16, metrics.sink());
    }
    if (baseline == Baseline::mean) EXPECT_EQ(metrics.at("optim/grad_norm"), 0.0);
    else EXPECT_GT(metrics.at("optim/grad_norm"), 0.0);
  }
}

// With normalised observations and returns, whose statistics the checkpoint must carry as well;
// one update and 5 steps into the next rollout.
auto normalizing(Baseline baseline) {
  Options options = plain_options(baseline);
  options.normalize_returns = options.normalize_observations = true;
  return [options](const AlgorithmContext& context) { return Reinforce(context, options); };
}

TEST(Checkpoint, SaveLoadContinueGivesIdenticalActionsContinuous) {
  test::expect_resumable(normalizing(Baseline::value), Space::box(2, -1.0, 1.0), 2, 13);
}

TEST(Checkpoint, SaveLoadContinueGivesIdenticalActionsDiscrete) {
  test::expect_resumable(normalizing(Baseline::mean), Space::discrete(3, 1), 2, 13);
}

TEST(Checkpoint, PolicyScopeRestoresTheEvaluationPolicy) {
  test::expect_policy_scope_restores_the_evaluation_policy(
      [](const AlgorithmContext& context) { return Reinforce(context, plain_options(Baseline::mean)); }, 24);
}

TEST(Checkpoint, RefusesAnotherArchitecture) {
  MemoryCheckpoint checkpoint;
  auto writer = checkpoint.writer();
  Reinforce(toy_context(Space::discrete(3), 2, 1), plain_options(Baseline::none)).save(writer, StateScope::Full);
  Reinforce other(toy_context(Space::discrete(4), 2, 1), plain_options(Baseline::none));
  auto reader = checkpoint.reader();
  EXPECT_THROW(other.load(reader, StateScope::Full), std::runtime_error);
}

TEST(ActEval, IsPureAndDeterministic) {
  const Space actions = Space::box(2, -1.0, 1.0);
  Reinforce algo(toy_context(actions, 2, 14), plain_options(Baseline::mean));
  Reinforce twin(toy_context(actions, 2, 14), plain_options(Baseline::mean));
  ToyEnvs envs(actions, 2), twin_envs(actions, 2);
  RecordedMetrics metrics;
  for (int step = 0; step < 20; ++step) {
    const auto first = eval_actions(algo, actions, envs.observations());
    EXPECT_EQ(eval_actions(algo, actions, envs.observations()), first);  // same input, same action
    ASSERT_EQ(envs.step(algo, metrics.sink()), twin_envs.step(twin, metrics.sink()));  // and no state touched
  }
}

TEST(Seeds, SameSeedSameActionsOtherSeedOtherActions) {
  const Space actions = Space::discrete(4);
  Reinforce a(toy_context(actions, 2, 21), plain_options(Baseline::mean));
  Reinforce b(toy_context(actions, 2, 21), plain_options(Baseline::mean));
  Reinforce c(toy_context(actions, 2, 22), plain_options(Baseline::mean));
  ToyEnvs ea(actions, 2), eb(actions, 2), ec(actions, 2);
  RecordedMetrics metrics;
  std::vector<double> ta, tb, tc;
  for (int step = 0; step < 40; ++step) {
    for (double x : ea.step(a, metrics.sink())) ta.push_back(x);
    for (double x : eb.step(b, metrics.sink())) tb.push_back(x);
    for (double x : ec.step(c, metrics.sink())) tc.push_back(x);
  }
  EXPECT_EQ(ta, tb);
  EXPECT_NE(ta, tc);
}

TEST(Construction, RefusesABatchSmallerThanTheNumberOfEnvs) {
  Options options;
  options.steps_per_batch = 2;
  EXPECT_THROW(Reinforce(toy_context(Space::discrete(2), 4, 1), options), InvalidArgument);
}

}  // namespace
}  // namespace pgb::reinforce
