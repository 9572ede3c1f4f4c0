#include "a2c.hpp"

#include <pgbench/sdk/learn/checkpoint.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace pgb::a2c {

Options Options::from(const Config& hyperparameters) {
  Options o;
  o.learning_rate = hyperparameters.get_double("learning_rate");
  o.n_steps = hyperparameters.get_int("n_steps");
  o.gamma = hyperparameters.get_double("gamma");
  o.gae_lambda = hyperparameters.get_double("gae_lambda");
  o.value_coef = hyperparameters.get_double("value_coef");
  o.entropy_coef = hyperparameters.get_double("entropy_coef");
  o.max_grad_norm = hyperparameters.get_double("max_grad_norm");
  o.rmsprop_alpha = hyperparameters.get_double("rmsprop_alpha");
  o.rmsprop_epsilon = hyperparameters.get_double("rmsprop_epsilon");
  o.normalize_returns = hyperparameters.get_bool("normalize_returns");
  o.normalize_observations = hyperparameters.get_bool("normalize_observations");
  o.initial_log_std = hyperparameters.get_double("initial_log_std");
  return o;
}

namespace {

const std::vector<Index> kHiddenWidths{64, 64};

Index observation_dim(const Space& space) {
  if (!space.is_box()) throw Unsupported("a2c: the observation space must be a Box");
  return static_cast<Index>(space.dim());
}

learn::RmsPropOptions rmsprop(const Options& o) { return {o.learning_rate, o.rmsprop_alpha, o.rmsprop_epsilon}; }

}  // namespace

A2c::A2c(const AlgorithmContext& context, const Options& options)
    : options_(options),
      rng_(context.seed),
      policy_(observation_dim(context.observation_space), context.action_space, kHiddenWidths, options.initial_log_std, rng_),
      critic_(learn::make_critic<float>(observation_dim(context.observation_space), kHiddenWidths, rng_)),
      network_optimizer_(policy_.network().num_parameters(), rmsprop(options)),
      log_std_optimizer_(policy_.log_std().size(), rmsprop(options)),
      critic_optimizer_(critic_.num_parameters(), rmsprop(options)),
      learning_rate_(learn::linear_decay_over_budget(options.learning_rate, context.total_env_steps)),
      collector_({context.num_envs, static_cast<Index>(options.n_steps), options.normalize_observations,
                  options.normalize_returns, options.gamma},
                 observation_dim(context.observation_space), policy_),
      policy_workspace_(policy_.network(), collector_.rollout().size()),
      critic_workspace_(critic_, collector_.rollout().size()) {}

void A2c::act(ConstRows observations, ActionRows actions) { collector_.act(policy_, rng_, observations, actions); }

void A2c::act_eval(ConstRows observations, ActionRows actions) const {
  collector_.act_eval(policy_, observations, actions);
}

bool A2c::observe(const Transitions& batch) { return collector_.observe(batch); }

void A2c::update(std::uint64_t env_steps_done, const Metrics& metrics) {
  auto& rollout = collector_.rollout();
  const auto observations = rollout.observations();

  // Â by GAE(γ, λ) on the critic's values of the rollout's states; R = Â + V.
  collector_.estimate_values(critic_, critic_workspace_);
  rollout.compute_gae(static_cast<float>(options_.gamma), static_cast<float>(options_.gae_lambda));
  const double explained_variance = learn::explained_variance(rollout.values(), rollout.returns());

  // ∇ of L = −(1/B) Σ Â log π  −  c_H (1/B) Σ H  +  c_V (1/B) Σ (V − R)²
  Policy::Gradient policy_gradient = policy_.zero_gradient();
  const auto policy_terms =
      policy_.policy_gradient_loss(policy_workspace_, observations, rollout.actions(), rollout.advantages(),
                                   static_cast<float>(options_.entropy_coef), policy_gradient);
  learn::Vector<float> critic_gradient(critic_.num_parameters());
  const double value_loss = learn::value_loss(critic_, critic_workspace_, observations, rollout.returns(), critic_gradient);
  critic_gradient *= static_cast<float>(options_.value_coef);

  const double grad_norm = learn::clip_by_global_norm(options_.max_grad_norm, policy_gradient.network,
                                                      policy_gradient.log_std, critic_gradient);
  const double learning_rate = learning_rate_.at(env_steps_done);
  for (auto* optimizer : {&network_optimizer_, &log_std_optimizer_, &critic_optimizer_})
    optimizer->set_learning_rate(learning_rate);
  network_optimizer_.step(policy_.network().parameters(), policy_gradient.network);
  if (!policy_.discrete()) log_std_optimizer_.step(policy_.log_std(), policy_gradient.log_std);
  critic_optimizer_.step(critic_.parameters(), critic_gradient);
  rollout.clear();

  metrics("loss/policy", policy_terms.policy_loss);
  metrics("loss/value", value_loss);
  metrics("policy/entropy", policy_terms.entropy);
  metrics("value/explained_variance", explained_variance);
  metrics("optim/grad_norm", grad_norm);
  metrics("optim/lr", learning_rate);
}

// A checkpoint may be taken between any two calls: the rollout in progress, the RNG and the
// running statistics are all in it, so save → load → continue is the run that never stopped.
void A2c::save(OutputArchive& out, StateScope scope) const {
  out.tag("a2c.policy");
  policy_.save(out);
  collector_.save_policy_input(out);
  if (scope == StateScope::Policy) return;
  out.tag("a2c.learner");
  critic_.save(out);
  network_optimizer_.save(out);
  log_std_optimizer_.save(out);
  critic_optimizer_.save(out);
  learn::save_rng(out, rng_);
  collector_.save_experience(out);
}

void A2c::load(InputArchive& in, StateScope scope) {
  in.expect_tag("a2c.policy");
  policy_.load(in);
  collector_.load_policy_input(in);
  if (scope == StateScope::Policy) return;
  in.expect_tag("a2c.learner");
  critic_.load(in);
  network_optimizer_.load(in);
  log_std_optimizer_.load(in);
  critic_optimizer_.load(in);
  learn::load_rng(in, rng_);
  collector_.load_experience(in);
}

}  // namespace pgb::a2c
