// pgbench/sdk/learn/policy.hpp -- the stochastic policy of the on-policy algorithms.
//
//   π_θ(a|s) = N(μ_θ(s), diag(exp(2 s)))   for a Box action space, s a state-independent log-std;
//   π_θ(a|s) = softmax(z_θ(s))             for a Discrete one;
//
// μ or z the output of a tanh MLP. The algorithms read the same whatever the space: the
// distribution's functions take a batch of network outputs (one forward pass serves sampling,
// log-probabilities, entropy and their gradients), backward() turns the derivatives of a loss in
// log π and H into ∇θ, and fisher_vector_product() gives TRPO's F v without forming F.
//
// Actions are stored as the learning core stores them (action_rows() × batch columns): a Box
// action as action_dim numbers, a Discrete one as one number holding the index counted from 0;
// the space's `start` is added only when the action crosses the ABI (write_actions).
//
// θ is the network's flat parameters followed by the log-std (empty for a Categorical policy);
// flat_parameters() and set_flat_parameters() see them as one vector, the space in which the
// natural gradient lives.
#pragma once

#include <pgbench/sdk/algorithm.hpp>
#include <pgbench/sdk/learn/distributions.hpp>
#include <pgbench/sdk/learn/mlp.hpp>

#include <numbers>
#include <vector>

namespace pgb::learn {

// The initialisation of the reference on-policy implementations: orthogonal weights with gain √2
// on every layer, zero biases, then the output layer rescaled (0.01 for a policy, so that the
// first policy is nearly uniform or centred; 1/√2 for a critic, i.e. gain 1).
inline constexpr double kHiddenGain = std::numbers::sqrt2;

// A tanh MLP {inputs, hidden_widths..., outputs} with the initialisation above.
template <class Scalar>
Mlp<Scalar> make_tanh_mlp(Index inputs, const std::vector<Index>& hidden_widths, Index outputs, Rng& rng,
                          Scalar last_layer_scale) {
  std::vector<Index> sizes{inputs};
  sizes.insert(sizes.end(), hidden_widths.begin(), hidden_widths.end());
  sizes.push_back(outputs);
  Mlp<Scalar> network(sizes, Activation::tanh);
  network.initialize_orthogonal(rng, Scalar(kHiddenGain));
  network.scale_last_layer(last_layer_scale);
  return network;
}

// A state-value network V_φ(s): a tanh MLP with one linear output.
template <class Scalar>
Mlp<Scalar> make_critic(Index observation_dim, const std::vector<Index>& hidden_widths, Rng& rng) {
  return make_tanh_mlp<Scalar>(observation_dim, hidden_widths, 1, rng, Scalar(1.0 / kHiddenGain));
}

template <class Scalar = float>
class StochasticPolicy {
 public:
  using Network = Mlp<Scalar>;
  using Workspace = typename Network::Workspace;

  // ∇θ of a loss: the network's flat parameters and the log-std (empty for a discrete policy).
  struct Gradient {
    Vector<Scalar> network;
    Vector<Scalar> log_std;
  };

  // The two terms of policy_gradient_loss().
  struct LossTerms {
    double policy_loss;  // −(1/B) Σ Â log π
    double entropy;      // (1/B) Σ H
  };

  // A policy on a fresh tanh MLP initialised from `rng`.
  StochasticPolicy(Index observation_dim, const Space& action_space, const std::vector<Index>& hidden_widths,
                   double initial_log_std, Rng& rng);
  // A policy on a given network (tests build tiny ones).
  StochasticPolicy(const Space& action_space, Network network, double initial_log_std);

  bool discrete() const noexcept { return action_space_.is_discrete(); }
  // Numbers per stored action.
  Index action_rows() const noexcept { return discrete() ? 1 : network_.output_size(); }
  Network& network() noexcept { return network_; }
  const Network& network() const noexcept { return network_; }
  Vector<Scalar>& log_std() noexcept { return log_std_; }
  const Vector<Scalar>& log_std() const noexcept { return log_std_; }
  Gradient zero_gradient() const {
    return {Vector<Scalar>::Zero(network_.num_parameters()), Vector<Scalar>::Zero(log_std_.size())};
  }

