// The uniform-random policy's mean return per task against the published figure for Gymnasium v4
// (specs/published-scores.md §8: JAT, mean and std over episodes). A wrong reward term, time
// step, frame skip or health rule shows up here even when every unit test passes.
#include <cmath>
#include <memory>

#include <gtest/gtest.h>

#include "ant.hpp"
#include "env_test_support.hpp"
#include "half_cheetah.hpp"
#include "hopper.hpp"
#include "humanoid.hpp"
#include "inverted_double_pendulum.hpp"
#include "inverted_pendulum.hpp"
#include "reacher.hpp"
#include "swimmer.hpp"
#include "walker2d.hpp"

namespace mujoco_control {
namespace {

using namespace testing;

struct Published {
  double mean, std;
};

// Mean undiscounted return of `episodes` episodes of uniformly random actions, each cut at the
// task's time limit as the host cuts it.
double random_policy_return(MujocoEnv& env, int episodes, std::uint64_t seed) {
  const pgb::EnvSpec spec = env.spec();
  std::vector<double> observation(spec.observation.dim()), action(spec.action.dim());
  pgb::Rng policy(seed);
  env.rng().reseed(seed + 1);
  double total = 0.0;
  for (int e = 0; e < episodes; ++e) {
    env.reset(observation);
    for (std::uint32_t t = 0; t < spec.max_episode_steps; ++t) {
      for (std::size_t i = 0; i < action.size(); ++i) action[i] = policy.uniform(spec.action.low()[i], spec.action.high()[i]);
      const pgb::StepResult r = env.step(std::span<const double>(action), observation);
      total += r.reward;
      if (r.terminated) break;
    }
  }
  return total / episodes;
}

// Within 4 standard errors of the published mean (plus 1 for the small-return tasks).
void expect_matches(MujocoEnv& env, int episodes, Published published) {
  const double mean = random_policy_return(env, episodes, 2026);
  const double tolerance = 4.0 * published.std / std::sqrt(static_cast<double>(episodes)) + 1.0;
  EXPECT_NEAR(mean, published.mean, tolerance) << env.task_name();
}

TEST(RandomPolicy, ReturnsMatchPublishedV4Scores) {
  HalfCheetah cheetah(params_for<HalfCheetah>("half_cheetah.xml"));
  expect_matches(cheetah, 30, {-284.97, 79.83});
  Hopper hopper(params_for<Hopper>("hopper.xml"));
  expect_matches(hopper, 300, {18.38, 17.09});
  Walker2d walker(params_for<Walker2d>("walker2d.xml"));
  expect_matches(walker, 300, {2.68, 6.06});
  Ant ant(params_for<Ant>("ant.xml"));
  expect_matches(ant, 30, {-59.95, 99.62});
  Swimmer swimmer(params_for<Swimmer>("swimmer.xml"));
  expect_matches(swimmer, 30, {0.80, 10.71});
  Humanoid humanoid(params_for<Humanoid>("humanoid.xml"));
  expect_matches(humanoid, 300, {122.02, 35.28});
  Reacher reacher(params_for<Reacher>("reacher.xml"));
  expect_matches(reacher, 300, {-43.00, 3.91});
  InvertedPendulum pendulum(params_for<InvertedPendulum>("inverted_pendulum.xml"));
  expect_matches(pendulum, 300, {6.07, 3.47});
  InvertedDoublePendulum double_pendulum(params_for<InvertedDoublePendulum>("inverted_double_pendulum.xml"));
  expect_matches(double_pendulum, 300, {57.46, 17.54});
}

}  // namespace
}  // namespace mujoco_control
