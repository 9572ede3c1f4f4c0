// The stochastic policy of the on-policy algorithms (PPO here, TRPO beside it): an MLP whose
// outputs parameterise a diagonal Gaussian (Box actions, state-independent log-std) or a
// Categorical (Discrete actions), so that the algorithms read the same whatever the space.
//
// Actions are stored as the learning core stores them: a Box action as action_dim numbers, a
// Discrete action as one number holding the index counted from 0 (the space's `start` is added
// only when the action crosses the ABI).
//
// The policy's parameters θ are the network's followed by the log-std vector (empty for a
// Categorical policy); flat_parameters() and set_flat_parameters() see them as one vector, the
// space in which TRPO's natural gradient lives.
//
// This belongs in pgbench::learn; it lives here until the library grows a policy class.
#pragma once

#include <pgbench/sdk/algorithm.hpp>
#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/distributions.hpp>
#include <pgbench/sdk/learn/mlp.hpp>

#include <cmath>
#include <utility>

namespace pgb::ppo {

using learn::ConstMatrixRef;
using learn::ConstRowVectorRef;
using learn::ConstVectorRef;
using learn::Index;
using learn::MatrixRef;
using learn::RowVectorRef;
using learn::VectorRef;

// The reference initialisation (spec: "Common to the on-policy algorithms"): 64×64 tanh,
// orthogonal with gain √2 and zero biases, the last layer scaled by `last_layer_scale` (0.01 for
// the policy, so that the first policy is close to uniform / centred).
template <class Scalar = float>
learn::Mlp<Scalar> make_mlp(Index inputs, Index outputs, Rng& rng, Scalar last_layer_scale) {
  learn::Mlp<Scalar> net({inputs, 64, 64, outputs}, learn::Activation::tanh);
  net.initialize_orthogonal(rng, std::sqrt(Scalar(2)));
  net.scale_last_layer(last_layer_scale);
  return net;
}

template <class Scalar = float>
class StochasticPolicy {
 public:
  using Matrix = learn::Matrix<Scalar>;
  using Vector = learn::Vector<Scalar>;
  using RowVector = learn::RowVector<Scalar>;
  using Network = learn::Mlp<Scalar>;
  static constexpr Scalar kInitialLogStd = Scalar(-0.5);

  StochasticPolicy(const Space& observation_space, const Space& action_space, Rng& rng)
      : StochasticPolicy(action_space,
                         make_mlp<Scalar>(static_cast<Index>(observation_space.dim()),
                                          action_space.is_discrete() ? action_space.n()
                                                                     : static_cast<Index>(action_space.dim()),
                                          rng, Scalar(0.01))) {}
  // A policy on a given network (tests build tiny ones).
  StochasticPolicy(const Space& action_space, Network network)
      : action_space_(action_space),
        network_(std::move(network)),
        log_std_(Vector::Constant(discrete() ? 0 : network_.output_size(), kInitialLogStd)) {}

  bool discrete() const noexcept { return action_space_.is_discrete(); }
  // Numbers per stored action.
  Index action_dim() const noexcept { return discrete() ? 1 : network_.output_size(); }

  Network& network() noexcept { return network_; }
  const Network& network() const noexcept { return network_; }
  // The Gaussian's log-std parameters (empty for a Categorical policy).
  Vector& log_std() noexcept { return log_std_; }
  const Vector& log_std() const noexcept { return log_std_; }

  // ---- θ as one vector: [network parameters; log-std] ----
  Index num_parameters() const noexcept { return network_.num_parameters() + log_std_.size(); }
  Vector flat_parameters() const {
    Vector theta(num_parameters());
    theta << network_.parameters(), log_std_;
    return theta;
  }
  void set_flat_parameters(const ConstVectorRef<Scalar>& theta) {
    network_.set_parameters(theta.head(network_.num_parameters()));
    log_std_ = theta.tail(log_std_.size());
  }

  // ---- the distributions of a batch of network outputs ----
  void sample(const ConstMatrixRef<Scalar>& outputs, Rng& rng, MatrixRef<Scalar> actions) const {
    if (discrete()) categorical(outputs).sample(rng, row(actions));
    else gaussian(outputs).sample(rng, actions);
  }
  void mode(const ConstMatrixRef<Scalar>& outputs, MatrixRef<Scalar> actions) const {
    if (discrete()) categorical(outputs).mode(row(actions));
    else gaussian(outputs).mode(actions);
  }
  void log_prob(const ConstMatrixRef<Scalar>& outputs, const ConstMatrixRef<Scalar>& actions,
                RowVectorRef<Scalar> out) const {
    if (discrete()) categorical(outputs).log_prob(row(actions), out);
    else gaussian(outputs).log_prob(actions, out);
  }
  void entropy(const ConstMatrixRef<Scalar>& outputs, RowVectorRef<Scalar> out) const {
    if (discrete()) categorical(outputs).entropy(out);
    else gaussian(outputs).entropy(out);
  }
  // KL(π_old,i ‖ π_i) per sample, π_old given by its outputs and log-std (a snapshot of this policy).
  void kl_from(const ConstMatrixRef<Scalar>& old_outputs, const ConstVectorRef<Scalar>& old_log_std,
               const ConstMatrixRef<Scalar>& outputs, RowVectorRef<Scalar> out) const {
    if (discrete()) kl_divergence(categorical(old_outputs), categorical(outputs), out);
    else kl_divergence(learn::DiagGaussian<Scalar>(old_outputs, old_log_std), gaussian(outputs), out);
  }

