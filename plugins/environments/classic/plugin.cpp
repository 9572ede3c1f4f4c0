// plugin.cpp -- the classic-control plugin: the four environments register themselves in their
// own sources; this file names the plugin they belong to.
#include <pgbench/sdk/plugin.hpp>

PGB_PLUGIN("org.pgbench.classic", "Classic control", "1.0.0",
           "CartPole, Acrobot, Pendulum and MountainCarContinuous as in Gymnasium");
