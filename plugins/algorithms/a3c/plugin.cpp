// Registers A3C with the hyperparameters of a3c.hpp.
#include "a3c.hpp"

#include <pgbench/sdk/plugin.hpp>

PGB_REGISTER_ALGORITHM(pgb::a3c::A3c, "org.pgbench.algo.a3c/1")
    .name("a3c")
    .description("A3C (Mnih et al. 2016), asynchronous advantage actor-critic in a fixed round-robin of "
                 "W workers: every gradient W-1 updates stale, reproducible bit for bit")
    .num_envs(16)  // the paper's 16 workers, one sub-env each
    .params(pgb::a3c::kHyperparameters);

PGB_PLUGIN("org.pgbench.a3c", "A3C", "1.0.0", "The asynchronous advantage actor-critic, deterministic")
