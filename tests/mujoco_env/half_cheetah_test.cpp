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
  const pgb::EnvSpec spec = env.spec();
  EXPECT_EQ(spec.observation.dim(), 17u);
  EXPECT_TRUE(std::isinf(spec.observation.high()[0]));
  EXPECT_EQ(spec.action.low(), std::vector<double>(6, -1.0));
  EXPECT_EQ(spec.action.high(), std::vector<double>(6, 1.0));
  EXPECT_EQ(spec.frames_per_step, 5u);
  EXPECT_EQ(spec.max_episode_steps, 1000u);
  EXPECT_DOUBLE_EQ(env.dt(), 0.05);

  auto keep_x = params_for<HalfCheetah>("half_cheetah.xml");
  keep_x.exclude_current_positions_from_observation = false;
  EXPECT_EQ(HalfCheetah(keep_x).spec().observation.dim(), 18u);
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

    std::vector<double> expected(kQposStep1.begin() + 1, kQposStep1.end());
    expected.insert(expected.end(), kQvelStep1.begin(), kQvelStep1.end());
    expect_all_near(observation, expected, kSpecTolerance, "observation");

    double action_squared = 0.0;
    for (int i = 1; i <= 6; ++i) action_squared += std::pow(0.5 * std::sin(0.1 * i), 2);
    EXPECT_NEAR(result.reward, 0.006052 / 0.05 - 0.1 * action_squared, kSpecTolerance / 0.05 + 1e-9);
    EXPECT_FALSE(result.terminated);
    EXPECT_FALSE(result.truncated);
  }
}

TEST(HalfCheetah, RewardWeightsScaleTheirTerms) {
  auto params = params_for<HalfCheetah>("half_cheetah.xml");
  params.forward_reward_weight = 2.0;
  params.ctrl_cost_weight = 0.0;
  HalfCheetah env(params);
  set_reference_start(env);
  std::vector<double> observation(17);
  const pgb::StepResult result = step(env, reference_action(env, 0), observation);
  EXPECT_NEAR(result.reward, 2.0 * env.data().qpos[0] / 0.05, 1e-12);
}

// The raw action is charged, not the one MuJoCo clamps to [-1, 1].
TEST(HalfCheetah, ControlCostUsesTheUnclippedAction) {
  auto params = params_for<HalfCheetah>("half_cheetah.xml");
  params.forward_reward_weight = 0.0;
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
  auto params = params_for<HalfCheetah>("half_cheetah.xml");
  params.exclude_current_positions_from_observation = false;
  HalfCheetah env(params);
  env.rng().reseed(11);
  constexpr int kResets = 4000;
  std::vector<std::vector<double>> samples(18);
  std::vector<double> observation(18);
  for (int r = 0; r < kResets; ++r) {
    env.reset(observation);
    for (std::size_t i = 0; i < 18; ++i) samples[i].push_back(observation[i]);  // qpos0 is all zero
  }
  for (int i = 0; i < 9; ++i) expect_uniform_noise(samples[i], 0.1, "qpos " + std::to_string(i));
  for (int i = 9; i < 18; ++i) expect_normal_noise(samples[i], 0.1, "qvel " + std::to_string(i - 9));
}

TEST(HalfCheetah, SameSeedSameTrajectory) {
  HalfCheetah a = make_cheetah(), b = make_cheetah();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
  EXPECT_NE(trajectory(a, 42, 10), trajectory(b, 43, 10));
}

}  // namespace
}  // namespace mujoco_control
