#include "a2c.hpp"

namespace pgb::a2c {

A2c::A2c(const AlgorithmContext& context, const Options& options)
    : OnPolicyAlgorithm(context, {"a2c", static_cast<Index>(options.n_steps), options.initial_log_std,
                                  options.normalize_observations, options.normalize_returns, options.gamma}),
      options_(options),
      network_optimizer_(policy().network().num_parameters(), learn::rmsprop_options(options)),
      log_std_optimizer_(policy().log_std().size(), learn::rmsprop_options(options)),
      critic_optimizer_(critic().num_parameters(), learn::rmsprop_options(options)),
      learning_rate_(learn::linear_decay_over_budget(options.learning_rate, context.total_env_steps)),
      policy_workspace_(policy().network(), rollout().size()),
      critic_workspace_(critic(), rollout().size()) {}

void A2c::update(std::uint64_t env_steps_done, const Metrics& metrics) {
  auto& rollout = this->rollout();
  const auto observations = rollout.observations();

  // Â by GAE(γ, λ) on the critic's values of the rollout's states; R = Â + V.
  collector().estimate_values(critic(), critic_workspace_);
  rollout.compute_gae(static_cast<float>(options_.gamma), static_cast<float>(options_.gae_lambda));
  const double explained_variance = learn::explained_variance(rollout.values(), rollout.returns());

  // ∇ of L = −(1/B) Σ Â log π  −  c_H (1/B) Σ H  +  c_V (1/B) Σ (V − R)²
  Policy::Gradient policy_gradient = policy().zero_gradient();
  const auto policy_terms =
      policy().policy_gradient_loss(policy_workspace_, observations, rollout.actions(), rollout.advantages(),
                                    static_cast<float>(options_.entropy_coef), policy_gradient);
  learn::Vector<float> critic_gradient(critic().num_parameters());
  const double value_loss = learn::value_loss(critic(), critic_workspace_, observations, rollout.returns(), critic_gradient);
  critic_gradient *= static_cast<float>(options_.value_coef);

  const double grad_norm = learn::clip_by_global_norm(options_.max_grad_norm, policy_gradient.network,
                                                      policy_gradient.log_std, critic_gradient);
  const double learning_rate = learning_rate_.at(env_steps_done);
  for (auto* optimizer : {&network_optimizer_, &log_std_optimizer_, &critic_optimizer_})
    optimizer->set_learning_rate(learning_rate);
  network_optimizer_.step(policy().network().parameters(), policy_gradient.network);
  if (!policy().discrete()) log_std_optimizer_.step(policy().log_std(), policy_gradient.log_std);
  critic_optimizer_.step(critic().parameters(), critic_gradient);
  rollout.clear();

  metrics("loss/policy", policy_terms.policy_loss);
  metrics("loss/value", value_loss);
  metrics("policy/entropy", policy_terms.entropy);
  metrics("value/explained_variance", explained_variance);
  metrics("optim/grad_norm", grad_norm);
  metrics("optim/lr", learning_rate);
}

void A2c::save_optimizers(OutputArchive& out) const {
  network_optimizer_.save(out);
  log_std_optimizer_.save(out);
  critic_optimizer_.save(out);
}

void A2c::load_optimizers(InputArchive& in) {
  network_optimizer_.load(in);
  log_std_optimizer_.load(in);
  critic_optimizer_.load(in);
}

}  // namespace pgb::a2c
