// InvertedDoublePendulum-v4/v5 against specs/mujoco-tasks.md §9 and its reference rollout
// (Appendix B).
#include "inverted_double_pendulum.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "env_test_support.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

InvertedDoublePendulum make_double(Version version = Version::v4) {
  return InvertedDoublePendulum(params_for<InvertedDoublePendulum>("inverted_double_pendulum.xml", version));
}

TEST(InvertedDoublePendulum, SpacesFrameSkipAndTimeLimit) {
  expect_spec(make_double().spec(), {.observation_dim = 11, .action_dim = 1, .action_bound = 1.0,
                                     .frames_per_step = 5, .max_episode_steps = 1000});
  EXPECT_EQ(make_double(Version::v5).spec().observation.dim(), 9u);
}

// Observation x, sin, sin, cos, cos, qvel, qfrc_constraint (0 away from the slider's limit).
TEST(InvertedDoublePendulum, ReferenceStepGivesSpecStateLayout) {
  InvertedDoublePendulum env = make_double();
  set_reference_start(env);
  std::vector<double> observation(11);
  step(env, reference_action(env, 0), observation);
  const double q1 = -0.005452, q2 = 0.006924;
  const std::vector<double> expected = {0.002647,     std::sin(q1), std::sin(q2), std::cos(q1), std::cos(q2), 0.106125,
                                        -0.220158,    0.281454,     0.0,          0.0,          0.0};
  expect_all_near(observation, expected, 1e-6, "observation");
}

// Upright and at rest the tip is at (0, 1.2): reward 10 - (1.2 - 2)^2 = 9.36.
TEST(InvertedDoublePendulum, UprightAtRestEarnsTheBestStepReward) {
  InvertedDoublePendulum env = make_double();
  set_reference_start(env);
  std::vector<double> observation(11);
  const pgb::StepResult result = step(env, {0.0}, observation);
  EXPECT_NEAR(result.reward, 10.0 - 0.64, 1e-6);
  EXPECT_FALSE(result.terminated);
}

// Pole tilted 0.7 rad: the tip is at 1.2 cos(0.7) = 0.92 m <= 1: terminated; v4 pays the bonus.
TEST(InvertedDoublePendulum, TerminationAndTheV4AliveBonusQuirk) {
  double rewards[2];
  for (const Version version : {Version::v4, Version::v5}) {
    InvertedDoublePendulum env = make_double(version);
    std::vector<double> observation(obs_dim(env));
    env.set_state(std::vector<double>{0.0, 0.7, 0.0}, zeros(3));
    const pgb::StepResult result = step(env, {0.0}, observation);
    EXPECT_TRUE(result.terminated);
    rewards[version == Version::v4 ? 0 : 1] = result.reward;
  }
  EXPECT_NEAR(rewards[0] - rewards[1], 10.0, 1e-12);

  InvertedDoublePendulum env = make_double();
  std::vector<double> observation(11);
  env.set_state(std::vector<double>{0.0, 0.5, 0.0}, zeros(3));  // tip at 1.2 cos(0.5) = 1.05 m
  EXPECT_FALSE(step(env, {0.0}, observation).terminated);
}

// Near the end of the rail the slider's limit pushes back: qfrc_constraint[0] appears.
TEST(InvertedDoublePendulum, ObservesTheSlidersConstraintForce) {
  for (const Version version : {Version::v4, Version::v5}) {
    InvertedDoublePendulum env = make_double(version);
    std::vector<double> observation(obs_dim(env));
    env.set_state(std::vector<double>{0.995, 0.0, 0.0}, std::vector<double>{1.0, 0.0, 0.0});
    step(env, {1.0}, observation);
    EXPECT_EQ(observation[8], std::clamp(env.data().qfrc_constraint[0], -10.0, 10.0));
    EXPECT_NE(observation[8], 0.0);
    if (version == Version::v4) {
      EXPECT_EQ(observation[9], 0.0);
      EXPECT_EQ(observation[10], 0.0);
    }
  }
}

TEST(InvertedDoublePendulum, ResetNoiseHasTheSpecifiedDistribution) {
  InvertedDoublePendulum env = make_double();
  env.rng().reseed(5);
  std::vector<double> observation(11);
  std::vector<std::vector<double>> qpos(3), qvel(3);
  for (int r = 0; r < 4000; ++r) {
    env.reset(observation);
    for (int i = 0; i < 3; ++i) {
      qpos[i].push_back(env.data().qpos[i]);
      qvel[i].push_back(env.data().qvel[i]);
    }
  }
  for (int i = 0; i < 3; ++i) {
    expect_uniform_noise(qpos[i], 0.1, "qpos " + std::to_string(i));
    expect_normal_noise(qvel[i], 0.1, "qvel " + std::to_string(i));
  }
}

TEST(InvertedDoublePendulum, SameSeedSameTrajectory) {
  InvertedDoublePendulum a = make_double(), b = make_double();
  EXPECT_EQ(trajectory(a, 42, 100), trajectory(b, 42, 100));
}

}  // namespace
}  // namespace mujoco_control
