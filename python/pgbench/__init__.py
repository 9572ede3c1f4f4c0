"""pgbench for Python: pgbench's environments as Gymnasium-style vector environments.

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
"""

from pgbench._pgbench import PluginError
from pgbench.spaces import Box, Discrete
from pgbench.vector import Env, VectorEnv, describe, list_envs, make, make_vec

__all__ = ["Box", "Discrete", "Env", "PluginError", "VectorEnv", "describe", "list_envs", "make", "make_vec"]
