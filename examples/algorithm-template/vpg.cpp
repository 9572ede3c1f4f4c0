// vpg: vanilla policy gradient with a learned baseline (Williams 1992; Sutton et al. 2000), on
// the pgbench SDK. The collection of a batch, observation and reward normalisation, acting,
// evaluation and checkpoints come from pgb::learn::OnPolicyAlgorithm; this file is the update.
//
// Every B = N × T env steps (N sub-envs, T steps each), on the batch just collected with π_θ:
//
//   G_t = r_t + γ r_{t+1} + γ² r_{t+2} + …     reward-to-go within the episode; where the batch
//                                              cuts an episode, V_φ stands in for the rest
//   Â_t = G_t − V_φ(s_t)                        the advantage over the learned baseline
//   θ  ← θ + α ∇θ (1/B) Σ_t Â_t log π_θ(a_t|s_t)     one Adam step along the policy gradient
//   φ  ← φ − α_V ∇φ (1/B) Σ_t (V_φ(s_t) − G_t)²      a few Adam steps fitting the baseline
#include <pgbench/sdk/hyperparameters.hpp>
#include <pgbench/sdk/learn/on_policy.hpp>
#include <pgbench/sdk/plugin.hpp>

namespace {

namespace learn = pgb::learn;

// The settings; the initialisers are the defaults.
struct Options {
  double learning_rate = 3e-3;
  std::int64_t steps_per_batch = 2048;
  double gamma = 0.99;
  double critic_learning_rate = 3e-3;
  std::int64_t critic_iterations = 20;
  bool normalize_advantages = true;
  bool normalize_observations = true;
  bool normalize_returns = true;
  double initial_log_std = -0.5;
};

// Each hyperparameter once: the key users write, the field it sets, what it means, its bounds.
const pgb::Hyperparameters<Options> kHyperparameters{
    {"learning_rate", &Options::learning_rate, "Adam step size of the policy", 0.0, 1.0},
    {"steps_per_batch", &Options::steps_per_batch, "env steps per update, over all sub-envs", 1.0, 1e9},
    {"gamma", &Options::gamma, "discount factor", 0.0, 1.0},
    {"critic_learning_rate", &Options::critic_learning_rate, "Adam step size of the baseline V", 0.0, 1.0},
    {"critic_iterations", &Options::critic_iterations, "Adam steps fitting V to the returns per batch", 1.0, 1e4},
    {"normalize_advantages", &Options::normalize_advantages, "standardise the advantages over the batch"},
    {"normalize_observations", &Options::normalize_observations, "running mean/std observation normalisation"},
    {"normalize_returns", &Options::normalize_returns, "scale rewards by the running std of the return"},
    {"initial_log_std", &Options::initial_log_std, "initial log-std of a Gaussian policy", -10.0, 2.0},
};

class Vpg final : public learn::OnPolicyAlgorithm {
 public:
  explicit Vpg(const pgb::AlgorithmContext& context) : Vpg(context, kHyperparameters.read(context.hyperparameters)) {}

  void update(std::uint64_t /*env_steps_done*/, const pgb::Metrics& metrics) override {
    auto& batch = rollout();
    const auto states = batch.observations();

    // G_t, and V_φ(s_t) for the baseline (and for the episodes the batch cut).
    collector().estimate_values(critic(), critic_workspace_);
    batch.compute_reward_to_go(static_cast<float>(options_.gamma));

    // Â_t = G_t − V_φ(s_t)
    learn::RowVector<float> advantages = batch.returns() - batch.values();
    if (options_.normalize_advantages) learn::normalize_advantages(advantages);

    // θ ← θ + α ∇θ (1/B) Σ Â log π: the SDK's loss is its negative, −(1/B) Σ Â log π.
    Policy::Gradient gradient = policy().zero_gradient();
    const auto loss = policy().policy_gradient_loss(policy_workspace_, states, batch.actions(), advantages,
                                                    /*entropy_coefficient=*/0.0f, gradient);
    policy_optimizer_.step(policy().network().parameters(), gradient.network);
    if (!policy().discrete()) log_std_optimizer_.step(policy().log_std(), gradient.log_std);

    // φ ← φ − α_V ∇φ (1/B) Σ (V_φ(s) − G)²
    learn::Vector<float> critic_gradient(critic().num_parameters());
    double value_loss = 0.0;
    for (std::int64_t i = 0; i < options_.critic_iterations; ++i) {
      value_loss = learn::value_loss(critic(), critic_workspace_, states, batch.returns(), critic_gradient);
      critic_optimizer_.step(critic().parameters(), critic_gradient);
    }
    batch.clear();

    metrics("loss/policy", loss.policy_loss);
    metrics("loss/value", value_loss);
    metrics("policy/entropy", loss.entropy);
  }

 private:
  Vpg(const pgb::AlgorithmContext& context, const Options& options)
      : OnPolicyAlgorithm(context, {.name = "vpg",
                                    .num_steps = std::max<learn::Index>(1, options.steps_per_batch / context.num_envs),
                                    .initial_log_std = options.initial_log_std,
                                    .normalize_observations = options.normalize_observations,
                                    .normalize_returns = options.normalize_returns,
                                    .gamma = options.gamma}),
        options_(options),
        policy_optimizer_(policy().network().num_parameters(), {.learning_rate = options.learning_rate}),
        log_std_optimizer_(policy().log_std().size(), {.learning_rate = options.learning_rate}),
        critic_optimizer_(critic().num_parameters(), {.learning_rate = options.critic_learning_rate}),
        policy_workspace_(policy().network(), rollout().size()),
        critic_workspace_(critic(), rollout().size()) {}

  // The optimisers' moments are part of a full checkpoint (the SDK saves the rest).
  void save_optimizers(pgb::OutputArchive& out) const override {
    policy_optimizer_.save(out);
    log_std_optimizer_.save(out);
    critic_optimizer_.save(out);
  }
  void load_optimizers(pgb::InputArchive& in) override {
    policy_optimizer_.load(in);
    log_std_optimizer_.load(in);
    critic_optimizer_.load(in);
  }

  Options options_;
  learn::Adam<float> policy_optimizer_, log_std_optimizer_, critic_optimizer_;
  Policy::Workspace policy_workspace_;
  Critic::Workspace critic_workspace_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(Vpg, "org.example.vpg/1")
    .name("vpg")
    .description("Vanilla policy gradient with a learned baseline: reward-to-go, advantage, one Adam step per batch")
    .num_envs(4)
    .params(kHyperparameters);

PGB_PLUGIN("org.example.vpg", "vpg", "1.0.0", "Vanilla policy gradient, written from the pgbench template")
