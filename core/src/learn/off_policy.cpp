#include <pgbench/sdk/learn/off_policy.hpp>

#include <cmath>
#include <string>

#include "host_rows.hpp"

namespace pgb::learn {

ActionScale::ActionScale(const Space& box, std::string_view algorithm)
    : centre(static_cast<Index>(box.dim())), half_range(static_cast<Index>(box.dim())) {
  if (!box.is_box()) throw Unsupported(std::string(algorithm) + ": the action space must be a Box");
  for (std::size_t d = 0; d < box.dim(); ++d) {
    const double low = box.low()[d], high = box.high()[d];
    if (!std::isfinite(low) || !std::isfinite(high) || !(low < high))
      throw Unsupported(std::string(algorithm) + ": the tanh actor needs a bounded Box action space");
    centre(static_cast<Index>(d)) = (low + high) / 2;
    half_range(static_cast<Index>(d)) = (high - low) / 2;
  }
}

void ActionScale::to_box(MatrixRef<double> u) const {
  u = ((u.array().colwise() * half_range).colwise() + centre).matrix();
}

void ActionScale::to_unit(const ConstMatrixRef<double>& a, MatrixRef<double> u) const {
  u = ((a.array().colwise() - centre).colwise() / half_range).cwiseMax(-1.0).cwiseMin(1.0);
}

ExplorationNoise::Kind ExplorationNoise::parse(const std::string& name) {
  if (name == "gaussian") return Kind::gaussian;
  if (name == "ou") return Kind::ornstein_uhlenbeck;
  throw InvalidArgument("unknown exploration noise '" + name + "'; accepted: gaussian, ou");
}

void UpdateMetrics::add(std::string_view name, double value) {
  for (Entry& entry : entries_)
    if (entry.name == name) {
      entry.sum += value;
      ++entry.count;
      return;
    }
  entries_.push_back({name, value, 1});
}

void UpdateMetrics::report(const Metrics& metrics) const {
  for (const Entry& entry : entries_) metrics(entry.name, entry.sum / entry.count);
}

OffPolicyAlgorithm::OffPolicyAlgorithm(const AlgorithmContext& context, const Settings& settings)
    : name_(settings.name),
      num_envs_(context.num_envs),
      observation_dim_(static_cast<Index>(context.observation_space.dim())),
      action_dim_(static_cast<Index>(context.action_space.dim())),
      scale_(context.action_space, settings.name),
      start_steps_(settings.start_steps),
      updates_per_step_(settings.updates_per_step),
      rng_(context.seed),
      replay_(settings.buffer_size, observation_dim_, action_dim_),
      batch_(replay_, settings.batch_size),
      observations_(observation_dim_, num_envs_),
      stored_actions_(action_dim_, num_envs_),
      ends_(static_cast<std::size_t>(num_envs_)) {
  if (!context.observation_space.is_box())
    throw Unsupported(name_ + ": the observation space must be a Box");
}

void OffPolicyAlgorithm::act(ConstRows obs, ActionRows actions) {
  check_rows(obs.rows);
  MatrixMap<double> u(actions.box_data(), action_dim_, obs.rows);
  if (env_steps_ < start_steps_) {
    for (Index i = 0; i < u.cols(); ++i)
      for (Index d = 0; d < action_dim_; ++d) u(d, i) = rng_.uniform(-1.0, 1.0);
  } else {
    observations_ = columns(obs).cast<float>();
    explore(observations_, u);
  }
  scale_.to_box(u);
}

void OffPolicyAlgorithm::act_eval(ConstRows obs, ActionRows actions) const {
  const Matrix<float> observations = columns(obs).cast<float>();
  MatrixMap<double> u(actions.box_data(), action_dim_, obs.rows);
  exploit(observations, u);
  scale_.to_box(u);
}

bool OffPolicyAlgorithm::observe(const Transitions& batch) {
  const std::uint32_t rows = batch.rows();
  check_rows(rows);
  scale_.to_unit(columns(static_cast<const double*>(batch.action), rows, action_dim_), stored_actions_);
  for (std::uint32_t i = 0; i < rows; ++i) {
    ends_[i] = episode_end(batch.terminated[i], batch.truncated[i]);
    if (ends_[i] != EpisodeEnd::running) episode_ended(i);
  }
  replay_.add(columns(batch.observation), stored_actions_,
              ConstRowVectorMap<double>(batch.reward.data(), rows),
              columns(batch.next_observation), ends_);
  env_steps_ += rows;
  if (env_steps_ < start_steps_) return false;
  pending_updates_ += rows * updates_per_step_;
  return pending_updates_ >= 1;
}

void OffPolicyAlgorithm::update(std::uint64_t, const Metrics& metrics) {
  const auto count = static_cast<std::int64_t>(pending_updates_);
  pending_updates_ -= static_cast<double>(count);
  update_metrics_.clear();
  for (std::int64_t k = 0; k < count; ++k) {
    replay_.sample(rng_, batch_);
    learn(batch_, update_metrics_);
  }
  update_metrics_.report(metrics);
}

void OffPolicyAlgorithm::save(OutputArchive& out, StateScope scope) const {
  out.tag("pgb." + name_);
  save_actor(out);
  if (scope == StateScope::Policy) return;
  save_learner(out);
  replay_.save(out);
  save_rng(out, rng_);
  out.pod(env_steps_);
  out.pod(pending_updates_);
}

void OffPolicyAlgorithm::load(InputArchive& in, StateScope scope) {
  in.expect_tag("pgb." + name_);
  load_actor(in);
  if (scope == StateScope::Policy) return;
  load_learner(in);
  replay_.load(in);
  load_rng(in, rng_);
  in.pod(env_steps_);
  in.pod(pending_updates_);
}

void OffPolicyAlgorithm::check_rows(std::uint32_t rows) const {
  if (rows != static_cast<std::uint32_t>(num_envs_))
    throw InvalidArgument("a training batch has " + std::to_string(rows) + " rows, expected num_envs = " +
                          std::to_string(num_envs_));
}

}  // namespace pgb::learn
