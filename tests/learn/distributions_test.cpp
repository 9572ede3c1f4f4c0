#include "finite_difference.hpp"

#include <pgbench/sdk/learn/distributions.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace pgb::learn {
namespace {

using testing::close;
using testing::numerical_gradient;

Eigen::MatrixXd gaussian_matrix(Rng& rng, Index rows, Index cols) {
  Eigen::MatrixXd m(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) m(i, j) = rng.normal();
  return m;
}

const double kLogTwoPi = std::log(2 * std::numbers::pi);

// ---- DiagGaussian: parameters (μ, s) flattened as [μ column-major; s] for finite differences ----

constexpr Index kDim = 3;
constexpr Index kBatch = 4;

struct GaussianParameters {
  Eigen::MatrixXd mean;
  Eigen::VectorXd log_std;

  static GaussianParameters random(Rng& rng) {
    return {gaussian_matrix(rng, kDim, kBatch), 0.4 * gaussian_matrix(rng, kDim, 1)};
  }
  static GaussianParameters unflatten(const Eigen::VectorXd& flat) {
    return {Eigen::MatrixXd::Map(flat.data(), kDim, kBatch), flat.tail(kDim)};
  }
  Eigen::VectorXd flatten() const {
    Eigen::VectorXd flat(mean.size() + log_std.size());
    flat << Eigen::VectorXd::Map(mean.data(), mean.size()), log_std;
    return flat;
  }
  DiagGaussian<double> distribution() const { return {mean, log_std}; }
};

Eigen::VectorXd flatten_gradient(const Eigen::MatrixXd& mean_gradient, const Eigen::VectorXd& log_std_gradient) {
  return GaussianParameters{mean_gradient, log_std_gradient}.flatten();
}

TEST(DiagGaussian, LogProbAndEntropyMatchTheDensity) {
  Eigen::MatrixXd mean(2, 1);
  mean << 0.5, -1.0;
  const Eigen::Vector2d log_std(std::log(2.0), 0.0);
  Eigen::MatrixXd action(2, 1);
  action << 1.5, 0.0;
  const DiagGaussian<double> pi(mean, log_std);

  Eigen::RowVectorXd out(1);
  pi.log_prob(action, out);
  // N(1.5; 0.5, 2²) · N(0; −1, 1): standardised deviations 0.5 and 1.
  EXPECT_NEAR(out(0), (-0.5 * 0.25 - std::log(2.0) - 0.5 * kLogTwoPi) + (-0.5 - 0.5 * kLogTwoPi), 1e-14);
  pi.entropy(out);
  EXPECT_NEAR(out(0), std::log(2.0) + 1.0 + kLogTwoPi, 1e-14);  // Σ_d s_d + ½ log(2πe)
}

TEST(DiagGaussian, SamplesHaveTheMeanAndSpreadAndTheModeIsTheMean) {
  const Index n = 40000;
  Eigen::MatrixXd mean(2, n);
  mean.row(0).setConstant(1.0);
  mean.row(1).setConstant(-3.0);
  const Eigen::Vector2d log_std(std::log(0.5), std::log(2.0));
  const DiagGaussian<double> pi(mean, log_std);

  Rng rng(11);
  Eigen::MatrixXd actions(2, n);
  pi.sample(rng, actions);
  const Eigen::Vector2d sample_mean = actions.rowwise().mean();
  const Eigen::Vector2d sample_std = (actions.colwise() - sample_mean).rowwise().norm() / std::sqrt(double(n));
  EXPECT_NEAR(sample_mean(0), 1.0, 4 * 0.5 / std::sqrt(double(n)));
  EXPECT_NEAR(sample_mean(1), -3.0, 4 * 2.0 / std::sqrt(double(n)));
  EXPECT_NEAR(sample_std(0), 0.5, 0.01);
  EXPECT_NEAR(sample_std(1), 2.0, 0.04);

  Rng same_seed(11);
  Eigen::MatrixXd again(2, n);
  pi.sample(same_seed, again);
  EXPECT_EQ(again, actions);

  Eigen::MatrixXd mode(2, n);
  pi.mode(mode);
  EXPECT_EQ(mode, mean);
}

TEST(DiagGaussian, LogProbGradientMatchesFiniteDifferences) {
  Rng rng(12);
  const GaussianParameters theta = GaussianParameters::random(rng);
  const Eigen::MatrixXd actions = gaussian_matrix(rng, kDim, kBatch);
  const Eigen::RowVectorXd weights = gaussian_matrix(rng, 1, kBatch);
  const auto weighted_log_prob = [&](const Eigen::VectorXd& flat) {
    Eigen::RowVectorXd log_prob(kBatch);
    GaussianParameters::unflatten(flat).distribution().log_prob(actions, log_prob);
    return log_prob.dot(weights);
  };

  Eigen::MatrixXd mean_gradient = Eigen::MatrixXd::Zero(kDim, kBatch);
  Eigen::VectorXd log_std_gradient = Eigen::VectorXd::Zero(kDim);
  theta.distribution().add_log_prob_gradient(actions, weights, mean_gradient, log_std_gradient);
  EXPECT_TRUE(close(flatten_gradient(mean_gradient, log_std_gradient),
                    numerical_gradient(weighted_log_prob, theta.flatten())));

  // A second call adds to what is there.
  const Eigen::MatrixXd once = mean_gradient;
  theta.distribution().add_log_prob_gradient(actions, weights, mean_gradient, log_std_gradient);
  EXPECT_TRUE(close(mean_gradient, 2 * once, 1e-15));
}

TEST(DiagGaussian, EntropyGradientMatchesFiniteDifferences) {
  Rng rng(13);
  const GaussianParameters theta = GaussianParameters::random(rng);
  const Eigen::RowVectorXd weights = gaussian_matrix(rng, 1, kBatch);
  const auto weighted_entropy = [&](const Eigen::VectorXd& flat) {
    Eigen::RowVectorXd entropy(kBatch);
    GaussianParameters::unflatten(flat).distribution().entropy(entropy);
    return entropy.dot(weights);
  };

  Eigen::VectorXd log_std_gradient = Eigen::VectorXd::Zero(kDim);
  theta.distribution().add_entropy_gradient(weights, log_std_gradient);
  EXPECT_TRUE(close(flatten_gradient(Eigen::MatrixXd::Zero(kDim, kBatch), log_std_gradient),
                    numerical_gradient(weighted_entropy, theta.flatten())));
}

TEST(DiagGaussian, KlDivergenceMatchesTheClosedFormAndVanishesOnItself) {
  Eigen::MatrixXd mean_p(1, 1), mean_q(1, 1);
  mean_p << 0.0;
  mean_q << 1.0;
  const Eigen::VectorXd log_std_p = Eigen::VectorXd::Constant(1, std::log(1.0));
  const Eigen::VectorXd log_std_q = Eigen::VectorXd::Constant(1, std::log(2.0));
  Eigen::RowVectorXd kl(1);
  kl_divergence(DiagGaussian<double>(mean_p, log_std_p), DiagGaussian<double>(mean_q, log_std_q), kl);
  // KL(N(0,1) ‖ N(1,4)) = log 2 + (1 + 1)/8 − ½.
  EXPECT_NEAR(kl(0), std::log(2.0) + 0.25 - 0.5, 1e-15);

  Rng rng(14);
  const GaussianParameters theta = GaussianParameters::random(rng);
  Eigen::RowVectorXd self(kBatch);
  kl_divergence(theta.distribution(), theta.distribution(), self);
  EXPECT_TRUE(self.isZero(1e-15));
}

TEST(DiagGaussian, KlGradientMatchesFiniteDifferences) {
  Rng rng(15);
  const GaussianParameters p = GaussianParameters::random(rng);
  const GaussianParameters q = GaussianParameters::random(rng);
  const Eigen::RowVectorXd weights = gaussian_matrix(rng, 1, kBatch);
  const auto weighted_kl = [&](const Eigen::VectorXd& flat_q) {
    Eigen::RowVectorXd kl(kBatch);
    kl_divergence(p.distribution(), GaussianParameters::unflatten(flat_q).distribution(), kl);
    return kl.dot(weights);
  };

  Eigen::MatrixXd mean_gradient = Eigen::MatrixXd::Zero(kDim, kBatch);
  Eigen::VectorXd log_std_gradient = Eigen::VectorXd::Zero(kDim);
  add_kl_gradient(p.distribution(), q.distribution(), weights, mean_gradient, log_std_gradient);
  EXPECT_TRUE(close(flatten_gradient(mean_gradient, log_std_gradient), numerical_gradient(weighted_kl, q.flatten())));
}

// The Fisher is the Hessian of the mean KL(p ‖ q) in q's parameters at q = p: its product with v
// is the directional derivative of the KL gradient along v.
TEST(DiagGaussian, FisherIsTheHessianOfTheKlAtCoincidence) {
  Rng rng(16);
  const GaussianParameters p = GaussianParameters::random(rng);
  const Eigen::RowVectorXd mean_weights = Eigen::RowVectorXd::Constant(kBatch, 1.0 / kBatch);
  const auto mean_kl_gradient = [&](const Eigen::VectorXd& flat_q) -> Eigen::MatrixXd {
    Eigen::MatrixXd mean_gradient = Eigen::MatrixXd::Zero(kDim, kBatch);
    Eigen::VectorXd log_std_gradient = Eigen::VectorXd::Zero(kDim);
    add_kl_gradient(p.distribution(), GaussianParameters::unflatten(flat_q).distribution(), mean_weights,
                    mean_gradient, log_std_gradient);
    return flatten_gradient(mean_gradient, log_std_gradient);
  };
  const GaussianParameters tangent = GaussianParameters::random(rng);

  Eigen::MatrixXd mean_product(kDim, kBatch);
  Eigen::VectorXd log_std_product(kDim);
  p.distribution().apply_fisher(tangent.mean, tangent.log_std, mean_product, log_std_product);
  // Per-sample blocks, batch-averaged log-std block: the Hessian of the mean KL has 1/N on μ.
  const Eigen::VectorXd expected =
      testing::numerical_directional_derivative(mean_kl_gradient, p.flatten(), tangent.flatten());
  EXPECT_TRUE(close(flatten_gradient(mean_product / kBatch, log_std_product), expected));
}

// ---- Categorical ----

constexpr Index kActions = 4;

Eigen::MatrixXd random_logits(Rng& rng) { return 1.5 * gaussian_matrix(rng, kActions, kBatch); }

Eigen::RowVectorXd random_actions(Rng& rng) {
  Eigen::RowVectorXd actions(kBatch);
  for (Index i = 0; i < kBatch; ++i) actions(i) = double(rng.below(kActions));
  return actions;
}

Eigen::VectorXd flat(const Eigen::MatrixXd& m) { return Eigen::VectorXd::Map(m.data(), m.size()); }
Eigen::MatrixXd as_logits(const Eigen::VectorXd& v) { return Eigen::MatrixXd::Map(v.data(), kActions, kBatch); }

TEST(Categorical, LogProbEntropyAndModeMatchHandComputedValues) {
  // Probabilities 1/6, 2/6, 3/6 behind logits shifted by an arbitrary constant.
  Eigen::MatrixXd logits(3, 1);
  logits << std::log(1.0) + 40, std::log(2.0) + 40, std::log(3.0) + 40;
  const Categorical<double> pi(logits);

  Eigen::RowVectorXd out(1);
  Eigen::RowVectorXd action(1);
  action << 1;
  pi.log_prob(action, out);
  EXPECT_NEAR(out(0), std::log(2.0 / 6.0), 1e-14);
  pi.entropy(out);
  EXPECT_NEAR(out(0), -(1.0 / 6 * std::log(1.0 / 6) + 2.0 / 6 * std::log(2.0 / 6) + 0.5 * std::log(0.5)), 1e-14);
  pi.mode(out);
  EXPECT_EQ(out(0), 2.0);

  action << 3;
  EXPECT_THROW(pi.log_prob(action, out), std::invalid_argument);
  action << 0.5;
  EXPECT_THROW(pi.log_prob(action, out), std::invalid_argument);
}

TEST(Categorical, SampleFrequenciesFollowTheProbabilities) {
  const Index n = 60000;
  Eigen::MatrixXd logits(3, n);
  logits.colwise() = Eigen::Vector3d(std::log(0.2), std::log(0.3), std::log(0.5));
  const Categorical<double> pi(logits);
  Rng rng(21);
  Eigen::RowVectorXd actions(n);
  pi.sample(rng, actions);
  for (int k = 0; k < 3; ++k) {
    const double frequency = (actions.array() == k).cast<double>().mean();
    const double p = std::exp(logits(k, 0));
    EXPECT_NEAR(frequency, p, 4 * std::sqrt(p * (1 - p) / n)) << k;
  }
  Rng same_seed(21);
  Eigen::RowVectorXd again(n);
  pi.sample(same_seed, again);
  EXPECT_EQ(again, actions);
}

TEST(Categorical, LogProbGradientMatchesFiniteDifferences) {
  Rng rng(22);
  const Eigen::MatrixXd logits = random_logits(rng);
  const Eigen::RowVectorXd actions = random_actions(rng);
  const Eigen::RowVectorXd weights = gaussian_matrix(rng, 1, kBatch);
  const auto weighted_log_prob = [&](const Eigen::VectorXd& z) {
    Eigen::RowVectorXd log_prob(kBatch);
    Categorical<double>(as_logits(z)).log_prob(actions, log_prob);
    return log_prob.dot(weights);
  };
  Eigen::MatrixXd gradient = Eigen::MatrixXd::Zero(kActions, kBatch);
  Categorical<double>(logits).add_log_prob_gradient(actions, weights, gradient);
  EXPECT_TRUE(close(flat(gradient), numerical_gradient(weighted_log_prob, flat(logits))));
}

TEST(Categorical, EntropyGradientMatchesFiniteDifferences) {
  Rng rng(23);
  const Eigen::MatrixXd logits = random_logits(rng);
  const Eigen::RowVectorXd weights = gaussian_matrix(rng, 1, kBatch);
  const auto weighted_entropy = [&](const Eigen::VectorXd& z) {
    Eigen::RowVectorXd entropy(kBatch);
    Categorical<double>(as_logits(z)).entropy(entropy);
    return entropy.dot(weights);
  };
  Eigen::MatrixXd gradient = Eigen::MatrixXd::Zero(kActions, kBatch);
  Categorical<double>(logits).add_entropy_gradient(weights, gradient);
  EXPECT_TRUE(close(flat(gradient), numerical_gradient(weighted_entropy, flat(logits))));
}

TEST(Categorical, KlDivergenceMatchesTheDefinitionAndItsGradientFiniteDifferences) {
  Eigen::MatrixXd p_logits(2, 1), q_logits(2, 1);
  p_logits << std::log(0.5), std::log(0.5);
  q_logits << std::log(0.25), std::log(0.75);
  Eigen::RowVectorXd kl(1);
  kl_divergence(Categorical<double>(p_logits), Categorical<double>(q_logits), kl);
  EXPECT_NEAR(kl(0), 0.5 * std::log(0.5 / 0.25) + 0.5 * std::log(0.5 / 0.75), 1e-15);

  Rng rng(24);
  const Eigen::MatrixXd p = random_logits(rng);
  const Eigen::MatrixXd q = random_logits(rng);
  const Eigen::RowVectorXd weights = gaussian_matrix(rng, 1, kBatch);
  const auto weighted_kl = [&](const Eigen::VectorXd& z) {
    Eigen::RowVectorXd values(kBatch);
    kl_divergence(Categorical<double>(p), Categorical<double>(as_logits(z)), values);
    return values.dot(weights);
  };
  Eigen::MatrixXd gradient = Eigen::MatrixXd::Zero(kActions, kBatch);
  add_kl_gradient(Categorical<double>(p), Categorical<double>(q), weights, gradient);
  EXPECT_TRUE(close(flat(gradient), numerical_gradient(weighted_kl, flat(q))));
}

TEST(Categorical, FisherIsTheHessianOfTheKlAtCoincidence) {
  Rng rng(25);
  const Eigen::MatrixXd p = random_logits(rng);
  const Eigen::RowVectorXd unit_weights = Eigen::RowVectorXd::Ones(kBatch);
  const auto kl_gradient = [&](const Eigen::VectorXd& z) -> Eigen::MatrixXd {
    Eigen::MatrixXd gradient = Eigen::MatrixXd::Zero(kActions, kBatch);
    add_kl_gradient(Categorical<double>(p), Categorical<double>(as_logits(z)), unit_weights, gradient);
    return flat(gradient);
  };
  const Eigen::MatrixXd tangent = gaussian_matrix(rng, kActions, kBatch);
  Eigen::MatrixXd product(kActions, kBatch);
  Categorical<double>(p).apply_fisher(tangent, product);
  EXPECT_TRUE(close(flat(product), testing::numerical_directional_derivative(kl_gradient, flat(p), flat(tangent))));
}

TEST(Categorical, StaysFiniteForLargeLogits) {
  Eigen::MatrixXf logits(2, 1);
  logits << 1000.0f, -1000.0f;
  const Categorical<float> pi(logits);
  Eigen::RowVectorXf out(1), action(1);
  action << 1;
  pi.log_prob(action, out);
  EXPECT_FLOAT_EQ(out(0), -2000.0f);
  pi.entropy(out);
  EXPECT_TRUE(std::isfinite(out(0)));
}

}  // namespace
}  // namespace pgb::learn
