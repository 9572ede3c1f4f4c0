#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/rollout.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace pgb::learn {

template <class Scalar>
RolloutStorage<Scalar>::RolloutStorage(Index num_envs, Index num_steps, Index observation_dim, Index action_dim)
    : num_envs_(num_envs), num_steps_(num_steps) {
  if (num_envs < 1 || num_steps < 1 || observation_dim < 1 || action_dim < 1)
    throw std::invalid_argument("RolloutStorage: every size must be positive");
  observations_.setZero(observation_dim, size());
  actions_.setZero(action_dim, size());
  for (Matrix<Scalar>* per_step : {&log_probs_, &values_, &rewards_, &truncation_values_, &advantages_, &returns_})
    per_step->setZero(num_envs, num_steps);
  ends_.assign(static_cast<std::size_t>(size()), EpisodeEnd::running);
  bootstrap_values_.setZero(num_envs);
}

template <class Scalar>
void RolloutStorage<Scalar>::advance() {
  if (full()) throw std::logic_error("RolloutStorage::advance: the rollout is already full");
  ++step_;
}

template <class Scalar>
void RolloutStorage<Scalar>::clear() {
  step_ = 0;
  truncation_values_.setZero();
  bootstrap_values_.setZero();
}

template <class Scalar>
void RolloutStorage<Scalar>::check_step(Index t) const {
  if (t < 0 || t >= num_steps_)
    throw std::out_of_range("RolloutStorage: step " + std::to_string(t) + " outside [0, " +
                            std::to_string(num_steps_) + ")");
}

template <class Scalar>
MatrixMap<Scalar> RolloutStorage<Scalar>::observations(Index t) {
  check_step(t);
  return {observations_.data() + t * num_envs_ * observations_.rows(), observations_.rows(), num_envs_};
}

template <class Scalar>
MatrixMap<Scalar> RolloutStorage<Scalar>::actions(Index t) {
  check_step(t);
  return {actions_.data() + t * num_envs_ * actions_.rows(), actions_.rows(), num_envs_};
}

template <class Scalar>
RowVectorMap<Scalar> RolloutStorage<Scalar>::step_row(Matrix<Scalar>& per_step, Index t) {
  check_step(t);
  return {per_step.data() + t * num_envs_, num_envs_};
}

template <class Scalar>
RowVectorMap<Scalar> RolloutStorage<Scalar>::log_probs(Index t) {
  return step_row(log_probs_, t);
}

template <class Scalar>
RowVectorMap<Scalar> RolloutStorage<Scalar>::values(Index t) {
  return step_row(values_, t);
}

template <class Scalar>
RowVectorMap<Scalar> RolloutStorage<Scalar>::rewards(Index t) {
  return step_row(rewards_, t);
}

template <class Scalar>
RowVectorMap<Scalar> RolloutStorage<Scalar>::truncation_values(Index t) {
  return step_row(truncation_values_, t);
}

template <class Scalar>
std::span<EpisodeEnd> RolloutStorage<Scalar>::ends(Index t) {
  check_step(t);
  return std::span(ends_).subspan(static_cast<std::size_t>(t * num_envs_), static_cast<std::size_t>(num_envs_));
}

template <class Scalar>
ConstMatrixMap<Scalar> RolloutStorage<Scalar>::observations() const noexcept {
  return {observations_.data(), observations_.rows(), size()};
}

template <class Scalar>
ConstMatrixMap<Scalar> RolloutStorage<Scalar>::actions() const noexcept {
  return {actions_.data(), actions_.rows(), size()};
}

