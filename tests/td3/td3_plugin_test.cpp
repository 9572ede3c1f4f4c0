// The TD3 plugin through the C ABI, as the host drives it: checkpoints (Full, replay buffer and the
// delay's phase included, resumes a run exactly; Policy restores the evaluation policy), the
// delayed actor seen in the metrics, and the refusal of Discrete action spaces.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "support/plugin_checks.hpp"

namespace pgbench {
namespace {

using test::Runner;

// A small but complete TD3: learning from step 40 on, and a buffer that wraps around.
const Overrides kSmall = {{"hidden_size", "16"}, {"batch_size", "8"}, {"buffer_size", "64"}, {"start_steps", "40"}};

TEST(Td3Plugin, SaveLoadContinueIsIdenticalToRunningOn) {
  // Handed over with the buffer wrapped around, between two delayed actor updates.
  Overrides overrides = kSmall;
  overrides.insert_or_assign("policy_delay", std::string("3"));  // not operator= of a literal: GCC 12's -Wrestrict misfires on it
  test::expect_save_load_continue_is_running_on("Pendulum-v1", "td3", overrides);
}

TEST(Td3Plugin, APolicyCheckpointRestoresTheEvaluationPolicy) {
  test::expect_policy_checkpoint_restores_the_evaluation_policy("Pendulum-v1", "td3", kSmall);
}

TEST(Td3Plugin, TheActorLossIsReportedForTheDelayedUpdatesOnly) {
  // 4 sub-envs: 4 critic updates per host step, so with policy_delay 4 exactly one actor update
  // per step and with 8 one every other step.
  for (const int delay : {4, 8}) {
    Runner runner("Pendulum-v1", 4, 3);
    Overrides overrides = kSmall;
    overrides["policy_delay"] = std::to_string(delay);
    AlgoHandle algo = runner.make("td3", overrides, 3);
    Runner::MetricLog metrics;
    runner.run(algo, 30, &metrics);  // 120 env steps: updates after host steps 10 to 30 (env step 40 on)
    EXPECT_EQ(metrics["loss/critic"].size(), 21u) << "delay " << delay;
    EXPECT_EQ(metrics["q/mean"].size(), 21u) << "delay " << delay;
    EXPECT_EQ(metrics["loss/actor"].size(), delay == 4 ? 21u : 10u) << "delay " << delay;
    for (const auto& [key, values] : metrics)
      for (double v : values) EXPECT_TRUE(std::isfinite(v)) << key;
  }
}

TEST(Td3Plugin, RefusesADiscreteActionSpace) {
  Runner runner("CartPole-v1", 1, 1);
  EXPECT_THROW(runner.make("td3", kSmall, 1), std::exception);
}

}  // namespace
}  // namespace pgbench
