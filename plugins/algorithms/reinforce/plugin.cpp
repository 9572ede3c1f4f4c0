// Registers REINFORCE with the hyperparameters of reinforce.hpp.
#include "reinforce.hpp"

#include <pgbench/sdk/plugin.hpp>

PGB_REGISTER_ALGORITHM(pgb::reinforce::Reinforce, "org.pgbench.algo.reinforce/1")
    .name("reinforce")
    .description("REINFORCE (Williams 1992): Monte-Carlo policy gradient with reward-to-go and an optional baseline; "
                 "one full-batch Adam step per batch")
    .params(pgb::reinforce::kHyperparameters);

PGB_PLUGIN("org.pgbench.reinforce", "REINFORCE", "1.0.0", "The REINFORCE policy-gradient algorithm")
