// Ant-v4/v5 against specs/mujoco-tasks.md §5 and its reference rollout (Appendix B).
#include "ant.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

Ant make_ant(Version version = Version::v4, bool use_contact_forces = false) {
  auto params = params_for<Ant>("ant.xml", version);
  params.use_contact_forces = use_contact_forces;
  return Ant(params);
}

constexpr std::array<double, 15> kQposStep1 = {0.000232,  0.002164, 0.771905,  0.999940, 0.000788,
                                               -0.003117, -0.010489, 0.027310, 0.438590, 0.044004,
                                               -0.405578, 0.058779, -0.400856, 0.009632, 0.431294};
constexpr std::array<double, 14> kQvelStep1 = {0.015967, 0.083274,  0.200604,  0.103537, -0.393243,
                                               -0.818867, 1.084239, 10.273051, 1.747398, -8.136898,
                                               2.331882, -7.812951, 0.379474,  9.822676};

TEST(Ant, SpacesFrameSkipAndTimeLimit) {
  EXPECT_EQ(make_ant().spec().observation.dim(), 27u);
  EXPECT_EQ(make_ant(Version::v4, true).spec().observation.dim(), 111u);
  EXPECT_EQ(make_ant(Version::v5).spec().observation.dim(), 105u);
  EXPECT_EQ(observing_root_position<Ant>("ant.xml").spec().observation.dim(), 29u);
  expect_spec(make_ant().spec(), {.observation_dim = 27, .action_dim = 8, .action_bound = 1.0, .frames_per_step = 5,
                                  .max_episode_steps = 1000});
}

// Observation qpos[2..14] then qvel. The forward speed comes from the torso's xpos, which lags
// qpos by one substep (spec §1.1): reward = x_lagged / 0.05 + 1 - 0.5 sum(a^2).
TEST(Ant, ReferenceStepGivesSpecStateLayoutAndLaggedForwardReward) {
  Ant env = make_ant();
  set_reference_start(env);
  std::vector<double> observation(27);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  expect_all_near(observation, joint_state(kQposStep1, kQvelStep1, 2), 1e-6, "observation");

  const int torso = mj_name2id(&env.model(), mjOBJ_BODY, "torso");
  const double x_lagged = env.data().xpos[3 * torso];
  EXPECT_GT(std::abs(x_lagged - env.data().qpos[0]), 1e-6) << "xpos must not be refreshed after the step";
  EXPECT_NEAR(result.reward, x_lagged / 0.05 + 1.0 - 0.5 * sum_of_squares(action), 1e-12);
}

// With the ant pressed into the floor, cfrc_ext is non-zero: use_contact_forces (v4) and v5
// charge 5e-4 sum(clip(cfrc_ext, -1, 1)^2) and observe the clipped rows (v5 without the world).
TEST(Ant, ContactForcesInRewardAndObservation) {
  std::vector<double> qpos(15, 0.0), qvel(14, 0.0);
  qpos[2] = 0.3;
  qpos[3] = 1.0;
  const std::vector<double> action(8, 0.0);
  Ant plain = make_ant(), charged = make_ant(Version::v4, true), v5 = make_ant(Version::v5);
  std::vector<double> obs_plain(27), obs_charged(111), obs_v5(105);
  plain.set_state(qpos, qvel);
  charged.set_state(qpos, qvel);
  v5.set_state(qpos, qvel);
  const double r_plain = step(plain, action, obs_plain).reward;
  const double r_charged = step(charged, action, obs_charged).reward;
  const double r_v5 = step(v5, action, obs_v5).reward;

  const mjData& d = charged.data();
  double sum = 0.0;
  for (int i = 0; i < 14 * 6; ++i) sum += std::pow(std::clamp(d.cfrc_ext[i], -1.0, 1.0), 2);
  ASSERT_GT(sum, 0.0);
  EXPECT_NEAR(r_plain - r_charged, 5e-4 * sum, 1e-12);
  EXPECT_NEAR(r_plain - r_v5, 5e-4 * sum, 1e-12);  // healthy at z ~0.3: same healthy reward
  for (int i = 0; i < 14 * 6; ++i) EXPECT_EQ(obs_charged[27 + i], std::clamp(d.cfrc_ext[i], -1.0, 1.0)) << i;
  for (int i = 0; i < 13 * 6; ++i) EXPECT_EQ(obs_v5[27 + i], std::clamp(d.cfrc_ext[6 + i], -1.0, 1.0)) << i;
}

TEST(Ant, HealthBoundsAreInclusiveAndNeedAFiniteState) {
  Ant env = make_ant();
  const auto healthy_with = [&](double z, double qvel0) {
    set_rest_state_with(env, {{2, z}}, {{0, qvel0}});
    return env.is_healthy();
  };
  EXPECT_TRUE(healthy_with(0.2, 0.0));
  EXPECT_FALSE(healthy_with(0.1999, 0.0));
  EXPECT_TRUE(healthy_with(1.0, 0.0));
  EXPECT_FALSE(healthy_with(1.0001, 0.0));
  EXPECT_FALSE(healthy_with(0.5, std::numeric_limits<double>::infinity()));
}

TEST(Ant, TerminationAndTheV4HealthyRewardQuirk) {
  std::array<pgb::StepResult, 2> results;
  for (const Version version : {Version::v4, Version::v5}) {
    Ant env = make_ant(version);
    std::vector<double> observation(obs_dim(env));
    set_rest_state_with(env, {{2, 2.0}});  // far above the healthy band, in free fall: no contacts, so no contact cost
    results[version == Version::v4 ? 0 : 1] = step(env, std::vector<double>(8, 0.0), observation);
  }
  EXPECT_TRUE(results[0].terminated);
  EXPECT_TRUE(results[1].terminated);
  EXPECT_NEAR(results[0].reward - results[1].reward, 1.0, 1e-12);
}

// qpos = qpos0 + U(-0.1, 0.1) (the quaternion then normalised), qvel = 0.1 N(0, 1).
TEST(Ant, ResetNoiseHasTheSpecifiedDistribution) {
  Ant env = observing_root_position<Ant>("ant.xml");
  const auto observations = reset_observations(env, 5, 4000);
  for (const auto& observation : observations)
    EXPECT_NEAR(sum_of_squares(std::span(observation).subspan(3, 4)), 1.0, 1e-12) << "quaternion";
  for (int i : {0, 1, 2, 7, 8, 9, 10, 11, 12, 13, 14})
    expect_uniform_noise(reset_noise(observations, i, env.model().qpos0[i]), 0.1, "qpos " + std::to_string(i));
  for (int i = 15; i < 29; ++i) expect_normal_noise(reset_noise(observations, i), 0.1, "qvel " + std::to_string(i - 15));
}

TEST(Ant, SameSeedSameTrajectory) {
  Ant a = make_ant(), b = make_ant();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
}

}  // namespace
}  // namespace mujoco_control
