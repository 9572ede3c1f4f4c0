#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/normalizers.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace pgb::learn {

// ---------------------------------------------------------------------------------------------
// RunningMeanStd

RunningMeanStd::RunningMeanStd(Index dim)
    : mean_(Eigen::VectorXd::Zero(dim)), squared_deviations_(Eigen::VectorXd::Zero(dim)) {
  if (dim < 1) throw std::invalid_argument("RunningMeanStd: the dimension must be positive");
}

Eigen::VectorXd RunningMeanStd::variance() const {
  if (count_ == 0) return Eigen::VectorXd::Ones(dim());
  return squared_deviations_ / static_cast<double>(count_);
}

void RunningMeanStd::update(const ConstMatrixRef<double>& samples) {
  if (samples.rows() != dim())
    throw std::invalid_argument("RunningMeanStd::update: samples of dimension " + std::to_string(samples.rows()) +
                                ", expected " + std::to_string(dim()));
  if (samples.cols() == 0) return;
  const Eigen::VectorXd batch_mean = samples.rowwise().mean();
  const Eigen::VectorXd batch_squared_deviations = (samples.colwise() - batch_mean).rowwise().squaredNorm();
  merge_moments(static_cast<std::uint64_t>(samples.cols()), batch_mean, batch_squared_deviations);
}

void RunningMeanStd::merge(const RunningMeanStd& other) {
  if (other.dim() != dim()) throw std::invalid_argument("RunningMeanStd::merge: different dimensions");
  merge_moments(other.count_, other.mean_, other.squared_deviations_);
}

void RunningMeanStd::merge_moments(std::uint64_t count, const Eigen::VectorXd& mean,
                                   const Eigen::VectorXd& squared_deviations) {
  if (count == 0) return;
  const double n_a = static_cast<double>(count_);
  const double n_b = static_cast<double>(count);
  const double n = n_a + n_b;
  const Eigen::VectorXd delta = mean - mean_;
  mean_ += delta * (n_b / n);
  squared_deviations_ += squared_deviations + delta.cwiseAbs2() * (n_a * n_b / n);
  count_ += count;
}

void RunningMeanStd::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.running_mean_std");
  archive.pod(count_);
  save_dense(archive, mean_);
  save_dense(archive, squared_deviations_);
}

void RunningMeanStd::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.running_mean_std");
  archive.pod(count_);
  load_dense(archive, mean_, "the running mean");
  load_dense(archive, squared_deviations_, "the running squared deviations");
}

// ---------------------------------------------------------------------------------------------
// ObservationNormalizer

ObservationNormalizer::ObservationNormalizer(Index dim, double clip, double epsilon)
    : statistics_(dim), clip_(clip), epsilon_(epsilon) {
  if (!(clip > 0) || !(epsilon >= 0)) throw std::invalid_argument("ObservationNormalizer: needs clip > 0, epsilon ≥ 0");
  refresh_inverse_std();
}

void ObservationNormalizer::refresh_inverse_std() {
  inverse_std_ = (statistics_.variance().array() + epsilon_).rsqrt();
}

void ObservationNormalizer::update(const ConstMatrixRef<double>& observations) {
  statistics_.update(observations);
  refresh_inverse_std();
}

template <class Scalar>
void ObservationNormalizer::normalize_into(const ConstMatrixRef<double>& observations, MatrixRef<Scalar> out) const {
  if (observations.rows() != statistics_.dim() || out.rows() != observations.rows() ||
      out.cols() != observations.cols())
    throw std::invalid_argument("ObservationNormalizer::normalize: wrong shape");
  out = ((observations.colwise() - statistics_.mean()).array().colwise() * inverse_std_.array())
            .cwiseMax(-clip_)
            .cwiseMin(clip_)
            .matrix()
            .template cast<Scalar>();
}

void ObservationNormalizer::normalize(const ConstMatrixRef<double>& observations, MatrixRef<float> out) const {
  normalize_into<float>(observations, out);
}

void ObservationNormalizer::normalize(const ConstMatrixRef<double>& observations, MatrixRef<double> out) const {
  normalize_into<double>(observations, out);
}

void ObservationNormalizer::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.observation_normalizer");
  statistics_.save(archive);
}

void ObservationNormalizer::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.observation_normalizer");
  statistics_.load(archive);
  refresh_inverse_std();
}

// ---------------------------------------------------------------------------------------------
// ReturnNormalizer

ReturnNormalizer::ReturnNormalizer(Index num_envs, double gamma, double clip, double epsilon)
    : gamma_(gamma),
      clip_(clip),
      epsilon_(epsilon),
      discounted_returns_(Eigen::VectorXd::Zero(num_envs)),
      statistics_(1),
      scale_(std::sqrt(statistics_.variance()(0) + epsilon)) {
  if (num_envs < 1) throw std::invalid_argument("ReturnNormalizer: needs at least one env");
  if (!(clip > 0) || !(epsilon >= 0)) throw std::invalid_argument("ReturnNormalizer: needs clip > 0, epsilon ≥ 0");
}

void ReturnNormalizer::update(const ConstVectorRef<double>& rewards, std::span<const EpisodeEnd> ends) {
  const Index num_envs = discounted_returns_.size();
  if (rewards.size() != num_envs || static_cast<Index>(ends.size()) != num_envs)
    throw std::invalid_argument("ReturnNormalizer::update: expected one reward and one episode end per env");
  discounted_returns_ = gamma_ * discounted_returns_ + rewards;
  statistics_.update(ConstMatrixMap<double>(discounted_returns_.data(), 1, num_envs));
  for (Index env = 0; env < num_envs; ++env)
    if (ends[static_cast<std::size_t>(env)] != EpisodeEnd::running) discounted_returns_(env) = 0;
  scale_ = std::sqrt(statistics_.variance()(0) + epsilon_);
}

template <class Scalar>
void ReturnNormalizer::normalize_into(const ConstVectorRef<double>& rewards, RowVectorRef<Scalar> out) const {
  if (out.size() != rewards.size()) throw std::invalid_argument("ReturnNormalizer::normalize: wrong shape");
  out = (rewards.transpose() / scale_).cwiseMax(-clip_).cwiseMin(clip_).template cast<Scalar>();
}

void ReturnNormalizer::normalize(const ConstVectorRef<double>& rewards, RowVectorRef<float> out) const {
  normalize_into<float>(rewards, out);
}

void ReturnNormalizer::normalize(const ConstVectorRef<double>& rewards, RowVectorRef<double> out) const {
  normalize_into<double>(rewards, out);
}

void ReturnNormalizer::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.return_normalizer");
  save_dense(archive, discounted_returns_);
  statistics_.save(archive);
}

void ReturnNormalizer::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.return_normalizer");
  load_dense(archive, discounted_returns_, "the discounted returns");
  statistics_.load(archive);
  scale_ = std::sqrt(statistics_.variance()(0) + epsilon_);
}

}  // namespace pgb::learn
