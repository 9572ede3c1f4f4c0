// Trust Region Policy Optimization (Schulman et al. 2015), in the form of the published 1M-step
// MuJoCo setting (Tianshou): separate 64×64 tanh actor and critic, GAE(λ), whole-batch
// advantage normalisation, observation and return normalisation.
//
// Per batch of T steps × N envs, with L(θ) = E[π_θ(a|s) / π_old(a|s) · Â] the surrogate:
//   g = ∇L(θ_old)
//   x ≈ F⁻¹ g               conjugate gradient on the exact Fisher-vector product (learn/policy.hpp)
//   s = √(2δ / xᵀF x) · x    the step to the edge of the trust region ½ sᵀF s = δ
//   θ = θ_old + βᵏ s         for the first k whose step improves L with mean KL(π_old ‖ π_θ) ≤ δ
//                            (learn/trust_region.hpp); no step if none of them does
//   critic: several full-batch Adam steps on (V − R)²
#include <pgbench/sdk/learn/on_policy.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/policy.hpp>
#include <pgbench/sdk/learn/trust_region.hpp>
#include <pgbench/sdk/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

using namespace pgb::learn;

constexpr double kInitialLogStd = -0.5;

struct Hyperparameters {
  explicit Hyperparameters(const pgb::Config& c)
      : steps_per_batch(c.get_int("steps_per_batch")),
        gamma(c.get_double("gamma")),
        gae_lambda(c.get_double("gae_lambda")),
        max_kl(c.get_double("max_kl")),
        damping(c.get_double("damping")),
        cg_iterations(c.get_int("cg_iterations")),
        backtrack_coef(c.get_double("backtrack_coef")),
        max_backtracks(c.get_int("max_backtracks")),
        normalize_advantages(c.get_bool("normalize_advantages")),
        critic_learning_rate(c.get_double("critic_learning_rate")),
        critic_iterations(c.get_int("critic_iterations")),
        lr_decay(c.get_bool("lr_decay")),
        normalize_observations(c.get_bool("normalize_observations")),
        normalize_returns(c.get_bool("normalize_returns")),
        adam_epsilon(c.get_double("adam_epsilon")) {}
  std::int64_t steps_per_batch;  // T = steps_per_batch / num_envs steps of every sub-env
  double gamma, gae_lambda;
  double max_kl, damping;
  std::int64_t cg_iterations;
  double backtrack_coef;
  std::int64_t max_backtracks;
  bool normalize_advantages;
  double critic_learning_rate;
  std::int64_t critic_iterations;
  bool lr_decay, normalize_observations, normalize_returns;
  double adam_epsilon;
};

class Trpo final : public OnPolicyAlgorithm {
 public:
  explicit Trpo(const pgb::AlgorithmContext& context) : Trpo(context, Hyperparameters(context.hyperparameters)) {}

  void update(std::uint64_t env_steps_done, const pgb::Metrics& metrics) override {
    auto& rollout = this->rollout();
    collector().estimate_values(critic(), critic_workspace_);
    rollout.compute_gae(static_cast<float>(hp_.gamma), static_cast<float>(hp_.gae_lambda));
    const double explained = explained_variance(rollout.values(), rollout.returns());
    if (hp_.normalize_advantages) normalize_advantages(rollout.advantages());
    const TrustRegionStep step = policy_step();
    const double value_loss = fit_critic(env_steps_done);
    rollout.clear();

    metrics("trpo/surrogate_improvement", step.search.step.improvement);
    metrics("trpo/kl", step.search.step.kl);
    metrics("trpo/line_search_steps", step.search.tries);
    metrics("trpo/step_rejected", step.search.accepted ? 0.0 : 1.0);
    metrics("trpo/cg_residual", step.cg_residual);
    metrics("policy/entropy", step.entropy);
    metrics("loss/value", value_loss);
    metrics("value/explained_variance", explained);
    metrics("optim/lr", critic_optimizer_.learning_rate());
  }

 private:
  Trpo(const pgb::AlgorithmContext& context, const Hyperparameters& hp)
      : OnPolicyAlgorithm(context, {"trpo", std::max<Index>(1, hp.steps_per_batch / context.num_envs),
                                    kInitialLogStd, hp.normalize_observations, hp.normalize_returns, hp.gamma}),
        hp_(hp),
        critic_optimizer_(critic().num_parameters(),
                          {.learning_rate = hp_.critic_learning_rate, .epsilon = hp_.adam_epsilon}),
        critic_learning_rate_(
            linear_decay_over_budget(hp_.critic_learning_rate, hp_.lr_decay ? context.total_env_steps : 0)),
        policy_workspace_(policy().network(), rollout().size()),
        critic_workspace_(critic(), rollout().size()) {}

  void save_optimizers(pgb::OutputArchive& out) const override { critic_optimizer_.save(out); }
  void load_optimizers(pgb::InputArchive& in) override { critic_optimizer_.load(in); }

  struct TrustRegionStep {
    LineSearchResult search;
    double cg_residual = 0;
    double entropy = 0;
  };

