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
  auto keep = params_for<Ant>("ant.xml");
  keep.exclude_current_positions_from_observation = false;
  EXPECT_EQ(Ant(keep).spec().observation.dim(), 29u);
  const pgb::EnvSpec spec = make_ant().spec();
  EXPECT_EQ(spec.action.low(), std::vector<double>(8, -1.0));
  EXPECT_EQ(spec.action.high(), std::vector<double>(8, 1.0));
  EXPECT_EQ(spec.frames_per_step, 5u);
  EXPECT_EQ(spec.max_episode_steps, 1000u);
}

// Observation qpos[2..14] then qvel. The forward speed comes from the torso's xpos, which lags
// qpos by one substep (spec §1.1): reward = x_lagged / 0.05 + 1 - 0.5 sum(a^2).
TEST(Ant, ReferenceStepGivesSpecStateLayoutAndLaggedForwardReward) {
  Ant env = make_ant();
  set_reference_start(env);
  std::vector<double> observation(27);
  const std::vector<double> action = reference_action(env, 0);
  const pgb::StepResult result = step(env, action, observation);
  std::vector<double> expected(kQposStep1.begin() + 2, kQposStep1.end());
  expected.insert(expected.end(), kQvelStep1.begin(), kQvelStep1.end());
  expect_all_near(observation, expected, 1e-6, "observation");

  const int torso = mj_name2id(&env.model(), mjOBJ_BODY, "torso");
  const double x_lagged = env.data().xpos[3 * torso];
  EXPECT_GT(std::abs(x_lagged - env.data().qpos[0]), 1e-6) << "xpos must not be refreshed after the step";
  double action_squared = 0.0;
  for (const double a : action) action_squared += a * a;
  EXPECT_NEAR(result.reward, x_lagged / 0.05 + 1.0 - 0.5 * action_squared, 1e-12);
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
    std::vector<double> qpos(env.model().qpos0, env.model().qpos0 + 15), qvel(14, 0.0);
    qpos[2] = z;
    qvel[0] = qvel0;
    env.set_state(qpos, qvel);
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
    std::vector<double> qpos(env.model().qpos0, env.model().qpos0 + 15), qvel(14, 0.0), observation(env.spec().observation.dim());
    qpos[2] = 2.0;  // far above the healthy band, in free fall: no contacts, so no contact cost
    env.set_state(qpos, qvel);
    results[version == Version::v4 ? 0 : 1] = step(env, std::vector<double>(8, 0.0), observation);
  }
  EXPECT_TRUE(results[0].terminated);
  EXPECT_TRUE(results[1].terminated);
  EXPECT_NEAR(results[0].reward - results[1].reward, 1.0, 1e-12);
}

// qpos = qpos0 + U(-0.1, 0.1) (the quaternion then normalised), qvel = 0.1 N(0, 1).
TEST(Ant, ResetNoiseHasTheSpecifiedDistribution) {
  auto params = params_for<Ant>("ant.xml");
  params.exclude_current_positions_from_observation = false;
  Ant env(params);
  env.rng().reseed(5);
  std::vector<std::vector<double>> samples(29);
  std::vector<double> observation(29);
  for (int r = 0; r < 4000; ++r) {
    env.reset(observation);
    for (int i = 0; i < 29; ++i) samples[i].push_back(observation[i] - (i < 15 ? env.model().qpos0[i] : 0.0));
    double norm_squared = 0.0;
    for (int i = 3; i < 7; ++i) norm_squared += observation[i] * observation[i];
    EXPECT_NEAR(norm_squared, 1.0, 1e-12) << "quaternion";
  }
  for (int i : {0, 1, 2, 7, 8, 9, 10, 11, 12, 13, 14}) expect_uniform_noise(samples[i], 0.1, "qpos " + std::to_string(i));
  for (int i = 15; i < 29; ++i) expect_normal_noise(samples[i], 0.1, "qvel " + std::to_string(i - 15));
}

TEST(Ant, SameSeedSameTrajectory) {
  Ant a = make_ant(), b = make_ant();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
}

}  // namespace
}  // namespace mujoco_control
