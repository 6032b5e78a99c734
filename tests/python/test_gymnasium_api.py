"""evtwin.Env and evtwin.VecEnv against Gymnasium's documented API, as its env checker and
Stable-Baselines3's check it (gymnasium.utils.env_checker.check_env: the spaces' types, the shapes
and dtypes of what reset and step return, `info` a dict, reset's seed and options, seeding
determinism, np_random; gymnasium.vector.VectorEnv: batched spaces, the autoreset mode declared in
the metadata). Gymnasium is not a Debian package: these hold the API with or without it, and
docs/python.md says how it was checked with Gymnasium and Stable-Baselines3 themselves."""
import unittest

import numpy as np

import evtwin
from support import QUICKSTART

SCENARIO = evtwin.load(QUICKSTART)


def box_conforms(test, space, shape):
    test.assertEqual(space.shape, shape)
    test.assertEqual(np.dtype(space.dtype), np.float32)
    test.assertEqual(space.low.shape, shape)
    test.assertEqual(space.high.shape, shape)
    test.assertTrue(np.all(space.low <= space.high))
    test.assertTrue(space.contains(space.sample()))


def rollout(env, seed, steps):
    """Copies of the observations and rewards of `steps` steps from reset(seed), with actions drawn
    from np_random (seeded by the reset). A VecEnv's arrays are views the next step overwrites."""
    obs, _ = env.reset(seed=seed)
    observations, rewards = [np.array(obs)], []
    for _ in range(steps):
        low, high = env.action_space.low, env.action_space.high
        action = env.np_random.uniform(low, high).astype(np.float32)
        obs, reward, _, _, _ = env.step(action)
        observations.append(np.array(obs))
        rewards.append(np.array(reward))
    return observations, rewards


class EnvApiTest(unittest.TestCase):
    def setUp(self):
        self.env = evtwin.Env(SCENARIO)

    def test_spaces_are_float32_boxes(self):
        box_conforms(self, self.env.observation_space, self.env.observation_space.shape)
        box_conforms(self, self.env.action_space, self.env.action_space.shape)
        self.assertEqual(len(self.env.observation_space.shape), 1)

    def test_reset_returns_an_observation_in_its_space_and_an_info_dict(self):
        obs, info = self.env.reset(seed=3, options=None)
        self.assertIsInstance(obs, np.ndarray)
        self.assertEqual(obs.dtype, np.float32)
        self.assertTrue(self.env.observation_space.contains(obs))
        self.assertIsInstance(info, dict)

    def test_step_returns_the_five_values_of_their_types(self):
        self.env.reset(seed=3)
        obs, reward, terminated, truncated, info = self.env.step(self.env.action_space.sample())
        self.assertIsInstance(obs, np.ndarray)
        self.assertEqual(obs.dtype, np.float32)
        self.assertEqual(obs.shape, self.env.observation_space.shape)
        self.assertIsInstance(reward, (float, int, np.floating))
        self.assertIsInstance(terminated, (bool, np.bool_))
        self.assertIsInstance(truncated, (bool, np.bool_))
        self.assertIsInstance(info, dict)

    def test_an_observation_returned_stays_as_it_was(self):
        first, _ = self.env.reset(seed=3)
        kept = first.copy()
        for _ in range(5):
            self.env.step(self.env.action_space.sample())
        np.testing.assert_array_equal(first, kept)

    def test_the_same_seed_gives_the_same_episode(self):
        obs_a, rewards_a = rollout(self.env, 11, 40)
        obs_b, rewards_b = rollout(evtwin.Env(SCENARIO), 11, 40)
        np.testing.assert_array_equal(np.stack(obs_a), np.stack(obs_b))
        np.testing.assert_array_equal(np.stack(rewards_a), np.stack(rewards_b))
        self.assertGreater(np.ptp(np.stack(rewards_a)), 0.0)  # the episode moves

    def test_reset_seeds_np_random(self):
        self.env.reset(seed=5)
        draws = self.env.np_random.random(4)
        other = evtwin.Env(SCENARIO)
        other.reset(seed=5)
        np.testing.assert_array_equal(draws, other.np_random.random(4))
        self.assertIsInstance(self.env.np_random, np.random.Generator)

    def test_the_attributes_gymnasium_gives(self):
        self.assertIs(self.env.unwrapped, self.env)
        self.assertIsNone(self.env.render_mode)
        self.assertIn("render_modes", self.env.metadata)
        self.assertTrue(hasattr(self.env, "spec"))

    def test_render_mode_none_is_taken_and_a_frame_is_refused(self):
        self.assertIsNone(evtwin.Env(SCENARIO, render_mode=None).render_mode)
        with self.assertRaisesRegex(TypeError, "render_mode 'rgb_array'"):
            evtwin.Env(SCENARIO, render_mode="rgb_array")


