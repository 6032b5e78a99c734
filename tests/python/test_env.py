"""evtwin.VecEnv and evtwin.Env: Gymnasium's API (shapes, bounds, next-step autoreset), zero-copy
views, determinism per seed, and the vectorised environments identical to single ones step for step."""
import threading
import unittest

import numpy as np

import evtwin
from support import QUICKSTART

SCENARIO = evtwin.load(QUICKSTART)
OPTIONS = {"reward": "peak"}


def random_actions(rng, space, rows):
    return rng.uniform(space.low, space.high, (rows,) + space.shape).astype(np.float32)


class VecEnvTest(unittest.TestCase):
    def test_spaces_and_shapes(self):
        vec = evtwin.VecEnv(SCENARIO, 4, **OPTIONS)
        obs, info = vec.reset(seed=1)
        size = vec.single_observation_space.shape[0]
        actions = vec.single_action_space.shape[0]
        self.assertEqual(obs.shape, (4, size))
        self.assertEqual(obs.dtype, np.float32)
        self.assertEqual(vec.observation_space.shape, (4, size))
        self.assertEqual(vec.action_space.shape, (4, actions))
        # 20 connectors, the ESS and the site cap (on in the rl{} block or by default: either way one
        # entry per connector and one for the ESS at least).
        self.assertGreaterEqual(actions, 21)
        low = vec.single_action_space.low
        self.assertTrue(np.all(vec.single_action_space.high == 1.0))
        self.assertTrue(set(np.unique(low)) <= {-1.0, 0.0})
        self.assertEqual(int((low[:20] == -1.0).sum()), 4)  # the four V2G chargers
        self.assertEqual(low[20], -1.0)  # the ESS
        obs, reward, terminated, truncated, info = vec.step(random_actions(np.random.default_rng(0), vec.single_action_space, 4))
        self.assertEqual(reward.shape, (4,))
        self.assertEqual(terminated.dtype, np.bool_)
        self.assertFalse(truncated.any())
        for key in ("energy_cost", "demand_charge", "delivered_kwh", "clipped_kw", "reset"):
            self.assertEqual(info[key].shape, (4,), key)
        self.assertTrue(np.isfinite(obs).all())

    def test_arrays_are_views_of_the_engine_buffers(self):
        vec = evtwin.VecEnv(SCENARIO, 2, **OPTIONS)
        obs, _ = vec.reset(seed=5)
        first = obs.copy()
        obs2, reward, *_ = vec.step(np.zeros(vec.action_space.shape, np.float32))
        self.assertIs(obs2, obs)  # the same array, overwritten in place
        self.assertFalse(np.array_equal(first, obs))
        self.assertFalse(obs.flags.writeable)
        self.assertFalse(obs.flags.owndata)
        with self.assertRaises(ValueError):
            obs[0, 0] = 1.0

    def test_next_step_autoreset(self):
        vec = evtwin.VecEnv(SCENARIO, 3, **OPTIONS)
        obs, _ = vec.reset(seed=1)
        rng = np.random.default_rng(1)
        steps, ended = 0, None
        while ended is None:
            obs, reward, terminated, _, info = vec.step(random_actions(rng, vec.single_action_space, 3))
            steps += 1
            if terminated.any():
                ended = terminated.copy()
                self.assertTrue(np.all(obs[ended] == 0.0))  # the final observation
        # A week of 15-minute control periods, and a decision at every arrival and departure between.
        self.assertGreater(steps, 672)
        obs, reward, terminated, _, info = vec.step(random_actions(rng, vec.single_action_space, 3))
        self.assertTrue(np.array_equal(info["reset"], ended))
        self.assertTrue(np.all(reward[ended] == 0.0))
        self.assertFalse(terminated.any())
        self.assertTrue((obs[ended] != 0.0).any(axis=1).all())  # the new episodes' first

    def test_same_seed_same_episode_other_seed_another(self):
        def rollout(seed):
            vec = evtwin.VecEnv(SCENARIO, 2, **OPTIONS)
            vec.reset(seed=seed)
            rng = np.random.default_rng(7)
            rewards = []
            for _ in range(200):
                _, r, *_ = vec.step(random_actions(rng, vec.single_action_space, 2))
                rewards.append(r.copy())
            return np.array(rewards)
        a, b, c = rollout(3), rollout(3), rollout(4)
        self.assertTrue(np.array_equal(a, b))
        self.assertFalse(np.array_equal(a, c))

    def test_identical_to_single_environments_step_for_step(self):
        n, seed, steps_after = 3, 11, 0
        vec = evtwin.VecEnv(SCENARIO, n, **OPTIONS)
        singles = [evtwin.Env(SCENARIO, **OPTIONS) for _ in range(n)]
        obs, _ = vec.reset(seed=seed)
        for i, env in enumerate(singles):
            o, _ = env.reset(seed=seed + i)
            self.assertTrue(np.array_equal(o, obs[i]))
        rng = np.random.default_rng(2)
        resets = np.zeros(n, int)
        while resets.min() == 0 or steps_after < 50:  # through every row's autoreset, and beyond
            actions = random_actions(rng, vec.single_action_space, n)
            obs, reward, terminated, _, info = vec.step(actions)
            resets += info["reset"]
            steps_after = steps_after + 1 if resets.min() > 0 else 0
            for i, env in enumerate(singles):
                if info["reset"][i]:
                    o, _ = env.reset(seed=seed + i + n)
                    self.assertTrue(np.array_equal(o, obs[i]))
                    continue
                o, r, done, _, single_info = env.step(actions[i])
                self.assertTrue(np.array_equal(o, obs[i]))
                self.assertEqual(r, reward[i])
                self.assertEqual(done, terminated[i])
                self.assertEqual(single_info["energy_cost"], info["energy_cost"][i])

    def test_actions_are_checked(self):
        vec = evtwin.VecEnv(SCENARIO, 2, **OPTIONS)
        vec.reset(seed=1)
        with self.assertRaisesRegex(ValueError, "expected 2 x"):
            vec.step(np.zeros((3, vec.single_action_space.shape[0]), np.float32))
        vec.step(np.zeros(vec.action_space.shape, np.float64).tolist())  # lists and doubles convert

    def test_options_are_checked(self):
        with self.assertRaisesRegex(ValueError, "unknown environment option 'rewrd'"):
            evtwin.VecEnv(SCENARIO, 2, rewrd="peak")
        with self.assertRaisesRegex(ValueError, "reward"):
            evtwin.VecEnv(SCENARIO, 2, reward="money")

    def test_stepping_releases_the_gil(self):
        # Two vectorised environments stepped from two threads end as they do one after the other.
        def rollout(vec, out):
            vec.reset(seed=1)
            for _ in range(300):
                _, r, *_ = vec.step(np.full(vec.action_space.shape, 0.5, np.float32))
                out.append(r.copy())
        serial, parallel = [], [[], []]
        rollout(evtwin.VecEnv(SCENARIO, 4, **OPTIONS), serial)
        threads = [threading.Thread(target=rollout, args=(evtwin.VecEnv(SCENARIO, 4, **OPTIONS), parallel[k]))
                   for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for out in parallel:
            self.assertTrue(np.array_equal(np.array(serial), np.array(out)))

    def test_observation_of_an_environment(self):
        vec = evtwin.VecEnv(SCENARIO, 2, **OPTIONS)
        vec.reset(seed=1)
        for _ in range(40):  # 10:00 on Monday: cars are plugged in
            vec.step(np.full(vec.action_space.shape, 0.5, np.float32))
        o = vec.observation(1)
        self.assertEqual(len(o.connectors), 20)
        # Held by no reservation: the scenario has none.
        self.assertFalse(o.connectors["reserved"].any())
        self.assertTrue((o.connectors["reserved_until"] == 0).all())
        self.assertGreater(len(o.sessions), 0)
        with self.assertRaises(IndexError):
            vec.observation(2)
        kept = o.sessions["soc"]
        with self.assertRaisesRegex(RuntimeError, "obs.sessions .* kept past the environment's next step"):
            vec.step(np.full(vec.action_space.shape, 0.5, np.float32))
        del kept
        vec.step(np.full(vec.action_space.shape, 0.5, np.float32))
        with self.assertRaisesRegex(RuntimeError, "no longer valid"):
            o.sessions


class EnvTest(unittest.TestCase):
    def test_episode_runs_to_the_end(self):
        env = evtwin.Env(SCENARIO, **OPTIONS)
        obs, info = env.reset(seed=2)
        self.assertEqual(obs.shape, env.observation_space.shape)
        total, steps, done = 0.0, 0, False
        cost = 0.0
        while not done:
            obs, reward, done, truncated, info = env.step(env.action_space.sample())
            self.assertFalse(truncated)
            total += reward
            cost += info["energy_cost"] + info["demand_charge"]
            steps += 1
        self.assertGreater(steps, 672)
        self.assertGreater(cost, 0.0)
        self.assertTrue(np.all(obs == 0.0))


if __name__ == "__main__":
    unittest.main()
