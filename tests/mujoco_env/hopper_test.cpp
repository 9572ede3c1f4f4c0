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

TEST(Hopper, SpacesFrameSkipAndTimeLimit) {
  const Hopper env = make_hopper();
  expect_spec(env.spec(), {.observation_dim = 11, .action_dim = 3, .action_bound = 1.0, .frames_per_step = 4,
                           .max_episode_steps = 1000});
  EXPECT_DOUBLE_EQ(env.dt(), 0.008);
  EXPECT_EQ(observing_root_position<Hopper>("hopper.xml").spec().observation.dim(), 12u);
}

// Observation qpos[1..5] then clipped qvel; reward 0.000031 m / 0.008 s + 1 - 0.001 sum(a^2).
TEST(Hopper, ReferenceStepGivesSpecStateLayoutAndReward) {
  Hopper env = make_hopper();
  set_reference_start(env);
  std::vector<double> observation(11);
  const pgb::StepResult result = step(env, reference_action(env, 0), observation);
  expect_all_near(observation, joint_state(kQposStep1, kQvelStep1, 1), 1e-6, "observation");
  EXPECT_NEAR(result.reward, 0.000031 / 0.008 + 1.0 - 1e-3 * reference_action_squared(3), 1e-6 / 0.008);
  EXPECT_NEAR(result.reward, env.data().qpos[0] / 0.008 + 1.0 - 1e-3 * reference_action_squared(3), 1e-12);
  EXPECT_FALSE(result.terminated);
}

TEST(Hopper, ObservationClipsVelocitiesToTen) {
  Hopper env = make_hopper();
  std::vector<double> observation(11);
  set_rest_state_with(env, {}, {{5, 50.0}});  // foot joint spinning fast
  step(env, {0.0, 0.0, 0.0}, observation);
  EXPECT_EQ(observation[5 + 5], 10.0);
}

// Bounds: z > 0.7, |pitch| < 0.2, every qpos[2..] and qvel entry inside (-100, 100); the root x
// position is not judged.
TEST(Hopper, HealthFiresAtTheSpecifiedBounds) {
  Hopper env = make_hopper();
  const auto healthy_with = [&](std::initializer_list<StateEntry> qpos, std::initializer_list<StateEntry> qvel = {}) {
    set_rest_state_with(env, qpos, qvel);
    return env.is_healthy();
  };
  EXPECT_TRUE(healthy_with({}));
  EXPECT_TRUE(healthy_with({{1, 0.7001}}));
  EXPECT_FALSE(healthy_with({{1, 0.7}}));
  EXPECT_TRUE(healthy_with({{1, 50.0}}));  // no upper height bound
  EXPECT_TRUE(healthy_with({{2, 0.1999}}));
  EXPECT_FALSE(healthy_with({{2, 0.2}}));
  EXPECT_FALSE(healthy_with({{2, -0.2}}));
  EXPECT_TRUE(healthy_with({}, {{3, 99.9}}));
  EXPECT_FALSE(healthy_with({}, {{3, 100.0}}));
  EXPECT_FALSE(healthy_with({}, {{0, -100.0}}));  // qvel[0] is judged
  EXPECT_TRUE(healthy_with({{0, 500.0}}));        // qpos[0] is not
}

// From a state tilted 0.5 rad: terminated; v4 still pays the healthy reward on that step, v5 not;
// with terminate_when_unhealthy=false neither terminates nor pays.
TEST(Hopper, TerminationAndTheV4HealthyRewardQuirk) {
  const auto step_tilted = [](Version version, bool terminate) {
    auto params = params_for<Hopper>("hopper.xml", version);
    params.health.terminate_when_unhealthy = terminate;
    Hopper env(params);
    std::vector<double> observation(11);
    set_rest_state_with(env, {{2, 0.5}});
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
  Hopper env = observing_root_position<Hopper>("hopper.xml");
  const auto observations = reset_observations(env, 5, 4000);
  for (int i = 0; i < 12; ++i)
    expect_uniform_noise(reset_noise(observations, i, i < 6 ? env.model().qpos0[i] : 0.0), 5e-3,
                         "entry " + std::to_string(i));
}

TEST(Hopper, SameSeedSameTrajectory) {
  Hopper a = make_hopper(), b = make_hopper();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
  EXPECT_NE(trajectory(a, 42, 10), trajectory(b, 43, 10));
}

}  // namespace
}  // namespace mujoco_control
