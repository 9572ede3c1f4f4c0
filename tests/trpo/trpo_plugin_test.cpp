// The TRPO plugin through the C ABI, as the host drives it: checkpoints that resume a run
// exactly, an evaluation policy that a Policy-scope checkpoint restores, and the trust region
// seen in the metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/plugin_checks.hpp"

namespace pgbench {
namespace {

using test::Runner;

// A small but complete TRPO: several updates within a few hundred steps.
const Overrides kSmall = {{"steps_per_batch", "64"}, {"critic_iterations", "5"}};

class TrpoPlugin : public ::testing::TestWithParam<const char*> {};

TEST_P(TrpoPlugin, SaveLoadContinueIsIdenticalToRunningOn) {
  // After 3 updates, 10 steps into the next batch.
  test::expect_save_load_continue_is_running_on(GetParam(), "trpo", kSmall);
}

TEST_P(TrpoPlugin, APolicyCheckpointRestoresTheEvaluationPolicy) {
  test::expect_policy_checkpoint_restores_the_evaluation_policy(GetParam(), "trpo", kSmall);
}

TEST_P(TrpoPlugin, EveryAcceptedStepStaysInTheTrustRegionAndImprovesTheSurrogate) {
  Runner runner(GetParam(), 2, 11);
  AlgoHandle algo = runner.make("trpo", kSmall, 2);
  Runner::MetricLog metrics;
  runner.run(algo, 320);            // 640 env steps: 10 updates
  runner.run(algo, 64, &metrics);  // 2 more, recorded
  for (const char* key : {"trpo/surrogate_improvement", "trpo/kl", "trpo/line_search_steps", "trpo/step_rejected",
                          "trpo/cg_residual", "policy/entropy", "loss/value", "value/explained_variance", "optim/lr"}) {
    ASSERT_EQ(metrics[key].size(), 2u) << key;
    for (double v : metrics[key]) EXPECT_TRUE(std::isfinite(v)) << key;
  }
  EXPECT_LT(metrics["trpo/step_rejected"][0] + metrics["trpo/step_rejected"][1], 2.0) << "no step was taken";
  for (std::size_t u = 0; u < 2; ++u) {
    if (metrics["trpo/step_rejected"][u] != 0.0) continue;
    EXPECT_LE(metrics["trpo/kl"][u], 0.01);
    EXPECT_GT(metrics["trpo/kl"][u], 0.0);
    EXPECT_GT(metrics["trpo/surrogate_improvement"][u], 0.0);
    EXPECT_GE(metrics["trpo/line_search_steps"][u], 1.0);
    EXPECT_LE(metrics["trpo/line_search_steps"][u], 10.0);
  }
}

INSTANTIATE_TEST_SUITE_P(DiscreteAndBox, TrpoPlugin, ::testing::Values("CartPole-v1", "Pendulum-v1"),
                         [](const auto& info) { return std::string(info.param).substr(0, 8); });

}  // namespace
}  // namespace pgbench
