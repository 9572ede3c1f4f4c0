#include <pgbench/sdk/learn/natural_gradient.hpp>

#include <algorithm>

namespace pgb::learn {

namespace {

constexpr double kInitialLogStd = -0.5;  // the reference implementations'

}  // namespace

NaturalGradientAlgorithm::NaturalGradientAlgorithm(const AlgorithmContext& context, std::string_view name,
                                                   const NaturalGradientOptions& options)
    : OnPolicyAlgorithm(context, {name, std::max<Index>(1, options.steps_per_batch / context.num_envs), kInitialLogStd,
                                  options.normalize_observations, options.normalize_returns, options.gamma}),
      options_(options),
      critic_optimizer_(critic().num_parameters(),
                        {.learning_rate = options.critic_learning_rate, .epsilon = options.adam_epsilon}),
      critic_learning_rate_(
          linear_decay_over_budget(options.critic_learning_rate, options.lr_decay ? context.total_env_steps : 0)),
      log_std_floor_(log_std_floor(context.action_space, options.min_action_std)),
      policy_workspace_(policy().network(), rollout().size()),
      critic_workspace_(critic(), rollout().size()),
      per_sample_(rollout().size()) {}

void NaturalGradientAlgorithm::update(std::uint64_t env_steps_done, const Metrics& metrics) {
  auto& rollout = this->rollout();
  collector().estimate_values(critic(), critic_workspace_);
  rollout.compute_gae(static_cast<float>(options_.gamma), static_cast<float>(options_.gae_lambda));
  const double explained = explained_variance(rollout.values(), rollout.returns());
  if (options_.normalize_advantages) normalize_advantages(rollout.advantages());

  policy_step(metrics);
  policy().entropy(policy().network().forward(policy_workspace_, rollout.observations()), per_sample_);
  const double entropy = per_sample_.mean();

  critic_optimizer_.set_learning_rate(critic_learning_rate_.at(env_steps_done));
  const double value_loss = fit_value_function(critic(), critic_workspace_, critic_optimizer_, rollout.observations(),
                                               rollout.returns(), options_.critic_iterations);
  rollout.clear();

  metrics("policy/entropy", entropy);
  if (policy().log_std().size()) metrics("policy/log_std_min", policy().log_std().minCoeff());
  metrics("loss/value", value_loss);
  metrics("value/explained_variance", explained);
  metrics("optim/lr", critic_optimizer_.learning_rate());
}

NaturalGradientAlgorithm::OldPolicy NaturalGradientAlgorithm::snapshot() {
  OldPolicy old;
  old.outputs = policy().network().forward(policy_workspace_, rollout().observations());
  old.log_std = policy().log_std();
  old.log_probs.resize(rollout().size());
  policy().log_prob(old.outputs, rollout().actions(), old.log_probs);
  return old;
}

NaturalGradient<float> NaturalGradientAlgorithm::natural_gradient() {
  return learn::natural_gradient<float>(policy(), policy_workspace_, rollout().actions(), rollout().advantages(),
                                        static_cast<float>(options_.damping),
                                        static_cast<int>(options_.cg_iterations));
}

TrialStep NaturalGradientAlgorithm::measure(const OldPolicy& old) {
  const auto outputs = policy().network().forward(policy_workspace_, rollout().observations());
  policy().log_prob(outputs, rollout().actions(), per_sample_);
  const Eigen::ArrayXd ratio = (per_sample_ - old.log_probs).transpose().cast<double>().array().exp();
  TrialStep step;
  step.improvement = ((ratio - 1.0) * rollout().advantages().transpose().cast<double>().array()).mean();
  policy().kl_from(old.outputs, old.log_std, outputs, per_sample_);
  step.kl = per_sample_.cast<double>().mean();
  return step;
}

}  // namespace pgb::learn
