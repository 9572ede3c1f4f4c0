"""The Python package's environments: listed, stepped bit-identically to the C++ host, with
Gymnasium's terminated / truncated / final-observation semantics, and clear errors."""

import os
import subprocess
import tempfile
import unittest

import numpy as np

import pgbench

REFERENCE_ROLLOUT = os.environ["PGBENCH_REFERENCE_ROLLOUT"]


def reference(env_id, num_envs, seed, reset_seed, steps, action_seed):
    """The actions and trace of the C++ reference rollout (tests/python/reference_rollout.cpp)."""
    with tempfile.TemporaryDirectory() as work:
        actions, trace = os.path.join(work, "actions"), os.path.join(work, "trace")
        subprocess.run([REFERENCE_ROLLOUT, env_id, str(num_envs), str(seed), str(reset_seed), str(steps),
                        str(action_seed), actions, trace], check=True)
        return np.fromfile(actions, dtype=np.float64), np.fromfile(trace, dtype=np.float64)


class Listing(unittest.TestCase):
    def test_lists_the_classic_and_mujoco_envs(self):
        names = pgbench.list_envs()
        for name in ("CartPole-v1", "Acrobot-v1", "Pendulum-v1", "MountainCarContinuous-v0"):
            self.assertIn(name, names)
        if "HalfCheetah-v4" not in names:
            self.skipTest("the MuJoCo plugin is not built (libmujoco-dev missing)")

    def test_describe_gives_parameters_with_defaults(self):
        d = pgbench.describe("Pendulum-v1")
        self.assertEqual(d["id"], "org.pgbench.classic.pendulum/1")
        g = [p for p in d["parameters"] if p["key"] == "g"][0]
        self.assertEqual(g["default"], 10.0)
        with self.assertRaisesRegex(ValueError, "no environment 'Pendulum'"):
            pgbench.describe("Pendulum")


class SameAsTheHost(unittest.TestCase):
    def check(self, env_id, num_envs, steps):
        seed, reset_seed, action_seed = 7, 1000, 3
        actions, trace = reference(env_id, num_envs, seed, reset_seed, steps, action_seed)
        with pgbench.make_vec(env_id, num_envs, seed=seed) as envs:
            discrete = isinstance(envs.single_action_space, (pgbench.Discrete,)) or hasattr(envs.single_action_space, "n")
            obs_dim = envs.single_observation_space.shape[0]
            per_step = actions.size // steps
            obs, _ = envs.reset(seed=reset_seed)
            got = [obs.ravel()]
            for t in range(steps):
                a = actions[t * per_step:(t + 1) * per_step]
                a = a.astype(np.int64) if discrete else a.reshape(num_envs, -1)
                obs, rewards, terminated, truncated, infos = envs.step(a)
                final = np.zeros((num_envs, obs_dim))
                if "final_observation" in infos:
                    for i in np.flatnonzero(infos["_final_observation"]):
                        final[i] = infos["final_observation"][i]
                got += [obs.ravel(), rewards, terminated.astype(np.float64), truncated.astype(np.float64), final.ravel()]
            got = np.concatenate(got)
        self.assertEqual(got.shape, trace.shape)
        self.assertTrue(np.array_equal(got, trace), f"first difference at {np.flatnonzero(got != trace)[:1]}")

    def test_cartpole_is_bit_identical(self):
        self.check("CartPole-v1", 4, 600)  # several episodes end and restart

    def test_halfcheetah_is_bit_identical(self):
        if "HalfCheetah-v4" not in pgbench.list_envs():
            self.skipTest("the MuJoCo plugin is not built (libmujoco-dev missing)")
        self.check("HalfCheetah-v4", 2, 1100)  # crosses the 1000-step time limit


