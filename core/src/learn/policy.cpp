#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/policy.hpp>

#include <utility>

namespace pgb::learn {

namespace {

// A discrete policy's actions are one row; the Categorical takes them as a row vector.
template <class Scalar>
RowVectorMap<Scalar> as_row(MatrixRef<Scalar> actions) {
  return {actions.data(), actions.cols()};
}
template <class Scalar>
ConstRowVectorMap<Scalar> as_row(const ConstMatrixRef<Scalar>& actions) {
  return {actions.data(), actions.cols()};
}

Index output_size(const Space& action_space) {
  return action_space.is_discrete() ? static_cast<Index>(action_space.n()) : static_cast<Index>(action_space.dim());
}

}  // namespace

template <class Scalar>
StochasticPolicy<Scalar>::StochasticPolicy(Index observation_dim, const Space& action_space,
                                           const std::vector<Index>& hidden_widths, double initial_log_std, Rng& rng)
    : StochasticPolicy(action_space,
                       make_tanh_mlp<Scalar>(observation_dim, hidden_widths, output_size(action_space), rng,
                                             Scalar(0.01)),
                       initial_log_std) {}

template <class Scalar>
StochasticPolicy<Scalar>::StochasticPolicy(const Space& action_space, Network network, double initial_log_std)
    : action_space_(action_space),
      network_(std::move(network)),
      log_std_(Vector<Scalar>::Constant(discrete() ? 0 : network_.output_size(), Scalar(initial_log_std))) {}

template <class Scalar>
Vector<Scalar> StochasticPolicy<Scalar>::flat_parameters() const {
  Vector<Scalar> theta(num_parameters());
  theta << network_.parameters(), log_std_;
  return theta;
}

template <class Scalar>
void StochasticPolicy<Scalar>::set_flat_parameters(const ConstVectorRef<Scalar>& theta) {
  network_.set_parameters(theta.head(network_.num_parameters()));
  log_std_ = theta.tail(log_std_.size());
}

template <class Scalar>
Vector<Scalar> StochasticPolicy<Scalar>::flatten(const Gradient& gradient) {
  Vector<Scalar> flat(gradient.network.size() + gradient.log_std.size());
  flat << gradient.network, gradient.log_std;
  return flat;
}

template <class Scalar>
void StochasticPolicy<Scalar>::sample(const ConstMatrixRef<Scalar>& outputs, Rng& rng,
                                      MatrixRef<Scalar> actions) const {
  if (discrete()) Categorical<Scalar>(outputs).sample(rng, as_row<Scalar>(actions));
  else gaussian(outputs).sample(rng, actions);
}

template <class Scalar>
void StochasticPolicy<Scalar>::mode(const ConstMatrixRef<Scalar>& outputs, MatrixRef<Scalar> actions) const {
  if (discrete()) Categorical<Scalar>(outputs).mode(as_row<Scalar>(actions));
  else gaussian(outputs).mode(actions);
}

template <class Scalar>
void StochasticPolicy<Scalar>::log_prob(const ConstMatrixRef<Scalar>& outputs, const ConstMatrixRef<Scalar>& actions,
                                        RowVectorRef<Scalar> out) const {
  if (discrete()) Categorical<Scalar>(outputs).log_prob(as_row<Scalar>(actions), out);
  else gaussian(outputs).log_prob(actions, out);
}

template <class Scalar>
void StochasticPolicy<Scalar>::entropy(const ConstMatrixRef<Scalar>& outputs, RowVectorRef<Scalar> out) const {
  if (discrete()) Categorical<Scalar>(outputs).entropy(out);
  else gaussian(outputs).entropy(out);
}

template <class Scalar>
void StochasticPolicy<Scalar>::kl_from(const ConstMatrixRef<Scalar>& old_outputs,
                                       const ConstVectorRef<Scalar>& old_log_std,
                                       const ConstMatrixRef<Scalar>& outputs, RowVectorRef<Scalar> out) const {
  if (discrete()) kl_divergence(Categorical<Scalar>(old_outputs), Categorical<Scalar>(outputs), out);
  else kl_divergence(DiagGaussian<Scalar>(old_outputs, old_log_std), gaussian(outputs), out);
}

template <class Scalar>
void StochasticPolicy<Scalar>::backward(Workspace& workspace, const ConstMatrixRef<Scalar>& actions,
                                        const ConstRowVectorRef<Scalar>& log_prob_weights, Scalar entropy_weight,
                                        Gradient& gradient) const {
  const auto outputs = workspace.outputs();
  const Index batch = outputs.cols();
  Matrix<Scalar> output_gradient = Matrix<Scalar>::Zero(outputs.rows(), batch);
  gradient.log_std.setZero(log_std_.size());
  const RowVector<Scalar> entropy_weights = RowVector<Scalar>::Constant(batch, entropy_weight);
  if (discrete()) {
    const Categorical<Scalar> pi(outputs);
    pi.add_log_prob_gradient(as_row<Scalar>(actions), log_prob_weights, output_gradient);
    if (entropy_weight != Scalar(0)) pi.add_entropy_gradient(entropy_weights, output_gradient);
  } else {
    const DiagGaussian<Scalar> pi = gaussian(outputs);
    pi.add_log_prob_gradient(actions, log_prob_weights, output_gradient, gradient.log_std);
    if (entropy_weight != Scalar(0)) pi.add_entropy_gradient(entropy_weights, gradient.log_std);
  }
  gradient.network.resize(network_.num_parameters());
  network_.backward(workspace, output_gradient, gradient.network);
}

template <class Scalar>
typename StochasticPolicy<Scalar>::LossTerms StochasticPolicy<Scalar>::policy_gradient_loss(
    Workspace& workspace, const ConstMatrixRef<Scalar>& observations, const ConstMatrixRef<Scalar>& actions,
    const ConstRowVectorRef<Scalar>& advantages, Scalar entropy_coefficient, Gradient& gradient) const {
  const Index batch = observations.cols();
  const auto outputs = network_.forward(workspace, observations);
  RowVector<Scalar> log_probs(batch), entropies(batch);
  log_prob(outputs, actions, log_probs);
  entropy(outputs, entropies);
  backward(workspace, actions, -advantages / Scalar(batch), -entropy_coefficient / Scalar(batch), gradient);
  return {-static_cast<double>(advantages.cwiseProduct(log_probs).mean()), static_cast<double>(entropies.mean())};
}

template <class Scalar>
Vector<Scalar> StochasticPolicy<Scalar>::fisher_vector_product(Workspace& workspace, const ConstVectorRef<Scalar>& v,
                                                               Scalar damping) const {
  const Index p = network_.num_parameters(), batch = workspace.batch_size();
  const Matrix<Scalar> tangent = network_.jvp(workspace, v.head(p));
  Matrix<Scalar> product(tangent.rows(), batch);
  Vector<Scalar> result(num_parameters());
  if (discrete()) {
    Categorical<Scalar>(workspace.outputs()).apply_fisher(tangent, product);
  } else {
    Vector<Scalar> log_std_product(log_std_.size());
    gaussian(workspace.outputs()).apply_fisher(tangent, v.tail(log_std_.size()), product, log_std_product);
    result.tail(log_std_.size()) = log_std_product;
  }
  product /= static_cast<Scalar>(batch);
  network_.backward(workspace, product, result.head(p));
  return result + damping * v;
}

template <class Scalar>
void StochasticPolicy<Scalar>::write_actions(const ConstMatrixRef<Scalar>& actions, ActionRows out) const {
  for (std::uint32_t r = 0; r < out.rows(); ++r) {
    if (discrete()) {
      out.index(r) = action_space_.start() + static_cast<std::int64_t>(actions(0, r));
    } else {
      const auto values = out.values(r);
      for (std::uint32_t d = 0; d < out.dim(); ++d) values[d] = static_cast<double>(actions(d, r));
    }
  }
}

template <class Scalar>
void StochasticPolicy<Scalar>::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.policy");
  network_.save(archive);
  save_dense(archive, log_std_);
}

template <class Scalar>
void StochasticPolicy<Scalar>::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.policy");
  network_.load(archive);
  load_dense(archive, log_std_, "the policy log-std");
}

template class StochasticPolicy<float>;
template class StochasticPolicy<double>;

}  // namespace pgb::learn
