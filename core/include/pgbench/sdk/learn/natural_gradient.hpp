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
// (see trpo.cpp for why), and NaturalGradientAlgorithm, the plugin both are built on: their shared
// settings, the critic and its fit, and the batch an update steps on, so that each of them writes
// only its step.
#pragma once

#include <pgbench/sdk/hyperparameters.hpp>
#include <pgbench/sdk/learn/on_policy.hpp>
#include <pgbench/sdk/learn/optimizers.hpp>
#include <pgbench/sdk/learn/policy.hpp>
#include <pgbench/sdk/learn/trust_region.hpp>

#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

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

// ---- the algorithm ----

// The settings TRPO and NPG share (the reference setting, Tianshou's MuJoCo TRPO and NPG, as
// defaults). An algorithm's Options derive from it; natural_gradient_hyperparameters<Options>()
// declares these once for both.
struct NaturalGradientOptions {
  std::int64_t steps_per_batch = 1024;
  double gamma = 0.99;
  double gae_lambda = 0.95;
  double damping = 0.1;
  std::int64_t cg_iterations = 10;
  bool normalize_advantages = true;
  double critic_learning_rate = 1e-3;
  std::int64_t critic_iterations = 20;
  bool lr_decay = true;
  bool normalize_observations = true;
  bool normalize_returns = true;
  double adam_epsilon = 1e-8;
  double min_action_std = 0.1;
};

template <class Options>
std::vector<typename Hyperparameters<Options>::Entry> natural_gradient_hyperparameters() {
  using O = NaturalGradientOptions;
  return {
      {"steps_per_batch", &O::steps_per_batch, "env steps per update, spread over the sub-envs (T = steps_per_batch / num_envs)", 1.0, 1e7},
      {"gamma", &O::gamma, "discount factor", 0.0, 1.0},
      {"gae_lambda", &O::gae_lambda, "GAE lambda", 0.0, 1.0},
      {"damping", &O::damping, "added to the Fisher (F + damping I) for conjugate gradient", 0.0, 1e3},
      {"cg_iterations", &O::cg_iterations, "conjugate-gradient iterations", 1.0, 1e4},
      {"normalize_advantages", &O::normalize_advantages, "standardise advantages over the batch"},
      {"critic_learning_rate", &O::critic_learning_rate, "critic Adam step size (decayed linearly to 0 when lr_decay)", 0.0, 1.0},
      {"critic_iterations", &O::critic_iterations, "full-batch critic Adam steps per update", 0.0, 1e4},
      {"lr_decay", &O::lr_decay, "decay the critic learning rate linearly to 0 over the run's env-step budget"},
      {"normalize_observations", &O::normalize_observations, "running observation normalisation (frozen in evaluation)"},
      {"normalize_returns", &O::normalize_returns, "scale rewards by the running std of the discounted return"},
      {"adam_epsilon", &O::adam_epsilon, "critic Adam epsilon (added outside the square root)", 0.0, 1.0},
      {"min_action_std", &O::min_action_std, "floor on the policy's std per action dimension, as a fraction of (high - low) / 2 (0: none)", 0.0, 1.0},
  };
}

// An actor-critic whose policy steps along the natural gradient (separate 64×64 tanh actor and
// critic, as OnPolicyAlgorithm). Each update:
//   Â by GAE(γ, λ) on the critic's values, standardised over the batch when asked
//   the derived algorithm's policy step (policy_step, with the helpers below; it keeps every
//   parameter vector it tries above the σ floor, min_action_std)
//   the critic: critic_iterations full-batch Adam steps on (V − R)², its step size decayed
//   linearly to 0 over the budget when lr_decay
// and the metrics every such algorithm reports (entropy, lowest log σ, value loss, explained
// variance, critic learning rate); the step reports its own.
class NaturalGradientAlgorithm : public OnPolicyAlgorithm {
 public:
  void update(std::uint64_t env_steps_done, const Metrics& metrics) final;

 protected:
  NaturalGradientAlgorithm(const AlgorithmContext& context, std::string_view name,
                           const NaturalGradientOptions& options);

  // π_old on the batch: its outputs, log-std and log π_old(a|s) of the batch's actions.
  struct OldPolicy {
    Matrix<float> outputs;
    Vector<float> log_std;
    RowVector<float> log_probs;
  };

  // One step of the policy on rollout() (its advantages ready), reporting under the algorithm's
  // name. The helpers work on the batch in this order: snapshot(), then natural_gradient(), then
  // any number of measure().
  virtual void policy_step(const Metrics& metrics) = 0;

  // π_old on the batch, its forward pass kept for the Fisher-vector products.
  OldPolicy snapshot();
  // The natural gradient at θ_old (after snapshot()).
  NaturalGradient<float> natural_gradient();
  // The policy at its current θ against π_old on the batch: L(θ) − L(θ_old) and the mean KL.
  TrialStep measure(const OldPolicy& old);
  // log σ ← max(log σ, floor).
  void apply_floor() { apply_log_std_floor(policy(), log_std_floor_); }

 private:
  void save_optimizers(OutputArchive& out) const override { critic_optimizer_.save(out); }
  void load_optimizers(InputArchive& in) override { critic_optimizer_.load(in); }

  NaturalGradientOptions options_;
  Adam<float> critic_optimizer_;
  LinearDecay critic_learning_rate_;
  Vector<float> log_std_floor_;         // per action dimension; empty for a Discrete space
  Policy::Workspace policy_workspace_;  // the whole batch
  Critic::Workspace critic_workspace_;  // the whole batch
  RowVector<float> per_sample_;         // log π, KL or entropy of each sample
};

}  // namespace pgb::learn
