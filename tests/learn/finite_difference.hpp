// Central finite differences, the reference every analytic derivative of the learning core is
// checked against (in double, where the truncation error h² and the rounding error ε/h balance
// near h = 1e-6 at about 1e-9 relative).
#pragma once

#include <pgbench/sdk/learn/types.hpp>

#include <gtest/gtest.h>

namespace pgb::learn::testing {

inline constexpr double kStep = 1e-6;

// ∂f/∂x for a scalar function f of a vector x, one coordinate at a time.
template <class Function>
Eigen::VectorXd numerical_gradient(Function f, Eigen::VectorXd x) {
  Eigen::VectorXd gradient(x.size());
  for (Index i = 0; i < x.size(); ++i) {
    const double saved = x(i);
    x(i) = saved + kStep;
    const double up = f(x);
    x(i) = saved - kStep;
    const double down = f(x);
    x(i) = saved;
    gradient(i) = (up - down) / (2 * kStep);
  }
  return gradient;
}

// The directional derivative of a vector-valued g at x along v.
template <class Function>
Eigen::MatrixXd numerical_directional_derivative(Function g, const Eigen::VectorXd& x, const Eigen::VectorXd& v) {
  const Eigen::MatrixXd up = g(x + kStep * v);
  const Eigen::MatrixXd down = g(x - kStep * v);
  return (up - down) / (2 * kStep);
}

// Max-norm distance relative to the size of the expected values (absolute below size 1).
inline ::testing::AssertionResult close(const Eigen::MatrixXd& actual, const Eigen::MatrixXd& expected,
                                        double tolerance = 1e-7) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols())
    return ::testing::AssertionFailure() << "shape " << actual.rows() << "x" << actual.cols() << " vs "
                                         << expected.rows() << "x" << expected.cols();
  const double error = (actual - expected).cwiseAbs().maxCoeff() / std::max(1.0, expected.cwiseAbs().maxCoeff());
  if (error <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "relative error " << error << " > " << tolerance << "\nactual:\n"
                                       << actual << "\nexpected:\n"
                                       << expected;
}

}  // namespace pgb::learn::testing
