// The PPO plugin through the C ABI, as the host drives it: checkpoints that resume a run
// exactly, an evaluation policy that a Policy-scope checkpoint restores, and the metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/plugin_checks.hpp"

namespace pgbench {
namespace {

using test::Runner;

// A small but complete PPO: several updates within a few hundred steps.
const Overrides kSmall = {{"steps_per_batch", "64"}, {"minibatch_size", "16"}, {"epochs", "3"}};

class PpoPlugin : public ::testing::TestWithParam<const char*> {};

TEST_P(PpoPlugin, SaveLoadContinueIsIdenticalToRunningOn) {
  // After 3 updates, 10 steps into the next batch.
  test::expect_save_load_continue_is_running_on(GetParam(), "ppo", kSmall);
}

TEST_P(PpoPlugin, APolicyCheckpointRestoresTheEvaluationPolicy) {
  test::expect_policy_checkpoint_restores_the_evaluation_policy(GetParam(), "ppo", kSmall);
}

TEST_P(PpoPlugin, EveryUpdateReportsFiniteMetricsAndDecaysTheLearningRate) {
  Runner runner(GetParam(), 2, 11);
  AlgoHandle algo = runner.make("ppo", kSmall, 2, /*budget=*/640);
  Runner::MetricLog metrics;
  runner.run(algo, 96, &metrics);  // 192 env steps: updates at 64, 128, 192
  for (const char* key : {"loss/policy", "loss/value", "policy/entropy", "policy/approx_kl", "policy/clip_fraction",
                          "value/explained_variance", "optim/lr"}) {
    ASSERT_EQ(metrics[key].size(), 3u) << key;
    for (double v : metrics[key]) EXPECT_TRUE(std::isfinite(v)) << key;
  }
  EXPECT_NEAR(metrics["optim/lr"][0], 3e-4 * (1 - 64.0 / 640), 1e-12);
  EXPECT_NEAR(metrics["optim/lr"][2], 3e-4 * (1 - 192.0 / 640), 1e-12);
  for (double kl : metrics["policy/approx_kl"]) EXPECT_GE(kl, 0.0);
  for (double f : metrics["policy/clip_fraction"]) EXPECT_TRUE(f >= 0.0 && f <= 1.0);
}

INSTANTIATE_TEST_SUITE_P(DiscreteAndBox, PpoPlugin, ::testing::Values("CartPole-v1", "Pendulum-v1"),
                         [](const auto& info) { return std::string(info.param).substr(0, 8); });

}  // namespace
}  // namespace pgbench
