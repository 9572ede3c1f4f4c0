"""pgbench for Python.

Environments, as Gymnasium-style vector environments::

    import pgbench
    pgbench.list_envs()                                  # every environment the plugins provide
    envs = pgbench.make_vec("HalfCheetah-v4", num_envs=8, seed=0)
    obs, infos = envs.reset(seed=42)
    obs, rewards, terminated, truncated, infos = envs.step(actions)

The environments run in C++ behind pgbench's plugin ABI (the same code the pgbench host runs),
under the host's protocol: the registered time limit is reported as ``truncated``, and an ended
sub-environment is reset within the same step, its last observation in
``infos["final_observation"]`` (Gymnasium's convention). Plugins are found in pgbench's own plugin
folder and in the folders of ``PGBENCH_PLUGIN_PATH``.

Algorithms, as subclasses of ``pgbench.Agent`` in a file on the plugin path, run by the pgbench
host under its protocol next to the built-in ones (see ``pgbench.agent``).
"""

from pgbench.agent import Agent, Context, Param
from pgbench.spaces import Box, Discrete


def __getattr__(name):
    # The environments need the extension module, loaded on first use: an agent run by the host
    # does not load it.
    import importlib
    if name in ("Env", "VectorEnv", "describe", "list_envs", "make", "make_vec"):
        return getattr(importlib.import_module("pgbench.vector"), name)
    if name == "PluginError":
        return importlib.import_module("pgbench._pgbench").PluginError
    raise AttributeError(f"module 'pgbench' has no attribute '{name}'")


__all__ = ["Agent", "Box", "Context", "Discrete", "Env", "Param", "PluginError", "VectorEnv", "describe", "list_envs",
           "make", "make_vec"]
