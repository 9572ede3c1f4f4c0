// pgbench/sdk/learn/distributions.hpp -- the action distributions of stochastic policies.
//
// A distribution object is a view of a batch of distributions, one per column of the network
// output it is built on (it copies nothing; the viewed arrays must outlive it):
//   DiagGaussian  N(μ_i, diag(σ²)), μ_i a column of the mean (action_dim × batch), σ = exp(s)
//                 with s the state-independent log-std vector shared by every sample;
//   Categorical   softmax(z_i), z_i a column of the logits (num_actions × batch). Actions are
//                 1 × batch rows holding the action index as a number, as actions cross the ABI.
//
// Both offer the same operations, batched; per-sample results go to a 1 × batch row:
//   sample, mode (the deterministic action of act_eval), log_prob, entropy, kl_divergence(p, q);
//   gradients wrt the distribution parameters, weighted per sample and ADDED to the gradient
//   arrays, so that the terms of a loss (surrogate, entropy bonus, KL penalty) accumulate into
//   one dLoss/d(network output) before a single backward pass through the network:
//     add_log_prob_gradient   grad += Σ_i w_i ∂ log π_i(a_i) / ∂params
//     add_entropy_gradient    grad += Σ_i w_i ∂ H[π_i] / ∂params
//     add_kl_gradient(p, q)   grad += Σ_i w_i ∂ KL(p_i ‖ q_i) / ∂(q's params)
//   and the Fisher information of each sample, the M of TRPO's F = Jᵀ M J (the Hessian of
//   KL(p ‖ q) in q's parameters at q = p), applied to a tangent without forming the matrix.
#pragma once

#include <pgbench/sdk/learn/types.hpp>
#include <pgbench/sdk/rng.hpp>

namespace pgb::learn {

template <class Scalar = float>
class DiagGaussian {
 public:
  DiagGaussian(const ConstMatrixRef<Scalar>& mean, const ConstVectorRef<Scalar>& log_std);

  Index action_dim() const noexcept { return mean_.rows(); }
  Index batch_size() const noexcept { return mean_.cols(); }
  const ConstMatrixRef<Scalar>& mean() const noexcept { return mean_; }
  const ConstVectorRef<Scalar>& log_std() const noexcept { return log_std_; }

  // a_i = μ_i + σ ⊙ ε_i, ε_i ~ N(0, I) drawn sample after sample, dimension after dimension.
  void sample(Rng& rng, MatrixRef<Scalar> actions) const;
  // a_i = μ_i.
  void mode(MatrixRef<Scalar> actions) const;
  // log π_i(a_i) = Σ_d [−½ ((a_d − μ_d)/σ_d)² − s_d − ½ log 2π].
  void log_prob(const ConstMatrixRef<Scalar>& actions, RowVectorRef<Scalar> out) const;
  // H = Σ_d [s_d + ½ log(2πe)], the same for every sample.
  void entropy(RowVectorRef<Scalar> out) const;

  // ∂ log π_i / ∂μ_i = (a_i − μ_i)/σ²,   ∂ log π_i / ∂s = ((a_i − μ_i)/σ)² − 1.
  void add_log_prob_gradient(const ConstMatrixRef<Scalar>& actions, const ConstRowVectorRef<Scalar>& weights,
                             MatrixRef<Scalar> mean_gradient, VectorRef<Scalar> log_std_gradient) const;
  // ∂H/∂μ = 0,   ∂H/∂s = 1.
  void add_entropy_gradient(const ConstRowVectorRef<Scalar>& weights, VectorRef<Scalar> log_std_gradient) const;

  // The Fisher information in (μ_i, s) is block diagonal: diag(1/σ²) for each sample's mean and
  // 2·I for the log-std; s being shared, its block averaged over the batch is again 2·I. Writes
  // mean_product = mean_tangent / σ² (each column) and log_std_product = 2 · log_std_tangent.
  void apply_fisher(const ConstMatrixRef<Scalar>& mean_tangent, const ConstVectorRef<Scalar>& log_std_tangent,
                    MatrixRef<Scalar> mean_product, VectorRef<Scalar> log_std_product) const;

