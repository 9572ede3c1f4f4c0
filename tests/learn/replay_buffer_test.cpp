#include "memory_archive.hpp"

#include <pgbench/sdk/learn/replay_buffer.hpp>

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace pgb::learn {
namespace {

// Transition number i has observation (i, −i), action 10·i, reward 100·i, next observation
// (i + 1, −i − 1), and terminates when i is a multiple of 3: any column of a sample can be
// checked for consistency from its observation alone.
struct Transitions {
  Eigen::MatrixXd observations, actions, next_observations;
  Eigen::RowVectorXd rewards;
  std::vector<EpisodeEnd> ends;
};

Transitions numbered(int first, int count) {
  Transitions t{Eigen::MatrixXd(2, count), Eigen::MatrixXd(1, count), Eigen::MatrixXd(2, count),
                Eigen::RowVectorXd(count), {}};
  for (int k = 0; k < count; ++k) {
    const double i = first + k;
    t.observations.col(k) << i, -i;
    t.actions(0, k) = 10 * i;
    t.rewards(k) = 100 * i;
    t.next_observations.col(k) << i + 1, -i - 1;
    t.ends.push_back(int(i) % 3 == 0 ? EpisodeEnd::terminated : EpisodeEnd::truncated);
  }
  return t;
}

void add(ReplayBuffer<float>& buffer, const Transitions& t) {
  buffer.add(t.observations, t.actions, t.rewards, t.next_observations, t.ends);
}

void expect_consistent(const ReplayBuffer<float>::Batch& batch) {
  for (Index k = 0; k < batch.size(); ++k) {
    const float i = batch.observations(0, k);
    EXPECT_EQ(batch.observations(1, k), -i);
    EXPECT_EQ(batch.actions(0, k), 10 * i);
    EXPECT_EQ(batch.rewards(k), 100 * i);
    EXPECT_EQ(batch.next_observations.col(k), Eigen::Vector2f(i + 1, -i - 1));
    // Only a termination is terminal; a truncated transition still bootstraps.
    EXPECT_EQ(batch.terminated(k), int(i) % 3 == 0 ? 1.0f : 0.0f);
  }
}

TEST(ReplayBuffer, WrapsAroundOverwritingTheOldest) {
  ReplayBuffer<float> buffer(4, 2, 1);
  add(buffer, numbered(0, 3));
  EXPECT_EQ(buffer.size(), 3);
  add(buffer, numbered(3, 3));  // wraps in the middle of the call: slots 3, 0, 1
  EXPECT_EQ(buffer.size(), 4);

  // Transitions 2..5 remain; 0 and 1 were overwritten.
  Rng rng(1);
  ReplayBuffer<float>::Batch batch(buffer, 4000);
  buffer.sample(rng, batch);
  expect_consistent(batch);
  std::array<int, 6> seen{};
  for (Index k = 0; k < batch.size(); ++k) ++seen[static_cast<std::size_t>(batch.observations(0, k))];
  EXPECT_EQ(seen[0], 0);
  EXPECT_EQ(seen[1], 0);
  for (std::size_t i = 2; i < 6; ++i) EXPECT_NEAR(seen[i], 1000, 4 * std::sqrt(4000 * 0.25 * 0.75)) << i;
}

TEST(ReplayBuffer, SamplesTheSlotsTheSeededRngDraws) {
  ReplayBuffer<float> buffer(4, 2, 1);
  add(buffer, numbered(0, 6));  // slots hold transitions 4, 5, 2, 3
  const std::array<float, 4> transition_in_slot = {4, 5, 2, 3};

  Rng rng(7), reference(7);
  ReplayBuffer<float>::Batch batch(buffer, 16);
  buffer.sample(rng, batch);
  for (Index k = 0; k < batch.size(); ++k)
    EXPECT_EQ(batch.observations(0, k), transition_in_slot[reference.below(4)]);
  // The generator moved on: the next batch differs, and a fresh one with the seed repeats.
  const Eigen::MatrixXf first = batch.observations;
  buffer.sample(rng, batch);
  EXPECT_NE(batch.observations, first);
  Rng again(7);
  buffer.sample(again, batch);
  EXPECT_EQ(batch.observations, first);
}

TEST(ReplayBuffer, RejectsInconsistentInputsAndSamplingWhenEmpty) {
  ReplayBuffer<float> buffer(4, 2, 1);
  Rng rng(0);
  ReplayBuffer<float>::Batch batch(buffer, 2);
  EXPECT_THROW(buffer.sample(rng, batch), std::logic_error);
  Transitions t = numbered(0, 2);
  t.ends.pop_back();
  EXPECT_THROW(add(buffer, t), std::invalid_argument);
}

TEST(ReplayBuffer, SaveLoadContinuesIdentically) {
  ReplayBuffer<float> buffer(5, 2, 1);
  add(buffer, numbered(0, 7));
  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  buffer.save(out);
  ReplayBuffer<float> restored(5, 2, 1);
  InputArchive in = checkpoint.reader();
  restored.load(in);
  EXPECT_EQ(restored.size(), 5);

  // The write position is restored too: the next transition overwrites the same slot.
  add(buffer, numbered(7, 1));
  add(restored, numbered(7, 1));
  Rng rng(3), same(3);
  ReplayBuffer<float>::Batch expected(buffer, 64), actual(restored, 64);
  buffer.sample(rng, expected);
  restored.sample(same, actual);
  EXPECT_EQ(actual.observations, expected.observations);
  EXPECT_EQ(actual.terminated, expected.terminated);

  ReplayBuffer<float> smaller(4, 2, 1);
  InputArchive in_smaller = checkpoint.reader();
  EXPECT_THROW(smaller.load(in_smaller), std::runtime_error);
}

}  // namespace
}  // namespace pgb::learn
