// The A3C plugin through the C ABI, as the host drives it: checkpoints that resume a run exactly
// (the workers' copies included) and an evaluation policy that a Policy-scope checkpoint restores.
#include <gtest/gtest.h>

#include <string>

#include "support/plugin_checks.hpp"

namespace pgbench {
namespace {

// Two workers on one sub-env each: several updates within a few hundred steps.
const Overrides kSmall = {{"workers", "2"}};

class A3cPlugin : public ::testing::TestWithParam<const char*> {};

TEST_P(A3cPlugin, SaveLoadContinueIsIdenticalToRunningOn) {
  test::expect_save_load_continue_is_running_on(GetParam(), "a3c", kSmall);
}

TEST_P(A3cPlugin, APolicyCheckpointRestoresTheEvaluationPolicy) {
  test::expect_policy_checkpoint_restores_the_evaluation_policy(GetParam(), "a3c", kSmall);
}

INSTANTIATE_TEST_SUITE_P(DiscreteAndBox, A3cPlugin, ::testing::Values("CartPole-v1", "Pendulum-v1"),
                         [](const auto& info) { return std::string(info.param).substr(0, 8); });

}  // namespace
}  // namespace pgbench
