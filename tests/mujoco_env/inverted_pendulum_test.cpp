// InvertedPendulum-v4/v5 against specs/mujoco-tasks.md §8 and its reference rollout (Appendix B).
#include "inverted_pendulum.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

InvertedPendulum make_pendulum(Version version = Version::v4) {
  return InvertedPendulum(params_for<InvertedPendulum>("inverted_pendulum.xml", version));
}

TEST(InvertedPendulum, SpacesFrameSkipAndTimeLimit) {
  expect_spec(make_pendulum().spec(), {.observation_dim = 4, .action_dim = 1, .action_bound = 3.0,
                                       .frames_per_step = 2, .max_episode_steps = 1000});
}

TEST(InvertedPendulum, ReferenceStepGivesSpecStateAndRewardOne) {
  InvertedPendulum env = make_pendulum();
  set_reference_start(env);
  std::vector<double> observation(4);
  const pgb::StepResult result = step(env, reference_action(env, 0), observation);
  expect_all_near(observation, std::vector<double>{0.000992, -0.002262, 0.049487, -0.111970}, 1e-6, "observation");
  EXPECT_EQ(result.reward, 1.0);
  EXPECT_FALSE(result.terminated);
}

// Terminated once |pole angle| > 0.2 rad after the step; v4 still pays 1 on that step, v5 0.
TEST(InvertedPendulum, TerminationAndTheV4AliveRewardQuirk) {
  for (const Version version : {Version::v4, Version::v5}) {
    for (const double angle : {0.15, -0.15, 0.25, -0.25}) {
      InvertedPendulum env = make_pendulum(version);
      std::vector<double> observation(4);
      env.set_state(std::vector<double>{0.0, angle}, zeros(2));
      const pgb::StepResult result = step(env, {0.0}, observation);
      const bool fallen = std::abs(angle) > 0.2;
      EXPECT_EQ(result.terminated, fallen) << angle;
      EXPECT_EQ(result.reward, version == Version::v4 || !fallen ? 1.0 : 0.0) << angle;
    }
  }
}

TEST(InvertedPendulum, ResetNoiseHasTheSpecifiedDistribution) {
  InvertedPendulum env = make_pendulum();
  const auto observations = reset_observations(env, 5, 4000);  // qpos0 is all zero
  for (int i = 0; i < 4; ++i) expect_uniform_noise(reset_noise(observations, i), 0.01, "entry " + std::to_string(i));
}

TEST(InvertedPendulum, SameSeedSameTrajectory) {
  InvertedPendulum a = make_pendulum(), b = make_pendulum();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
}

}  // namespace
}  // namespace mujoco_control
