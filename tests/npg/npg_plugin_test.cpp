// The NPG plugin through the C ABI, as the host drives it: checkpoints that resume a run exactly,
// an evaluation policy that a Policy-scope checkpoint restores, and a step of fixed Fisher size
// seen in the metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "support/plugin_checks.hpp"

namespace pgbench {
namespace {

using test::Runner;

// A small but complete NPG: several updates within a few hundred steps.
const Overrides kSmall = {{"steps_per_batch", "64"}, {"critic_iterations", "5"}};

class NpgPlugin : public ::testing::TestWithParam<const char*> {};

TEST_P(NpgPlugin, SaveLoadContinueIsIdenticalToRunningOn) {
  test::expect_save_load_continue_is_running_on(GetParam(), "npg", kSmall);
}

TEST_P(NpgPlugin, APolicyCheckpointRestoresTheEvaluationPolicy) {
  test::expect_policy_checkpoint_restores_the_evaluation_policy(GetParam(), "npg", kSmall);
}

// The step is taken whatever the surrogate and the KL do (no line search) and has a fixed size
// δ in the damped Fisher metric (tests/learn/natural_gradient_test.cpp checks it exactly), so the
// KL it causes is positive, bounded by that size, and grows with δ.
TEST_P(NpgPlugin, EveryUpdateStepsAndTheStepSizeSetsItsKl) {
  std::vector<double> mean_kl;
  for (const double step_size : {0.01, 0.04}) {
    Runner runner(GetParam(), 2, 11);
    AlgoHandle algo = runner.make("npg", {{"steps_per_batch", "64"}, {"step_size", std::to_string(step_size)}}, 2);
    Runner::MetricLog metrics;
    runner.run(algo, 320, &metrics);  // 640 env steps: 10 updates
    const auto& kl = metrics["npg/kl"];
    ASSERT_EQ(kl.size(), 10u);
    double sum = 0;
    for (double v : kl) {
      EXPECT_GT(v, 0.0) << "step_size " << step_size;
      EXPECT_LT(v, step_size) << "step_size " << step_size;
      sum += v;
    }
    mean_kl.push_back(sum / 10);
    for (const char* key : {"npg/surrogate_improvement", "npg/cg_residual", "policy/entropy", "loss/value",
                            "value/explained_variance", "optim/lr"}) {
      ASSERT_EQ(metrics[key].size(), 10u) << key;
      for (double v : metrics[key]) EXPECT_TRUE(std::isfinite(v)) << key;
    }
  }
  std::printf("mean KL per update: %.5f at step_size 0.01, %.5f at 0.04\n", mean_kl[0], mean_kl[1]);
  EXPECT_GT(mean_kl[1], 2 * mean_kl[0]);
}

INSTANTIATE_TEST_SUITE_P(DiscreteAndBox, NpgPlugin, ::testing::Values("CartPole-v1", "Pendulum-v1"),
                         [](const auto& info) { return std::string(info.param).substr(0, 8); });

}  // namespace
}  // namespace pgbench
