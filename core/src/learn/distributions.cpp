#include <pgbench/sdk/learn/distributions.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace pgb::learn {
namespace {

void require(bool condition, const char* message) {
  if (!condition) throw std::invalid_argument(message);
}

template <class Scalar>
constexpr Scalar kHalfLogTwoPi = Scalar(0.918938533204672741780329736406);  // ½ log 2π

}  // namespace

// ---------------------------------------------------------------------------------------------
// DiagGaussian

template <class Scalar>
DiagGaussian<Scalar>::DiagGaussian(const ConstMatrixRef<Scalar>& mean, const ConstVectorRef<Scalar>& log_std)
    : mean_(mean), log_std_(log_std) {
  require(mean_.rows() == log_std_.size(), "DiagGaussian: the mean and the log-std have different dimensions");
}

template <class Scalar>
void DiagGaussian<Scalar>::sample(Rng& rng, MatrixRef<Scalar> actions) const {
  require(actions.rows() == action_dim() && actions.cols() == batch_size(), "DiagGaussian::sample: wrong shape");
  for (Index i = 0; i < batch_size(); ++i)
    for (Index d = 0; d < action_dim(); ++d)
      actions(d, i) = mean_(d, i) + std::exp(log_std_(d)) * static_cast<Scalar>(rng.normal());
}

template <class Scalar>
void DiagGaussian<Scalar>::mode(MatrixRef<Scalar> actions) const {
  require(actions.rows() == action_dim() && actions.cols() == batch_size(), "DiagGaussian::mode: wrong shape");
  actions = mean_;
}

template <class Scalar>
void DiagGaussian<Scalar>::log_prob(const ConstMatrixRef<Scalar>& actions, RowVectorRef<Scalar> out) const {
  require(actions.rows() == action_dim() && actions.cols() == batch_size() && out.size() == batch_size(),
          "DiagGaussian::log_prob: wrong shape");
  const Scalar normalizer = log_std_.sum() + static_cast<Scalar>(action_dim()) * kHalfLogTwoPi<Scalar>;
  for (Index i = 0; i < batch_size(); ++i) {
    Scalar squared_distance = 0;
    for (Index d = 0; d < action_dim(); ++d) {
      const Scalar standardized = (actions(d, i) - mean_(d, i)) * std::exp(-log_std_(d));
      squared_distance += standardized * standardized;
    }
    out(i) = Scalar(-0.5) * squared_distance - normalizer;
  }
}

template <class Scalar>
void DiagGaussian<Scalar>::entropy(RowVectorRef<Scalar> out) const {
  require(out.size() == batch_size(), "DiagGaussian::entropy: wrong shape");
  out.setConstant(log_std_.sum() + static_cast<Scalar>(action_dim()) * (kHalfLogTwoPi<Scalar> + Scalar(0.5)));
}

template <class Scalar>
void DiagGaussian<Scalar>::add_log_prob_gradient(const ConstMatrixRef<Scalar>& actions,
                                                 const ConstRowVectorRef<Scalar>& weights,
                                                 MatrixRef<Scalar> mean_gradient,
                                                 VectorRef<Scalar> log_std_gradient) const {
  require(actions.rows() == action_dim() && actions.cols() == batch_size() && weights.size() == batch_size() &&
              mean_gradient.rows() == action_dim() && mean_gradient.cols() == batch_size() &&
              log_std_gradient.size() == action_dim(),
          "DiagGaussian::add_log_prob_gradient: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) {
    for (Index d = 0; d < action_dim(); ++d) {
      const Scalar inverse_variance = std::exp(Scalar(-2) * log_std_(d));
      const Scalar deviation = actions(d, i) - mean_(d, i);
      mean_gradient(d, i) += weights(i) * deviation * inverse_variance;
      log_std_gradient(d) += weights(i) * (deviation * deviation * inverse_variance - Scalar(1));
    }
  }
}

template <class Scalar>
void DiagGaussian<Scalar>::add_entropy_gradient(const ConstRowVectorRef<Scalar>& weights,
                                                VectorRef<Scalar> log_std_gradient) const {
  require(weights.size() == batch_size() && log_std_gradient.size() == action_dim(),
          "DiagGaussian::add_entropy_gradient: wrong shape");
  log_std_gradient.array() += weights.sum();
}

