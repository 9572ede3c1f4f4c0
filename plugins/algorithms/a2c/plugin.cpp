// Registers A2C with the hyperparameters of a2c.hpp.
#include "a2c.hpp"

#include <pgbench/sdk/plugin.hpp>

PGB_REGISTER_ALGORITHM(pgb::a2c::A2c, "org.pgbench.algo.a2c/1")
    .name("a2c")
    .description("A2C (Mnih et al. 2016), synchronous: GAE advantages, separate actor and critic, entropy bonus, "
                 "RMSprop with gradient-norm clipping")
    .num_envs(16)  // the reference setting: 16 envs x 5 steps per update
    .params(pgb::a2c::kHyperparameters);

PGB_PLUGIN("org.pgbench.a2c", "A2C", "1.0.0", "The synchronous advantage actor-critic")
