// The Fisher-vector product of the policy (JVP, the action distribution's Fisher, VJP) against
// (1) a finite-difference Hessian-vector product of the mean KL and (2) the Fisher matrix formed
// explicitly from the network's Jacobian, on a tiny network in double precision.
#include <gtest/gtest.h>

#include <cmath>

#include <pgbench/sdk/learn/policy.hpp>

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using Policy = pgb::learn::StochasticPolicy<double>;
using Network = pgb::learn::Mlp<double>;

constexpr Index kInputs = 3, kHidden = 5, kBatch = 6;

// A tiny policy with generic (not freshly initialised) parameters, and a batch of inputs.
struct Fixture {
  explicit Fixture(bool discrete)
      : policy(discrete ? pgb::Space::discrete(3) : pgb::Space::box(2, -1.0, 1.0),
               Network({kInputs, kHidden, discrete ? 3 : 2}, pgb::learn::Activation::tanh), -0.5),
        inputs(kInputs, kBatch) {
    pgb::Rng rng(discrete ? 5 : 6);
    policy.network().initialize_orthogonal(rng, 1.0);
    for (auto& x : policy.network().parameters()) x += 0.3 * rng.normal();
    for (auto& x : policy.log_std()) x = 0.5 * rng.normal();
    for (auto& x : inputs.reshaped()) x = rng.normal();
    direction.resize(policy.num_parameters());
    for (auto& x : direction) x = rng.normal();
  }

  MatrixXd outputs(const Policy& p) const {
    Network::Workspace workspace(p.network(), kBatch);
    return p.network().forward(workspace, inputs);
  }

  // Mean over the batch of KL(π_θ ‖ π_θ'), θ the fixture's parameters.
  double mean_kl(const VectorXd& theta_prime) const {
    Policy moved = policy;
    moved.set_flat_parameters(theta_prime);
    pgb::learn::RowVector<double> kl(kBatch);
    moved.kl_from(outputs(policy), policy.log_std(), outputs(moved), kl);
    return kl.mean();
  }

  VectorXd fisher_vector_product(const VectorXd& v, double damping) const {
    Network::Workspace workspace(policy.network(), kBatch);
    policy.network().forward(workspace, inputs);
    return policy.fisher_vector_product(workspace, v, damping);
  }

  Policy policy;
  MatrixXd inputs;
  VectorXd direction;
};

class FisherVectorProduct : public ::testing::TestWithParam<bool> {};

TEST_P(FisherVectorProduct, EqualsTheFiniteDifferenceHessianVectorProductOfTheMeanKl) {
  const Fixture f(GetParam());
  const VectorXd theta = f.policy.flat_parameters();
  const VectorXd& v = f.direction;
  // (H v)_k = ∂/∂θ_k of the directional derivative vᵀ∇KL, both by central differences.
  const double h = 1e-4;
  const auto directional = [&](const VectorXd& at) {
    return (f.mean_kl(at + h * v) - f.mean_kl(at - h * v)) / (2 * h);
  };
  VectorXd numeric(theta.size());
  for (Index k = 0; k < theta.size(); ++k) {
    VectorXd up = theta, down = theta;
    up(k) += h;
    down(k) -= h;
    numeric(k) = (directional(up) - directional(down)) / (2 * h);
  }
  const VectorXd analytic = f.fisher_vector_product(v, 0.0);
  EXPECT_LT((analytic - numeric).cwiseAbs().maxCoeff(), 1e-6 * std::max(1.0, numeric.cwiseAbs().maxCoeff()))
      << "analytic:\n" << analytic.transpose() << "\nnumeric:\n" << numeric.transpose();
}

TEST_P(FisherVectorProduct, EqualsTheExplicitFisherTimesTheVector) {
  const Fixture f(GetParam());
  const Network& net = f.policy.network();
  const Index p = net.num_parameters(), d = f.policy.log_std().size(), outputs = net.output_size();
  Network::Workspace workspace(net, kBatch);
  const MatrixXd y = net.forward(workspace, f.inputs);

  // J: row (o, i) = ∂y_o(x_i)/∂θ, column k from the JVP along the unit vector e_k.
  MatrixXd jacobian(outputs * kBatch, p);
  for (Index k = 0; k < p; ++k) jacobian.col(k) = net.jvp(workspace, VectorXd::Unit(p, k)).reshaped();

  // F = (1/B) Σ_i J_iᵀ M_i J_i, block-diagonal with 2·I for the Gaussian's log-std.
  MatrixXd fisher = MatrixXd::Zero(p + d, p + d);
  for (Index i = 0; i < kBatch; ++i) {
    const MatrixXd j = jacobian.middleRows(i * outputs, outputs);
    MatrixXd m;
    if (f.policy.discrete()) {
      const Eigen::ArrayXd e = (y.col(i).array() - y.col(i).maxCoeff()).exp();
      const VectorXd probabilities = e / e.sum();
      m = MatrixXd(probabilities.asDiagonal()) - probabilities * probabilities.transpose();
    } else {
      m = (-2.0 * f.policy.log_std().array()).exp().matrix().asDiagonal();
    }
    fisher.topLeftCorner(p, p) += j.transpose() * m * j / static_cast<double>(kBatch);
  }
  fisher.bottomRightCorner(d, d) = 2.0 * MatrixXd::Identity(d, d);

  const VectorXd expected = fisher * f.direction;
  const VectorXd analytic = f.fisher_vector_product(f.direction, 0.0);
  EXPECT_LT((analytic - expected).cwiseAbs().maxCoeff(), 1e-10 * std::max(1.0, expected.cwiseAbs().maxCoeff()));
  // Damping adds λ v.
  EXPECT_LT((f.fisher_vector_product(f.direction, 0.1) - (expected + 0.1 * f.direction)).cwiseAbs().maxCoeff(),
            1e-10 * std::max(1.0, expected.cwiseAbs().maxCoeff()));
}

INSTANTIATE_TEST_SUITE_P(GaussianAndCategorical, FisherVectorProduct, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Categorical" : "Gaussian"; });

}  // namespace
