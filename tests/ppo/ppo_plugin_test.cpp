// The PPO plugin through the C ABI, as the host drives it: checkpoints that resume a run
// exactly, an evaluation policy that a Policy-scope checkpoint restores, and the metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "algorithm_runner.hpp"

namespace pgbench {
namespace {

using test::Runner;

// A small but complete PPO: several updates within a few hundred steps.
const Overrides kSmall = {{"steps_per_batch", "64"}, {"minibatch_size", "16"}, {"epochs", "3"}};

class PpoPlugin : public ::testing::TestWithParam<const char*> {};

TEST_P(PpoPlugin, SaveLoadContinueIsIdenticalToRunningOn) {
  // Two identical runs; the second hands its state mid-rollout (after 3 updates, 10 steps into
  // the next batch) to a fresh instance built with another seed. From there both must take the
  // same actions and end in the same state, byte for byte.
  Runner first(GetParam(), 2, 7), second(GetParam(), 2, 7);
  AlgoHandle original = first.make("ppo", kSmall, 1), twin = second.make("ppo", kSmall, 1);
  ASSERT_EQ(first.run(original, 106), second.run(twin, 106));

  AlgoHandle resumed = second.make("ppo", kSmall, 999);
  resumed.load(PGB_STATE_FULL, twin.save(PGB_STATE_FULL));
  EXPECT_EQ(first.run(original, 90), second.run(resumed, 90));
  EXPECT_EQ(original.save(PGB_STATE_FULL), resumed.save(PGB_STATE_FULL));
}

TEST_P(PpoPlugin, APolicyCheckpointRestoresTheEvaluationPolicy) {
  Runner runner(GetParam(), 2, 3);
  AlgoHandle trained = runner.make("ppo", kSmall, 5);
  runner.run(trained, 100);
  AlgoHandle restored = runner.make("ppo", kSmall, 6);
  restored.load(PGB_STATE_POLICY, trained.save(PGB_STATE_POLICY));

  std::vector<std::uint8_t> a(64), b(64), c(64);
  const std::vector<double>& obs = runner.observations();
  trained.act_eval(obs.data(), 2, a.data());
  trained.act_eval(obs.data(), 2, b.data());
  restored.act_eval(obs.data(), 2, c.data());
  EXPECT_EQ(a, b) << "act_eval must be a pure function of the observation";
  EXPECT_EQ(a, c);
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
