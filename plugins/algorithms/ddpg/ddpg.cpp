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
// OffPolicyAlgorithm, shared with TD3 and SAC; acting with the actor and its noise is its
// DeterministicActorAlgorithm, shared with TD3.
#include <pgbench/sdk/learn/off_policy.hpp>
#include <pgbench/sdk/plugin.hpp>

#include "ddpg_learner.hpp"

namespace {

using namespace pgb::learn;
using pgb::ddpg::Learner;
using pgb::ddpg::LearnerSettings;

// The settings: the off-policy ones and the exploration noise's, with their SDK defaults.
struct Options : OffPolicyOptions, ExplorationOptions {};

const pgb::Hyperparameters<Options> kHyperparameters(
    {off_policy_hyperparameters<Options>(), exploration_hyperparameters<Options>()}, {});

// DDPG's step on one minibatch; exploring, evaluating and checkpointing the actor and its noise
// are the SDK's DeterministicActorAlgorithm.
class Ddpg final : public DeterministicActorAlgorithm<Learner<float>> {
 public:
  explicit Ddpg(const pgb::AlgorithmContext& context) : Ddpg(context, kHyperparameters.read(context.hyperparameters)) {}
  Ddpg(const pgb::AlgorithmContext& context, const Options& options)
      : DeterministicActorAlgorithm(context, settings("ddpg", options), options,
                                    off_policy_learner_settings<LearnerSettings>(context, options)) {}

 private:
  void learn(const Batch& batch, UpdateMetrics& metrics) override {
    const pgb::ddpg::UpdateStats stats = learner().update(batch);
    metrics.add("loss/critic", stats.critic_loss);
    metrics.add("loss/actor", stats.actor_loss);
    metrics.add("q/mean", stats.q_mean);
  }
};

}  // namespace

PGB_REGISTER_ALGORITHM(Ddpg, "org.pgbench.algo.ddpg/1")
    .name("ddpg")
    .description("Deep Deterministic Policy Gradient (Lillicrap et al. 2016); Box action spaces only")
    .params(kHyperparameters)
    .box_actions_only();

PGB_PLUGIN("org.pgbench.ddpg", "DDPG", "1.0.0", "Deep Deterministic Policy Gradient")
