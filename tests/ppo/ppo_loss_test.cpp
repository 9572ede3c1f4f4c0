// PPO's losses and their gradients against values computed by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "ppo_loss.hpp"

namespace {

using pgb::learn::RowVector;

RowVector<float> row(std::initializer_list<float> values) {
  RowVector<float> r(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (float v : values) r[i++] = v;
  return r;
}

// Log-probabilities whose ratio to an old log-probability of 0 is `ratios`.
RowVector<float> log_of(std::initializer_list<float> ratios) { return row(ratios).array().log().matrix(); }

TEST(PpoClippedSurrogate, MatchesTheHandComputedBatch) {
  // ε = 0.2, B = 5. Per sample: r, Â, min(r Â, clip(r) Â), and d(−L)/d log π = −r Â / B or 0.
  //   1.1, +2: inside the range            min(2.2, 2.2)   =  2.2   grad −2.2/5
  //   1.5, +1: above, advantage positive   min(1.5, 1.2)   =  1.2   grad 0 (clipped)
  //   1.5, −1: above, advantage negative   min(−1.5, −1.2) = −1.5   grad +1.5/5 (not clipped)
  //   0.5, −2: below, advantage negative   min(−1.0, −1.6) = −1.6   grad 0 (clipped)
  //   0.5, +1: below, advantage positive   min(0.5, 0.8)   =  0.5   grad −0.5/5 (not clipped)
  const RowVector<float> log_probs = log_of({1.1f, 1.5f, 1.5f, 0.5f, 0.5f});
  const RowVector<float> old_log_probs = RowVector<float>::Zero(5);
  const RowVector<float> advantages = row({2, 1, -1, -2, 1});
  RowVector<float> gradient(5);
  const auto stats = pgb::ppo::clipped_surrogate(log_probs, old_log_probs, advantages, 0.2, gradient);

  EXPECT_NEAR(stats.loss, -(2.2 + 1.2 - 1.5 - 1.6 + 0.5) / 5, 1e-6);
  const double expected[] = {-2.2 / 5, 0.0, 1.5 / 5, 0.0, -0.5 / 5};
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(gradient[i], expected[i], 1e-6) << "sample " << i;
  EXPECT_DOUBLE_EQ(stats.clip_fraction, 4.0 / 5);
  const double kl = ((0.1 - std::log(1.1)) + 2 * (0.5 - std::log(1.5)) + 2 * (-0.5 - std::log(0.5))) / 5;
  EXPECT_NEAR(stats.approx_kl, kl, 1e-6);
}

TEST(PpoClippedSurrogate, AtTheOldPolicyItIsTheVanillaPolicyGradient) {
  // r = 1: nothing is clipped, the loss is −mean(Â), the gradient −Â/B, and the KL is 0.
  const RowVector<float> log_probs = row({-0.3f, -1.2f, -2.0f});
  const RowVector<float> advantages = row({0.5f, -1.5f, 3.0f});
  RowVector<float> gradient(3);
  const auto stats = pgb::ppo::clipped_surrogate(log_probs, log_probs, advantages, 0.2, gradient);
  EXPECT_NEAR(stats.loss, -2.0 / 3, 1e-7);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(gradient[i], -advantages[i] / 3, 1e-7);
  EXPECT_EQ(stats.clip_fraction, 0.0);
  EXPECT_EQ(stats.approx_kl, 0.0);
}

TEST(PpoClippedSurrogate, GradientMatchesCentralDifferencesAwayFromTheKinks) {
  // Ratios on both sides of and inside [0.8, 1.2], advantages of both signs, none at a kink.
  const RowVector<float> old_log_probs = row({-1.0f, -0.5f, -2.0f, -0.7f, -1.3f, -0.2f});
  const RowVector<float> log_probs = old_log_probs + log_of({0.6f, 0.9f, 1.05f, 1.4f, 1.3f, 0.7f});
  const RowVector<float> advantages = row({1.5f, -0.4f, 2.0f, -1.0f, 0.8f, -2.5f});
  RowVector<float> gradient(6), scratch(6);
  pgb::ppo::clipped_surrogate(log_probs, old_log_probs, advantages, 0.2, gradient);
  const float h = 1e-3f;
  for (int i = 0; i < 6; ++i) {
    RowVector<float> plus = log_probs, minus = log_probs;
    plus[i] += h;
    minus[i] -= h;
    const double numeric = (pgb::ppo::clipped_surrogate(plus, old_log_probs, advantages, 0.2, scratch).loss -
                            pgb::ppo::clipped_surrogate(minus, old_log_probs, advantages, 0.2, scratch).loss) /
                           (static_cast<double>(plus[i]) - minus[i]);
    EXPECT_NEAR(gradient[i], numeric, 1e-4) << "sample " << i;
  }
}

TEST(PpoValueLoss, IsTheMeanSquaredErrorWithoutClipping) {
  const RowVector<float> values = row({1, 2}), returns = row({0, 4}), old_values = row({5, 5});
  RowVector<float> gradient(2);
  EXPECT_NEAR(pgb::ppo::value_loss(values, returns, old_values, 0.0, gradient), (1.0 + 4.0) / 2, 1e-7);
  EXPECT_NEAR(gradient[0], 2.0 * 1 / 2, 1e-7);
  EXPECT_NEAR(gradient[1], 2.0 * -2 / 2, 1e-7);
}

TEST(PpoValueLoss, ClippingKeepsThePessimisticTermAndStopsItsGradient) {
  // Clip range 0.5. Sample 0: V moved 0 → 1 away from R = 0; the clipped prediction 0.5 has the
  // smaller error, so the unclipped (V − R)² = 1 counts, gradient 2·1/2. Sample 1: V moved
  // 2 → 3.5 towards R = 4; the clipped prediction 2.5 has error 1.5 > 0.5, so 2.25 counts and,
  // V being outside the range, the gradient is 0.
  const RowVector<float> values = row({1.0f, 3.5f}), returns = row({0, 4}), old_values = row({0, 2});
  RowVector<float> gradient(2);
  EXPECT_NEAR(pgb::ppo::value_loss(values, returns, old_values, 0.5, gradient), (1.0 + 2.25) / 2, 1e-7);
  EXPECT_NEAR(gradient[0], 1.0, 1e-7);
  EXPECT_EQ(gradient[1], 0.0f);
}

}  // namespace
