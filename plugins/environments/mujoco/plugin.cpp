// plugin.cpp -- the MuJoCo control plugin: each task registers itself in its own source; this
// file names the plugin they belong to.
#include <pgbench/sdk/plugin.hpp>

PGB_PLUGIN("org.pgbench.mujoco", "MuJoCo control", "1.0.0",
           "The Gymnasium MuJoCo locomotion and manipulation tasks (v4 behaviour, v5 selectable) on MuJoCo 2.2.2");
