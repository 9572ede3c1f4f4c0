#include "a3c.hpp"

#include <string>

namespace pgb::a3c {

namespace {

// W: `workers`, or one per sub-env when 0.
std::int64_t worker_count(const AlgorithmContext& context, const Options& options) {
  return options.workers == 0 ? std::int64_t{context.num_envs} : options.workers;
}

// The sub-envs per worker, or an error naming both numbers.
Index envs_per_worker(const AlgorithmContext& context, const Options& options) {
  const std::int64_t workers = worker_count(context, options);
  if (workers > context.num_envs || context.num_envs % workers != 0)
    throw InvalidArgument("a3c: num_envs = " + std::to_string(context.num_envs) + " cannot be shared by workers = " +
                          std::to_string(workers) + "; num_envs must be a multiple of workers (0: one per sub-env)");
  return context.num_envs / workers;
}

}  // namespace

A3c::A3c(const AlgorithmContext& context, const Options& options)
    : OnPolicyAlgorithm(context, {"a3c", static_cast<Index>(options.n_steps), options.initial_log_std,
                                  options.normalize_observations, options.normalize_returns, options.gamma}),
      options_(options),
      group_(envs_per_worker(context, options)),
      workers_(static_cast<std::size_t>(worker_count(context, options)), Worker{policy(), critic()}),
      network_optimizer_(policy().network().num_parameters(), learn::rmsprop_options(options)),
      log_std_optimizer_(policy().log_std().size(), learn::rmsprop_options(options)),
      critic_optimizer_(critic().num_parameters(), learn::rmsprop_options(options)),
      learning_rate_(learn::linear_decay_over_budget(options.learning_rate, context.total_env_steps)),
      policy_workspace_(policy().network(), group_ * options.n_steps),
      critic_workspace_(critic(), rollout().size()),
      observations_(rollout().observations().rows(), group_ * options.n_steps),
      actions_(rollout().actions().rows(), group_ * options.n_steps),
      advantages_(group_ * options.n_steps),
      returns_(group_ * options.n_steps),
      values_(group_ * options.n_steps) {
  for (const Worker& worker : workers_) behaviour_.push_back(&worker.policy);
}

void A3c::update(std::uint64_t env_steps_done, const Metrics& metrics) {
  const double learning_rate = learning_rate_.at(env_steps_done);
  for (auto* optimizer : {&network_optimizer_, &log_std_optimizer_, &critic_optimizer_})
    optimizer->set_learning_rate(learning_rate);
  Sums sums;
  for (Index w = 0; w < static_cast<Index>(workers_.size()); ++w) worker_update(w, sums);
  rollout().clear();

  const double n = static_cast<double>(workers_.size());
  metrics("loss/policy", sums.policy_loss / n);
  metrics("loss/value", sums.value_loss / n);
  metrics("policy/entropy", sums.entropy / n);
  metrics("value/explained_variance", sums.explained_variance / n);
  metrics("optim/grad_norm", sums.grad_norm / n);
  metrics("optim/lr", learning_rate);
  metrics("a3c/staleness", sums.staleness / n);
}

// Worker w's update from its segment, applied to the shared parameters; then its refresh.
void A3c::worker_update(Index w, Sums& sums) {
  Worker& worker = workers_[static_cast<std::size_t>(w)];
  auto& rollout = this->rollout();
  // Returns and advantages from the worker's own critic (computed for every sub-env, since GAE
  // runs over the whole rollout, and then only the worker's are kept).
  collector().estimate_values(worker.critic, critic_workspace_);
  rollout.compute_gae(static_cast<float>(options_.gamma), static_cast<float>(options_.gae_lambda));
  gather(w);
  sums.explained_variance += learn::explained_variance(values_, returns_);

  Policy::Gradient policy_gradient = worker.policy.zero_gradient();
  const auto terms = worker.policy.policy_gradient_loss(policy_workspace_, observations_, actions_, advantages_,
                                                        static_cast<float>(options_.entropy_coef), policy_gradient);
  learn::Vector<float> critic_gradient(worker.critic.num_parameters());
  sums.value_loss += learn::value_loss(worker.critic, critic_workspace_, observations_, returns_, critic_gradient);
  critic_gradient *= static_cast<float>(options_.value_coef);
  sums.grad_norm += learn::clip_by_global_norm(options_.max_grad_norm, policy_gradient.network,
                                               policy_gradient.log_std, critic_gradient);
  sums.policy_loss += terms.policy_loss;
  sums.entropy += terms.entropy;

  // Applied to the shared parameters, which may have moved since the worker copied them.
  sums.staleness += static_cast<double>(version_ - worker.version);
  network_optimizer_.step(policy().network().parameters(), policy_gradient.network);
  if (!policy().discrete()) log_std_optimizer_.step(policy().log_std(), policy_gradient.log_std);
  critic_optimizer_.step(critic().parameters(), critic_gradient);
  ++version_;

  worker.policy.set_flat_parameters(policy().flat_parameters());
  worker.critic.set_parameters(critic().parameters());
  worker.version = version_;
}

// Worker w's samples of the rollout (sample t·N + i for its sub-envs i), in time order.
void A3c::gather(Index w) {
  const auto& rollout = this->rollout();
  const Index n = rollout.num_envs();
  for (Index t = 0; t < rollout.num_steps(); ++t) {
    const Index from = t * n + w * group_, to = t * group_;
    observations_.middleCols(to, group_) = rollout.observations().middleCols(from, group_);
    actions_.middleCols(to, group_) = rollout.actions().middleCols(from, group_);
    advantages_.middleCols(to, group_) = rollout.advantages().middleCols(from, group_);
    returns_.middleCols(to, group_) = rollout.returns().middleCols(from, group_);
    values_.middleCols(to, group_) = rollout.values().middleCols(from, group_);
  }
}

// The shared RMSprop statistics, and every worker's copy of the parameters (which its next
// gradient is computed on) with its version.
void A3c::save_optimizers(OutputArchive& out) const {
  network_optimizer_.save(out);
  log_std_optimizer_.save(out);
  critic_optimizer_.save(out);
  out.pod(version_);
  for (const Worker& worker : workers_) {
    worker.policy.save(out);
    worker.critic.save(out);
    out.pod(worker.version);
  }
}

void A3c::load_optimizers(InputArchive& in) {
  network_optimizer_.load(in);
  log_std_optimizer_.load(in);
  critic_optimizer_.load(in);
  in.pod(version_);
  for (Worker& worker : workers_) {
    worker.policy.load(in);
    worker.critic.load(in);
    in.pod(worker.version);
  }
}

}  // namespace pgb::a3c