template <class Scalar>
void DiagGaussian<Scalar>::apply_fisher(const ConstMatrixRef<Scalar>& mean_tangent,
                                        const ConstVectorRef<Scalar>& log_std_tangent,
                                        MatrixRef<Scalar> mean_product, VectorRef<Scalar> log_std_product) const {
  require(mean_tangent.rows() == action_dim() && mean_tangent.cols() == batch_size() &&
              mean_product.rows() == action_dim() && mean_product.cols() == batch_size() &&
              log_std_tangent.size() == action_dim() && log_std_product.size() == action_dim(),
          "DiagGaussian::apply_fisher: wrong shape");
  for (Index i = 0; i < batch_size(); ++i)
    mean_product.col(i) = mean_tangent.col(i).cwiseProduct((Scalar(-2) * log_std_).array().exp().matrix());
  log_std_product = Scalar(2) * log_std_tangent;
}

template <class Scalar>
void DiagGaussian<Scalar>::kl_divergence_from(const DiagGaussian& p, RowVectorRef<Scalar> out) const {
  require(p.action_dim() == action_dim() && p.batch_size() == batch_size() && out.size() == batch_size(),
          "kl_divergence: the two Gaussians have different shapes");
  for (Index i = 0; i < batch_size(); ++i) {
    Scalar kl = 0;
    for (Index d = 0; d < action_dim(); ++d) {
      const Scalar variance_ratio = std::exp(Scalar(2) * (p.log_std_(d) - log_std_(d)));  // σ_p² / σ_q²
      const Scalar mean_gap = p.mean_(d, i) - mean_(d, i);
      kl += log_std_(d) - p.log_std_(d) +
            Scalar(0.5) * (variance_ratio + mean_gap * mean_gap * std::exp(Scalar(-2) * log_std_(d)) - Scalar(1));
    }
    out(i) = kl;
  }
}