  // KL(p_i ‖ q_i) = Σ_d [s_q − s_p + (σ_p² + (μ_p − μ_q)²) / (2σ_q²) − ½].
  friend void kl_divergence(const DiagGaussian& p, const DiagGaussian& q, RowVectorRef<Scalar> out) {
    q.kl_divergence_from(p, out);
  }
  // ∂KL/∂μ_q = (μ_q − μ_p)/σ_q²,   ∂KL/∂s_q = 1 − (σ_p² + (μ_p − μ_q)²)/σ_q².
  friend void add_kl_gradient(const DiagGaussian& p, const DiagGaussian& q, const ConstRowVectorRef<Scalar>& weights,
                              MatrixRef<Scalar> mean_gradient, VectorRef<Scalar> log_std_gradient) {
    q.add_kl_gradient_from(p, weights, mean_gradient, log_std_gradient);
  }

 private:
  void kl_divergence_from(const DiagGaussian& p, RowVectorRef<Scalar> out) const;
  void add_kl_gradient_from(const DiagGaussian& p, const ConstRowVectorRef<Scalar>& weights,
                            MatrixRef<Scalar> mean_gradient, VectorRef<Scalar> log_std_gradient) const;

  ConstMatrixRef<Scalar> mean_;
  ConstVectorRef<Scalar> log_std_;
};

template <class Scalar = float>
class Categorical {
 public:
  explicit Categorical(const ConstMatrixRef<Scalar>& logits);

  Index num_actions() const noexcept { return logits_.rows(); }
  Index batch_size() const noexcept { return logits_.cols(); }
  const ConstMatrixRef<Scalar>& logits() const noexcept { return logits_; }

  // By inversion of the cumulative distribution with one uniform draw per sample.
  void sample(Rng& rng, RowVectorRef<Scalar> actions) const;
  // argmax_k z_k (the first one on ties).
  void mode(RowVectorRef<Scalar> actions) const;
  // log π_i(k) = z_k − log Σ_j exp z_j.
  void log_prob(const ConstRowVectorRef<Scalar>& actions, RowVectorRef<Scalar> out) const;
  // H = −Σ_k π(k) log π(k).
  void entropy(RowVectorRef<Scalar> out) const;

  // ∂ log π_i(a_i) / ∂z_i = e_{a_i} − π_i.
  void add_log_prob_gradient(const ConstRowVectorRef<Scalar>& actions, const ConstRowVectorRef<Scalar>& weights,
                             MatrixRef<Scalar> logits_gradient) const;
  // ∂H/∂z_k = −π(k) (log π(k) + H).
  void add_entropy_gradient(const ConstRowVectorRef<Scalar>& weights, MatrixRef<Scalar> logits_gradient) const;

  // The Fisher information in z_i is diag(π_i) − π_i π_iᵀ: product = π ⊙ v − π (πᵀ v), per column.
  void apply_fisher(const ConstMatrixRef<Scalar>& logits_tangent, MatrixRef<Scalar> product) const;

  // KL(p_i ‖ q_i) = Σ_k p(k) (log p(k) − log q(k)).
  friend void kl_divergence(const Categorical& p, const Categorical& q, RowVectorRef<Scalar> out) {
    q.kl_divergence_from(p, out);
  }
  // ∂KL/∂z_q = q − p.
  friend void add_kl_gradient(const Categorical& p, const Categorical& q, const ConstRowVectorRef<Scalar>& weights,
                              MatrixRef<Scalar> logits_gradient) {
    q.add_kl_gradient_from(p, weights, logits_gradient);
  }

 private:
  Scalar log_normalizer(Index sample) const;  // log Σ_j exp z_j, computed without overflow
  Index action_index(Scalar action) const;    // checked conversion of a stored action
  void kl_divergence_from(const Categorical& p, RowVectorRef<Scalar> out) const;
  void add_kl_gradient_from(const Categorical& p, const ConstRowVectorRef<Scalar>& weights,
                            MatrixRef<Scalar> logits_gradient) const;

  ConstMatrixRef<Scalar> logits_;
};

extern template class DiagGaussian<float>;
extern template class DiagGaussian<double>;
extern template class Categorical<float>;
extern template class Categorical<double>;

}  // namespace pgb::learn
