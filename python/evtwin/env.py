"""Reinforcement-learning environments on the engine (docs/rl.md), with Gymnasium's API by duck
typing: VecEnv follows gymnasium.vector.VectorEnv (next-step autoreset), Env follows gymnasium.Env.

Observations, rewards and flags are read-only NumPy views of the engine's own buffers: no copy is
made, and each step overwrites them (copy what you keep, e.g. into a rollout buffer). An episode is
the scenario's run (its whole duration), so it ends by `terminated`: the observation carries the time
left until the bill closes, and the run's end is part of the problem, not a cut-off; `truncated` is
always False."""
import numpy as np

from . import _evtwin
from .runs import _texts, load


class Box:
    """A box of float32 values (gymnasium.spaces.Box's fields and sample())."""

    def __init__(self, low, high, shape):
        self.shape = tuple(shape)
        self.dtype = np.dtype(np.float32)
        self.low = np.broadcast_to(np.asarray(low, np.float32), self.shape).copy()
        self.high = np.broadcast_to(np.asarray(high, np.float32), self.shape).copy()
        self._rng = np.random.default_rng()

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)

    def sample(self):
        return self._rng.uniform(self.low, self.high).astype(np.float32)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, float32)"


def _spaces(action_low, observation_size, rows=None):
    lead = () if rows is None else (rows,)
    low = np.asarray(action_low, np.float32)
    return (Box(-np.inf, np.inf, lead + (observation_size,)),
            Box(np.broadcast_to(low, lead + low.shape), 1.0, lead + low.shape))


class VecEnv:
    """`num_envs` episodes of `scenario` stepped together in C++ (the GIL released). Environment i's
    k-th episode runs the scenario's seed `seed + i + k * num_envs`. Environment options are the
    rl{} block's keys (docs/rl.md, "Options"): VecEnv("quickstart.lua", 16, reward="peak")."""

    metadata = {"autoreset_mode": "NextStep"}

    def __init__(self, scenario, num_envs=16, seed=None, params=None, data_dir=None, **env_options):
        self.scenario = load(scenario, params=params, data_dir=data_dir)
        self._vec = _evtwin.VecEnv(self.scenario, num_envs, _texts(env_options), "next_step")
        self.num_envs = num_envs
        self.single_observation_space, self.single_action_space = _spaces(
            self._vec.action_low, self._vec.observation_size)
        self.observation_space, self.action_space = _spaces(
            self._vec.action_low, self._vec.observation_size, num_envs)
        self._seed = self.scenario.seed if seed is None else seed
        # Views made once: the buffers under them never move.
        self._obs = self._vec.observations
        self._rewards = self._vec.rewards
        self._terminated = self._vec.dones.view(np.bool_)
        self._truncated = np.zeros(num_envs, np.bool_)
        self._truncated.flags.writeable = False
        self._info = self._vec.info
        self._info["reset"] = self._vec.resets.view(np.bool_)

    def reset(self, seed=None, options=None):
        """Starts every environment; without a seed, the episodes after the last reset's."""
        if seed is not None:
            self._seed = seed
        self._vec.reset(self._seed)
        self._seed += self.num_envs
        return self._obs, self._info

    def step(self, actions):
        """`actions`: num_envs x action size (converted to float32 when needed). A row whose episode
        ended at the last step is reset instead (its action ignored, reward 0; info["reset"])."""
        self._vec.step(actions)
        return self._obs, self._rewards, self._terminated, self._truncated, self._info

    def observation(self, index):
        """What a strategy would see now in environment `index` (evtwin.Observation)."""
        return self._vec.observation(index)

    def close(self):
        pass

    def __repr__(self):
        return f"<evtwin.VecEnv {self.num_envs} x {self.scenario.name}>"


class Env:
    """One episode at a time of `scenario` (gymnasium.Env's API); options as VecEnv's."""

    metadata = {"render_modes": []}

    def __init__(self, scenario, seed=None, params=None, data_dir=None, **env_options):
        self.scenario = load(scenario, params=params, data_dir=data_dir)
        self._env = _evtwin.Env(self.scenario, _texts(env_options))
        self.observation_space, self.action_space = _spaces(self._env.action_low, self._env.observation_size)
        self._seed = self.scenario.seed if seed is None else seed
        self._obs = self._env.obs

    def reset(self, seed=None, options=None):
        """Starts an episode on the run of `seed`; without one, the seed after the last episode's."""
        if seed is not None:
            self._seed = seed
        self._env.reset(self._seed)
        self._seed += 1
        return self._obs, self._env.info

    def step(self, action):
        reward, done = self._env.step(action)
        return self._obs, reward, done, False, self._env.info

    def observation(self):
        """What a strategy would see now (evtwin.Observation)."""
        return self._env.observation()

    def close(self):
        pass

    def __repr__(self):
        return f"<evtwin.Env {self.scenario.name}>"
