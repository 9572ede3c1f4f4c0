// Trust Region Policy Optimization (Schulman et al. 2015), in the form of the published 1M-step
// MuJoCo setting (Tianshou): separate 64×64 tanh actor and critic, GAE(λ), whole-batch
// advantage normalisation, observation and return normalisation.
//
// Per batch of T steps × N envs, with L(θ) = E[π_θ(a|s) / π_old(a|s) · Â] the surrogate:
//   g = ∇L(θ_old)
//   x ≈ F⁻¹ g               conjugate gradient on the exact Fisher-vector product (policy.hpp)
//   s = √(2δ / xᵀF x) · x    the step to the edge of the trust region ½ sᵀF s = δ
//   θ = θ_old + βᵏ s         for the first k whose step improves L with mean KL(π_old ‖ π_θ) ≤ δ
//                            (trust_region.hpp); no step if none of them does
//   critic: several full-batch Adam steps on (V − R)²
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

#include "on_policy.hpp"
#include "trust_region.hpp"

namespace {

using namespace pgb::learn;
using pgb::ppo::OnPolicyAgent;

struct Hyperparameters {
  explicit Hyperparameters(const pgb::Config& c)
      : max_kl(c.get_double("max_kl")),
        damping(c.get_double("damping")),
        cg_iterations(c.get_int("cg_iterations")),
        backtrack_coef(c.get_double("backtrack_coef")),
        max_backtracks(c.get_int("max_backtracks")),
        normalize_advantages(c.get_bool("normalize_advantages")),
        critic_learning_rate(c.get_double("critic_learning_rate")),
        critic_iterations(c.get_int("critic_iterations")),
        lr_decay(c.get_bool("lr_decay")),
        adam_epsilon(c.get_double("adam_epsilon")) {}
  double max_kl, damping;
  std::int64_t cg_iterations;
  double backtrack_coef;
  std::int64_t max_backtracks;
  bool normalize_advantages;
  double critic_learning_rate;
  std::int64_t critic_iterations;
  bool lr_decay;
  double adam_epsilon;
};

class Trpo final : public OnPolicyAgent {
 public:
  explicit Trpo(const pgb::AlgorithmContext& context)
      : OnPolicyAgent(context, pgb::ppo::CollectionSettings(context.hyperparameters)),
        hp_(context.hyperparameters),
        critic_optimizer_(critic_.num_parameters(),
                          {.learning_rate = hp_.critic_learning_rate, .epsilon = hp_.adam_epsilon}),
        policy_workspace_(policy_.network(), rollout_.size()) {
    if (hp_.lr_decay && context.total_env_steps > 0)
      lr_schedule_.emplace(hp_.critic_learning_rate, context.total_env_steps);
  }

