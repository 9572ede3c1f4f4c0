// pgbench/sdk/learn/trust_region.hpp -- the two numerical pieces of a natural-gradient trust-region step
// (TRPO, Schulman et al. 2015, appendix C): conjugate gradient on a matrix known only through its
// products, and the backtracking line search that keeps the step inside the trust region.
#pragma once

#include <pgbench/sdk/learn/types.hpp>

#include <cmath>

namespace pgb::learn {

template <class Scalar>
struct ConjugateGradientResult {
  Vector<Scalar> x;
  double residual_norm = 0;  // ‖b − A x‖ at the end
  int iterations = 0;
};

// Solves A x = b for a symmetric positive definite A known only through v ↦ A v (Hestenes &
// Stiefel 1952), from x = 0, for at most `iterations` steps or until ‖r‖² < tolerance. In exact
// arithmetic it finishes in at most dim(b) steps; TRPO stops it at 10, early, on purpose.
template <class Scalar, class Product>
ConjugateGradientResult<Scalar> conjugate_gradient(Product&& apply, const Vector<Scalar>& b, int iterations,
                                                   double tolerance = 1e-10) {
  ConjugateGradientResult<Scalar> result{Vector<Scalar>::Zero(b.size()), 0.0, 0};
  Vector<Scalar> r = b, p = b;
  double rr = r.squaredNorm();
  while (result.iterations < iterations && rr >= tolerance) {
    const Vector<Scalar> ap = apply(p);
    const Scalar alpha = static_cast<Scalar>(rr / p.dot(ap));
    result.x += alpha * p;
    r -= alpha * ap;
    const double next_rr = r.squaredNorm();
    p = r + static_cast<Scalar>(next_rr / rr) * p;
    rr = next_rr;
    ++result.iterations;
  }
  result.residual_norm = std::sqrt(rr);
  return result;
}

// What a trial step gives: the surrogate's improvement L(θ) − L(θ_old) and the mean KL(π_old ‖ π_θ).
struct TrialStep {
  double improvement = 0;
  double kl = 0;
};

struct LineSearchResult {
  bool accepted = false;
  int tries = 0;        // trial steps evaluated
  double fraction = 0;  // of the full step, 0 when none was accepted
  TrialStep step;       // of the accepted step
};

// Backtracking along the full natural step: tries the fractions 1, β, β², ... (at most
// max_tries) and accepts the first that improves the surrogate and keeps the mean KL within
// max_kl. try_step(fraction) moves θ to θ_old + fraction · full step and reports; when no trial is
// accepted the caller puts θ_old back.
template <class TryStep>
LineSearchResult backtracking_line_search(TryStep&& try_step, double max_kl, double backtrack, int max_tries) {
  LineSearchResult result;
  double fraction = 1.0;
  for (result.tries = 1; result.tries <= max_tries; ++result.tries, fraction *= backtrack) {
    const TrialStep step = try_step(fraction);
    if (step.improvement > 0 && step.kl <= max_kl) {
      result.accepted = true;
      result.fraction = fraction;
      result.step = step;
      return result;
    }
  }
  result.tries = max_tries;
  return result;
}

}  // namespace pgb::learn