template <class Scalar>
void RolloutStorage<Scalar>::compute_gae(Scalar gamma, Scalar lambda) {
  for (Index env = 0; env < num_envs_; ++env) {
    Scalar next_advantage = 0;                      // A_{t+1}
    Scalar next_value = bootstrap_values_(env);     // V(s_{t+1})
    for (Index t = num_steps_ - 1; t >= 0; --t) {
      const EpisodeEnd end = ends_[static_cast<std::size_t>(t * num_envs_ + env)];
      Scalar continuation_value = next_value;
      if (end == EpisodeEnd::terminated) continuation_value = 0;
      if (end == EpisodeEnd::truncated) continuation_value = truncation_values_(env, t);
      const Scalar continues = end == EpisodeEnd::running ? Scalar(1) : Scalar(0);
      const Scalar delta = rewards_(env, t) + gamma * continuation_value - values_(env, t);
      advantages_(env, t) = delta + gamma * lambda * continues * next_advantage;
      returns_(env, t) = advantages_(env, t) + values_(env, t);
      next_advantage = advantages_(env, t);
      next_value = values_(env, t);
    }
  }
}

template <class Scalar>
void RolloutStorage<Scalar>::compute_reward_to_go(Scalar gamma) {
  for (Index env = 0; env < num_envs_; ++env) {
    Scalar next_return = bootstrap_values_(env);  // G_{t+1}
    for (Index t = num_steps_ - 1; t >= 0; --t) {
      const EpisodeEnd end = ends_[static_cast<std::size_t>(t * num_envs_ + env)];
      Scalar continuation = next_return;
      if (end == EpisodeEnd::terminated) continuation = 0;
      if (end == EpisodeEnd::truncated) continuation = truncation_values_(env, t);
      returns_(env, t) = rewards_(env, t) + gamma * continuation;
      next_return = returns_(env, t);
    }
  }
}

template <class Scalar>
void RolloutStorage<Scalar>::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.rollout");
  archive.pod<std::int64_t>(step_);
  save_dense(archive, observations_);
  save_dense(archive, actions_);
  for (const Matrix<Scalar>* per_step : {&log_probs_, &values_, &rewards_, &truncation_values_, &advantages_, &returns_})
    save_dense(archive, *per_step);
  archive.pod_vector(ends_);
  save_dense(archive, bootstrap_values_);
}

template <class Scalar>
void RolloutStorage<Scalar>::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.rollout");
  const auto step = archive.pod<std::int64_t>();
  if (step < 0 || step > num_steps_) throw std::runtime_error("checkpoint: rollout step out of range");
  step_ = step;
  load_dense(archive, observations_, "the rollout observations");
  load_dense(archive, actions_, "the rollout actions");
  for (Matrix<Scalar>* per_step : {&log_probs_, &values_, &rewards_, &truncation_values_, &advantages_, &returns_})
    load_dense(archive, *per_step, "a rollout per-step array");
  std::vector<EpisodeEnd> ends;
  archive.pod_vector(ends);
  if (ends.size() != ends_.size()) throw std::runtime_error("checkpoint: rollout episode ends of another size");
  for (EpisodeEnd end : ends)
    if (end != EpisodeEnd::running && end != EpisodeEnd::terminated && end != EpisodeEnd::truncated)
      throw std::runtime_error("checkpoint: invalid episode end in the rollout");
  ends_ = std::move(ends);
  load_dense(archive, bootstrap_values_, "the rollout bootstrap values");
}

template <class Scalar>
void RolloutSamples<Scalar>::gather(const RolloutStorage<Scalar>& rollout, std::span<const Index> indices) {
  const Index size = static_cast<Index>(indices.size());
  observations.resize(rollout.observations().rows(), size);
  actions.resize(rollout.actions().rows(), size);
  log_probs.resize(size);
  values.resize(size);
  advantages.resize(size);
  returns.resize(size);
  for (Index j = 0; j < size; ++j) {
    const Index k = indices[static_cast<std::size_t>(j)];
    observations.col(j) = rollout.observations().col(k);
    actions.col(j) = rollout.actions().col(k);
    log_probs[j] = rollout.log_probs()[k];
    values[j] = rollout.values()[k];
    advantages[j] = rollout.advantages()[k];
    returns[j] = rollout.returns()[k];
  }
}

template class RolloutStorage<float>;
template class RolloutStorage<double>;
template struct RolloutSamples<float>;
template struct RolloutSamples<double>;

}  // namespace pgb::learn