  TrustRegionStep policy_step() {
    const auto& rollout = this->rollout();
    const Index batch = rollout.size();
    const auto observations = rollout.observations();
    const auto actions = rollout.actions();
    const auto advantages = rollout.advantages();

    // π_old on the batch. The workspace keeps this forward pass for the Fisher-vector products.
    const Matrix<float> old_outputs = policy().network().forward(policy_workspace_, observations);
    const Vector<float> old_log_std = policy().log_std();
    const Vector<float> old_theta = policy().flat_parameters();
    RowVector<float> old_log_probs(batch);
    policy().log_prob(old_outputs, actions, old_log_probs);

    // g = ∇L(θ_old): the ratio is 1 there, so ∂L/∂log π_i = Â_i / B.
    Policy::Gradient surrogate_gradient;
    policy().backward(policy_workspace_, actions, advantages / static_cast<float>(batch), 0.0f, surrogate_gradient);
    const Vector<float> gradient = Policy::flatten(surrogate_gradient);

    const auto fisher = [&](const Vector<float>& v) {
      return policy().fisher_vector_product(policy_workspace_, v, static_cast<float>(hp_.damping));
    };
    const auto cg = conjugate_gradient<float>(fisher, gradient, static_cast<int>(hp_.cg_iterations));
    const double curvature = cg.x.dot(fisher(cg.x));
    const Vector<float> full_step = static_cast<float>(std::sqrt(2 * hp_.max_kl / curvature)) * cg.x;

    RowVector<float> log_probs(batch), kl(batch);
    const auto try_step = [&](double fraction) {
      policy().set_flat_parameters(old_theta + static_cast<float>(fraction) * full_step);
      const auto outputs = policy().network().forward(policy_workspace_, observations);
      policy().log_prob(outputs, actions, log_probs);
      policy().kl_from(old_outputs, old_log_std, outputs, kl);
      const Eigen::ArrayXd ratio = (log_probs - old_log_probs).transpose().cast<double>().array().exp();
      return TrialStep{((ratio - 1.0) * advantages.transpose().cast<double>().array()).mean(),
                       kl.cast<double>().mean()};
    };
    TrustRegionStep step;
    step.search = curvature > 0 ? backtracking_line_search(try_step, hp_.max_kl, hp_.backtrack_coef,
                                                           static_cast<int>(hp_.max_backtracks))
                                : LineSearchResult{};
    if (!step.search.accepted) policy().set_flat_parameters(old_theta);
    step.cg_residual = cg.residual_norm;

    RowVector<float> entropy(batch);
    policy().entropy(policy().network().forward(policy_workspace_, observations), entropy);
    step.entropy = entropy.mean();
    return step;
  }

  // Full-batch Adam steps on (1/B) Σ (V − R)²; returns the loss before the last step.
  double fit_critic(std::uint64_t env_steps_done) {
    critic_optimizer_.set_learning_rate(critic_learning_rate_.at(env_steps_done));
    const auto& rollout = this->rollout();
    Vector<float> gradient(critic().num_parameters());
    double loss = 0;
    for (std::int64_t i = 0; i < hp_.critic_iterations; ++i) {
      loss = value_loss(critic(), critic_workspace_, rollout.observations(), rollout.returns(), gradient);
      critic_optimizer_.step(critic().parameters(), gradient);
    }
    return loss;
  }

  Hyperparameters hp_;
  Adam<float> critic_optimizer_;
  LinearDecay critic_learning_rate_;
  Mlp<float>::Workspace policy_workspace_;  // the whole batch
  Mlp<float>::Workspace critic_workspace_;  // the whole batch
};

}  // namespace

PGB_REGISTER_ALGORITHM(Trpo, "org.pgbench.algo.trpo/1")
    .name("trpo")
    .description("Trust Region Policy Optimization (Schulman et al. 2015)")
    .param("steps_per_batch", 1024, "env steps per update, spread over the sub-envs (T = steps_per_batch / num_envs)",
           1.0, 1e7)
    .param("gamma", 0.99, "discount factor", 0.0, 1.0)
    .param("gae_lambda", 0.95, "GAE lambda", 0.0, 1.0)
    .param("max_kl", 0.01, "trust region: bound delta on the mean KL(pi_old || pi)", 0.0, 10.0)
    .param("damping", 0.1, "added to the Fisher (F + damping I) for conjugate gradient", 0.0, 1e3)
    .param("cg_iterations", 10, "conjugate-gradient iterations", 1.0, 1e4)
    .param("backtrack_coef", 0.8, "line search: step fraction factor per try", 0.0, 1.0)
    .param("max_backtracks", 10, "line search: most trial steps", 1.0, 1e3)
    .param("normalize_advantages", true, "standardise advantages over the batch")
    .param("critic_learning_rate", 1e-3, "critic Adam step size (decayed linearly to 0 when lr_decay)", 0.0, 1.0)
    .param("critic_iterations", 20, "full-batch critic Adam steps per update", 0.0, 1e4)
    .param("lr_decay", true, "decay the critic learning rate linearly to 0 over the run's env-step budget")
    .param("normalize_observations", true, "running observation normalisation (frozen in evaluation)")
    .param("normalize_returns", true, "scale rewards by the running std of the discounted return")
    .param("adam_epsilon", 1e-8, "critic Adam epsilon (added outside the square root)", 0.0, 1.0);

PGB_PLUGIN("org.pgbench.trpo", "TRPO", "1.0.0", "Trust Region Policy Optimization")