  // output_gradient += Σ_i w_i ∂ log π_i(a_i)/∂outputs_i;  log_std_gradient likewise.
  void add_log_prob_gradient(const ConstMatrixRef<Scalar>& outputs, const ConstMatrixRef<Scalar>& actions,
                             const ConstRowVectorRef<Scalar>& weights, MatrixRef<Scalar> output_gradient,
                             VectorRef<Scalar> log_std_gradient) const {
    if (discrete()) categorical(outputs).add_log_prob_gradient(row(actions), weights, output_gradient);
    else gaussian(outputs).add_log_prob_gradient(actions, weights, output_gradient, log_std_gradient);
  }
  // output_gradient += Σ_i w_i ∂ H[π_i]/∂outputs_i;  log_std_gradient likewise.
  void add_entropy_gradient(const ConstMatrixRef<Scalar>& outputs, const ConstRowVectorRef<Scalar>& weights,
                            MatrixRef<Scalar> output_gradient, VectorRef<Scalar> log_std_gradient) const {
    if (discrete()) categorical(outputs).add_entropy_gradient(weights, output_gradient);
    else gaussian(outputs).add_entropy_gradient(weights, log_std_gradient);
  }

  // F v + damping · v, with F = (1/B) Σ_i J_iᵀ M_i J_i the Fisher information of the policy over
  // the B inputs of the last forward pass run in `workspace` (the Hessian of the mean
  // KL(π_θ ‖ π_θ') in θ' at θ' = θ): J_i v by a Jacobian-vector product through the network, M_i
  // the Fisher of the action distribution (distributions.hpp), then Jᵀ by a backward pass. F is
  // never formed. The log-std is shared by every sample, so its block of M, 2·I, is already the
  // batch mean, and a Gaussian's M has no mean/log-std cross terms.
  Vector fisher_vector_product(typename Network::Workspace& workspace, const ConstVectorRef<Scalar>& v,
                               Scalar damping) const {
    const Index p = network_.num_parameters(), batch = workspace.batch_size();
    const Matrix tangent = network_.jvp(workspace, v.head(p));
    Matrix product(tangent.rows(), batch);
    Vector result(num_parameters());
    if (discrete()) {
      categorical(workspace.outputs()).apply_fisher(tangent, product);
    } else {
      Vector log_std_product(log_std_.size());
      gaussian(workspace.outputs()).apply_fisher(tangent, v.tail(log_std_.size()), product, log_std_product);
      result.tail(log_std_.size()) = log_std_product;
    }
    product /= static_cast<Scalar>(batch);
    network_.backward(workspace, product, result.head(p));
    return result + damping * v;
  }

  // Stored actions (action_dim × rows) to the host's buffer.
  void write_actions(const ConstMatrixRef<Scalar>& actions, ActionRows out) const {
    for (std::uint32_t r = 0; r < out.rows(); ++r) {
      if (discrete()) {
        out.index(r) = action_space_.start() + static_cast<std::int64_t>(actions(0, r));
      } else {
        auto values = out.values(r);
        for (std::size_t d = 0; d < values.size(); ++d)
          values[d] = static_cast<double>(actions(static_cast<Index>(d), r));
      }
    }
  }

  void save(OutputArchive& archive) const {
    archive.tag("pgb.ppo.policy");
    network_.save(archive);
    learn::save_dense(archive, log_std_);
  }
  void load(InputArchive& archive) {
    archive.expect_tag("pgb.ppo.policy");
    network_.load(archive);
    learn::load_dense(archive, log_std_, "policy log-std");
  }

 private:
  learn::DiagGaussian<Scalar> gaussian(const ConstMatrixRef<Scalar>& outputs) const { return {outputs, log_std_}; }
  static learn::Categorical<Scalar> categorical(const ConstMatrixRef<Scalar>& outputs) {
    return learn::Categorical<Scalar>(outputs);
  }
  // A 1 × batch matrix as the row vector the Categorical API takes (same memory).
  static learn::RowVectorMap<Scalar> row(MatrixRef<Scalar> m) { return {m.data(), m.cols()}; }
  static learn::ConstRowVectorMap<Scalar> row(const ConstMatrixRef<Scalar>& m) { return {m.data(), m.cols()}; }

  Space action_space_;
  Network network_;
  Vector log_std_;
};

}  // namespace pgb::ppo
