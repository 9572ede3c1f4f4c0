// pgbench/sdk/learn/normalizers.hpp -- running statistics and the observation and return
// normalisation of the reference on-policy implementations.
//
// Statistics are kept in double whatever the network precision: they integrate millions of
// samples, and the observations and rewards arrive as double from the ABI.
#pragma once

#include <pgbench/sdk/archive.hpp>
#include <pgbench/sdk/learn/types.hpp>

#include <cstdint>
#include <span>

namespace pgb::learn {

// Per-coordinate mean and (population) variance of a stream of vectors, exact at any count:
// each batch is summarised by its own mean and sum of squared deviations (two passes, stable)
// and folded in by Chan, Golub & LeVeque's pairwise formula,
//   n = n_a + n_b,   δ = μ_b − μ_a,   μ = μ_a + δ n_b / n,   M2 = M2_a + M2_b + δ² n_a n_b / n,
// which also merges two accumulators built apart. Before any sample the variance reads 1, so
// normalising by it is the identity.
class RunningMeanStd {
 public:
  explicit RunningMeanStd(Index dim);

  Index dim() const noexcept { return mean_.size(); }
  std::uint64_t count() const noexcept { return count_; }
  const Eigen::VectorXd& mean() const noexcept { return mean_; }
  Eigen::VectorXd variance() const;

  // Folds in a batch of samples, one per column (dim × batch).
  void update(const ConstMatrixRef<double>& samples);
  // Folds in everything `other` has seen: the result equals one accumulator fed both streams.
  void merge(const RunningMeanStd& other);

  void save(OutputArchive& archive) const;
  void load(InputArchive& archive);

 private:
  void merge_moments(std::uint64_t count, const Eigen::VectorXd& mean, const Eigen::VectorXd& squared_deviations);

  std::uint64_t count_ = 0;
  Eigen::VectorXd mean_;
  Eigen::VectorXd squared_deviations_;  // M2 = Σ (x − μ)²
};

// o ↦ clip((o − μ) / √(σ² + ε), ±clip) with μ, σ² the running statistics of the observations.
// update() folds a batch in during training; normalize() is const, so evaluation (act_eval)
// normalises with frozen statistics by construction.
class ObservationNormalizer {
 public:
  explicit ObservationNormalizer(Index dim, double clip = 10.0, double epsilon = 1e-8);

  void update(const ConstMatrixRef<double>& observations);  // dim × batch
  void normalize(const ConstMatrixRef<double>& observations, MatrixRef<float> out) const;
  void normalize(const ConstMatrixRef<double>& observations, MatrixRef<double> out) const;

  const RunningMeanStd& statistics() const noexcept { return statistics_; }

  void save(OutputArchive& archive) const;
  void load(InputArchive& archive);

 private:
  template <class Scalar>
  void normalize_into(const ConstMatrixRef<double>& observations, MatrixRef<Scalar> out) const;
  void refresh_inverse_std();

  RunningMeanStd statistics_;
  double clip_;
  double epsilon_;
  Eigen::VectorXd inverse_std_;  // 1 / √(σ² + ε), refreshed on every update
};

// Reward scaling by the running standard deviation of the discounted return, as in the
// reference implementations (OpenAI baselines' VecNormalize, Stable-Baselines3): each env keeps
// R ← γ R + r (reset to 0 when its episode ends), the variance of R is tracked over all envs and
// steps, and rewards are divided by √(Var[R] + ε) and clipped. The mean is not subtracted:
// shifting rewards would change which policies are optimal, scaling does not.
class ReturnNormalizer {
 public:
  ReturnNormalizer(Index num_envs, double gamma, double clip = 10.0, double epsilon = 1e-8);

  // One step of every env (N rewards, N episode ends).
  void update(const ConstVectorRef<double>& rewards, std::span<const EpisodeEnd> ends);
  double scale() const noexcept { return scale_; }  // √(Var[R] + ε)
  void normalize(const ConstVectorRef<double>& rewards, RowVectorRef<float> out) const;
  void normalize(const ConstVectorRef<double>& rewards, RowVectorRef<double> out) const;

  void save(OutputArchive& archive) const;
  void load(InputArchive& archive);

 private:
  template <class Scalar>
  void normalize_into(const ConstVectorRef<double>& rewards, RowVectorRef<Scalar> out) const;

  double gamma_;
  double clip_;
  double epsilon_;
  Eigen::VectorXd discounted_returns_;  // R per env
  RunningMeanStd statistics_;           // of R, one dimension
  double scale_;
};

}  // namespace pgb::learn
