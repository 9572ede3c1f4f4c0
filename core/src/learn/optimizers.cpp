#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace pgb::learn {

template <class Scalar>
Optimizer<Scalar>::Optimizer(Index size, double learning_rate) : size_(size), learning_rate_(learning_rate) {
  if (size < 0) throw std::invalid_argument("Optimizer: negative parameter count");
}

template <class Scalar>
void Optimizer<Scalar>::check_sizes(const VectorRef<Scalar>& parameters, const ConstVectorRef<Scalar>& gradient) const {
  if (parameters.size() != size_ || gradient.size() != size_)
    throw std::invalid_argument("Optimizer::step: made for " + std::to_string(size_) + " parameters, got " +
                                std::to_string(parameters.size()) + " parameters and " +
                                std::to_string(gradient.size()) + " gradient entries");
}

template <class Scalar>
void Sgd<Scalar>::step(VectorRef<Scalar> parameters, const ConstVectorRef<Scalar>& gradient) {
  this->check_sizes(parameters, gradient);
  parameters -= static_cast<Scalar>(this->learning_rate_) * gradient;
}

template <class Scalar>
void Sgd<Scalar>::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.sgd");
  archive.pod<std::int64_t>(this->size_);
}

template <class Scalar>
void Sgd<Scalar>::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.sgd");
  expect_size(archive, this->size_, "the SGD parameter count");
}

template <class Scalar>
Adam<Scalar>::Adam(Index size, const AdamOptions& options)
    : Optimizer<Scalar>(size, options.learning_rate),
      options_(options),
      first_moment_(Vector<Scalar>::Zero(size)),
      second_moment_(Vector<Scalar>::Zero(size)) {}

template <class Scalar>
void Adam<Scalar>::step(VectorRef<Scalar> parameters, const ConstVectorRef<Scalar>& gradient) {
  this->check_sizes(parameters, gradient);
  ++steps_;
  const auto beta1 = static_cast<Scalar>(options_.beta1);
  const auto beta2 = static_cast<Scalar>(options_.beta2);
  first_moment_ = beta1 * first_moment_ + (Scalar(1) - beta1) * gradient;
  second_moment_.array() = beta2 * second_moment_.array() + (Scalar(1) - beta2) * gradient.array().square();
  // η m̂ / (√v̂ + ε) written with the bias corrections pulled out of the vectors.
  const double t = static_cast<double>(steps_);
  const auto step_size = static_cast<Scalar>(this->learning_rate_ / (1.0 - std::pow(options_.beta1, t)));
  const auto inverse_sqrt_correction2 = static_cast<Scalar>(1.0 / std::sqrt(1.0 - std::pow(options_.beta2, t)));
  const auto epsilon = static_cast<Scalar>(options_.epsilon);
  parameters.array() -=
      step_size * first_moment_.array() / (second_moment_.array().sqrt() * inverse_sqrt_correction2 + epsilon);
}

template <class Scalar>
void Adam<Scalar>::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.adam");
  archive.pod(steps_);
  save_dense(archive, first_moment_);
  save_dense(archive, second_moment_);
}

template <class Scalar>
void Adam<Scalar>::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.adam");
  archive.pod(steps_);
  load_dense(archive, first_moment_, "the Adam first moment");
  load_dense(archive, second_moment_, "the Adam second moment");
}

template <class Scalar>
RmsProp<Scalar>::RmsProp(Index size, const RmsPropOptions& options)
    : Optimizer<Scalar>(size, options.learning_rate), options_(options), mean_square_(Vector<Scalar>::Zero(size)) {}

template <class Scalar>
void RmsProp<Scalar>::step(VectorRef<Scalar> parameters, const ConstVectorRef<Scalar>& gradient) {
  this->check_sizes(parameters, gradient);
  const auto alpha = static_cast<Scalar>(options_.alpha);
  mean_square_.array() = alpha * mean_square_.array() + (Scalar(1) - alpha) * gradient.array().square();
  parameters.array() -= static_cast<Scalar>(this->learning_rate_) * gradient.array() /
                        (mean_square_.array().sqrt() + static_cast<Scalar>(options_.epsilon));
}

template <class Scalar>
void RmsProp<Scalar>::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.rmsprop");
  save_dense(archive, mean_square_);
}

template <class Scalar>
void RmsProp<Scalar>::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.rmsprop");
  load_dense(archive, mean_square_, "the RMSprop mean square");
}

LinearDecay::LinearDecay(double initial, std::uint64_t horizon) : initial_(initial), horizon_(horizon) {
  if (horizon == 0) throw std::invalid_argument("LinearDecay: the horizon must be positive");
}

double LinearDecay::at(std::uint64_t progress) const noexcept {
  return initial_ * std::max(0.0, 1.0 - static_cast<double>(progress) / static_cast<double>(horizon_));
}

template class Optimizer<float>;
template class Optimizer<double>;
template class Sgd<float>;
template class Sgd<double>;
template class Adam<float>;
template class Adam<double>;
template class RmsProp<float>;
template class RmsProp<double>;

}  // namespace pgb::learn
