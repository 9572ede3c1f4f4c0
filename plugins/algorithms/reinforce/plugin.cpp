// Registers REINFORCE; the declared defaults are those of reinforce::Options (the spec's).
#include "reinforce.hpp"

#include <pgbench/sdk/plugin.hpp>

namespace {
constexpr pgb::reinforce::Options kDefaults{};
}

PGB_REGISTER_ALGORITHM(pgb::reinforce::Reinforce, "org.pgbench.algo.reinforce/1")
    .name("reinforce")
    .description("REINFORCE (Williams 1992): Monte-Carlo policy gradient with reward-to-go and an optional baseline; "
                 "one full-batch Adam step per batch")
    .param("learning_rate", kDefaults.learning_rate, "Adam step size of the policy, decayed linearly to 0", 0.0, 1.0)
    .param("batch_steps", kDefaults.batch_steps, "env steps per update, over all sub-envs", 1.0, 1e9)
    .param("gamma", kDefaults.gamma, "discount factor", 0.0, 1.0)
    .param("baseline", pgb::reinforce::name(kDefaults.baseline), "b(s) subtracted from the return: none, the batch mean, or a learned V(s)",
           "none|mean|value")
    .param("normalize_returns", kDefaults.normalize_returns, "scale rewards by the running std of the discounted return")
    .param("normalize_observations", kDefaults.normalize_observations, "running mean/std observation normalisation")
    .param("initial_log_std", kDefaults.initial_log_std, "initial log-std of a Gaussian policy", -10.0, 2.0)
    .param("value_learning_rate", kDefaults.value_learning_rate, "Adam step size of the value baseline", 0.0, 1.0)
    .param("value_steps", kDefaults.value_steps, "full-batch Adam steps of the value baseline per batch", 1.0, 1000.0);

PGB_PLUGIN("org.pgbench.reinforce", "REINFORCE", "1.0.0", "The REINFORCE policy-gradient algorithm")