class EpisodeEnds(unittest.TestCase):
    def test_a_termination_keeps_the_final_observation_and_resets(self):
        with pgbench.make_vec("CartPole-v1", 1, seed=0) as envs:
            envs.reset(seed=1)
            for step in range(1, 100):  # always push right: the pole falls within a few dozen steps
                obs, rewards, terminated, truncated, infos = envs.step(np.array([1]))
                if terminated[0]:
                    break
            self.assertTrue(terminated[0])
            self.assertFalse(truncated[0])
            self.assertEqual(rewards[0], 1.0)
            final = infos["final_observation"][0]
            self.assertTrue(infos["_final_observation"][0])
            # The episode ended because the pole leaned past 12 degrees or the cart left the track...
            self.assertTrue(abs(final[2]) > 12 * 2 * np.pi / 360 or abs(final[0]) > 2.4)
            # ...and the returned observation starts the next episode (every component within 0.05).
            self.assertTrue(np.all(np.abs(obs[0]) <= 0.05))

    def test_the_time_limit_is_a_truncation(self):
        with pgbench.make_vec("Pendulum-v1", 2, seed=0) as envs:
            self.assertEqual(envs.max_episode_steps, 200)
            envs.reset(seed=5)
            for step in range(1, 201):
                obs, rewards, terminated, truncated, infos = envs.step(np.zeros((2, 1)))
                if step < 200:
                    self.assertFalse(truncated.any(), step)
                    self.assertNotIn("final_observation", infos)
            self.assertTrue(truncated.all())
            self.assertFalse(terminated.any())
            self.assertEqual(len(infos["final_observation"]), 2)

    def test_single_env_api(self):
        with pgbench.make("CartPole-v1", seed=0) as env:
            obs, info = env.reset(seed=3)
            self.assertEqual(obs.shape, (4,))
            done = False
            while not done:
                obs, reward, terminated, truncated, info = env.step(0)
                done = terminated or truncated
            with self.assertRaisesRegex(RuntimeError, "call reset"):
                env.step(0)


class Spaces(unittest.TestCase):
    def test_spaces_and_config(self):
        with pgbench.make_vec("Pendulum-v1", 3, seed=0, g=9.81) as envs:
            self.assertEqual(envs.observation_space.shape, (3, 3))
            self.assertEqual(envs.single_action_space.shape, (1,))
            self.assertEqual(float(envs.single_action_space.high[0]), 2.0)
            self.assertEqual(envs.config["g"], "9.81")
        with pgbench.make_vec("CartPole-v1", 2) as envs:
            self.assertEqual(envs.single_action_space.n, 2)


class BadInput(unittest.TestCase):
    def test_unknown_env_names_the_closest(self):
        with self.assertRaisesRegex(ValueError, "did you mean 'CartPole-v1'"):
            pgbench.make_vec("CartPole-v2", 1)

    def test_unknown_or_out_of_range_parameter(self):
        with self.assertRaisesRegex(ValueError, "'gravity'.*accepted: g"):
            pgbench.make_vec("Pendulum-v1", 1, gravity=9.81)
        with self.assertRaisesRegex(ValueError, "g"):
            pgbench.make_vec("Pendulum-v1", 1, g=-1.0)

    def test_wrong_action_shape_dtype_nan_and_range(self):
        with pgbench.make_vec("CartPole-v1", 2) as envs:
            envs.reset(seed=0)
            with self.assertRaisesRegex(ValueError, r"shape \(2,\).*got \(3,\)"):
                envs.step(np.array([0, 1, 0]))
            with self.assertRaisesRegex(TypeError, "must be integers"):
                envs.step(np.array([0.5, 1.0]))
            with self.assertRaisesRegex(ValueError, "outside Discrete"):
                envs.step(np.array([0, 2]))
        with pgbench.make_vec("Pendulum-v1", 2) as envs:
            envs.reset(seed=0)
            with self.assertRaisesRegex(ValueError, r"shape \(2, 1\)"):
                envs.step(np.zeros(2))
            with self.assertRaisesRegex(ValueError, "finite"):
                envs.step(np.array([[0.0], [np.nan]]))

    def test_step_before_reset_and_after_close(self):
        envs = pgbench.make_vec("CartPole-v1", 1)
        with self.assertRaisesRegex(ValueError, "call reset"):
            envs.step(np.array([0]))
        envs.reset()
        envs.close()
        with self.assertRaisesRegex(ValueError, "closed"):
            envs.step(np.array([0]))


if __name__ == "__main__":
    unittest.main()