  void update(std::uint64_t env_steps_done, const pgb::Metrics& metrics) override {
    estimate_advantages();
    const double explained = explained_variance();
    if (hp_.normalize_advantages) {
      auto advantages = rollout_.advantages();
      const double mean = advantages.mean();
      const double std =
          std::sqrt((advantages.array() - mean).square().sum() / std::max<Index>(1, advantages.size() - 1));
      advantages = ((advantages.array() - mean) / (std + 1e-8)).matrix();
    }
    const TrustRegionStep step = policy_step();
    const double value_loss = fit_critic(env_steps_done);
    rollout_.clear();

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

  void save(pgb::OutputArchive& out, pgb::StateScope scope) const override {
    save_collection(out, scope);
    if (scope == pgb::StateScope::Policy) return;
    out.tag("trpo");
    critic_optimizer_.save(out);
  }

  void load(pgb::InputArchive& in, pgb::StateScope scope) override {
    load_collection(in, scope);
    if (scope == pgb::StateScope::Policy) return;
    in.expect_tag("trpo");
    critic_optimizer_.load(in);
  }

 private:
  struct TrustRegionStep {
    pgb::trpo::LineSearchResult search;
    double cg_residual = 0;
    double entropy = 0;
  };

  TrustRegionStep policy_step() {
    const Index batch = rollout_.size();
    const auto observations = rollout_.observations();
    const auto actions = rollout_.actions();
    const auto advantages = rollout_.advantages();

    // π_old on the batch. The workspace keeps this forward pass for the Fisher-vector products.
    const Matrix<float> old_outputs = policy_.network().forward(policy_workspace_, observations);
    const Vector<float> old_log_std = policy_.log_std();
    const Vector<float> old_theta = policy_.flat_parameters();
    RowVector<float> old_log_probs(batch);
    policy_.log_prob(old_outputs, actions, old_log_probs);

    // g = ∇L(θ_old): the ratio is 1 there, so ∂L/∂log π_i = Â_i / B.
    Matrix<float> output_gradient = Matrix<float>::Zero(old_outputs.rows(), batch);
    Vector<float> gradient = Vector<float>::Zero(policy_.num_parameters());
    const Index p = policy_.network().num_parameters();
    policy_.add_log_prob_gradient(old_outputs, actions, advantages / static_cast<float>(batch), output_gradient,
                                  gradient.tail(policy_.log_std().size()));
    policy_.network().backward(policy_workspace_, output_gradient, gradient.head(p));

    const auto fisher = [&](const Vector<float>& v) {
      return policy_.fisher_vector_product(policy_workspace_, v, static_cast<float>(hp_.damping));
    };
    const auto cg = pgb::trpo::conjugate_gradient<float>(fisher, gradient, static_cast<int>(hp_.cg_iterations));
    const double curvature = cg.x.dot(fisher(cg.x));
    const Vector<float> full_step = static_cast<float>(std::sqrt(2 * hp_.max_kl / curvature)) * cg.x;

    RowVector<float> log_probs(batch), kl(batch);
    const auto try_step = [&](double fraction) {
      policy_.set_flat_parameters(old_theta + static_cast<float>(fraction) * full_step);
      const auto outputs = policy_.network().forward(policy_workspace_, observations);
      policy_.log_prob(outputs, actions, log_probs);
      policy_.kl_from(old_outputs, old_log_std, outputs, kl);
      const Eigen::ArrayXd ratio = (log_probs - old_log_probs).transpose().cast<double>().array().exp();
      return pgb::trpo::TrialStep{((ratio - 1.0) * advantages.transpose().cast<double>().array()).mean(),
                                  kl.cast<double>().mean()};
    };
    TrustRegionStep step;
    step.search = curvature > 0 ? pgb::trpo::backtracking_line_search(try_step, hp_.max_kl, hp_.backtrack_coef,
                                                                      static_cast<int>(hp_.max_backtracks))
                                : pgb::trpo::LineSearchResult{};
    if (!step.search.accepted) policy_.set_flat_parameters(old_theta);
    step.cg_residual = cg.residual_norm;

    RowVector<float> entropy(batch);
    policy_.entropy(policy_.network().forward(policy_workspace_, observations), entropy);
    step.entropy = entropy.mean();
    return step;
  }

  // Full-batch Adam steps on (1/B) Σ (V − R)²; returns the loss before the last step.
  double fit_critic(std::uint64_t env_steps_done) {
    if (lr_schedule_) critic_optimizer_.set_learning_rate(lr_schedule_->at(env_steps_done));
    const Index batch = rollout_.size();
    const auto returns = rollout_.returns();
    Vector<float> gradient(critic_.num_parameters());
    double loss = 0;
    for (std::int64_t i = 0; i < hp_.critic_iterations; ++i) {
      const auto values = critic_.forward(critic_workspace_, rollout_.observations());
      const RowVector<float> error = values - returns;
      loss = error.squaredNorm() / static_cast<double>(batch);
      critic_.backward(critic_workspace_, (2.0f / static_cast<float>(batch)) * error, gradient);
      critic_optimizer_.step(critic_.parameters(), gradient);
    }
    return loss;
  }

  Hyperparameters hp_;
  Adam<float> critic_optimizer_;
  std::optional<LinearDecay> lr_schedule_;
  Mlp<float>::Workspace policy_workspace_;  // sized for the whole batch
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
