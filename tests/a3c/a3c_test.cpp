// A3C's interleaving (a3c.hpp): with one worker it is A2C update for update; with W workers each
// acts with its own copy, every gradient after the first round is W−1 updates stale, and the
// workers' copies are the shared parameters as each worker's own update left them.
#include "a2c.hpp"
#include "a3c.hpp"

#include "support/toy_envs.hpp"

#include <gtest/gtest.h>

namespace pgb::a3c {
namespace {

using test::RecordedMetrics;
using test::toy_context;
using test::ToyEnvs;

TEST(A3c, OneWorkerWithA2csReturnsIsA2cBitForBit) {
  for (const Space& actions : {Space::box(2, -1.0, 1.0), Space::discrete(3)}) {
    Options options;
    options.workers = 1;
    options.gae_lambda = 0.95;  // A2C's, and its learning rate and entropy weight
    options.learning_rate = a2c::Options{}.learning_rate;
    options.entropy_coef = a2c::Options{}.entropy_coef;
    A3c a3c(toy_context(actions, 4, 7), options);
    a2c::A2c a2c(toy_context(actions, 4, 7), a2c::Options{});
    ToyEnvs a3c_envs(actions, 4), a2c_envs(actions, 4);
    RecordedMetrics a3c_metrics, a2c_metrics;
    for (int step = 0; step < 5 * 40; ++step)  // 40 updates
      ASSERT_EQ(a3c_envs.step(a3c, a3c_metrics.sink()), a2c_envs.step(a2c, a2c_metrics.sink())) << "step " << step;
    for (const char* key : {"loss/policy", "loss/value", "policy/entropy", "optim/grad_norm"})
      EXPECT_EQ(a3c_metrics.at(key), a2c_metrics.at(key)) << key;
    EXPECT_EQ(a3c_metrics.at("a3c/staleness"), 0.0);
  }
}

TEST(A3c, EveryGradientAfterTheFirstRoundIsWMinusOneUpdatesStale) {
  const Space actions = Space::box(1, -1.0, 1.0);
  Options options;
  options.workers = 4;
  A3c algo(toy_context(actions, 8, 3), options);
  ToyEnvs envs(actions, 8);
  RecordedMetrics metrics;
  for (int step = 0; step < 5; ++step) envs.step(algo, metrics.sink());
  // First round: worker w copied the initial parameters and applies after w others: mean 1.5.
  EXPECT_EQ(metrics.at("a3c/staleness"), 1.5);
  for (int round = 0; round < 5; ++round) {
    for (int step = 0; step < 5; ++step) envs.step(algo, metrics.sink());
    EXPECT_EQ(metrics.at("a3c/staleness"), 3.0);
  }
}

TEST(A3c, EachWorkerKeepsTheParametersItsOwnUpdateLeft) {
  const Space actions = Space::box(1, -1.0, 1.0);
  Options options;
  options.workers = 3;
  A3c algo(toy_context(actions, 3, 5), options);
  ToyEnvs envs(actions, 3);
  RecordedMetrics metrics;
  const auto theta = [](const learn::StochasticPolicy<float>& policy) { return learn::Vector<float>(policy.flat_parameters()); };
  for (int step = 0; step < 4; ++step) envs.step(algo, metrics.sink());
  for (Index w = 0; w < 3; ++w) EXPECT_EQ(theta(algo.worker_policy(w)), theta(algo.shared_policy())) << "before any update";
  for (int step = 0; step < 1; ++step) envs.step(algo, metrics.sink());
  // After a round in the order 0, 1, 2: the last worker holds the shared parameters; the others
  // hold earlier states of them, each different.
  EXPECT_EQ(theta(algo.worker_policy(2)), theta(algo.shared_policy()));
  EXPECT_NE(theta(algo.worker_policy(1)), theta(algo.shared_policy()));
  EXPECT_NE(theta(algo.worker_policy(0)), theta(algo.worker_policy(1)));
}

TEST(A3c, WorkersActWithTheirOwnCopies) {
  // The same observation in every sub-env, a deterministic stand-in: the evaluation policy of a
  // copy is its mean. After a round the workers' means differ, so acting must differ by worker
  // in a way the shared policy alone cannot produce.
  const Space actions = Space::box(1, -1.0, 1.0);
  Options options;
  options.workers = 2;
  options.initial_log_std = -10;  // σ = 4.5e-5: the sampled action is the mean to 4 decimals
  A3c algo(toy_context(actions, 2, 5), options);
  ToyEnvs envs(actions, 2);
  RecordedMetrics metrics;
  for (int step = 0; step < 5; ++step) envs.step(algo, metrics.sink());
  const double observation[] = {0.3, -0.2, 0.1, 0.3, -0.2, 0.1};
  double taken[2], shared[2];
  algo.act(ConstRows{observation, 2, 3}, ActionRows(taken, 2, 1, false));
  algo.act_eval(ConstRows{observation, 2, 3}, ActionRows(shared, 2, 1, false));
  EXPECT_NEAR(taken[1], shared[1], 1e-3) << "worker 1 holds the shared parameters";
  EXPECT_GT(std::abs(taken[0] - taken[1]), 1e-3) << "worker 0 acts with its older copy";
}

TEST(A3c, ByDefaultEverySubEnvIsAWorker) {
  const Space actions = Space::discrete(2);
  A3c algo(toy_context(actions, 6, 2), Options{});
  ToyEnvs envs(actions, 6);
  RecordedMetrics metrics;
  for (int step = 0; step < 5; ++step) envs.step(algo, metrics.sink());
  EXPECT_EQ(metrics.at("a3c/staleness"), 2.5);  // W = 6: (0 + 1 + ... + 5) / 6 in the first round
  EXPECT_NO_THROW(algo.worker_policy(5));
  EXPECT_THROW(algo.worker_policy(6), std::out_of_range);
}

TEST(A3c, RefusesWorkersThatDoNotDivideTheSubEnvs) {
  Options options;
  options.workers = 3;
  try {
    A3c algo(toy_context(Space::discrete(2), 8, 1), options);
    FAIL() << "no error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("num_envs = 8"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("workers = 3"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pgb::a3c
