// Humanoid-v4/v5 and HumanoidStandup-v4/v5 against specs/mujoco-tasks.md §10-11 and their
// reference rollouts (Appendix B).
#include "humanoid.hpp"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

Humanoid make_humanoid(Version version = Version::v4) { return Humanoid(params_for<Humanoid>("humanoid.xml", version)); }
HumanoidStandup make_standup(Version version = Version::v4) {
  return HumanoidStandup(params_for<HumanoidStandup>("humanoidstandup.xml", version));
}

const std::vector<double> kHumanoidQposStep1 = {
    -0.001397, -0.000373, 1.398809, 0.999972, -0.000429, 0.005193, -0.005351, 0.009467, -0.034587, 0.004942, -0.003057, 0.019721,
    0.029103,  -0.003643, 0.005775, 0.030704, 0.030461,  -0.002739, 0.005546, 0.022130, -0.002397, 0.018346, 0.007988, 0.015210};
const std::vector<double> kHumanoidQvelStep1 = {
    -0.154856, -0.045272, -0.162591, -0.101958, 0.984543, -1.255361, 0.992981, -3.623049, 0.572297, -0.284411, 1.870417, 3.224876,
    -0.389097, 0.756336,  2.829587,  3.432117,  -0.293942, 0.834297, 2.427585, -0.137119, 2.046953, 1.132178, 1.831582};
const std::vector<double> kStandupQposStep1 = {
    -0.003498, -0.000432, 0.107376, 0.999966, -0.000212, 0.007990, -0.001857, 0.006733, -0.037897, 0.007790, 0.013834, -0.003231,
    0.027561,  -0.003665, 0.031418, 0.003131, 0.031507,  -0.002631, -0.024764, 0.028809, -0.020581, 0.039734, -0.018119, -0.013808};

double center_of_mass_x(const mjModel& m, const mjData& d) {
  double moment = 0.0, mass = 0.0;
  for (int b = 0; b < m.nbody; ++b) {
    moment += m.body_mass[b] * d.xipos[3 * b];
    mass += m.body_mass[b];
  }
  return moment / mass;
}

double cfrc_ext_squared(const mjData& d, int nbody) {
  double sum = 0.0;
  for (int i = 0; i < 6 * nbody; ++i) sum += d.cfrc_ext[i] * d.cfrc_ext[i];
  return sum;
}

TEST(Humanoid, SpacesFrameSkipAndTimeLimit) {
  EXPECT_EQ(make_humanoid().spec().observation.dim(), 376u);
  EXPECT_EQ(make_humanoid(Version::v5).spec().observation.dim(), 348u);
  EXPECT_EQ(observing_root_position<Humanoid>("humanoid.xml").spec().observation.dim(), 378u);
  expect_spec(make_humanoid().spec(), {.observation_dim = 376, .action_dim = 17, .action_bound = 0.4,
                                       .frames_per_step = 5, .max_episode_steps = 1000});
  EXPECT_EQ(make_standup().spec().observation.dim(), 376u);
  EXPECT_EQ(make_standup(Version::v5).spec().observation.dim(), 348u);
}

// v4 layout: qpos[2..] (22), qvel (23), cinert (14 x 10), cvel (14 x 6), qfrc_actuator (23),
// cfrc_ext (14 x 6). Reward: 1.25 x CoM speed from the lagged xipos + 5 - 0.1 sum(a^2).
TEST(Humanoid, ReferenceStepGivesSpecStateLayoutAndReward) {
  Humanoid env = make_humanoid();
  set_reference_start(env);
  const double x_before = center_of_mass_x(env.model(), env.data());
  std::vector<double> observation(376);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  const mjData& d = env.data();

  expect_all_near(std::span(observation).first(22), std::span(kHumanoidQposStep1).subspan(2), 1e-6, "qpos");
  expect_all_near(std::span(observation).subspan(22, 23), kHumanoidQvelStep1, 1e-6, "qvel");
  std::size_t at = 45;
  for (const auto& [array, size] : {std::pair(d.cinert, 140), std::pair(d.cvel, 84), std::pair(d.qfrc_actuator, 23),
                                    std::pair(d.cfrc_ext, 84)}) {
    for (int i = 0; i < size; ++i) ASSERT_EQ(observation[at + i], array[i]) << "entry " << at + i;
    at += static_cast<std::size_t>(size);
  }
  for (int i = 0; i < 6; ++i) EXPECT_EQ(observation[45 + 224 + i], 0.0) << "free joint actuator force";

  const double expected =
      1.25 * (center_of_mass_x(env.model(), d) - x_before) / 0.015 + 5.0 - 0.1 * sum_of_squares(action);
  EXPECT_NEAR(result.reward, expected, 1e-10);
  EXPECT_FALSE(result.terminated);
}

