// Natural Policy Gradient (Kakade 2001), in the normalised form of Rajeswaran et al. 2017 with the
// actor-critic setting of the published 1M-step MuJoCo benchmark (Tianshou's NPG: separate 64×64
// tanh actor and critic, GAE(λ), whole-batch advantage normalisation, observation and return
// normalisation, 16 envs × 64 steps per batch).
//
// Per batch of T steps × N envs, with L(θ) = E[π_θ(a|s) / π_old(a|s) · Â] the surrogate:
//   g = ∇L(θ_old)
//   x ≈ F⁻¹ g               conjugate gradient on the exact Fisher-vector product
//   θ = θ_old + √(δ / gᵀx) · x    a fixed squared Fisher distance δ per update, no line search
//                            (both steps in learn/natural_gradient.hpp, shared with TRPO)
//   critic: several full-batch Adam steps on (V − R)²
//
// How it differs from TRPO: the same direction, but TRPO scales it to the edge of its trust
// region and backtracks until the surrogate improves within the KL bound; NPG takes the step
// whatever the surrogate and the KL do. So the pair is an ablation of the line search.
// Where the published settings differ: Tianshou's NPG steps 0.1 · x, a step whose KL depends on
// the scale of the gradient; this one is normalised (δ = 0.01, the default of Rajeswaran et al.'s
// code), so that its size means the same on every task and at every point of a run.
//
// The same floor on the exploration noise as TRPO (min_action_std; see trpo.cpp for why): NPG
// also steps a fixed distance every update, so it is exposed to the same collapse of σ once every
// episode is perfect.
#include <pgbench/sdk/learn/natural_gradient.hpp>
#include <pgbench/sdk/learn/on_policy.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/plugin.hpp>

#include <algorithm>
#include <cmath>

namespace {

using namespace pgb::learn;

constexpr double kInitialLogStd = -0.5;

// The settings; the initialisers are the defaults.
struct Options {
  std::int64_t steps_per_batch = 1024;
  double gamma = 0.99;
  double gae_lambda = 0.95;
  double step_size = 0.01;
  double damping = 0.1;
  std::int64_t cg_iterations = 10;
  bool normalize_advantages = true;
  double critic_learning_rate = 1e-3;
  std::int64_t critic_iterations = 20;
  bool lr_decay = true;
  bool normalize_observations = true;
  bool normalize_returns = true;
  double adam_epsilon = 1e-8;
  double min_action_std = 0.1;
};

const pgb::Hyperparameters<Options> kHyperparameters{
    {"steps_per_batch", &Options::steps_per_batch, "env steps per update, spread over the sub-envs (T = steps_per_batch / num_envs)", 1.0, 1e7},
    {"gamma", &Options::gamma, "discount factor", 0.0, 1.0},
    {"gae_lambda", &Options::gae_lambda, "GAE lambda", 0.0, 1.0},
    {"step_size", &Options::step_size, "normalised step: the squared Fisher distance delta = s^T F s of every update", 0.0, 10.0},
    {"damping", &Options::damping, "added to the Fisher (F + damping I) for conjugate gradient", 0.0, 1e3},
    {"cg_iterations", &Options::cg_iterations, "conjugate-gradient iterations", 1.0, 1e4},
    {"normalize_advantages", &Options::normalize_advantages, "standardise advantages over the batch"},
    {"critic_learning_rate", &Options::critic_learning_rate, "critic Adam step size (decayed linearly to 0 when lr_decay)", 0.0, 1.0},
    {"critic_iterations", &Options::critic_iterations, "full-batch critic Adam steps per update", 0.0, 1e4},
    {"lr_decay", &Options::lr_decay, "decay the critic learning rate linearly to 0 over the run's env-step budget"},
    {"normalize_observations", &Options::normalize_observations, "running observation normalisation (frozen in evaluation)"},
    {"normalize_returns", &Options::normalize_returns, "scale rewards by the running std of the discounted return"},
    {"adam_epsilon", &Options::adam_epsilon, "critic Adam epsilon (added outside the square root)", 0.0, 1.0},
    {"min_action_std", &Options::min_action_std, "floor on the policy's std per action dimension, as a fraction of (high - low) / 2 (0: none)", 0.0, 1.0},
};

class Npg final : public OnPolicyAlgorithm {
 public:
  explicit Npg(const pgb::AlgorithmContext& context) : Npg(context, kHyperparameters.read(context.hyperparameters)) {}

