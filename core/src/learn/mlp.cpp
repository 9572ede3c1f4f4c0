#include <pgbench/sdk/learn/checkpoint.hpp>
#include <pgbench/sdk/learn/mlp.hpp>

#include <Eigen/QR>

#include "matrix_product.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace pgb::learn {
namespace {

using detail::multiply;
using detail::Transpose;

// h ← f(h), in place on the pre-activations.
template <class Scalar>
void activate(Activation f, MatrixMap<Scalar> h) {
  switch (f) {
    case Activation::identity: return;
    case Activation::tanh: h.array() = h.array().tanh(); return;
    case Activation::relu: h = h.cwiseMax(Scalar(0)); return;
  }
}

// d ← d ⊙ f'(z), with f'(z) read off the activation h = f(z): 1 − h² for tanh, [h > 0] for ReLU.
template <class Scalar>
void multiply_by_derivative(Activation f, const MatrixMap<Scalar>& h, MatrixMap<Scalar> d) {
  switch (f) {
    case Activation::identity: return;
    case Activation::tanh: d.array() *= Scalar(1) - h.array().square(); return;
    case Activation::relu: {
      // A plain loop, because Eigen 3.4 does not vectorise select() and branches on each sign
      // (about 70 times slower here); the compiler turns this one into vector blends.
      const Scalar* activations = h.data();
      Scalar* gradients = d.data();
      for (Index i = 0; i < d.size(); ++i) gradients[i] = activations[i] > Scalar(0) ? gradients[i] : Scalar(0);
      return;
    }
  }
}

}  // namespace

template <class Scalar>
Mlp<Scalar>::Mlp(std::vector<Index> layer_sizes, Activation hidden_activation, Activation output_activation)
    : layer_sizes_(std::move(layer_sizes)),
      hidden_activation_(hidden_activation),
      output_activation_(output_activation) {
  if (layer_sizes_.size() < 2) throw std::invalid_argument("Mlp: needs at least an input and an output size");
  for (Index width : layer_sizes_)
    if (width < 1) throw std::invalid_argument("Mlp: every layer needs a positive width");
  offsets_.assign(layer_sizes_.size(), 0);
  Index count = 0;
  for (Index layer = 1; layer <= num_layers(); ++layer) {
    offsets_[layer] = count;
    count += layer_sizes_[layer] * (layer_sizes_[layer - 1] + 1);
  }
  parameters_ = Vector<Scalar>::Zero(count);
}

template <class Scalar>
Activation Mlp<Scalar>::activation(Index layer) const noexcept {
  return layer == num_layers() ? output_activation_ : hidden_activation_;
}

template <class Scalar>
void Mlp<Scalar>::set_parameters(const ConstVectorRef<Scalar>& theta) {
  if (theta.size() != num_parameters())
    throw std::invalid_argument("Mlp::set_parameters: got " + std::to_string(theta.size()) + " values for " +
                                std::to_string(num_parameters()) + " parameters");
  parameters_ = theta;
}

template <class Scalar>
void Mlp<Scalar>::add_to_parameters(const ConstVectorRef<Scalar>& delta, Scalar scale) {
  if (delta.size() != num_parameters())
    throw std::invalid_argument("Mlp::add_to_parameters: got " + std::to_string(delta.size()) + " values for " +
                                std::to_string(num_parameters()) + " parameters");
  parameters_ += scale * delta;
}

template <class Scalar>
MatrixMap<Scalar> Mlp<Scalar>::weights(Index layer) noexcept {
  return {parameters_.data() + offsets_[layer], layer_sizes_[layer], layer_sizes_[layer - 1]};
}

template <class Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::weights(Index layer) const noexcept {
  return {parameters_.data() + offsets_[layer], layer_sizes_[layer], layer_sizes_[layer - 1]};
}

template <class Scalar>
VectorMap<Scalar> Mlp<Scalar>::bias(Index layer) noexcept {
  return {parameters_.data() + offsets_[layer] + layer_sizes_[layer] * layer_sizes_[layer - 1], layer_sizes_[layer]};
}

template <class Scalar>
ConstVectorMap<Scalar> Mlp<Scalar>::bias(Index layer) const noexcept {
  return {parameters_.data() + offsets_[layer] + layer_sizes_[layer] * layer_sizes_[layer - 1], layer_sizes_[layer]};
}

template <class Scalar>
void Mlp<Scalar>::initialize_orthogonal(Rng& rng, Scalar gain) {
  for (Index layer = 1; layer <= num_layers(); ++layer) {
    const Index rows = layer_sizes_[layer];
    const Index cols = layer_sizes_[layer - 1];
    // Q of a tall Gaussian matrix has orthonormal columns; a wide W takes the transpose, so W
    // always has orthonormal rows or columns, whichever are fewer.
    const Index tall = std::max(rows, cols);
    const Index narrow = std::min(rows, cols);
    Eigen::MatrixXd gaussian(tall, narrow);
    for (Index j = 0; j < narrow; ++j)
      for (Index i = 0; i < tall; ++i) gaussian(i, j) = rng.normal();
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(gaussian);
    Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(tall, narrow);
    const Eigen::VectorXd r_diagonal = qr.matrixQR().diagonal();
    for (Index j = 0; j < narrow; ++j)
      if (r_diagonal(j) < 0) q.col(j) = -q.col(j);
    if (rows < cols)
      weights(layer) = (gain * q.transpose()).template cast<Scalar>();
    else
      weights(layer) = (gain * q).template cast<Scalar>();
    bias(layer).setZero();
  }
}