  // ---- θ as one vector: [network parameters; log-std] ----
  Index num_parameters() const noexcept { return network_.num_parameters() + log_std_.size(); }
  Vector<Scalar> flat_parameters() const;
  void set_flat_parameters(const ConstVectorRef<Scalar>& theta);
  static Vector<Scalar> flatten(const Gradient& gradient);

  // ---- the distributions of a batch of network outputs ----
  void sample(const ConstMatrixRef<Scalar>& outputs, Rng& rng, MatrixRef<Scalar> actions) const;
  void mode(const ConstMatrixRef<Scalar>& outputs, MatrixRef<Scalar> actions) const;
  void log_prob(const ConstMatrixRef<Scalar>& outputs, const ConstMatrixRef<Scalar>& actions,
                RowVectorRef<Scalar> out) const;
  void entropy(const ConstMatrixRef<Scalar>& outputs, RowVectorRef<Scalar> out) const;
  // KL(π_old,i ‖ π_i) per sample, π_old given by its outputs and log-std (a snapshot of this policy).
  void kl_from(const ConstMatrixRef<Scalar>& old_outputs, const ConstVectorRef<Scalar>& old_log_std,
               const ConstMatrixRef<Scalar>& outputs, RowVectorRef<Scalar> out) const;

  // ∇θ of a loss ℓ given by its derivatives in the log-probabilities and entropies of the last
  // forward pass run in `workspace`: ∂ℓ/∂log π(a_i|s_i) = log_prob_weights_i and
  // ∂ℓ/∂H[π(·|s_i)] = entropy_weight for every i. Writes (not accumulates) `gradient`.
  void backward(Workspace& workspace, const ConstMatrixRef<Scalar>& actions,
                const ConstRowVectorRef<Scalar>& log_prob_weights, Scalar entropy_weight, Gradient& gradient) const;

  // The policy-gradient loss on a batch of B samples (Williams 1992; Mnih et al. 2016):
  //   L(θ) = −(1/B) Σ_i Â_i log π_θ(a_i|s_i)  −  c_H (1/B) Σ_i H[π_θ(·|s_i)]
  // Writes ∇θ L into `gradient` and returns the two terms.
  LossTerms policy_gradient_loss(Workspace& workspace, const ConstMatrixRef<Scalar>& observations,
                                 const ConstMatrixRef<Scalar>& actions, const ConstRowVectorRef<Scalar>& advantages,
                                 Scalar entropy_coefficient, Gradient& gradient) const;

  // F v + damping · v, with F = (1/B) Σ_i J_iᵀ M_i J_i the Fisher information of the policy over
  // the B inputs of the last forward pass run in `workspace` (the Hessian of the mean
  // KL(π_θ ‖ π_θ') in θ' at θ' = θ): J_i v by a Jacobian-vector product through the network, M_i
  // the Fisher of the action distribution (distributions.hpp), then Jᵀ by a backward pass. F is
  // never formed. The log-std is shared by every sample, so its block of M, 2·I, is already the
  // batch mean, and a Gaussian's M has no mean/log-std cross terms.
  Vector<Scalar> fisher_vector_product(Workspace& workspace, const ConstVectorRef<Scalar>& v, Scalar damping) const;

  // Stored actions (action_rows × rows) to the host's buffer.
  void write_actions(const ConstMatrixRef<Scalar>& actions, ActionRows out) const;

  void save(OutputArchive& archive) const;
  void load(InputArchive& archive);

 private:
  DiagGaussian<Scalar> gaussian(const ConstMatrixRef<Scalar>& outputs) const { return {outputs, log_std_}; }

  Space action_space_;
  Network network_;
  Vector<Scalar> log_std_;
};

extern template class StochasticPolicy<float>;
extern template class StochasticPolicy<double>;

}  // namespace pgb::learn