  void update(std::uint64_t env_steps_done, const pgb::Metrics& metrics) override {
    auto& rollout = this->rollout();
    collector().estimate_values(critic(), critic_workspace_);
    rollout.compute_gae(static_cast<float>(hp_.gamma), static_cast<float>(hp_.gae_lambda));
    const double explained = explained_variance(rollout.values(), rollout.returns());
    if (hp_.normalize_advantages) normalize_advantages(rollout.advantages());
    const NaturalStep step = policy_step();
    critic_optimizer_.set_learning_rate(critic_learning_rate_.at(env_steps_done));
    const double value_loss = fit_value_function(critic(), critic_workspace_, critic_optimizer_,
                                                 rollout.observations(), rollout.returns(), hp_.critic_iterations);
    rollout.clear();

    metrics("npg/kl", step.kl);
    metrics("npg/surrogate_improvement", step.improvement);
    metrics("npg/cg_residual", step.cg_residual);
    metrics("policy/entropy", step.entropy);
    if (policy().log_std().size()) metrics("policy/log_std_min", policy().log_std().minCoeff());
    metrics("loss/value", value_loss);
    metrics("value/explained_variance", explained);
    metrics("optim/lr", critic_optimizer_.learning_rate());
  }

 private:
  Npg(const pgb::AlgorithmContext& context, const Options& hp)
      : OnPolicyAlgorithm(context, {"npg", std::max<Index>(1, hp.steps_per_batch / context.num_envs),
                                    kInitialLogStd, hp.normalize_observations, hp.normalize_returns, hp.gamma}),
        hp_(hp),
        critic_optimizer_(critic().num_parameters(),
                          {.learning_rate = hp_.critic_learning_rate, .epsilon = hp_.adam_epsilon}),
        critic_learning_rate_(
            linear_decay_over_budget(hp_.critic_learning_rate, hp_.lr_decay ? context.total_env_steps : 0)),
        log_std_floor_(log_std_floor(context.action_space, hp_.min_action_std)),
        policy_workspace_(policy().network(), rollout().size()),
        critic_workspace_(critic(), rollout().size()) {}

  void save_optimizers(pgb::OutputArchive& out) const override { critic_optimizer_.save(out); }
  void load_optimizers(pgb::InputArchive& in) override { critic_optimizer_.load(in); }

  // What the step did, measured on the batch after it.
  struct NaturalStep {
    double kl = 0;           // mean KL(π_old ‖ π_θ)
    double improvement = 0;  // L(θ) − L(θ_old)
    double cg_residual = 0;
    double entropy = 0;
  };

  NaturalStep policy_step() {
    const auto& rollout = this->rollout();
    const Index batch = rollout.size();
    const auto observations = rollout.observations();
    const auto actions = rollout.actions();
    const auto advantages = rollout.advantages();

    // π_old on the batch; the workspace keeps this forward pass for the Fisher-vector products.
    const Matrix<float> old_outputs = policy().network().forward(policy_workspace_, observations);
    const Vector<float> old_log_std = policy().log_std();
    RowVector<float> old_log_probs(batch);
    policy().log_prob(old_outputs, actions, old_log_probs);

    const auto natural = natural_gradient<float>(policy(), policy_workspace_, actions, advantages,
                                                 static_cast<float>(hp_.damping), static_cast<int>(hp_.cg_iterations));
    policy().set_flat_parameters(policy().flat_parameters() + normalized_natural_step(natural, hp_.step_size));
    apply_log_std_floor(policy(), log_std_floor_);

    NaturalStep step;
    step.cg_residual = natural.cg_residual;
    const auto outputs = policy().network().forward(policy_workspace_, observations);
    RowVector<float> per_sample(batch);
    policy().kl_from(old_outputs, old_log_std, outputs, per_sample);
    step.kl = per_sample.cast<double>().mean();
    policy().log_prob(outputs, actions, per_sample);
    const Eigen::ArrayXd ratio = (per_sample - old_log_probs).transpose().cast<double>().array().exp();
    step.improvement = ((ratio - 1.0) * advantages.transpose().cast<double>().array()).mean();
    policy().entropy(outputs, per_sample);
    step.entropy = per_sample.mean();
    return step;
  }

  Options hp_;
  Adam<float> critic_optimizer_;
  LinearDecay critic_learning_rate_;
  Vector<float> log_std_floor_;             // per action dimension; empty for a Discrete space
  Mlp<float>::Workspace policy_workspace_;  // the whole batch
  Mlp<float>::Workspace critic_workspace_;  // the whole batch
};

}  // namespace

PGB_REGISTER_ALGORITHM(Npg, "org.pgbench.algo.npg/1")
    .name("npg")
    .description("Natural Policy Gradient (Kakade 2001), normalised step (Rajeswaran et al. 2017)")
    .num_envs(16)  // the reference setting: 16 envs, 1024 steps per batch
    .params(kHyperparameters);

PGB_PLUGIN("org.pgbench.npg", "NPG", "1.0.0", "Natural Policy Gradient")
