#include "memory_archive.hpp"

#include <pgbench/sdk/learn/rollout.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace pgb::learn {
namespace {

// One env, six steps, γ = λ = 0.5 (γλ = 0.25), so every number below is exact in binary:
//   t        0     1           2     3                      4     5
//   r        1     2           3     4                      5     6
//   V(s_t)   0.5   1           1.5   2                      2.5   3
//   end      –     terminated  –     truncated, V(final)=10  –     – (batch end, V(s_6) = 4)
// GAE, backwards:
//   δ5 = 6 + 0.5·4 − 3 = 5          A5 = 5
//   δ4 = 5 + 0.5·3 − 2.5 = 4        A4 = 4 + 0.25·5 = 5.25
//   δ3 = 4 + 0.5·10 − 2 = 7         A3 = 7            (truncated: bootstrap, restart)
//   δ2 = 3 + 0.5·2 − 1.5 = 2.5      A2 = 2.5 + 0.25·7 = 4.25
//   δ1 = 2 + 0 − 1 = 1              A1 = 1            (terminated: no bootstrap, restart)
//   δ0 = 1 + 0.5·1 − 0.5 = 1        A0 = 1 + 0.25·1 = 1.25
// Reward-to-go with the same bootstraps:
//   G5 = 6 + 0.5·4 = 8, G4 = 5 + 0.5·8 = 9, G3 = 4 + 0.5·10 = 9, G2 = 3 + 0.5·9 = 7.5,
//   G1 = 2, G0 = 1 + 0.5·2 = 2.
constexpr double kRewards[] = {1, 2, 3, 4, 5, 6};
constexpr double kValues[] = {0.5, 1, 1.5, 2, 2.5, 3};
constexpr EpisodeEnd kEnds[] = {EpisodeEnd::running, EpisodeEnd::terminated, EpisodeEnd::running,
                                EpisodeEnd::truncated, EpisodeEnd::running, EpisodeEnd::running};
constexpr double kTruncationValue = 10;
constexpr double kBootstrapValue = 4;
constexpr double kAdvantages[] = {1.25, 1, 4.25, 7, 5.25, 5};
constexpr double kRewardToGo[] = {2, 2, 7.5, 9, 9, 8};

// Writes the episode above into env `env` of `rollout`, as act() and observe() would.
void write_hand_episode(RolloutStorage<double>& rollout, Index env) {
  for (Index t = 0; t < 6; ++t) {
    rollout.rewards(t)(env) = kRewards[t];
    rollout.values(t)(env) = kValues[t];
    rollout.ends(t)[static_cast<std::size_t>(env)] = kEnds[t];
  }
  rollout.truncation_values(3)(env) = kTruncationValue;
  rollout.bootstrap_values()(env) = kBootstrapValue;
}

TEST(RolloutStorage, GaeMatchesTheHandComputedEpisode) {
  RolloutStorage<double> rollout(1, 6, 2, 1);
  write_hand_episode(rollout, 0);
  rollout.compute_gae(0.5, 0.5);
  for (Index t = 0; t < 6; ++t) {
    EXPECT_DOUBLE_EQ(rollout.advantages()(t), kAdvantages[t]) << "t = " << t;
    EXPECT_DOUBLE_EQ(rollout.returns()(t), kAdvantages[t] + kValues[t]) << "t = " << t;
  }
}

TEST(RolloutStorage, RewardToGoMatchesTheHandComputedEpisode) {
  RolloutStorage<double> rollout(1, 6, 2, 1);
  write_hand_episode(rollout, 0);
  rollout.compute_reward_to_go(0.5);
  for (Index t = 0; t < 6; ++t) EXPECT_DOUBLE_EQ(rollout.returns()(t), kRewardToGo[t]) << "t = " << t;
}

TEST(RolloutStorage, GaeWithLambdaOneGivesTheRewardToGo) {
  RolloutStorage<double> rollout(1, 6, 2, 1);
  write_hand_episode(rollout, 0);
  rollout.compute_gae(0.5, 1.0);
  const Eigen::RowVectorXd gae_returns = rollout.returns();
  rollout.compute_reward_to_go(0.5);
  EXPECT_TRUE(gae_returns.isApprox(Eigen::RowVectorXd(rollout.returns()), 1e-15));
}

TEST(RolloutStorage, EnvsAreIndependentAndInterleavedTimeMajor) {
  // Env 1 holds the hand episode; env 0 runs through with other numbers. Sample k = t·N + env.
  RolloutStorage<double> rollout(2, 6, 2, 1);
  for (Index t = 0; t < 6; ++t) {
    rollout.rewards(t)(0) = -1;
    rollout.values(t)(0) = 0.25 * double(t);
  }
  rollout.bootstrap_values()(0) = 100;
  write_hand_episode(rollout, 1);
  rollout.compute_gae(0.5, 0.5);
  for (Index t = 0; t < 6; ++t) EXPECT_DOUBLE_EQ(rollout.advantages()(2 * t + 1), kAdvantages[t]) << "t = " << t;
  // Env 0, last step: δ5 = −1 + 0.5·100 − 1.25 = 47.75.
  EXPECT_DOUBLE_EQ(rollout.advantages()(2 * 5), 47.75);
}

TEST(RolloutStorage, BothFlagsRaisedCountAsATermination) {
  EXPECT_EQ(episode_end(true, true), EpisodeEnd::terminated);
  EXPECT_EQ(episode_end(false, true), EpisodeEnd::truncated);
  EXPECT_EQ(episode_end(false, false), EpisodeEnd::running);
}

TEST(RolloutStorage, ClearZeroesTheBootstrapsForMonteCarloReturns) {
  RolloutStorage<double> rollout(1, 6, 2, 1);
  write_hand_episode(rollout, 0);
  for (Index t = 0; t < 6; ++t) rollout.advance();
  EXPECT_TRUE(rollout.full());
  EXPECT_THROW(rollout.advance(), std::logic_error);
  rollout.clear();
  EXPECT_EQ(rollout.step(), 0);
  for (Index t = 0; t < 6; ++t) rollout.ends(t)[0] = kEnds[t];
  for (Index t = 0; t < 6; ++t) rollout.rewards(t)(0) = kRewards[t];
  rollout.compute_reward_to_go(0.5);
  // G5 = 6, G4 = 8, G3 = 4 (truncated, V(final) now 0), G2 = 5, G1 = 2, G0 = 2.
  const double expected[] = {2, 2, 5, 4, 8, 6};
  for (Index t = 0; t < 6; ++t) EXPECT_DOUBLE_EQ(rollout.returns()(t), expected[t]) << "t = " << t;
}

TEST(RolloutStorage, StepViewsAreWindowsOfTheWholeBatch) {
  RolloutStorage<float> rollout(3, 4, 2, 1);
  EXPECT_EQ(rollout.size(), 12);
  rollout.observations(2).col(1) << 7, 8;
  rollout.actions(3)(0, 2) = 9;
  rollout.log_probs(1)(0) = -0.5f;
  EXPECT_EQ(rollout.observations()(0, 2 * 3 + 1), 7);
  EXPECT_EQ(rollout.observations()(1, 2 * 3 + 1), 8);
  EXPECT_EQ(rollout.actions()(0, 3 * 3 + 2), 9);
  EXPECT_EQ(rollout.log_probs()(1 * 3 + 0), -0.5f);
  EXPECT_THROW(rollout.observations(4), std::out_of_range);
}

TEST(RolloutStorage, SaveLoadRestoresEverything) {
  RolloutStorage<float> rollout(2, 3, 2, 1);
  rollout.observations(0).setRandom();
  rollout.rewards(1) << 1, 2;
  rollout.ends(2)[1] = EpisodeEnd::truncated;
  rollout.truncation_values(2)(1) = 3;
  rollout.advance();
  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  rollout.save(out);

  RolloutStorage<float> restored(2, 3, 2, 1);
  InputArchive in = checkpoint.reader();
  restored.load(in);
  EXPECT_EQ(restored.step(), 1);
  EXPECT_EQ(Eigen::MatrixXf(restored.observations()), Eigen::MatrixXf(rollout.observations()));
  EXPECT_EQ(Eigen::RowVectorXf(restored.rewards()), Eigen::RowVectorXf(rollout.rewards()));
  EXPECT_EQ(restored.ends()[2 * 2 + 1], EpisodeEnd::truncated);
  restored.compute_gae(0.9f, 0.95f);
  rollout.compute_gae(0.9f, 0.95f);
  EXPECT_EQ(Eigen::RowVectorXf(restored.advantages()), Eigen::RowVectorXf(rollout.advantages()));

  RolloutStorage<float> longer(2, 4, 2, 1);
  InputArchive in_longer = checkpoint.reader();
  EXPECT_THROW(longer.load(in_longer), std::runtime_error);
}

TEST(RolloutSamples, GatherCopiesTheChosenSamplesInTheGivenOrder) {
  RolloutStorage<double> rollout(2, 2, 2, 1);  // samples k = t·2 + env
  for (Index t = 0; t < 2; ++t) {
    for (Index env = 0; env < 2; ++env) {
      const double k = static_cast<double>(t * 2 + env);
      rollout.observations(t).col(env) << k, -k;
      rollout.actions(t)(0, env) = 10 * k;
      rollout.log_probs(t)(env) = -k;
      rollout.values(t)(env) = 2 * k;
      rollout.rewards(t)(env) = 1;
    }
    rollout.advance();
  }
  rollout.compute_gae(0.5, 1.0);

  RolloutSamples<double> samples;
  const std::vector<Index> indices{3, 0};
  samples.gather(rollout, indices);
  ASSERT_EQ(samples.size(), 2);
  EXPECT_EQ(samples.observations, (Eigen::Matrix2d() << 3, 0, -3, 0).finished());
  EXPECT_EQ(samples.actions, Eigen::RowVector2d(30, 0));
  EXPECT_EQ(samples.log_probs, Eigen::RowVector2d(-3, 0));
  EXPECT_EQ(samples.values, Eigen::RowVector2d(6, 0));
  EXPECT_EQ(samples.advantages, Eigen::RowVector2d(rollout.advantages()(3), rollout.advantages()(0)));
  EXPECT_EQ(samples.returns, Eigen::RowVector2d(rollout.returns()(3), rollout.returns()(0)));
}

}  // namespace
}  // namespace pgb::learn
