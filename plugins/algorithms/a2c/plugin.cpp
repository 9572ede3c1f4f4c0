// Registers A2C; the declared defaults are those of a2c::Options (the spec's reference setting).
#include "a2c.hpp"

#include <pgbench/sdk/plugin.hpp>

namespace {
constexpr pgb::a2c::Options kDefaults{};
}

PGB_REGISTER_ALGORITHM(pgb::a2c::A2c, "org.pgbench.algo.a2c/1")
    .name("a2c")
    .description("A2C (Mnih et al. 2016), synchronous: GAE advantages, separate actor and critic, entropy bonus, "
                 "RMSprop with gradient-norm clipping")
    .param("learning_rate", kDefaults.learning_rate, "RMSprop step size, decayed linearly to 0", 0.0, 1.0)
    .param("n_steps", kDefaults.n_steps, "steps per sub-env between updates", 1.0, 1e6)
    .param("gamma", kDefaults.gamma, "discount factor", 0.0, 1.0)
    .param("gae_lambda", kDefaults.gae_lambda, "GAE lambda", 0.0, 1.0)
    .param("value_coef", kDefaults.value_coef, "weight of the value loss", 0.0, 100.0)
    .param("entropy_coef", kDefaults.entropy_coef, "weight of the entropy bonus", 0.0, 10.0)
    .param("max_grad_norm", kDefaults.max_grad_norm, "global gradient-norm clip", 0.0, 1e9)
    .param("rmsprop_alpha", kDefaults.rmsprop_alpha, "RMSprop smoothing constant", 0.0, 1.0)
    .param("rmsprop_epsilon", kDefaults.rmsprop_epsilon, "RMSprop epsilon (outside the square root)", 0.0, 1.0)
    .param("normalize_returns", kDefaults.normalize_returns, "scale rewards by the running std of the discounted return")
    .param("normalize_observations", kDefaults.normalize_observations, "running mean/std observation normalisation")
    .param("initial_log_std", kDefaults.initial_log_std, "initial log-std of a Gaussian policy", -10.0, 2.0);

PGB_PLUGIN("org.pgbench.a2c", "A2C", "1.0.0", "The synchronous advantage actor-critic")
