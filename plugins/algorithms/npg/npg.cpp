// Natural Policy Gradient (Kakade 2001), in the normalised form of Rajeswaran et al. 2017 with the
// actor-critic setting of the published 1M-step MuJoCo benchmark (Tianshou's NPG: separate 64×64
// tanh actor and critic, GAE(λ), whole-batch advantage normalisation, observation and return
// normalisation, 16 envs × 64 steps per batch).
//
// Per batch of T steps × N envs, with L(θ) = E[π_θ(a|s) / π_old(a|s) · Â] the surrogate:
//   g = ∇L(θ_old)
//   x ≈ F⁻¹ g               conjugate gradient on the exact Fisher-vector product
//   θ = θ_old + √(δ / gᵀx) · x    a fixed squared Fisher distance δ per update, no line search
//                            (both steps in learn/natural_gradient.hpp, shared with TRPO)
//   critic: several full-batch Adam steps on (V − R)²
// (the batch, the critic and the natural gradient are learn/natural_gradient.hpp's, shared with TRPO)
//
// How it differs from TRPO: the same direction, but TRPO scales it to the edge of its trust
// region and backtracks until the surrogate improves within the KL bound; NPG takes the step
// whatever the surrogate and the KL do. So the pair is an ablation of the line search.
// Where the published settings differ: Tianshou's NPG steps 0.1 · x, a step whose KL depends on
// the scale of the gradient; this one is normalised (δ = 0.01, the default of Rajeswaran et al.'s
// code), so that its size means the same on every task and at every point of a run.
//
// The same floor on the exploration noise as TRPO (min_action_std; see trpo.cpp for why): NPG
// also steps a fixed distance every update, so it is exposed to the same collapse of σ once every
// episode is perfect.
#include <pgbench/sdk/learn/natural_gradient.hpp>
#include <pgbench/sdk/plugin.hpp>

namespace {

using namespace pgb::learn;

// The settings: those shared with TRPO (learn/natural_gradient.hpp), then the step's size.
struct Options : NaturalGradientOptions {
  double step_size = 0.01;
};

const pgb::Hyperparameters<Options> kHyperparameters(
    {natural_gradient_hyperparameters<Options>()},
    {
        {"step_size", &Options::step_size, "normalised step: the squared Fisher distance delta = s^T F s of every update", 0.0, 10.0},
    });

class Npg final : public NaturalGradientAlgorithm {
 public:
  explicit Npg(const pgb::AlgorithmContext& context) : Npg(context, kHyperparameters.read(context.hyperparameters)) {}
  Npg(const pgb::AlgorithmContext& context, const Options& options)
      : NaturalGradientAlgorithm(context, "npg", options), options_(options) {}

 private:
  // θ ← θ_old + √(δ / gᵀx) · x, taken whatever it does to the surrogate and the KL, which are
  // measured afterwards.
  void policy_step(const pgb::Metrics& metrics) override {
    const OldPolicy old = snapshot();
    const auto natural = natural_gradient();
    policy().set_flat_parameters(policy().flat_parameters() + normalized_natural_step(natural, options_.step_size));
    apply_floor();
    const TrialStep step = measure(old);

    metrics("npg/kl", step.kl);
    metrics("npg/surrogate_improvement", step.improvement);
    metrics("npg/cg_residual", natural.cg_residual);
  }

  Options options_;
};

}  // namespace

PGB_REGISTER_ALGORITHM(Npg, "org.pgbench.algo.npg/1")
    .name("npg")
    .description("Natural Policy Gradient (Kakade 2001), normalised step (Rajeswaran et al. 2017)")
    .num_envs(16)  // the reference setting: 16 envs, 1024 steps per batch
    .params(kHyperparameters);

PGB_PLUGIN("org.pgbench.npg", "NPG", "1.0.0", "Natural Policy Gradient")
