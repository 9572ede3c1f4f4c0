// pgbench/sdk/learn/optimizers.hpp -- first-order optimisers on a flat parameter vector.
//
// Each optimiser owns the state for one parameter vector of a fixed size (a network's θ, a
// log-std vector) and minimises: step(θ, g) moves θ against the gradient g. The update rules
// are PyTorch's (torch.optim), so the reference hyperparameters of the literature carry over:
//
//   SGD      θ ← θ − η g
//   Adam     m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,
//            θ ← θ − η m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)   (Kingma & Ba 2015)
//   RMSprop  v ← α v + (1 − α) g²,   θ ← θ − η g / (√v + ε)      (no bias correction, v₀ = 0)
//
// In both Adam and RMSprop ε is added outside the square root, as PyTorch does (TensorFlow's
// RMSprop adds it inside: with ε = 1e-5 the two differ noticeably while v is small).
//
// Adam and RMSprop act coordinate by coordinate, so one optimiser per parameter vector is the
// same as one optimiser over their concatenation; only gradient clipping couples vectors, and
// clip_by_global_norm takes them all at once.
#pragma once

#include <pgbench/sdk/archive.hpp>
#include <pgbench/sdk/learn/types.hpp>

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace pgb::learn {

template <class Scalar = float>
class Optimizer {
 public:
  virtual ~Optimizer() = default;

  // One update of `parameters` (the size the optimiser was made for) against `gradient`.
  virtual void step(VectorRef<Scalar> parameters, const ConstVectorRef<Scalar>& gradient) = 0;

  double learning_rate() const noexcept { return learning_rate_; }
  // The schedule sets it before each step (see LinearDecay).
  void set_learning_rate(double learning_rate) noexcept { learning_rate_ = learning_rate; }

  // The moments and step count; the learning rate is the schedule's and is not saved.
  virtual void save(OutputArchive& archive) const = 0;
  virtual void load(InputArchive& archive) = 0;

 protected:
  Optimizer(Index size, double learning_rate);
  void check_sizes(const VectorRef<Scalar>& parameters, const ConstVectorRef<Scalar>& gradient) const;

  Index size_;
  double learning_rate_;
};

template <class Scalar = float>
class Sgd final : public Optimizer<Scalar> {
 public:
  Sgd(Index size, double learning_rate) : Optimizer<Scalar>(size, learning_rate) {}
  void step(VectorRef<Scalar> parameters, const ConstVectorRef<Scalar>& gradient) override;
  void save(OutputArchive& archive) const override;
  void load(InputArchive& archive) override;
};

struct AdamOptions {
  double learning_rate = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;  // PyTorch's default; some reference PPO settings use 1e-5
};

template <class Scalar = float>
class Adam final : public Optimizer<Scalar> {
 public:
  Adam(Index size, const AdamOptions& options = {});
  void step(VectorRef<Scalar> parameters, const ConstVectorRef<Scalar>& gradient) override;
  void save(OutputArchive& archive) const override;
  void load(InputArchive& archive) override;

  std::uint64_t steps_taken() const noexcept { return steps_; }

 private:
  AdamOptions options_;
  Vector<Scalar> first_moment_;   // m
  Vector<Scalar> second_moment_;  // v
  std::uint64_t steps_ = 0;       // t
};

struct RmsPropOptions {
  double learning_rate = 7e-4;  // the A2C reference setting
  double alpha = 0.99;
  double epsilon = 1e-5;  // the A2C reference setting (PyTorch's own default is 1e-8)
};

template <class Scalar = float>
class RmsProp final : public Optimizer<Scalar> {
 public:
  RmsProp(Index size, const RmsPropOptions& options = {});
  void step(VectorRef<Scalar> parameters, const ConstVectorRef<Scalar>& gradient) override;
  void save(OutputArchive& archive) const override;
  void load(InputArchive& archive) override;

 private:
  RmsPropOptions options_;
  Vector<Scalar> mean_square_;  // v
};

// Scales the gradients together so that their joint Euclidean norm is at most max_norm, as
// torch.nn.utils.clip_grad_norm_ does (factor max_norm / (norm + 1e-6), applied only when below
// 1). Returns the norm before clipping, the "gradient norm" metric.
template <class... Gradients>
double clip_by_global_norm(double max_norm, Gradients&&... gradients) {
  const double norm = std::sqrt((0.0 + ... + static_cast<double>(gradients.squaredNorm())));
  const double factor = max_norm / (norm + 1e-6);
  if (factor < 1.0) ((gradients *= static_cast<typename std::decay_t<Gradients>::Scalar>(factor)), ...);
  return norm;
}

// η(s) = η₀ · max(0, 1 − s / horizon): the learning rate decayed linearly to zero over a
// budget (the run's env steps; s is the progress so far, in the same unit).
class LinearDecay {
 public:
  LinearDecay(double initial, std::uint64_t horizon);
  double at(std::uint64_t progress) const noexcept;

 private:
  double initial_;
  std::uint64_t horizon_;
};

extern template class Optimizer<float>;
extern template class Optimizer<double>;
extern template class Sgd<float>;
extern template class Sgd<double>;
extern template class Adam<float>;
extern template class Adam<double>;
extern template class RmsProp<float>;
extern template class RmsProp<double>;

}  // namespace pgb::learn