class VecEnvApiTest(unittest.TestCase):
    def setUp(self):
        self.vec = evtwin.VecEnv(SCENARIO, 4)

    def test_single_and_batched_spaces(self):
        single_obs, single_act = self.vec.single_observation_space, self.vec.single_action_space
        box_conforms(self, single_obs, single_obs.shape)
        box_conforms(self, single_act, single_act.shape)
        box_conforms(self, self.vec.observation_space, (4,) + single_obs.shape)
        box_conforms(self, self.vec.action_space, (4,) + single_act.shape)

    def test_the_autoreset_mode_is_declared_next_step(self):
        mode = self.vec.metadata["autoreset_mode"]
        self.assertEqual(getattr(mode, "value", mode), "NextStep")

    def test_reset_and_step_return_batches(self):
        obs, info = self.vec.reset(seed=2)
        self.assertEqual(obs.shape, self.vec.observation_space.shape)
        self.assertEqual(obs.dtype, np.float32)
        self.assertIsInstance(info, dict)
        obs, rewards, terminated, truncated, info = self.vec.step(self.vec.action_space.sample())
        self.assertEqual(obs.shape, self.vec.observation_space.shape)
        self.assertEqual(rewards.shape, (4,))
        self.assertTrue(np.issubdtype(rewards.dtype, np.floating))
        for flags in (terminated, truncated):
            self.assertEqual(flags.shape, (4,))
            self.assertEqual(flags.dtype, np.bool_)
        self.assertIsInstance(info, dict)

    def test_the_same_seed_gives_the_same_batch(self):
        obs_a, rewards_a = rollout(self.vec, 7, 20)
        obs_b, rewards_b = rollout(evtwin.VecEnv(SCENARIO, 4), 7, 20)
        np.testing.assert_array_equal(np.stack(obs_a), np.stack(obs_b))
        np.testing.assert_array_equal(np.stack(rewards_a), np.stack(rewards_b))

    def test_same_step_autoreset_starts_the_next_episode_in_the_step_that_ends_one(self):
        vec = evtwin.VecEnv(SCENARIO, 2, autoreset_mode="SameStep")
        mode = vec.metadata["autoreset_mode"]
        self.assertEqual(getattr(mode, "value", mode), "SameStep")
        self.assertEqual(getattr(self.vec.metadata["autoreset_mode"], "value", None) or
                         self.vec.metadata["autoreset_mode"], "NextStep")
        vec.reset(seed=5)
        info = {}
        for _ in range(5000):
            obs, _, terminated, truncated, info = vec.step(vec.action_space.sample())
            self.assertFalse(truncated.any())
            if terminated.any():
                break
        self.assertTrue(terminated.any(), "no episode ended in 5000 steps")
        np.testing.assert_array_equal(info["_final_obs"], terminated)
        for i in range(2):
            if terminated[i]:
                # Environment i's second episode runs seed 5 + i + 2: its first observation is here.
                first, _ = evtwin.Env(SCENARIO).reset(seed=5 + i + 2)
                np.testing.assert_array_equal(obs[i], first)
                self.assertEqual(info["final_obs"][i].shape, vec.single_observation_space.shape)
            else:
                self.assertIsNone(info["final_obs"][i])
        with self.assertRaises(ValueError):
            evtwin.VecEnv(SCENARIO, 2, autoreset_mode="Disabled")

    def test_the_attributes_gymnasium_gives(self):
        self.assertIs(self.vec.unwrapped, self.vec)
        self.assertIsNone(self.vec.render_mode)
        self.assertTrue(hasattr(self.vec, "spec"))
        self.vec.reset(seed=1)
        self.assertIsInstance(self.vec.np_random, np.random.Generator)
        with self.assertRaises(TypeError):
            evtwin.VecEnv(SCENARIO, 2, render_mode="rgb_array")


if __name__ == "__main__":
    unittest.main()