template <class Scalar>
void DiagGaussian<Scalar>::add_kl_gradient_from(const DiagGaussian& p, const ConstRowVectorRef<Scalar>& weights,
                                                MatrixRef<Scalar> mean_gradient,
                                                VectorRef<Scalar> log_std_gradient) const {
  require(p.action_dim() == action_dim() && p.batch_size() == batch_size() && weights.size() == batch_size() &&
              mean_gradient.rows() == action_dim() && mean_gradient.cols() == batch_size() &&
              log_std_gradient.size() == action_dim(),
          "add_kl_gradient: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) {
    for (Index d = 0; d < action_dim(); ++d) {
      const Scalar inverse_variance = std::exp(Scalar(-2) * log_std_(d));  // 1/σ_q²
      const Scalar mean_gap = p.mean_(d, i) - mean_(d, i);
      const Scalar p_variance = std::exp(Scalar(2) * p.log_std_(d));
      mean_gradient(d, i) -= weights(i) * mean_gap * inverse_variance;
      log_std_gradient(d) += weights(i) * (Scalar(1) - (p_variance + mean_gap * mean_gap) * inverse_variance);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Categorical

template <class Scalar>
Categorical<Scalar>::Categorical(const ConstMatrixRef<Scalar>& logits) : logits_(logits) {
  require(logits_.rows() > 0, "Categorical: needs at least one action");
}

template <class Scalar>
Scalar Categorical<Scalar>::log_normalizer(Index sample) const {
  const auto z = logits_.col(sample);
  const Scalar largest = z.maxCoeff();
  return largest + std::log((z.array() - largest).exp().sum());
}

template <class Scalar>
Index Categorical<Scalar>::action_index(Scalar action) const {
  const auto index = static_cast<Index>(action);
  if (static_cast<Scalar>(index) != action || index < 0 || index >= num_actions())
    throw std::invalid_argument("Categorical: action " + std::to_string(action) + " is not an index below " +
                                std::to_string(num_actions()));
  return index;
}

template <class Scalar>
void Categorical<Scalar>::sample(Rng& rng, RowVectorRef<Scalar> actions) const {
  require(actions.size() == batch_size(), "Categorical::sample: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) {
    const Scalar log_z = log_normalizer(i);
    const double u = rng.uniform();
    double cumulative = 0;
    Index chosen = num_actions() - 1;  // where rounding leaves u above the last partial sum
    for (Index k = 0; k < num_actions(); ++k) {
      cumulative += std::exp(static_cast<double>(logits_(k, i) - log_z));
      if (u < cumulative) {
        chosen = k;
        break;
      }
    }
    actions(i) = static_cast<Scalar>(chosen);
  }
}

template <class Scalar>
void Categorical<Scalar>::mode(RowVectorRef<Scalar> actions) const {
  require(actions.size() == batch_size(), "Categorical::mode: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) {
    Index best = 0;
    logits_.col(i).maxCoeff(&best);
    actions(i) = static_cast<Scalar>(best);
  }
}

template <class Scalar>
void Categorical<Scalar>::log_prob(const ConstRowVectorRef<Scalar>& actions, RowVectorRef<Scalar> out) const {
  require(actions.size() == batch_size() && out.size() == batch_size(), "Categorical::log_prob: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) out(i) = logits_(action_index(actions(i)), i) - log_normalizer(i);
}

template <class Scalar>
void Categorical<Scalar>::entropy(RowVectorRef<Scalar> out) const {
  require(out.size() == batch_size(), "Categorical::entropy: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) {
    const auto log_p = logits_.col(i).array() - log_normalizer(i);
    out(i) = -(log_p.exp() * log_p).sum();
  }
}

template <class Scalar>
void Categorical<Scalar>::add_log_prob_gradient(const ConstRowVectorRef<Scalar>& actions,
                                                const ConstRowVectorRef<Scalar>& weights,
                                                MatrixRef<Scalar> logits_gradient) const {
  require(actions.size() == batch_size() && weights.size() == batch_size() &&
              logits_gradient.rows() == num_actions() && logits_gradient.cols() == batch_size(),
          "Categorical::add_log_prob_gradient: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) {
    logits_gradient.col(i).array() -= weights(i) * (logits_.col(i).array() - log_normalizer(i)).exp();
    logits_gradient(action_index(actions(i)), i) += weights(i);
  }
}

template <class Scalar>
void Categorical<Scalar>::add_entropy_gradient(const ConstRowVectorRef<Scalar>& weights,
                                               MatrixRef<Scalar> logits_gradient) const {
  require(weights.size() == batch_size() && logits_gradient.rows() == num_actions() &&
              logits_gradient.cols() == batch_size(),
          "Categorical::add_entropy_gradient: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) {
    const auto log_p = logits_.col(i).array() - log_normalizer(i);
    const Scalar entropy = -(log_p.exp() * log_p).sum();
    logits_gradient.col(i).array() -= weights(i) * log_p.exp() * (log_p + entropy);
  }
}

template <class Scalar>
void Categorical<Scalar>::apply_fisher(const ConstMatrixRef<Scalar>& logits_tangent,
                                       MatrixRef<Scalar> product) const {
  require(logits_tangent.rows() == num_actions() && logits_tangent.cols() == batch_size() &&
              product.rows() == num_actions() && product.cols() == batch_size(),
          "Categorical::apply_fisher: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) {
    const auto p = (logits_.col(i).array() - log_normalizer(i)).exp();
    const Scalar p_dot_v = (p * logits_tangent.col(i).array()).sum();
    product.col(i).array() = p * (logits_tangent.col(i).array() - p_dot_v);
  }
}

template <class Scalar>
void Categorical<Scalar>::kl_divergence_from(const Categorical& p, RowVectorRef<Scalar> out) const {
  require(p.num_actions() == num_actions() && p.batch_size() == batch_size() && out.size() == batch_size(),
          "kl_divergence: the two categoricals have different shapes");
  for (Index i = 0; i < batch_size(); ++i) {
    const auto log_p = p.logits_.col(i).array() - p.log_normalizer(i);
    const auto log_q = logits_.col(i).array() - log_normalizer(i);
    out(i) = (log_p.exp() * (log_p - log_q)).sum();
  }
}

template <class Scalar>
void Categorical<Scalar>::add_kl_gradient_from(const Categorical& p, const ConstRowVectorRef<Scalar>& weights,
                                               MatrixRef<Scalar> logits_gradient) const {
  require(p.num_actions() == num_actions() && p.batch_size() == batch_size() && weights.size() == batch_size() &&
              logits_gradient.rows() == num_actions() && logits_gradient.cols() == batch_size(),
          "add_kl_gradient: wrong shape");
  for (Index i = 0; i < batch_size(); ++i) {
    logits_gradient.col(i).array() += weights(i) * ((logits_.col(i).array() - log_normalizer(i)).exp() -
                                                    (p.logits_.col(i).array() - p.log_normalizer(i)).exp());
  }
}

template class DiagGaussian<float>;
template class DiagGaussian<double>;
template class Categorical<float>;
template class Categorical<double>;

}  // namespace pgb::learn
