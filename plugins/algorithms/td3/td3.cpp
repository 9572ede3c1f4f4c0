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

#include <string>

#include "td3_learner.hpp"

namespace {

using namespace pgb::learn;
using pgb::td3::Learner;
using pgb::td3::LearnerSettings;

// The settings; the initialisers are the defaults.
struct Options {
  std::int64_t hidden_size = 256;
  std::int64_t batch_size = 256;
  std::int64_t buffer_size = 1000000;
  double gamma = 0.99;
  double tau = 0.005;
  double actor_learning_rate = 3e-4;
  double critic_learning_rate = 3e-4;
  std::int64_t start_steps = 25000;
  double updates_per_step = 1.0;
  std::string exploration = "gaussian";
  double noise_sigma = 0.1;
  double ou_theta = 0.15;
  double target_noise = 0.2;
  double target_noise_clip = 0.5;
  std::int64_t policy_delay = 2;
};

const pgb::Hyperparameters<Options> kHyperparameters{
    {"hidden_size", &Options::hidden_size, "units in each of the two ReLU hidden layers of the actor and of each critic", 1.0, 65536.0},
    {"batch_size", &Options::batch_size, "transitions per minibatch", 1.0, 1e6},
    {"buffer_size", &Options::buffer_size, "replay buffer capacity in transitions (a ring: the oldest is overwritten)", 1.0, 1e9},
    {"gamma", &Options::gamma, "discount factor", 0.0, 1.0},
    {"tau", &Options::tau, "Polyak averaging rate of the target networks", 0.0, 1.0},
    {"actor_learning_rate", &Options::actor_learning_rate, "Adam step size of the actor", 0.0, 1.0},
    {"critic_learning_rate", &Options::critic_learning_rate, "Adam step size of each critic", 0.0, 1.0},
    {"start_steps", &Options::start_steps, "env steps of uniformly random actions before the actor acts and learning starts", 0.0, 1e12},
    {"updates_per_step", &Options::updates_per_step, "critic updates per env step (fractions carry over)", 0.0, 1e3},
    {"exploration", &Options::exploration, "exploration noise added to mu(s): Gaussian, or Ornstein-Uhlenbeck (theta, sigma)", "gaussian|ou"},
    {"noise_sigma", &Options::noise_sigma, "exploration noise scale sigma, as a fraction of half the action range", 0.0, 10.0},
    {"ou_theta", &Options::ou_theta, "mean-reversion rate of the Ornstein-Uhlenbeck noise (exploration = ou)", 0.0, 1.0},
    {"target_noise", &Options::target_noise, "target policy smoothing: std of the noise added to mu'(s'), as a fraction of half the action range", 0.0, 10.0},
    {"target_noise_clip", &Options::target_noise_clip, "target policy smoothing: the noise is clipped to +-this, as a fraction of half the action range", 0.0, 10.0},
    {"policy_delay", &Options::policy_delay, "critic updates per actor and target update", 1.0, 1e6},
};

LearnerSettings learner_settings(const pgb::AlgorithmContext& context, const Options& o) {
  return {.observation_dim = static_cast<Index>(context.observation_space.dim()),
          .action_dim = static_cast<Index>(context.action_space.dim()),
          .hidden_size = o.hidden_size,
          .batch_size = o.batch_size,
          .gamma = o.gamma,
          .tau = o.tau,
          .actor_learning_rate = o.actor_learning_rate,
          .critic_learning_rate = o.critic_learning_rate,
          .target_noise = o.target_noise,
          .target_noise_clip = o.target_noise_clip,
          .policy_delay = o.policy_delay};
}

class Td3 final : public OffPolicyAlgorithm {
 public:
  explicit Td3(const pgb::AlgorithmContext& context) : Td3(context, kHyperparameters.read(context.hyperparameters)) {}
  Td3(const pgb::AlgorithmContext& context, const Options& options)
      : OffPolicyAlgorithm(context, {"td3", options.buffer_size, options.batch_size,
                                     static_cast<std::uint64_t>(options.start_steps), options.updates_per_step}),
        learner_(learner_settings(context, options), rng()),
        noise_(ExplorationNoise::parse(options.exploration), options.noise_sigma, options.ou_theta, action_dim(),
               num_envs()),
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
    const pgb::td3::UpdateStats stats = learner_.update(batch, rng());
    metrics.add("loss/critic", stats.critic_loss);
    metrics.add("q/mean", stats.q_mean);
    if (stats.actor_updated) metrics.add("loss/actor", stats.actor_loss);
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

PGB_REGISTER_ALGORITHM(Td3, "org.pgbench.algo.td3/1")
    .name("td3")
    .description("TD3, Twin Delayed DDPG (Fujimoto et al. 2018); Box action spaces only")
    .params(kHyperparameters)
    .box_actions_only();

PGB_PLUGIN("org.pgbench.td3", "TD3", "1.0.0", "Twin Delayed Deep Deterministic policy gradient")
