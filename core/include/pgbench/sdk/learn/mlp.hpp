// pgbench/sdk/learn/mlp.hpp -- a multilayer perceptron on Eigen with exact derivatives.
//
//   h_0 = x,   h_l = f_l(W_l h_{l-1} + b_l)   for l = 1..L,   y = h_L
//
// with f_l the hidden activation for l < L and the output activation for l = L.
//
// Batches are features × batch column-major matrices (see types.hpp). Two derivatives are
// provided, each one pass through the network with batched matrix products:
//   backward   vector-Jacobian product: given dLoss/dy, the gradient wrt the parameters and/or
//              the inputs (DDPG's dQ/da is the input gradient of the critic);
//   jvp        Jacobian-vector product: given a direction v in parameter space, dy = (∂y/∂θ) v,
//              the first half of TRPO's Fisher-vector product Jᵀ M J v.
//
// All parameters live in one contiguous vector θ, layer after layer, each layer as W_l
// (column-major, out × in) followed by b_l, so optimisers, gradient clipping, Polyak averaging
// and conjugate gradient work on one flat vector; weights(l) and bias(l) are windows into it.
//
// Memory: the network holds only θ. Every pass works in a Workspace, which holds the
// activations the derivatives need; it is sized for a maximum batch once and then reused, so
// forward, backward and jvp allocate nothing. backward and jvp read the activations of the last
// forward pass without changing them, so they may be called any number of times after it (one
// forward per conjugate-gradient solve, not per iteration). A Workspace serves any network of
// the same architecture (a target network can borrow its online network's).
#pragma once

#include <pgbench/sdk/archive.hpp>
#include <pgbench/sdk/learn/types.hpp>
#include <pgbench/sdk/rng.hpp>

#include <vector>

namespace pgb::learn {

enum class Activation : std::uint8_t { identity, tanh, relu };

template <class Scalar = float>
class Mlp {
 public:
  class Workspace;

  // layer_sizes = {input width, hidden widths..., output width}: at least two entries.
  // Parameters start at zero; call one of the initialisers below.
  Mlp(std::vector<Index> layer_sizes, Activation hidden_activation,
      Activation output_activation = Activation::identity);

  Index input_size() const noexcept { return layer_sizes_.front(); }
  Index output_size() const noexcept { return layer_sizes_.back(); }
  Index num_layers() const noexcept { return static_cast<Index>(layer_sizes_.size()) - 1; }
  const std::vector<Index>& layer_sizes() const noexcept { return layer_sizes_; }
  Activation activation(Index layer) const noexcept;  // layer in [1, num_layers()]
  Index num_parameters() const noexcept { return parameters_.size(); }

  // ---- the flat parameter vector θ and its per-layer windows (layer in [1, num_layers()]) ----
  VectorMap<Scalar> parameters() noexcept { return {parameters_.data(), parameters_.size()}; }
  ConstVectorMap<Scalar> parameters() const noexcept { return {parameters_.data(), parameters_.size()}; }
  void set_parameters(const ConstVectorRef<Scalar>& theta);
  // θ ← θ + scale · delta (a line-search trial step, an optimiser update computed elsewhere).
  void add_to_parameters(const ConstVectorRef<Scalar>& delta, Scalar scale = Scalar(1));
  MatrixMap<Scalar> weights(Index layer) noexcept;
  ConstMatrixMap<Scalar> weights(Index layer) const noexcept;
  VectorMap<Scalar> bias(Index layer) noexcept;
  ConstVectorMap<Scalar> bias(Index layer) const noexcept;

  // ---- initialisation ----
  // Every W_l ← gain · (a uniformly random orthogonal matrix), every b_l ← 0 (Saxe et al. 2014).
  // The orthogonal factor is the Q of a QR decomposition of a Gaussian matrix drawn from rng,
  // with the signs of R's diagonal folded into Q so that Q is Haar-distributed.
  void initialize_orthogonal(Rng& rng, Scalar gain);
  // W_L ← factor · W_L: the small last policy layer of the reference implementations (0.01).
  void scale_last_layer(Scalar factor);

