// Hopper-v4/v5 against specs/mujoco-tasks.md §3 and its reference rollout (Appendix B).
#include "hopper.hpp"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

Hopper make_hopper(Version version = Version::v4) { return Hopper(params_for<Hopper>("hopper.xml", version)); }

constexpr std::array<double, 6> kQposStep1 = {0.000031, 1.249667, 0.000127, 0.000057, 0.000110, 0.000839};
constexpr std::array<double, 6> kQvelStep1 = {0.006316, -0.083125, 0.020573, 0.007983, 0.014833, 0.210393};

// sum(a^2) of the reference action at step 0: a_i = 0.5 sin(0.1 (i + 1)), all ranges [-1, 1].
double reference_action_squared(int nu) {
  double sum = 0.0;
  for (int i = 1; i <= nu; ++i) sum += std::pow(0.5 * std::sin(0.1 * i), 2);
  return sum;
}

TEST(Hopper, SpacesFrameSkipAndTimeLimit) {
  const Hopper env = make_hopper();
  const pgb::EnvSpec spec = env.spec();
  EXPECT_EQ(spec.observation.dim(), 11u);
  EXPECT_EQ(spec.action.low(), std::vector<double>(3, -1.0));
  EXPECT_EQ(spec.action.high(), std::vector<double>(3, 1.0));
  EXPECT_EQ(spec.frames_per_step, 4u);
  EXPECT_EQ(spec.max_episode_steps, 1000u);
  EXPECT_DOUBLE_EQ(env.dt(), 0.008);
  auto keep_x = params_for<Hopper>("hopper.xml");
  keep_x.exclude_current_positions_from_observation = false;
  EXPECT_EQ(Hopper(keep_x).spec().observation.dim(), 12u);
}

// Observation qpos[1..5] then clipped qvel; reward 0.000031 m / 0.008 s + 1 - 0.001 sum(a^2).
TEST(Hopper, ReferenceStepGivesSpecStateLayoutAndReward) {
  Hopper env = make_hopper();
  set_reference_start(env);
  std::vector<double> observation(11);
  const pgb::StepResult result = step(env, reference_action(env, 0), observation);
  std::vector<double> expected(kQposStep1.begin() + 1, kQposStep1.end());
  expected.insert(expected.end(), kQvelStep1.begin(), kQvelStep1.end());
  expect_all_near(observation, expected, 1e-6, "observation");
  EXPECT_NEAR(result.reward, 0.000031 / 0.008 + 1.0 - 1e-3 * reference_action_squared(3), 1e-6 / 0.008);
  EXPECT_NEAR(result.reward, env.data().qpos[0] / 0.008 + 1.0 - 1e-3 * reference_action_squared(3), 1e-12);
  EXPECT_FALSE(result.terminated);
}

TEST(Hopper, ObservationClipsVelocitiesToTen) {
  Hopper env = make_hopper();
  std::vector<double> qpos(env.model().qpos0, env.model().qpos0 + 6), qvel(6, 0.0), observation(11);
  qvel[5] = 50.0;  // foot joint spinning fast
  env.set_state(qpos, qvel);
  step(env, {0.0, 0.0, 0.0}, observation);
  EXPECT_EQ(observation[5 + 5], 10.0);
}

// Bounds: z > 0.7, |pitch| < 0.2, every qpos[2..] and qvel entry inside (-100, 100); the root x
// position is not judged.
TEST(Hopper, HealthFiresAtTheSpecifiedBounds) {
  Hopper env = make_hopper();
  const auto healthy_with = [&](int qpos_index, double qpos_value, int qvel_index, double qvel_value) {
    std::vector<double> qpos(env.model().qpos0, env.model().qpos0 + 6), qvel(6, 0.0);
    if (qpos_index >= 0) qpos[qpos_index] = qpos_value;
    if (qvel_index >= 0) qvel[qvel_index] = qvel_value;
    env.set_state(qpos, qvel);
    return env.is_healthy();
  };
  EXPECT_TRUE(healthy_with(-1, 0, -1, 0));
  EXPECT_TRUE(healthy_with(1, 0.7001, -1, 0));
  EXPECT_FALSE(healthy_with(1, 0.7, -1, 0));
  EXPECT_TRUE(healthy_with(1, 50.0, -1, 0));  // no upper height bound
  EXPECT_TRUE(healthy_with(2, 0.1999, -1, 0));
  EXPECT_FALSE(healthy_with(2, 0.2, -1, 0));
  EXPECT_FALSE(healthy_with(2, -0.2, -1, 0));
  EXPECT_TRUE(healthy_with(-1, 0, 3, 99.9));
  EXPECT_FALSE(healthy_with(-1, 0, 3, 100.0));
  EXPECT_FALSE(healthy_with(-1, 0, 0, -100.0));  // qvel[0] is judged
  EXPECT_TRUE(healthy_with(0, 500.0, -1, 0));    // qpos[0] is not
}

// From a state tilted 0.5 rad: terminated; v4 still pays the healthy reward on that step, v5 not;
// with terminate_when_unhealthy=false neither terminates nor pays.
TEST(Hopper, TerminationAndTheV4HealthyRewardQuirk) {
  const auto step_tilted = [](Version version, bool terminate) {
    auto params = params_for<Hopper>("hopper.xml", version);
    params.terminate_when_unhealthy = terminate;
    Hopper env(params);
    std::vector<double> qpos(env.model().qpos0, env.model().qpos0 + 6), qvel(6, 0.0), observation(11);
    qpos[2] = 0.5;
    env.set_state(qpos, qvel);
    const pgb::StepResult r = step(env, {0.1, 0.2, 0.3}, observation);
    return std::pair(r, env.data().qpos[0] / 0.008 - 1e-3 * 0.14);  // forward reward - ctrl cost
  };
  const auto [v4, v4_rest] = step_tilted(Version::v4, true);
  EXPECT_TRUE(v4.terminated);
  EXPECT_NEAR(v4.reward, v4_rest + 1.0, 1e-12);
  const auto [v5, v5_rest] = step_tilted(Version::v5, true);
  EXPECT_TRUE(v5.terminated);
  EXPECT_NEAR(v5.reward, v5_rest, 1e-12);
  const auto [keep, keep_rest] = step_tilted(Version::v4, false);
  EXPECT_FALSE(keep.terminated);
  EXPECT_NEAR(keep.reward, keep_rest, 1e-12);
}

TEST(Hopper, ResetNoiseHasTheSpecifiedDistribution) {
  auto params = params_for<Hopper>("hopper.xml");
  params.exclude_current_positions_from_observation = false;
  Hopper env(params);
  env.rng().reseed(5);
  std::vector<std::vector<double>> samples(12);
  std::vector<double> observation(12);
  for (int r = 0; r < 4000; ++r) {
    env.reset(observation);
    for (int i = 0; i < 12; ++i) samples[i].push_back(observation[i] - (i < 6 ? env.model().qpos0[i] : 0.0));
  }
  for (int i = 0; i < 12; ++i) expect_uniform_noise(samples[i], 5e-3, "entry " + std::to_string(i));
}

TEST(Hopper, SameSeedSameTrajectory) {
  Hopper a = make_hopper(), b = make_hopper();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
  EXPECT_NE(trajectory(a, 42, 10), trajectory(b, 43, 10));
}

}  // namespace
}  // namespace mujoco_control
