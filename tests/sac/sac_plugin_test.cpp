// The SAC plugin through the C ABI, as the host drives it: checkpoints (Full, replay buffer and
// temperature included, resumes a run exactly; Policy restores the evaluation policy), actions
// inside the Box, the temperature in the metrics, and the refusal of Discrete action spaces.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "support/plugin_checks.hpp"

namespace pgbench {
namespace {

using test::Runner;

// A small but complete SAC: learning from step 40 on, and a buffer that wraps around.
const Overrides kSmall = {{"hidden_size", "16"}, {"batch_size", "8"}, {"buffer_size", "64"}, {"start_steps", "40"}};

TEST(SacPlugin, SaveLoadContinueIsIdenticalToRunningOn) {
  test::expect_save_load_continue_is_running_on("Pendulum-v1", "sac", kSmall);
}

TEST(SacPlugin, APolicyCheckpointRestoresTheEvaluationPolicy) {
  test::expect_policy_checkpoint_restores_the_evaluation_policy("Pendulum-v1", "sac", kSmall);
}

TEST(SacPlugin, SampledActionsStayInsideTheBoxAndTheTemperatureIsReported) {
  Runner runner("Pendulum-v1", 2, 3);  // torque in [−2, 2]
  AlgoHandle algo = runner.make("sac", kSmall, 3);
  Runner::MetricLog metrics;
  const std::vector<std::uint8_t> bytes = runner.run(algo, 100, &metrics);
  std::vector<double> actions(bytes.size() / sizeof(double));
  std::memcpy(actions.data(), bytes.data(), bytes.size());
  for (double a : actions) EXPECT_TRUE(a > -2 && a < 2) << a;
  // Updates after host steps 20 to 100 (env step 40 on).
  ASSERT_EQ(metrics["alpha"].size(), 81u);
  // α starts at 1 and moves (the first value is the mean over that step's two updates).
  EXPECT_NEAR(metrics["alpha"].front(), 1.0, 1e-3);
  EXPECT_GT(std::abs(metrics["alpha"].back() - 1.0), 1e-3);
  for (const char* key : {"loss/critic", "loss/actor", "q/mean", "policy/entropy"}) {
    ASSERT_EQ(metrics[key].size(), 81u) << key;
    for (double v : metrics[key]) EXPECT_TRUE(std::isfinite(v)) << key;
  }
}

TEST(SacPlugin, RefusesADiscreteActionSpace) {
  Runner runner("CartPole-v1", 1, 1);
  EXPECT_THROW(runner.make("sac", kSmall, 1), std::exception);
}

}  // namespace
}  // namespace pgbench
