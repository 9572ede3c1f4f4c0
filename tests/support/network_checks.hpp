// What the off-policy learners' tests (DDPG, TD3, SAC) check their updates with: a Q-network
// evaluated afresh, outside the learner's workspaces, and the derivative of a scalar function of
// a network's parameters by central differences (tests/learn/finite_difference.hpp), in double.
#pragma once

#include <pgbench/sdk/learn/mlp.hpp>

#include "learn/finite_difference.hpp"

namespace pgb::test {

// Q(s, u) of `critic` on [s; u].
inline Eigen::RowVectorXd q_of(const learn::Mlp<double>& critic, const Eigen::MatrixXd& observations,
                               const Eigen::MatrixXd& actions) {
  Eigen::MatrixXd inputs(observations.rows() + actions.rows(), observations.cols());
  inputs << observations, actions;
  learn::Mlp<double>::Workspace workspace(critic, inputs.cols());
  return critic.forward(workspace, inputs);
}

// The network's outputs on `inputs` (features × batch).
inline Eigen::MatrixXd outputs_of(const learn::Mlp<double>& network, const Eigen::MatrixXd& inputs) {
  learn::Mlp<double>::Workspace workspace(network, inputs.cols());
  return network.forward(workspace, inputs);
}

// ∂loss/∂θ at the network's parameters θ, loss() reading the network as it is.
template <class Loss>
Eigen::VectorXd parameter_gradient(learn::Mlp<double>& network, Loss loss) {
  return learn::testing::numerical_gradient(
      [&](const Eigen::VectorXd& theta) {
        const Eigen::VectorXd saved = network.parameters();
        network.set_parameters(theta);
        const double value = loss();
        network.set_parameters(saved);
        return value;
      },
      network.parameters());
}

}  // namespace pgb::test
