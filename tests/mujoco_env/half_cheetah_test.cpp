// HalfCheetah-v4/v5 against specs/mujoco-tasks.md §2 and its reference rollout (Appendix B).
#include "half_cheetah.hpp"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

HalfCheetah make_cheetah(Version version = Version::v4) {
  return HalfCheetah(params_for<HalfCheetah>("half_cheetah.xml", version));
}

// Appendix B, HalfCheetah after env step 1.
constexpr std::array<double, 9> kQposStep1 = {0.006052, -0.016061, -0.013556, 0.014640, 0.038698,
                                              0.054506, 0.052154,  0.054258,  0.064542};
constexpr std::array<double, 9> kQvelStep1 = {0.178550, -0.527111, -0.369269, 0.479177, 0.940411,
                                              1.332123, 1.526482,  1.551001,  1.865270};
constexpr double kSpecTolerance = 1e-6;  // the spec prints 6 decimals

TEST(HalfCheetah, SpacesFrameSkipAndTimeLimit) {
  const HalfCheetah env = make_cheetah();
  expect_spec(env.spec(), {.observation_dim = 17, .action_dim = 6, .action_bound = 1.0, .frames_per_step = 5,
                           .max_episode_steps = 1000});
  EXPECT_DOUBLE_EQ(env.dt(), 0.05);

  EXPECT_EQ(observing_root_position<HalfCheetah>("half_cheetah.xml").spec().observation.dim(), 18u);
}

// The reference step: the observation is qpos[1..8] then qvel, the reward the root's forward
// speed 0.006052 m / 0.05 s minus 0.1 sum(a^2) of the raw action.
TEST(HalfCheetah, ReferenceStepGivesSpecStateLayoutAndReward) {
  for (const Version version : {Version::v4, Version::v5}) {
    HalfCheetah env = make_cheetah(version);
    set_reference_start(env);
    const std::vector<double> action = reference_action(env, 0);
    std::vector<double> observation(17);
    const pgb::StepResult result = step(env, action, observation);

    expect_all_near(observation, joint_state(kQposStep1, kQvelStep1, 1), kSpecTolerance, "observation");
    EXPECT_NEAR(result.reward, 0.006052 / 0.05 - 0.1 * reference_action_squared(6), kSpecTolerance / 0.05 + 1e-9);
    EXPECT_FALSE(result.terminated);
    EXPECT_FALSE(result.truncated);
  }
}

TEST(HalfCheetah, RewardWeightsScaleTheirTerms) {
  auto params = params_for<HalfCheetah>("half_cheetah.xml");
  params.locomotion.forward_reward_weight = 2.0;
  params.locomotion.ctrl_cost_weight = 0.0;
  HalfCheetah env(params);
  set_reference_start(env);
  std::vector<double> observation(17);
  const pgb::StepResult result = step(env, reference_action(env, 0), observation);
  EXPECT_NEAR(result.reward, 2.0 * env.data().qpos[0] / 0.05, 1e-12);
}

// The raw action is charged, not the one MuJoCo clamps to [-1, 1].
TEST(HalfCheetah, ControlCostUsesTheUnclippedAction) {
  auto params = params_for<HalfCheetah>("half_cheetah.xml");
  params.locomotion.forward_reward_weight = 0.0;
  HalfCheetah env(params);
  set_reference_start(env);
  std::vector<double> observation(17);
  const pgb::StepResult result = step(env, std::vector<double>(6, 3.0), observation);
  EXPECT_NEAR(result.reward, -0.1 * 6 * 9.0, 1e-12);
}

TEST(HalfCheetah, NeverTerminates) {
  HalfCheetah env = make_cheetah();
  std::vector<double> observation(17);
  env.rng().reseed(3);
  env.reset(observation);
  for (int t = 0; t < 200; ++t) {
    std::vector<double> flip(6, t % 20 < 10 ? 1.0 : -1.0);
    EXPECT_FALSE(step(env, flip, observation).terminated);
  }
}

// qpos = qpos0 + U(-0.1, 0.1), qvel = 0.1 N(0, 1), checked through the observation with the
// root x kept.
TEST(HalfCheetah, ResetNoiseHasTheSpecifiedDistribution) {
  HalfCheetah env = observing_root_position<HalfCheetah>("half_cheetah.xml");
  const auto observations = reset_observations(env, 11, 4000);  // qpos0 is all zero
  for (int i = 0; i < 9; ++i) expect_uniform_noise(reset_noise(observations, i), 0.1, "qpos " + std::to_string(i));
  for (int i = 9; i < 18; ++i) expect_normal_noise(reset_noise(observations, i), 0.1, "qvel " + std::to_string(i - 9));
}

TEST(HalfCheetah, SameSeedSameTrajectory) {
  HalfCheetah a = make_cheetah(), b = make_cheetah();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
  EXPECT_NE(trajectory(a, 42, 10), trajectory(b, 43, 10));
}

}  // namespace
}  // namespace mujoco_control
