#include "finite_difference.hpp"
#include "memory_archive.hpp"

#include <pgbench/sdk/learn/mlp.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

namespace pgb::learn {
namespace {

using testing::close;
using testing::numerical_directional_derivative;
using testing::numerical_gradient;

Eigen::MatrixXd gaussian_matrix(Rng& rng, Index rows, Index cols) {
  Eigen::MatrixXd m(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) m(i, j) = rng.normal();
  return m;
}

// A 3-4-5-2 network in double with orthogonal weights and non-zero biases, so that every
// parameter influences the output.
Mlp<double> small_network(Activation hidden, Activation output, Rng& rng) {
  Mlp<double> network({3, 4, 5, 2}, hidden, output);
  network.initialize_orthogonal(rng, 1.3);
  for (Index layer = 1; layer <= network.num_layers(); ++layer)
    network.bias(layer) = 0.3 * gaussian_matrix(rng, network.layer_sizes()[layer], 1);
  return network;
}

struct ActivationCase {
  Activation hidden;
  Activation output;
  const char* name;
};

void PrintTo(const ActivationCase& activations, std::ostream* os) { *os << activations.name; }

class MlpDerivatives : public ::testing::TestWithParam<ActivationCase> {};

// Loss = Σ c ⊙ y for a fixed random c, so dLoss/dy = c and any backward error shows.
TEST_P(MlpDerivatives, BackwardMatchesFiniteDifferences) {
  Rng rng(1);
  Mlp<double> network = small_network(GetParam().hidden, GetParam().output, rng);
  const Eigen::MatrixXd inputs = gaussian_matrix(rng, 3, 6);
  const Eigen::MatrixXd output_weights = gaussian_matrix(rng, 2, 6);
  Mlp<double>::Workspace workspace(network, 6);

  const auto loss_of_parameters = [&](const Eigen::VectorXd& theta) {
    Mlp<double> moved = network;
    moved.set_parameters(theta);
    Mlp<double>::Workspace scratch(moved, 6);
    return moved.forward(scratch, inputs).cwiseProduct(output_weights).sum();
  };
  const auto loss_of_inputs = [&](const Eigen::VectorXd& x) {
    Mlp<double>::Workspace scratch(network, 6);
    return network.forward(scratch, Eigen::MatrixXd::Map(x.data(), 3, 6)).cwiseProduct(output_weights).sum();
  };

  network.forward(workspace, inputs);
  Eigen::VectorXd parameter_gradient(network.num_parameters());
  Eigen::MatrixXd input_gradient(3, 6);
  network.backward(workspace, output_weights, parameter_gradient, input_gradient);
  ASSERT_GT(parameter_gradient.norm(), 1e-3);  // a dead network would agree with anything

  EXPECT_TRUE(close(parameter_gradient, numerical_gradient(loss_of_parameters, network.parameters())));
  const Eigen::VectorXd flat_inputs = Eigen::VectorXd::Map(inputs.data(), inputs.size());
  EXPECT_TRUE(close(Eigen::VectorXd::Map(input_gradient.data(), input_gradient.size()),
                    numerical_gradient(loss_of_inputs, flat_inputs)));

  Eigen::MatrixXd input_gradient_alone(3, 6);
  network.input_gradient(workspace, output_weights, input_gradient_alone);
  EXPECT_EQ(input_gradient_alone, input_gradient);

  Eigen::VectorXd parameter_gradient_alone(network.num_parameters());
  network.backward(workspace, output_weights, parameter_gradient_alone);
  EXPECT_EQ(parameter_gradient_alone, parameter_gradient);
}

TEST_P(MlpDerivatives, JvpMatchesFiniteDifferences) {
  Rng rng(2);
  Mlp<double> network = small_network(GetParam().hidden, GetParam().output, rng);
  const Eigen::MatrixXd inputs = gaussian_matrix(rng, 3, 5);
  const Eigen::VectorXd direction = gaussian_matrix(rng, network.num_parameters(), 1);
  Mlp<double>::Workspace workspace(network, 5);

  const auto outputs_of_parameters = [&](const Eigen::VectorXd& theta) -> Eigen::MatrixXd {
    Mlp<double> moved = network;
    moved.set_parameters(theta);
    Mlp<double>::Workspace scratch(moved, 5);
    return moved.forward(scratch, inputs);
  };

  network.forward(workspace, inputs);
  const Eigen::MatrixXd tangent = network.jvp(workspace, direction);
  EXPECT_TRUE(close(tangent, numerical_directional_derivative(outputs_of_parameters, network.parameters(), direction)));
}

// ⟨u, J v⟩ = ⟨Jᵀ u, v⟩: the two derivatives TRPO composes are adjoint to each other.
TEST_P(MlpDerivatives, JvpIsTheAdjointOfBackward) {
  Rng rng(3);
  Mlp<double> network = small_network(GetParam().hidden, GetParam().output, rng);
  const Eigen::MatrixXd inputs = gaussian_matrix(rng, 3, 7);
  const Eigen::MatrixXd u = gaussian_matrix(rng, 2, 7);
  const Eigen::VectorXd v = gaussian_matrix(rng, network.num_parameters(), 1);
  Mlp<double>::Workspace workspace(network, 7);

  network.forward(workspace, inputs);
  const double u_dot_jv = network.jvp(workspace, v).cwiseProduct(u).sum();
  Eigen::VectorXd jt_u(network.num_parameters());
  network.backward(workspace, u, jt_u);
  EXPECT_NEAR(u_dot_jv, jt_u.dot(v), 1e-12 * std::max(1.0, std::abs(u_dot_jv)));
}

INSTANTIATE_TEST_SUITE_P(Activations, MlpDerivatives,
                         ::testing::Values(ActivationCase{Activation::tanh, Activation::identity, "TanhIdentity"},
                                           ActivationCase{Activation::relu, Activation::identity, "ReluIdentity"},
                                           ActivationCase{Activation::identity, Activation::tanh, "IdentityTanh"},
                                           ActivationCase{Activation::tanh, Activation::relu, "TanhRelu"}),
                         [](const auto& info) { return std::string(info.param.name); });

// The input gradient may land in rows of a larger matrix (DDPG's and SAC's actor steps take the
// action rows of the critic's [s; u] gradient): the products must honour its outer stride, in
// whichever library computes them (PGBENCH_GEMM), and leave the other rows alone.
TEST(Mlp, InputGradientIntoRowsOfALargerMatrix) {
  Rng rng(4);
  Mlp<double> network = small_network(Activation::relu, Activation::identity, rng);
  const Eigen::MatrixXd inputs = gaussian_matrix(rng, 3, 6);
  const Eigen::MatrixXd output_gradient = gaussian_matrix(rng, 2, 6);
  Mlp<double>::Workspace workspace(network, 6);
  network.forward(workspace, inputs);

  Eigen::MatrixXd alone(3, 6);
  network.input_gradient(workspace, output_gradient, alone);
  Eigen::MatrixXd larger = Eigen::MatrixXd::Constant(7, 6, 42.0);
  MatrixRef<double> rows = larger.middleRows(2, 3);
  ASSERT_EQ(rows.outerStride(), 7);
  network.input_gradient(workspace, output_gradient, rows);

  EXPECT_EQ(Eigen::MatrixXd(larger.middleRows(2, 3)), alone);
  EXPECT_TRUE((larger.topRows(2).array() == 42.0).all());
  EXPECT_TRUE((larger.bottomRows(2).array() == 42.0).all());
}

TEST(Mlp, ParametersAreOneFlatVectorLayerByLayer) {
  Mlp<float> network({3, 4, 2}, Activation::tanh);
  EXPECT_EQ(network.num_parameters(), 4 * 3 + 4 + 2 * 4 + 2);
  EXPECT_EQ(network.num_layers(), 2);

  network.parameters().setLinSpaced(0, float(network.num_parameters() - 1));
  EXPECT_EQ(network.weights(1)(0, 0), 0);
  EXPECT_EQ(network.weights(1)(1, 0), 1);  // column-major W_1
  EXPECT_EQ(network.weights(1)(0, 1), 4);
  EXPECT_EQ(network.bias(1)(0), 12);
  EXPECT_EQ(network.weights(2)(0, 0), 16);
  EXPECT_EQ(network.bias(2)(1), 25);

  network.weights(2)(1, 3) = -7;
  EXPECT_EQ(network.parameters()(16 + 7), -7);

  const Eigen::VectorXf ones = Eigen::VectorXf::Ones(network.num_parameters());
  const Eigen::VectorXf before = network.parameters();
  network.add_to_parameters(ones, 0.5f);
  EXPECT_EQ(Eigen::VectorXf(network.parameters()), (before.array() + 0.5f).matrix());
  network.set_parameters(ones);
  EXPECT_EQ(Eigen::VectorXf(network.parameters()), ones);
  EXPECT_THROW(network.set_parameters(Eigen::VectorXf::Ones(3)), std::invalid_argument);
}

TEST(Mlp, ForwardComputesTheLayersAsWritten) {
  Mlp<double> network({2, 3, 1}, Activation::relu, Activation::tanh);
  network.weights(1) << 1, -1, 0.5, 2, -3, 1;
  network.bias(1) << 0.1, 0.2, 0.3;
  network.weights(2) << 0.4, -0.5, 0.6;
  network.bias(2) << -0.2;
  Eigen::MatrixXd x(2, 2);
  x << 1, -2, 0.5, 1;

  Mlp<double>::Workspace workspace(network, 2);
  const Eigen::MatrixXd y = network.forward(workspace, x);
  for (Index j = 0; j < 2; ++j) {
    const Eigen::Vector3d hidden = (network.weights(1) * x.col(j) + network.bias(1)).cwiseMax(0.0);
    EXPECT_DOUBLE_EQ(y(0, j), std::tanh(network.weights(2).row(0).dot(hidden) + network.bias(2)(0)));
  }
}

TEST(Mlp, OrthogonalInitialisationHasOrthogonalScaledWeightsAndZeroBiases) {
  Mlp<double> network({5, 8, 8, 3}, Activation::tanh);
  Rng rng(4);
  network.bias(2).setOnes();
  const double gain = std::sqrt(2.0);
  network.initialize_orthogonal(rng, gain);
  for (Index layer = 1; layer <= network.num_layers(); ++layer) {
    const Eigen::MatrixXd w = network.weights(layer);
    // The smaller Gram matrix is gain² · I whether W is tall (5→8) or wide (8→3).
    const Eigen::MatrixXd gram = w.rows() >= w.cols() ? Eigen::MatrixXd(w.transpose() * w) : Eigen::MatrixXd(w * w.transpose());
    EXPECT_TRUE(close(gram, gain * gain * Eigen::MatrixXd::Identity(gram.rows(), gram.cols()), 1e-12)) << layer;
    EXPECT_TRUE(network.bias(layer).isZero()) << layer;
  }

  Mlp<double> same_seed({5, 8, 8, 3}, Activation::tanh);
  Rng same_rng(4);
  same_seed.initialize_orthogonal(same_rng, gain);
  EXPECT_EQ(Eigen::VectorXd(same_seed.parameters()), Eigen::VectorXd(network.parameters()));

  const Eigen::MatrixXd last_before = network.weights(3);
  const Eigen::MatrixXd hidden_before = network.weights(2);
  network.scale_last_layer(0.01);
  EXPECT_EQ(Eigen::MatrixXd(network.weights(3)), Eigen::MatrixXd(0.01 * last_before));
  EXPECT_EQ(Eigen::MatrixXd(network.weights(2)), hidden_before);
}

TEST(Mlp, FloatAgreesWithDouble) {
  Rng rng(5);
  Mlp<double> reference({4, 64, 64, 2}, Activation::tanh);
  reference.initialize_orthogonal(rng, std::sqrt(2.0));
  Mlp<float> network(reference.layer_sizes(), Activation::tanh);
  network.set_parameters(reference.parameters().cast<float>());
  const Eigen::MatrixXd x = gaussian_matrix(rng, 4, 16);

  Mlp<double>::Workspace reference_workspace(reference, 16);
  Mlp<float>::Workspace workspace(network, 16);
  const Eigen::MatrixXd expected = reference.forward(reference_workspace, x);
  const Eigen::MatrixXd actual = network.forward(workspace, x.cast<float>()).cast<double>();
  EXPECT_TRUE(close(actual, expected, 1e-5));

  Eigen::VectorXd reference_gradient(reference.num_parameters());
  reference.backward(reference_workspace, Eigen::MatrixXd::Ones(2, 16), reference_gradient);
  Eigen::VectorXf gradient(network.num_parameters());
  network.backward(workspace, Eigen::MatrixXf::Ones(2, 16), gradient);
  EXPECT_TRUE(close(gradient.cast<double>(), reference_gradient, 1e-5));
}

TEST(Mlp, WorkspaceServesSmallerBatchesAndGrowsForLargerOnes) {
  Rng rng(6);
  Mlp<double> network = small_network(Activation::tanh, Activation::identity, rng);
  const Eigen::MatrixXd x = gaussian_matrix(rng, 3, 9);
  Mlp<double>::Workspace fresh(network, 9);
  const Eigen::MatrixXd expected = network.forward(fresh, x);

  Mlp<double>::Workspace reused(network, 4);
  network.forward(reused, x.leftCols(2));
  EXPECT_EQ(reused.batch_size(), 2);
  EXPECT_EQ(reused.capacity(), 4);
  EXPECT_EQ(Eigen::MatrixXd(network.forward(reused, x)), expected);
  EXPECT_EQ(reused.capacity(), 9);
  EXPECT_EQ(Eigen::MatrixXd(network.forward(reused, x.leftCols(3))), expected.leftCols(3));

  // Inputs written in place run the same pass.
  reused.inputs(9) = x;
  EXPECT_EQ(Eigen::MatrixXd(network.forward(reused)), expected);
}

TEST(Mlp, RejectsMismatchedShapes) {
  Mlp<float> network({3, 4, 2}, Activation::tanh);
  Mlp<float> other({3, 5, 2}, Activation::tanh);
  Mlp<float>::Workspace workspace(network, 4);
  EXPECT_THROW(network.forward(workspace, Eigen::MatrixXf::Zero(2, 4)), std::invalid_argument);
  EXPECT_THROW(other.forward(workspace, Eigen::MatrixXf::Zero(3, 4)), std::invalid_argument);
  network.forward(workspace, Eigen::MatrixXf::Zero(3, 4));
  Eigen::VectorXf gradient(network.num_parameters());
  EXPECT_THROW(network.backward(workspace, Eigen::MatrixXf::Zero(2, 3), gradient), std::invalid_argument);
  EXPECT_THROW(network.jvp(workspace, Eigen::VectorXf::Zero(5)), std::invalid_argument);
  EXPECT_THROW(Mlp<float>({3}, Activation::tanh), std::invalid_argument);
}

TEST(Mlp, SaveLoadRestoresTheParametersAndChecksTheArchitecture) {
  Rng rng(7);
  Mlp<float> network({3, 8, 2}, Activation::tanh);
  network.initialize_orthogonal(rng, 1.0f);
  testing::MemoryCheckpoint checkpoint;
  OutputArchive out = checkpoint.writer();
  network.save(out);

  Mlp<float> restored({3, 8, 2}, Activation::tanh);
  InputArchive in = checkpoint.reader();
  restored.load(in);
  EXPECT_EQ(Eigen::VectorXf(restored.parameters()), Eigen::VectorXf(network.parameters()));

  Mlp<float> wider({3, 9, 2}, Activation::tanh);
  InputArchive in_wider = checkpoint.reader();
  EXPECT_THROW(wider.load(in_wider), std::runtime_error);
  Mlp<float> relu({3, 8, 2}, Activation::relu);
  InputArchive in_relu = checkpoint.reader();
  EXPECT_THROW(relu.load(in_relu), std::runtime_error);
}

}  // namespace
}  // namespace pgb::learn
