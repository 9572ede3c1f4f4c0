// pgbench/sdk/learn/natural_gradient.hpp -- the natural policy gradient (Kakade 2001) of a
// stochastic policy on an on-policy batch: the direction TRPO searches along and NPG steps along.
//
// On a batch of B samples (s_i, a_i, Â_i) drawn by π_old, with the surrogate
//   L(θ) = (1/B) Σ_i π_θ(a_i|s_i) / π_old(a_i|s_i) · Â_i,
//   g = ∇L(θ_old) = (1/B) Σ_i Â_i ∇log π_θ(a_i|s_i)        (the ratio is 1 at θ_old)
//   x ≈ (F + λI)⁻¹ g                                      conjugate gradient on the exact
//                                                          Fisher-vector product (policy.hpp)
// and the step that travels a squared Fisher distance δ along x (Rajeswaran et al. 2017):
//   s = √(δ / gᵀx) · x,   so that sᵀ(F + λI)s = δ when the solve is exact.
// TRPO scales the same direction to the edge of its trust region and line-searches it; NPG takes s.
//
// Also here: the floor on a Gaussian policy's exploration noise that both apply after a step
// (see trpo.cpp for why).
#pragma once

#include <pgbench/sdk/learn/policy.hpp>
#include <pgbench/sdk/learn/trust_region.hpp>

#include <cmath>
#include <limits>

namespace pgb::learn {

template <class Scalar>
struct NaturalGradient {
  Vector<Scalar> gradient;   // g = ∇L(θ_old), flat like StochasticPolicy::flat_parameters()
  Vector<Scalar> direction;  // x ≈ (F + λI)⁻¹ g
  double curvature = 0;      // xᵀ(F + λI)x, the squared Fisher norm of x
  double g_dot_x = 0;        // gᵀx = gᵀ(F + λI)⁻¹g when the solve is exact
  double cg_residual = 0;    // ‖g − (F + λI)x‖ at the end of conjugate gradient
};

// The natural gradient of the surrogate at θ_old = the policy's current parameters.
// Precondition: the last forward pass run in `workspace` is the policy's network on the batch's
// observations (the Fisher-vector products reuse it). actions: action_rows × B; advantages: 1 × B.
// Calls only const members of the policy and writes only the workspace's scratch.
template <class Scalar>
NaturalGradient<Scalar> natural_gradient(const StochasticPolicy<Scalar>& policy,
                                         typename Mlp<Scalar>::Workspace& workspace,
                                         const std::type_identity_t<ConstMatrixRef<Scalar>>& actions,
                                         const std::type_identity_t<ConstRowVectorRef<Scalar>>& advantages,
                                         Scalar damping, int cg_iterations) {
  NaturalGradient<Scalar> result;
  typename StochasticPolicy<Scalar>::Gradient surrogate_gradient;
  policy.backward(workspace, actions, advantages / static_cast<Scalar>(advantages.size()), Scalar(0),
                  surrogate_gradient);
  result.gradient = StochasticPolicy<Scalar>::flatten(surrogate_gradient);
  const auto fisher = [&](const Vector<Scalar>& v) { return policy.fisher_vector_product(workspace, v, damping); };
  auto cg = conjugate_gradient<Scalar>(fisher, result.gradient, cg_iterations);
  result.direction = std::move(cg.x);
  result.curvature = static_cast<double>(result.direction.dot(fisher(result.direction)));
  result.g_dot_x = static_cast<double>(result.gradient.dot(result.direction));
  result.cg_residual = cg.residual_norm;
  return result;
}

// NPG's step s = √(δ / gᵀx) · x; zero when gᵀx ≤ 0 (a zero gradient, or a solve gone wrong).
template <class Scalar>
Vector<Scalar> normalized_natural_step(const NaturalGradient<Scalar>& natural, double step_size) {
  if (!(natural.g_dot_x > 0)) return Vector<Scalar>::Zero(natural.direction.size());
  return static_cast<Scalar>(std::sqrt(step_size / natural.g_dot_x)) * natural.direction;
}

// The lowest log σ_d of each action dimension of a Gaussian policy: log of `fraction` of the
// half-range (high_d − low_d) / 2, −∞ where that range is unbounded or fraction is 0 (no floor);
// empty for a Discrete space (no σ).
inline Vector<float> log_std_floor(const Space& action_space, double fraction) {
  if (!action_space.is_box()) return {};
  Vector<float> floor(static_cast<Index>(action_space.dim()));
  for (Index d = 0; d < floor.size(); ++d) {
    const double half_range = (action_space.high()[d] - action_space.low()[d]) / 2;
    floor[d] = std::isfinite(half_range) && fraction > 0 ? static_cast<float>(std::log(fraction * half_range))
                                                         : -std::numeric_limits<float>::infinity();
  }
  return floor;
}

// log σ ← max(log σ, floor), per dimension; nothing for an empty floor.
template <class Scalar>
void apply_log_std_floor(StochasticPolicy<Scalar>& policy, const Vector<Scalar>& floor) {
  if (floor.size()) policy.log_std() = policy.log_std().cwiseMax(floor);
}

}  // namespace pgb::learn