template <class Scalar>
void Mlp<Scalar>::scale_last_layer(Scalar factor) {
  weights(num_layers()) *= factor;
}

template <class Scalar>
void Mlp<Scalar>::check_workspace(const Workspace& workspace) const {
  if (workspace.layer_sizes_ != layer_sizes_)
    throw std::invalid_argument("Mlp: the workspace was made for a network of another architecture");
}

template <class Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::forward(Workspace& workspace, const ConstMatrixRef<Scalar>& inputs) const {
  if (inputs.rows() != input_size())
    throw std::invalid_argument("Mlp::forward: inputs have " + std::to_string(inputs.rows()) + " rows, expected " +
                                std::to_string(input_size()));
  check_workspace(workspace);
  workspace.inputs(inputs.cols()) = inputs;
  return forward(workspace);
}

template <class Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::forward(Workspace& workspace) const {
  check_workspace(workspace);
  for (Index layer = 1; layer <= num_layers(); ++layer) {
    const auto l = static_cast<std::size_t>(layer);
    MatrixMap<Scalar> h = workspace.activation(l);
    multiply(weights(layer), Transpose::no, workspace.activation(l - 1), Transpose::no, h);
    h.colwise() += bias(layer);
    activate(activation(layer), h);
  }
  return workspace.outputs();
}

template <class Scalar>
void Mlp<Scalar>::backward(Workspace& workspace, const ConstMatrixRef<Scalar>& output_gradient,
                           VectorRef<Scalar> parameter_gradient) const {
  if (parameter_gradient.size() != num_parameters())
    throw std::invalid_argument("Mlp::backward: the parameter gradient needs " + std::to_string(num_parameters()) +
                                " entries");
  backpropagate(workspace, output_gradient, parameter_gradient.data(), nullptr);
}

template <class Scalar>
void Mlp<Scalar>::backward(Workspace& workspace, const ConstMatrixRef<Scalar>& output_gradient,
                           VectorRef<Scalar> parameter_gradient, MatrixRef<Scalar> input_gradient) const {
  if (parameter_gradient.size() != num_parameters())
    throw std::invalid_argument("Mlp::backward: the parameter gradient needs " + std::to_string(num_parameters()) +
                                " entries");
  backpropagate(workspace, output_gradient, parameter_gradient.data(), &input_gradient);
}

template <class Scalar>
void Mlp<Scalar>::input_gradient(Workspace& workspace, const ConstMatrixRef<Scalar>& output_gradient,
                                 MatrixRef<Scalar> input_gradient) const {
  backpropagate(workspace, output_gradient, nullptr, &input_gradient);
}

// Reverse mode: δ_L = dLoss/dy ⊙ f_L'(z_L), then for l = L..1
//   dLoss/dW_l = δ_l h_{l-1}ᵀ,   dLoss/db_l = Σ_samples δ_l,   δ_{l-1} = (W_lᵀ δ_l) ⊙ f_{l-1}'(z_{l-1}),
// and dLoss/dx = W_1ᵀ δ_1.
template <class Scalar>
void Mlp<Scalar>::backpropagate(Workspace& workspace, const ConstMatrixRef<Scalar>& output_gradient,
                                Scalar* parameter_gradient, MatrixRef<Scalar>* input_gradient) const {
  check_workspace(workspace);
  const Index batch = workspace.batch_size();
  if (output_gradient.rows() != output_size() || output_gradient.cols() != batch)
    throw std::invalid_argument("Mlp::backward: the output gradient must be " + std::to_string(output_size()) + "x" +
                                std::to_string(batch) + " (the last forward pass)");
  if (input_gradient && (input_gradient->rows() != input_size() || input_gradient->cols() != batch))
    throw std::invalid_argument("Mlp::backward: the input gradient must be " + std::to_string(input_size()) + "x" +
                                std::to_string(batch));

  const auto last = static_cast<std::size_t>(num_layers());
  workspace.delta(last) = output_gradient;
  multiply_by_derivative(activation(num_layers()), workspace.activation(last), workspace.delta(last));
  for (Index layer = num_layers(); layer >= 1; --layer) {
    const auto l = static_cast<std::size_t>(layer);
    const MatrixMap<Scalar> delta = workspace.delta(l);
    if (parameter_gradient) {
      const Index fan_in = layer_sizes_[l - 1];
      MatrixMap<Scalar> weight_gradient(parameter_gradient + offsets_[l], layer_sizes_[l], fan_in);
      VectorMap<Scalar> bias_gradient(parameter_gradient + offsets_[l] + layer_sizes_[l] * fan_in, layer_sizes_[l]);
      multiply(delta, Transpose::no, workspace.activation(l - 1), Transpose::yes, weight_gradient);
      bias_gradient = delta.rowwise().sum();
    }
    if (layer > 1) {
      MatrixMap<Scalar> previous = workspace.delta(l - 1);
      multiply(weights(layer), Transpose::yes, delta, Transpose::no, previous);
      multiply_by_derivative(activation(layer - 1), workspace.activation(l - 1), previous);
    } else if (input_gradient) {
      multiply(weights(1), Transpose::yes, delta, Transpose::no, *input_gradient);
    }
  }
}

