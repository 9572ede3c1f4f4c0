// Deep Deterministic Policy Gradient (Lillicrap et al. 2016): a deterministic actor μ(s), a
// critic Q(s, a), their slowly-following target networks and a replay buffer.
//
//   act      the first start_steps env steps: u ~ U[−1, 1]^k; afterwards u = clip(μ(s) + noise)
//            (learn/off_policy.hpp's ExplorationNoise); the env gets a = centre + half_range ⊙ u
//   observe  store (s, u, r, s', terminated) per sub-env; after the random phase, ask for
//            updates_per_step updates per env step
//   update   for each: sample a minibatch uniformly, one learner step (ddpg_learner.hpp)
//
// The replay loop, the action scaling and the checkpoints are learn/off_policy.hpp's
// OffPolicyAlgorithm, shared with TD3 and SAC.
#include <pgbench/sdk/learn/off_policy.hpp>
#include <pgbench/sdk/plugin.hpp>

#include <string>

#include "ddpg_learner.hpp"

namespace {

using namespace pgb::learn;
using pgb::ddpg::Learner;
using pgb::ddpg::LearnerSettings;

// The settings: the off-policy ones and the exploration noise's, with their SDK defaults.
struct Options : OffPolicyOptions, ExplorationOptions {};

const pgb::Hyperparameters<Options> kHyperparameters(
    {off_policy_hyperparameters<Options>(), exploration_hyperparameters<Options>()}, {});

LearnerSettings learner_settings(const pgb::AlgorithmContext& context, const Options& o) {
  return {.observation_dim = static_cast<Index>(context.observation_space.dim()),
          .action_dim = static_cast<Index>(context.action_space.dim()),
          .hidden_size = o.hidden_size,
          .batch_size = o.batch_size,
          .gamma = o.gamma,
          .tau = o.tau,
          .actor_learning_rate = o.actor_learning_rate,
          .critic_learning_rate = o.critic_learning_rate};
}

class Ddpg final : public OffPolicyAlgorithm {
 public:
  explicit Ddpg(const pgb::AlgorithmContext& context) : Ddpg(context, kHyperparameters.read(context.hyperparameters)) {}
  Ddpg(const pgb::AlgorithmContext& context, const Options& options)
      : OffPolicyAlgorithm(context, settings("ddpg", options)),
        learner_(learner_settings(context, options), rng()),
        noise_(options, action_dim(), num_envs()),
        act_workspace_(learner_.actor(), num_envs()) {}

 private:
  // u = clip(μ(s) + noise, −1, 1).
  void explore(const ConstMatrixRef<float>& observations, MatrixRef<double> u) override {
    act_with_noise(learner_.actor(), act_workspace_, noise_, rng(), observations, u);
  }

  // μ(s), without noise.
  void exploit(const ConstMatrixRef<float>& observations, MatrixRef<double> u) const override {
    act_deterministic(learner_.actor(), observations, u);
  }

  void episode_ended(Index env) override { noise_.reset(env); }

  void learn(const Batch& batch, UpdateMetrics& metrics) override {
    const pgb::ddpg::UpdateStats stats = learner_.update(batch);
    metrics.add("loss/critic", stats.critic_loss);
    metrics.add("loss/actor", stats.actor_loss);
    metrics.add("q/mean", stats.q_mean);
  }

  void save_actor(pgb::OutputArchive& out) const override { learner_.actor().save(out); }
  void load_actor(pgb::InputArchive& in) override { learner_.actor().load(in); }
  void save_learner(pgb::OutputArchive& out) const override {
    learner_.save(out);
    noise_.save(out);
  }
  void load_learner(pgb::InputArchive& in) override {
    learner_.load(in);
    noise_.load(in);
  }

  Learner<float> learner_;
  ExplorationNoise noise_;
  Mlp<float>::Workspace act_workspace_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(Ddpg, "org.pgbench.algo.ddpg/1")
    .name("ddpg")
    .description("Deep Deterministic Policy Gradient (Lillicrap et al. 2016); Box action spaces only")
    .params(kHyperparameters)
    .box_actions_only();

PGB_PLUGIN("org.pgbench.ddpg", "DDPG", "1.0.0", "Deep Deterministic Policy Gradient")