  // ---- passes (see the Workspace for the batch size rules) ----
  // y = f(x): copies inputs (input_size × batch) into the workspace and runs forward.
  ConstMatrixMap<Scalar> forward(Workspace& workspace, const ConstMatrixRef<Scalar>& inputs) const;
  // The same on inputs already written through workspace.inputs(batch): no copy, which lets a
  // caller assemble an input in place (DDPG's critic reads [observation; action]).
  ConstMatrixMap<Scalar> forward(Workspace& workspace) const;

  // Backward passes of the last forward run in `workspace`, by this network. output_gradient is
  // dLoss/dy (output_size × batch). The gradients are written, not accumulated: losses that share
  // a forward pass add their output gradients first and call backward once.
  void backward(Workspace& workspace, const ConstMatrixRef<Scalar>& output_gradient,
                VectorRef<Scalar> parameter_gradient) const;
  void backward(Workspace& workspace, const ConstMatrixRef<Scalar>& output_gradient,
                VectorRef<Scalar> parameter_gradient, MatrixRef<Scalar> input_gradient) const;
  // dLoss/dx alone: skips the weight-gradient products, half the cost of a full backward.
  void input_gradient(Workspace& workspace, const ConstMatrixRef<Scalar>& output_gradient,
                      MatrixRef<Scalar> input_gradient) const;

  // dy = (∂y/∂θ) · direction at the inputs of the last forward run in `workspace`
  // (output_size × batch, a view into the workspace valid until its next pass).
  ConstMatrixMap<Scalar> jvp(Workspace& workspace, const ConstVectorRef<Scalar>& direction) const;

  // Architecture, then θ. load() requires a network built with the same architecture.
  void save(OutputArchive& archive) const;
  void load(InputArchive& archive);

 private:
  void check_workspace(const Workspace& workspace) const;
  void backpropagate(Workspace& workspace, const ConstMatrixRef<Scalar>& output_gradient,
                     Scalar* parameter_gradient, MatrixRef<Scalar>* input_gradient) const;

  std::vector<Index> layer_sizes_;
  Activation hidden_activation_;
  Activation output_activation_;
  std::vector<Index> offsets_;  // offsets_[l]: where W_l starts in θ (index 0 unused)
  Vector<Scalar> parameters_;
};

// The per-batch memory of a network's passes: for each layer l its activations h_l and the
// scratch of the backward (δ_l = dLoss/dz_l) and forward-mode (dh_l) passes, all sized
// width_l × capacity. A pass on `batch` ≤ capacity samples uses the first `batch` columns; a
// larger batch grows the workspace once (an allocation, the only one).
template <class Scalar>
class Mlp<Scalar>::Workspace {
 public:
  Workspace(const Mlp& network, Index capacity);

  Index capacity() const noexcept { return capacity_; }
  Index batch_size() const noexcept { return batch_size_; }

  // Starts a pass over `batch` samples and returns the input block to fill (input_size × batch).
  MatrixMap<Scalar> inputs(Index batch);
  // The outputs of the last forward pass (output_size × batch).
  ConstMatrixMap<Scalar> outputs() const noexcept { return activation(layer_sizes_.size() - 1); }

 private:
  friend class Mlp;
  void reserve(Index capacity);
  MatrixMap<Scalar> activation(std::size_t layer) noexcept { return view(activations_, layer); }
  ConstMatrixMap<Scalar> activation(std::size_t layer) const noexcept;
  MatrixMap<Scalar> delta(std::size_t layer) noexcept { return view(deltas_, layer); }
  MatrixMap<Scalar> tangent(std::size_t layer) noexcept { return view(tangents_, layer); }
  MatrixMap<Scalar> view(std::vector<Matrix<Scalar>>& buffers, std::size_t layer) noexcept {
    return {buffers[layer].data(), layer_sizes_[layer], batch_size_};
  }

  std::vector<Index> layer_sizes_;
  Index capacity_ = 0;
  Index batch_size_ = 0;
  std::vector<Matrix<Scalar>> activations_;  // h_0 (the inputs) .. h_L
  std::vector<Matrix<Scalar>> deltas_;       // δ_1 .. δ_L (index 0 unused)
  std::vector<Matrix<Scalar>> tangents_;     // dh_1 .. dh_L (index 0 unused)
};

extern template class Mlp<float>;
extern template class Mlp<double>;

}  // namespace pgb::learn
