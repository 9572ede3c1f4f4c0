// Swimmer-v4/v5 against specs/mujoco-tasks.md §6 and its reference rollout (Appendix B).
#include "swimmer.hpp"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

Swimmer make_swimmer() { return Swimmer(params_for<Swimmer>("swimmer.xml")); }

constexpr std::array<double, 5> kQposStep1 = {-0.000001, 0.000103, -0.000361, -0.000644, 0.003196};
constexpr std::array<double, 5> kQvelStep1 = {-0.000061, 0.005173, -0.018055, -0.032057, 0.159360};

TEST(Swimmer, SpacesFrameSkipAndTimeLimit) {
  expect_spec(make_swimmer().spec(), {.observation_dim = 8, .action_dim = 2, .action_bound = 1.0,
                                      .frames_per_step = 4, .max_episode_steps = 1000});
  EXPECT_EQ(observing_root_position<Swimmer>("swimmer.xml").spec().observation.dim(), 10u);
}

// Observation qpos[2..4] then qvel; reward -0.000001 m / 0.04 s - 1e-4 sum(a^2).
TEST(Swimmer, ReferenceStepGivesSpecStateLayoutAndReward) {
  Swimmer env = make_swimmer();
  set_reference_start(env);
  std::vector<double> observation(8);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  expect_all_near(observation, joint_state(kQposStep1, kQvelStep1, 2), 1e-6, "observation");
  const double action_squared = sum_of_squares(action);
  EXPECT_NEAR(result.reward, -0.000001 / 0.04 - 1e-4 * action_squared, 1e-6 / 0.04);
  EXPECT_NEAR(result.reward, env.data().qpos[0] / 0.04 - 1e-4 * action_squared, 1e-12);
  EXPECT_FALSE(result.terminated);
}

TEST(Swimmer, ResetNoiseHasTheSpecifiedDistribution) {
  Swimmer env = observing_root_position<Swimmer>("swimmer.xml");
  const auto observations = reset_observations(env, 5, 4000);  // qpos0 is all zero
  for (int i = 0; i < 10; ++i) expect_uniform_noise(reset_noise(observations, i), 0.1, "entry " + std::to_string(i));
}

TEST(Swimmer, SameSeedSameTrajectory) {
  Swimmer a = make_swimmer(), b = make_swimmer();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
}

}  // namespace
}  // namespace mujoco_control
