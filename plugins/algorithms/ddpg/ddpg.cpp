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

// The settings; the initialisers are the defaults.
struct Options {
  std::int64_t hidden_size = 256;
  std::int64_t batch_size = 256;
  std::int64_t buffer_size = 1000000;
  double gamma = 0.99;
  double tau = 0.005;
  double actor_learning_rate = 1e-3;
  double critic_learning_rate = 1e-3;
  std::int64_t start_steps = 25000;
  double updates_per_step = 1.0;
  std::string exploration = "gaussian";
  double noise_sigma = 0.1;
  double ou_theta = 0.15;
};

const pgb::Hyperparameters<Options> kHyperparameters{
    {"hidden_size", &Options::hidden_size, "units in each of the two ReLU hidden layers of the actor and of the critic", 1.0, 65536.0},
    {"batch_size", &Options::batch_size, "transitions per minibatch", 1.0, 1e6},
    {"buffer_size", &Options::buffer_size, "replay buffer capacity in transitions (a ring: the oldest is overwritten)", 1.0, 1e9},
    {"gamma", &Options::gamma, "discount factor", 0.0, 1.0},
    {"tau", &Options::tau, "Polyak averaging rate of the target networks", 0.0, 1.0},
    {"actor_learning_rate", &Options::actor_learning_rate, "Adam step size of the actor", 0.0, 1.0},
    {"critic_learning_rate", &Options::critic_learning_rate, "Adam step size of the critic", 0.0, 1.0},
    {"start_steps", &Options::start_steps, "env steps of uniformly random actions before the actor acts and learning starts", 0.0, 1e12},
    {"updates_per_step", &Options::updates_per_step, "gradient updates per env step (fractions carry over)", 0.0, 1e3},
    {"exploration", &Options::exploration, "exploration noise added to mu(s): Gaussian, or Ornstein-Uhlenbeck (theta, sigma)", "gaussian|ou"},
    {"noise_sigma", &Options::noise_sigma, "noise scale sigma, as a fraction of half the action range", 0.0, 10.0},
    {"ou_theta", &Options::ou_theta, "mean-reversion rate of the Ornstein-Uhlenbeck noise (exploration = ou)", 0.0, 1.0},
};

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
      : OffPolicyAlgorithm(context, {"ddpg", options.buffer_size, options.batch_size,
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
