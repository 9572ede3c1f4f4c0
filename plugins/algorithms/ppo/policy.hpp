// The stochastic policy of the on-policy algorithms (PPO here, TRPO beside it): an MLP whose
// outputs parameterise a diagonal Gaussian (Box actions, state-independent log-std) or a
// Categorical (Discrete actions), so that the algorithms read the same whatever the space.
//
// Actions are stored as the learning core stores them: a Box action as action_dim floats, a
// Discrete action as one float holding the index counted from 0 (the space's `start` is added
// only when the action crosses the ABI).
//
// This belongs in pgbench::learn; it lives here until the library grows a policy class.
#pragma once

#include <pgbench/sdk/algorithm.hpp>
#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/distributions.hpp>
#include <pgbench/sdk/learn/mlp.hpp>

#include <cmath>

namespace pgb::onpolicy {

using learn::ConstMatrixRef;
using learn::ConstRowVectorRef;
using learn::Index;
using learn::MatrixRef;
using learn::RowVectorMap;
using learn::RowVectorRef;
using learn::VectorRef;

// The reference initialisation (spec: "Common to the on-policy algorithms"): orthogonal with
// gain √2 and zero biases, last policy layer scaled by 0.01 so the first policy is close to
// uniform / centred, and an initial log-std of −0.5.
inline learn::Mlp<float> make_mlp(Index inputs, Index outputs, Rng& rng, float last_layer_scale) {
  learn::Mlp<float> net({inputs, 64, 64, outputs}, learn::Activation::tanh);
  net.initialize_orthogonal(rng, std::sqrt(2.0f));
  net.scale_last_layer(last_layer_scale);
  return net;
}

class StochasticPolicy {
 public:
  static constexpr float kInitialLogStd = -0.5f;

  StochasticPolicy(const Space& observation_space, const Space& action_space, Rng& rng)
      : action_space_(action_space),
        network_(make_mlp(static_cast<Index>(observation_space.dim()),
                          action_space.is_discrete() ? action_space.n() : static_cast<Index>(action_space.dim()),
                          rng, 0.01f)),
        log_std_(learn::Vector<float>::Constant(discrete() ? 0 : network_.output_size(), kInitialLogStd)) {}

  bool discrete() const noexcept { return action_space_.is_discrete(); }
  // Floats per stored action.
  Index action_dim() const noexcept { return discrete() ? 1 : network_.output_size(); }

  learn::Mlp<float>& network() noexcept { return network_; }
  const learn::Mlp<float>& network() const noexcept { return network_; }
  // The Gaussian's log-std parameters (empty for a Categorical policy).
  learn::Vector<float>& log_std() noexcept { return log_std_; }
  const learn::Vector<float>& log_std() const noexcept { return log_std_; }

  void sample(const ConstMatrixRef<float>& outputs, Rng& rng, MatrixRef<float> actions) const {
    if (discrete()) learn::Categorical<float>(outputs).sample(rng, row(actions));
    else learn::DiagGaussian<float>(outputs, log_std_).sample(rng, actions);
  }
  void mode(const ConstMatrixRef<float>& outputs, MatrixRef<float> actions) const {
    if (discrete()) learn::Categorical<float>(outputs).mode(row(actions));
    else learn::DiagGaussian<float>(outputs, log_std_).mode(actions);
  }
  void log_prob(const ConstMatrixRef<float>& outputs, const ConstMatrixRef<float>& actions,
                RowVectorRef<float> out) const {
    if (discrete()) learn::Categorical<float>(outputs).log_prob(row(actions), out);
    else learn::DiagGaussian<float>(outputs, log_std_).log_prob(actions, out);
  }
  void entropy(const ConstMatrixRef<float>& outputs, RowVectorRef<float> out) const {
    if (discrete()) learn::Categorical<float>(outputs).entropy(out);
    else learn::DiagGaussian<float>(outputs, log_std_).entropy(out);
  }

  // output_gradient += Σ_i w_i ∂ log π_i(a_i)/∂outputs_i;  log_std_gradient likewise.
  void add_log_prob_gradient(const ConstMatrixRef<float>& outputs, const ConstMatrixRef<float>& actions,
                             const ConstRowVectorRef<float>& weights, MatrixRef<float> output_gradient,
                             VectorRef<float> log_std_gradient) const {
    if (discrete())
      learn::Categorical<float>(outputs).add_log_prob_gradient(row(actions), weights, output_gradient);
    else
      learn::DiagGaussian<float>(outputs, log_std_)
          .add_log_prob_gradient(actions, weights, output_gradient, log_std_gradient);
  }
  // output_gradient += Σ_i w_i ∂ H[π_i]/∂outputs_i;  log_std_gradient likewise.
  void add_entropy_gradient(const ConstMatrixRef<float>& outputs, const ConstRowVectorRef<float>& weights,
                            MatrixRef<float> output_gradient, VectorRef<float> log_std_gradient) const {
    if (discrete()) learn::Categorical<float>(outputs).add_entropy_gradient(weights, output_gradient);
    else learn::DiagGaussian<float>(outputs, log_std_).add_entropy_gradient(weights, log_std_gradient);
  }

  // Stored actions (action_dim × rows) to the host's buffer.
  void write_actions(const ConstMatrixRef<float>& actions, ActionRows out) const {
    for (std::uint32_t r = 0; r < out.rows(); ++r) {
      if (discrete()) {
        out.index(r) = action_space_.start() + static_cast<std::int64_t>(actions(0, r));
      } else {
        auto values = out.values(r);
        for (std::size_t d = 0; d < values.size(); ++d) values[d] = actions(static_cast<Index>(d), r);
      }
    }
  }

  void save(OutputArchive& archive) const {
    archive.tag("pgb.onpolicy.policy");
    network_.save(archive);
    learn::save_dense(archive, log_std_);
  }
  void load(InputArchive& archive) {
    archive.expect_tag("pgb.onpolicy.policy");
    network_.load(archive);
    learn::load_dense(archive, log_std_, "policy log-std");
  }

 private:
  // A 1 × batch matrix as the row vector the Categorical API takes (same memory).
  static RowVectorMap<float> row(MatrixRef<float> m) { return {m.data(), m.cols()}; }
  static learn::ConstRowVectorMap<float> row(const ConstMatrixRef<float>& m) { return {m.data(), m.cols()}; }

  Space action_space_;
  learn::Mlp<float> network_;
  learn::Vector<float> log_std_;
};

}  // namespace pgb::onpolicy
