// Save → load → continue is bit-identical to never stopping, for a miniature algorithm that
// holds one of every stateful piece of the learning core and exercises each on every step.
#include "memory_archive.hpp"

#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/distributions.hpp>
#include <pgbench/sdk/learn/mlp.hpp>
#include <pgbench/sdk/learn/normalizers.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/replay_buffer.hpp>
#include <pgbench/sdk/learn/rollout.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace pgb::learn {
namespace {

constexpr Index kEnvs = 2;
constexpr Index kSteps = 3;
constexpr Index kObservationDim = 3;
constexpr Index kActionDim = 2;

class MiniatureAlgorithm {
 public:
  explicit MiniatureAlgorithm(std::uint64_t seed)
      : rng_(seed),
        policy_({kObservationDim, 8, kActionDim}, Activation::tanh),
        workspace_(policy_, kEnvs * kSteps),
        log_std_(Eigen::VectorXf::Constant(kActionDim, -0.5f)),
        policy_optimizer_(policy_.num_parameters()),
        log_std_optimizer_(kActionDim, {.learning_rate = 3e-3}),
        observation_normalizer_(kObservationDim),
        return_normalizer_(kEnvs, 0.99),
        rollout_(kEnvs, kSteps, kObservationDim, kActionDim),
        replay_(5, kObservationDim, kActionDim),
        replay_batch_(replay_, 4),
        policy_gradient_(policy_.num_parameters()) {
    policy_.initialize_orthogonal(rng_, std::sqrt(2.0f));
    policy_.scale_last_layer(0.01f);
  }

  // One env step of every env, and an update whenever the rollout fills.
  void step() {
    Eigen::MatrixXd observations(kObservationDim, kEnvs);
    for (Index i = 0; i < observations.size(); ++i) observations(i) = rng_.normal(1.0, 3.0);
    observation_normalizer_.update(observations);
    const Index t = rollout_.step();
    observation_normalizer_.normalize(observations, rollout_.observations(t));

    const DiagGaussian<float> pi(policy_.forward(workspace_, rollout_.observations(t)), log_std_);
    pi.sample(rng_, rollout_.actions(t));
    pi.log_prob(rollout_.actions(t), rollout_.log_probs(t));

    const Eigen::VectorXd rewards = -rollout_.actions(t).colwise().squaredNorm().transpose().cast<double>();
    std::vector<EpisodeEnd> ends(kEnvs);
    for (auto& end : ends) end = static_cast<EpisodeEnd>(rng_.below(3));
    return_normalizer_.update(rewards, ends);
    return_normalizer_.normalize(rewards, rollout_.rewards(t));
    std::copy(ends.begin(), ends.end(), rollout_.ends(t).begin());
    rollout_.values(t).setZero();
    replay_.add(observations, rollout_.actions(t).cast<double>(), rewards.transpose(), observations, ends);
    rollout_.advance();

    replay_.sample(rng_, replay_batch_);
    if (rollout_.full()) update();
  }

  void save(OutputArchive& archive) const {
    save_rng(archive, rng_);
    policy_.save(archive);
    archive.tag("log_std");
    save_dense(archive, log_std_);
    policy_optimizer_.save(archive);
    log_std_optimizer_.save(archive);
    observation_normalizer_.save(archive);
    return_normalizer_.save(archive);
    rollout_.save(archive);
    replay_.save(archive);
  }

  void load(InputArchive& archive) {
    load_rng(archive, rng_);
    policy_.load(archive);
    archive.expect_tag("log_std");
    load_dense(archive, log_std_, "log_std");
    policy_optimizer_.load(archive);
    log_std_optimizer_.load(archive);
    observation_normalizer_.load(archive);
    return_normalizer_.load(archive);
    rollout_.load(archive);
    replay_.load(archive);
  }

 private:
  // REINFORCE-like: minimise −mean(A · log π(a|s)).
  void update() {
    rollout_.compute_gae(0.99f, 0.95f);
    const Index n = rollout_.size();
    const DiagGaussian<float> pi(policy_.forward(workspace_, rollout_.observations()), log_std_);
    Eigen::MatrixXf mean_gradient = Eigen::MatrixXf::Zero(kActionDim, n);
    Eigen::VectorXf log_std_gradient = Eigen::VectorXf::Zero(kActionDim);
    const Eigen::RowVectorXf weights = -rollout_.advantages() / float(n);
    pi.add_log_prob_gradient(rollout_.actions(), weights, mean_gradient, log_std_gradient);
    policy_.backward(workspace_, mean_gradient, policy_gradient_);
    clip_by_global_norm(0.5, policy_gradient_, log_std_gradient);
    policy_optimizer_.step(policy_.parameters(), policy_gradient_);
    log_std_optimizer_.step(log_std_, log_std_gradient);
    rollout_.clear();
  }

  Rng rng_;
  Mlp<float> policy_;
  Mlp<float>::Workspace workspace_;
  Eigen::VectorXf log_std_;
  Adam<float> policy_optimizer_;
  Adam<float> log_std_optimizer_;
  ObservationNormalizer observation_normalizer_;
  ReturnNormalizer return_normalizer_;
  RolloutStorage<float> rollout_;
  ReplayBuffer<float> replay_;
  ReplayBuffer<float>::Batch replay_batch_;
  Eigen::VectorXf policy_gradient_;
};

std::string state_of(const MiniatureAlgorithm& algorithm) {
  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  algorithm.save(out);
  return checkpoint.bytes();
}

TEST(Checkpoint, SaveLoadContinueIsBitIdenticalToNeverStopping) {
  // Stop mid-rollout (step 7 of rollouts of 3), with the replay buffer wrapped.
  MiniatureAlgorithm uninterrupted(42);
  for (int step = 0; step < 7; ++step) uninterrupted.step();

  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  uninterrupted.save(out);
  MiniatureAlgorithm resumed(/*seed, overwritten by the load:*/ 0);
  InputArchive in = checkpoint.reader();
  resumed.load(in);

  for (int step = 7; step < 20; ++step) {
    uninterrupted.step();
    resumed.step();
  }
  EXPECT_EQ(state_of(resumed), state_of(uninterrupted));
  // And the run moved: an update happened after the restart.
  EXPECT_NE(state_of(uninterrupted), checkpoint.bytes());
}

TEST(Checkpoint, LoadRejectsAStreamOfAnotherKind) {
  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  ObservationNormalizer(3).save(out);
  Mlp<float> network({3, 2}, Activation::identity);
  InputArchive in = checkpoint.reader();
  EXPECT_THROW(network.load(in), std::runtime_error);
}

}  // namespace
}  // namespace pgb::learn
