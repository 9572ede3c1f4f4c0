// TD3, Twin Delayed DDPG (Fujimoto et al. 2018): DDPG with clipped double Q-learning, delayed
// policy updates and target policy smoothing (td3_learner.hpp), on the SDK's off-policy loop
// (learn/off_policy.hpp: random start steps, replay, one update per env step, checkpoints).
//
//   act      the first start_steps env steps: u ~ U[−1, 1]^k; afterwards u = clip(μ(s) + ε, −1, 1),
//            ε Gaussian (or Ornstein–Uhlenbeck) exploration noise as DDPG's
//   update   per owed update: a uniformly sampled minibatch, one learner step
//
// Defaults: Tianshou's MuJoCo TD3 (the published 1M-step benchmark, shared/specs/published-scores.md
// §2): 256×256 ReLU actor and critics, Adam 3e-4 for both, batch 256, buffer 1M, γ 0.99, τ 0.005,
// exploration σ 0.1, target smoothing σ̃ 0.2 clipped at 0.5 (all in units of half the action
// range), policy delay 2, 25k random start steps, one update per env step.
#include <pgbench/sdk/learn/off_policy.hpp>
#include <pgbench/sdk/plugin.hpp>

#include "td3_learner.hpp"

namespace {

using namespace pgb::learn;
using pgb::td3::Learner;
using pgb::td3::LearnerSettings;

// The settings: the off-policy ones and the exploration noise's (learn/off_policy.hpp), then
// TD3's own; the initialisers and the constructor give the defaults.
struct Options : OffPolicyOptions, ExplorationOptions {
  Options() { actor_learning_rate = critic_learning_rate = 3e-4; }
  double target_noise = 0.2;
  double target_noise_clip = 0.5;
  std::int64_t policy_delay = 2;
};

const pgb::Hyperparameters<Options> kHyperparameters(
    {off_policy_hyperparameters<Options>(), exploration_hyperparameters<Options>()},
    {
        {"target_noise", &Options::target_noise, "target policy smoothing: std of the noise added to mu'(s'), as a fraction of half the action range", 0.0, 10.0},
        {"target_noise_clip", &Options::target_noise_clip, "target policy smoothing: the noise is clipped to +-this, as a fraction of half the action range", 0.0, 10.0},
        {"policy_delay", &Options::policy_delay, "critic updates per actor and target update", 1.0, 1e6},
    });

LearnerSettings learner_settings(const pgb::AlgorithmContext& context, const Options& options) {
  auto settings = off_policy_learner_settings<LearnerSettings>(context, options);
  settings.target_noise = options.target_noise;
  settings.target_noise_clip = options.target_noise_clip;
  settings.policy_delay = options.policy_delay;
  return settings;
}

// TD3's step on one minibatch; exploring, evaluating and checkpointing the actor and its noise are
// the SDK's DeterministicActorAlgorithm, as DDPG's.
class Td3 final : public DeterministicActorAlgorithm<Learner<float>> {
 public:
  explicit Td3(const pgb::AlgorithmContext& context) : Td3(context, kHyperparameters.read(context.hyperparameters)) {}
  Td3(const pgb::AlgorithmContext& context, const Options& options)
      : DeterministicActorAlgorithm(context, settings("td3", options), options, learner_settings(context, options)) {}

 private:
  void learn(const Batch& batch, UpdateMetrics& metrics) override {
    const pgb::td3::UpdateStats stats = learner().update(batch, rng());
    metrics.add("loss/critic", stats.critic_loss);
    metrics.add("q/mean", stats.q_mean);
    if (stats.actor_updated) metrics.add("loss/actor", stats.actor_loss);
  }
};

}  // namespace

PGB_REGISTER_ALGORITHM(Td3, "org.pgbench.algo.td3/1")
    .name("td3")
    .description("TD3, Twin Delayed DDPG (Fujimoto et al. 2018); Box action spaces only")
    .params(kHyperparameters)
    .box_actions_only();

PGB_PLUGIN("org.pgbench.td3", "TD3", "1.0.0", "Twin Delayed Deep Deterministic policy gradient")
