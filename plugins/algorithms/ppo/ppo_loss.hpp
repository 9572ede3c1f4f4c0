// The losses of PPO (Schulman et al. 2017) on one minibatch, each with its exact gradient, kept
// apart from the plugin so that they can be checked against hand-computed values.
//
// Both are written as losses to minimise, averaged over the B samples of the minibatch.
#pragma once

#include <pgbench/sdk/learn/types.hpp>

#include <algorithm>
#include <cmath>

namespace pgb::ppo {

using learn::ConstRowVectorRef;
using learn::Index;
using learn::RowVectorRef;

struct SurrogateStats {
  double loss = 0;           // −L^CLIP
  double clip_fraction = 0;  // share of samples with |r − 1| > ε
  double approx_kl = 0;      // E[(r − 1) − log r], an unbiased, non-negative estimate of KL(π_old ‖ π)
};

// L^CLIP(θ) = (1/B) Σ_i min(r_i Â_i, clip(r_i, 1 − ε, 1 + ε) Â_i),   r_i = π(a_i|s_i) / π_old(a_i|s_i),
// and the loss is −L^CLIP. Writes ∂(−L^CLIP)/∂ log π(a_i|s_i) to `log_prob_gradient`: since
// ∂r/∂log π = r, it is −r_i Â_i / B where the unclipped term is the minimum, and 0 where the
// clipped term is (a constant in θ): the ratio gets no push beyond the trust region.
inline SurrogateStats clipped_surrogate(const ConstRowVectorRef<float>& log_probs,
                                        const ConstRowVectorRef<float>& old_log_probs,
                                        const ConstRowVectorRef<float>& advantages, double epsilon,
                                        RowVectorRef<float> log_prob_gradient) {
  const Index batch = log_probs.size();
  SurrogateStats stats;
  for (Index i = 0; i < batch; ++i) {
    const double log_ratio = static_cast<double>(log_probs[i]) - old_log_probs[i];
    const double ratio = std::exp(log_ratio);
    const double advantage = advantages[i];
    const double unclipped = ratio * advantage;
    const double clipped = std::clamp(ratio, 1.0 - epsilon, 1.0 + epsilon) * advantage;
    stats.loss -= std::min(unclipped, clipped);
    log_prob_gradient[i] = unclipped <= clipped ? static_cast<float>(-unclipped / batch) : 0.0f;
    stats.clip_fraction += std::abs(ratio - 1.0) > epsilon ? 1.0 : 0.0;
    stats.approx_kl += (ratio - 1.0) - log_ratio;
  }
  stats.loss /= batch;
  stats.clip_fraction /= batch;
  stats.approx_kl /= batch;
  return stats;
}

// L^V = (1/B) Σ_i (V_i − R_i)², or, with value clipping (clip_range > 0; the PPO2 baseline),
// L^V = (1/B) Σ_i max((V_i − R_i)², (V_old,i + clip(V_i − V_old,i, ±clip_range) − R_i)²), which keeps
// the critic from moving further than clip_range from its old prediction when that would lower
// the loss. Writes ∂L^V/∂V_i to `value_gradient` and returns L^V.
inline double value_loss(const ConstRowVectorRef<float>& values, const ConstRowVectorRef<float>& returns,
                         const ConstRowVectorRef<float>& old_values, double clip_range,
                         RowVectorRef<float> value_gradient) {
  const Index batch = values.size();
  double loss = 0;
  for (Index i = 0; i < batch; ++i) {
    const double error = static_cast<double>(values[i]) - returns[i];
    double gradient = 2.0 * error;
    double term = error * error;
    if (clip_range > 0) {
      const double step = static_cast<double>(values[i]) - old_values[i];
      const double clipped_error = old_values[i] + std::clamp(step, -clip_range, clip_range) - returns[i];
      // The clipped term can only be the larger one once V has left the clip range, where the
      // clipped prediction is constant in V: no gradient.
      if (clipped_error * clipped_error > term) {
        term = clipped_error * clipped_error;
        gradient = 0.0;
      }
    }
    loss += term;
    value_gradient[i] = static_cast<float>(gradient / batch);
  }
  return loss / batch;
}

}  // namespace pgb::ppo