TEST(Humanoid, V5ObservationDropsWorldRowsAndFreeJointForces) {
  Humanoid env = make_humanoid(Version::v5);
  set_reference_start(env);
  std::vector<double> observation(348);
  step(env, reference_action(env, 0), observation);
  const mjData& d = env.data();
  std::size_t at = 45;
  for (const auto& [array, size] : {std::pair(d.cinert + 10, 130), std::pair(d.cvel + 6, 78),
                                    std::pair(d.qfrc_actuator + 6, 17), std::pair(d.cfrc_ext + 6, 78)}) {
    for (int i = 0; i < size; ++i) ASSERT_EQ(observation[at + i], array[i]) << "entry " << at + i;
    at += static_cast<std::size_t>(size);
  }
}

TEST(Humanoid, HealthFiresAtTheSpecifiedBounds) {
  Humanoid env = make_humanoid();
  const auto healthy_at = [&](double z) {
    set_rest_state_with(env, {{2, z}});
    return env.is_healthy();
  };
  EXPECT_TRUE(healthy_at(1.0001));
  EXPECT_FALSE(healthy_at(1.0));
  EXPECT_TRUE(healthy_at(1.9999));
  EXPECT_FALSE(healthy_at(2.0));
}

// Dropped from 2.5 m (unhealthy, no contacts): terminated, and only v4 pays the healthy reward.
// Pressed into the floor at 1.1 m (healthy): v5 additionally charges min(5e-7 sum(cfrc_ext^2), 10).
TEST(Humanoid, TerminationHealthyQuirkAndV5ContactCost) {
  const auto step_from = [](Version version, double z) {
    Humanoid env = make_humanoid(version);
    std::vector<double> observation(obs_dim(env));
    set_rest_state_with(env, {{2, z}});
    const pgb::StepResult result = step(env, std::vector<double>(17, 0.0), observation);
    return std::pair(result, cfrc_ext_squared(env.data(), env.model().nbody));
  };
  const auto [high_v4, high_forces_v4] = step_from(Version::v4, 2.5);
  const auto [high_v5, high_forces_v5] = step_from(Version::v5, 2.5);
  EXPECT_TRUE(high_v4.terminated);
  EXPECT_TRUE(high_v5.terminated);
  ASSERT_EQ(high_forces_v5, 0.0);
  EXPECT_NEAR(high_v4.reward - high_v5.reward, 5.0, 1e-12);

  const auto [low_v4, low_forces_v4] = step_from(Version::v4, 1.1);
  const auto [low_v5, low_forces_v5] = step_from(Version::v5, 1.1);
  ASSERT_FALSE(low_v4.terminated);
  ASSERT_FALSE(low_v5.terminated);
  ASSERT_GT(low_forces_v5, 0.0);
  EXPECT_NEAR(low_v4.reward - low_v5.reward, std::min(5e-7 * low_forces_v5, 10.0), 1e-9);
}

TEST(Humanoid, ResetNoiseHasTheSpecifiedDistribution) {
  Humanoid env = observing_root_position<Humanoid>("humanoid.xml");
  const auto observations = reset_observations(env, 5, 4000);
  for (int i = 0; i < 47; ++i)
    if (i < 3 || i > 6)  // not the quaternion
      expect_uniform_noise(reset_noise(observations, i, i < 24 ? env.model().qpos0[i] : 0.0), 0.01,
                           "entry " + std::to_string(i));
}

TEST(Humanoid, SameSeedSameTrajectory) {
  Humanoid a = make_humanoid(), b = make_humanoid();
  EXPECT_EQ(trajectory(a, 42, 50), trajectory(b, 42, 50));
}

// Reward: torso height / 0.003 s - 0.1 sum(a^2) - min(0.5e-6 sum(cfrc_ext^2), 10) + 1; the
// figure lies on the floor, so the impact cost is not zero.
TEST(HumanoidStandup, ReferenceStepGivesSpecStateAndReward) {
  HumanoidStandup env = make_standup();
  set_reference_start(env);
  std::vector<double> observation(376);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  expect_all_near(std::span(observation).first(22), std::span(kStandupQposStep1).subspan(2), 1e-6, "qpos");
  const double action_squared = sum_of_squares(action);
  const double impact = 0.5e-6 * cfrc_ext_squared(env.data(), env.model().nbody);
  EXPECT_GT(impact, 0.0);
  EXPECT_NEAR(result.reward, 0.107376 / 0.003 - 0.1 * action_squared - std::min(impact, 10.0) + 1.0, 1e-6 / 0.003);
  EXPECT_FALSE(result.terminated);
}

TEST(HumanoidStandup, NeverTerminatesAndIsDeterministic) {
  HumanoidStandup a = make_standup(), b = make_standup();
  const std::vector<double> trajectory_a = trajectory(a, 9, 100);
  EXPECT_EQ(trajectory_a.size(), 101u * 376u + 100u);  // no early end
  EXPECT_EQ(trajectory_a, trajectory(b, 9, 100));
}

}  // namespace
}  // namespace mujoco_control