// Forward mode along θ + t·v, differentiated at t = 0 (dh_0 = 0, the inputs do not move):
//   dh_l = f_l'(z_l) ⊙ (W_l dh_{l-1} + V_l h_{l-1} + c_l),
// with V_l and c_l the parts of v that sit where W_l and b_l sit in θ.
template <class Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::jvp(Workspace& workspace, const ConstVectorRef<Scalar>& direction) const {
  check_workspace(workspace);
  if (direction.size() != num_parameters())
    throw std::invalid_argument("Mlp::jvp: the direction needs " + std::to_string(num_parameters()) + " entries");
  for (Index layer = 1; layer <= num_layers(); ++layer) {
    const auto l = static_cast<std::size_t>(layer);
    const Index fan_in = layer_sizes_[l - 1];
    const ConstMatrixMap<Scalar> weight_direction(direction.data() + offsets_[l], layer_sizes_[l], fan_in);
    const ConstVectorMap<Scalar> bias_direction(direction.data() + offsets_[l] + layer_sizes_[l] * fan_in,
                                                layer_sizes_[l]);
    MatrixMap<Scalar> tangent = workspace.tangent(l);
    multiply(weight_direction, Transpose::no, workspace.activation(l - 1), Transpose::no, tangent);
    if (layer > 1)
      multiply(weights(layer), Transpose::no, workspace.tangent(l - 1), Transpose::no, tangent, /*accumulate=*/true);
    tangent.colwise() += bias_direction;
    multiply_by_derivative(activation(layer), workspace.activation(l), tangent);
  }
  const MatrixMap<Scalar> output_tangent = workspace.tangent(static_cast<std::size_t>(num_layers()));
  return {output_tangent.data(), output_tangent.rows(), output_tangent.cols()};
}

template <class Scalar>
void Mlp<Scalar>::save(OutputArchive& archive) const {
  archive.tag("pgb.learn.mlp");
  archive.pod<std::int64_t>(static_cast<std::int64_t>(layer_sizes_.size()));
  for (Index width : layer_sizes_) archive.pod<std::int64_t>(width);
  archive.pod(hidden_activation_);
  archive.pod(output_activation_);
  save_dense(archive, parameters_);
}

template <class Scalar>
void Mlp<Scalar>::load(InputArchive& archive) {
  archive.expect_tag("pgb.learn.mlp");
  expect_size(archive, static_cast<std::int64_t>(layer_sizes_.size()), "the number of MLP layer sizes");
  for (Index width : layer_sizes_) expect_size(archive, width, "an MLP layer width");
  if (archive.pod<Activation>() != hidden_activation_ || archive.pod<Activation>() != output_activation_)
    throw std::runtime_error("checkpoint: the MLP was saved with other activations");
  load_dense(archive, parameters_, "the MLP parameters");
}

template <class Scalar>
Mlp<Scalar>::Workspace::Workspace(const Mlp& network, Index capacity)
    : layer_sizes_(network.layer_sizes()),
      activations_(layer_sizes_.size()),
      deltas_(layer_sizes_.size()),
      tangents_(layer_sizes_.size()) {
  reserve(capacity);
}

template <class Scalar>
MatrixMap<Scalar> Mlp<Scalar>::Workspace::inputs(Index batch) {
  reserve(batch);
  batch_size_ = batch;
  return activation(0);
}

template <class Scalar>
void Mlp<Scalar>::Workspace::reserve(Index capacity) {
  if (capacity < 0) throw std::invalid_argument("Mlp::Workspace: negative batch size");
  if (capacity <= capacity_) return;
  for (std::size_t l = 0; l < layer_sizes_.size(); ++l) {
    activations_[l].resize(layer_sizes_[l], capacity);
    if (l > 0) {
      deltas_[l].resize(layer_sizes_[l], capacity);
      tangents_[l].resize(layer_sizes_[l], capacity);
    }
  }
  capacity_ = capacity;
}

template <class Scalar>
ConstMatrixMap<Scalar> Mlp<Scalar>::Workspace::activation(std::size_t layer) const noexcept {
  return {activations_[layer].data(), layer_sizes_[layer], batch_size_};
}

template class Mlp<float>;
template class Mlp<double>;

}  // namespace pgb::learn
