// The DDPG plugin through the C ABI, as the host drives it: random start steps, the update
// schedule and its metrics, the OU noise's restart at episode ends, checkpoints (Full, replay
// buffer included, resumes a run exactly; Policy restores the evaluation policy), and the
// refusal of Discrete action spaces.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "support/plugin_checks.hpp"

namespace pgbench {
namespace {

using test::Runner;

// A small but complete DDPG: learning from step 40 on, and a buffer that wraps around.
const Overrides kSmall = {{"hidden_size", "16"}, {"batch_size", "8"}, {"buffer_size", "64"}, {"start_steps", "40"}};

std::vector<double> as_doubles(const std::vector<std::uint8_t>& bytes) {
  std::vector<double> values(bytes.size() / sizeof(double));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(double));
  return values;
}

TEST(DdpgPlugin, SaveLoadContinueIsIdenticalToRunningOn) {
  // Handed over after 212 env steps: 130 updates, the buffer wrapped around, half an update owed.
  for (const char* noise : {"gaussian", "ou"}) {
    Overrides overrides = kSmall;
    overrides["exploration"] = noise;
    overrides["updates_per_step"] = "0.75";
    SCOPED_TRACE(noise);
    test::expect_save_load_continue_is_running_on("Pendulum-v1", "ddpg", overrides);
  }
}

TEST(DdpgPlugin, APolicyCheckpointRestoresTheEvaluationPolicy) {
  test::expect_policy_checkpoint_restores_the_evaluation_policy("Pendulum-v1", "ddpg", kSmall);
}

TEST(DdpgPlugin, StartStepsAreUniformOverTheBoxAndEveryActionStaysInside) {
  Runner runner("Pendulum-v1", 1, 2);  // torque in [−2, 2]
  AlgoHandle algo = runner.make("ddpg", {{"hidden_size", "16"}, {"batch_size", "8"}, {"start_steps", "2000"}}, 4);
  const std::vector<double> random = as_doubles(runner.run(algo, 2000));
  const auto [low, high] = std::minmax_element(random.begin(), random.end());
  EXPECT_LT(*low, -1.99);
  EXPECT_GT(*high, 1.99);
  const double below_zero = double(std::count_if(random.begin(), random.end(), [](double a) { return a < 0; }));
  EXPECT_NEAR(below_zero / 2000, 0.5, 0.05);

  // After the random phase: μ(s) + noise, clipped to the Box.
  for (double a : as_doubles(runner.run(algo, 200))) EXPECT_TRUE(a >= -2 && a <= 2) << a;
}

TEST(DdpgPlugin, OrnsteinUhlenbeckNoiseRestartsWithEachEpisode) {
  // A pure random walk (θ = 0) and no learning, so that act − act_eval is the noise itself: it
  // grows as σ√k through an episode and is back to one step's size after each episode end.
  constexpr double sigma = 0.01;
  constexpr std::uint64_t episode = Runner::kTimeLimit;
  Runner runner("Pendulum-v1", 2, 5);  // torque in [−2, 2]: u = a / 2
  AlgoHandle algo = runner.make("ddpg",
                                {{"hidden_size", "16"}, {"batch_size", "8"}, {"start_steps", "0"},
                                 {"updates_per_step", "0"}, {"exploration", "ou"}, {"ou_theta", "0"},
                                 {"noise_sigma", "0.01"}},
                                3);
  double first = 0, last = 0;  // sums of |noise| at the first and last steps of episodes 2..5
  for (std::uint64_t t = 0; t < 5 * episode; ++t) {
    const std::vector<double> obs = runner.observations();
    const std::vector<double> taken = as_doubles(runner.run(algo, 1));
    std::vector<double> mean(2);
    algo.act_eval(obs.data(), 2, mean.data());
    for (int i = 0; i < 2; ++i) {
      const double noise = std::abs(taken[i] - mean[i]) / 2;
      if (t >= episode && t % episode == 0) first += noise;
      if (t >= episode && t % episode == episode - 1) last += noise;
    }
  }
  // 8 samples each: E|N(0, σ²)| = 0.8 σ after a restart, E|N(0, 50 σ²)| = 5.6 σ at an episode's end.
  EXPECT_LT(first / 8, 2 * sigma);
  EXPECT_GT(last / 8, 3 * sigma);
}

TEST(DdpgPlugin, UpdatesFollowTheRatioAfterTheRandomPhaseAndReportFiniteMetrics) {
  // 2 envs: the random phase is 20 host steps; then 2 env steps × 0.25 = one update every other
  // host step, so 30 host steps give 5 update calls of one update each.
  Runner runner("Pendulum-v1", 2, 11);
  Overrides overrides = kSmall;
  overrides["updates_per_step"] = "0.25";
  AlgoHandle algo = runner.make("ddpg", overrides, 2);
  Runner::MetricLog metrics;
  runner.run(algo, 30, &metrics);
  for (const char* key : {"loss/critic", "loss/actor", "q/mean"}) {
    ASSERT_EQ(metrics[key].size(), 5u) << key;
    for (double v : metrics[key]) EXPECT_TRUE(std::isfinite(v)) << key;
  }
  for (double loss : metrics["loss/critic"]) EXPECT_GE(loss, 0.0);
}

TEST(DdpgPlugin, RefusesDiscreteActionSpaces) {
  Runner runner("CartPole-v1", 1, 1);
  EXPECT_ANY_THROW(runner.make("ddpg", kSmall, 1));
  EXPECT_FALSE(test::algorithm("ddpg").desc->flags & PGB_ALGO_DISCRETE_ACTIONS);
}

}  // namespace
}  // namespace pgbench
