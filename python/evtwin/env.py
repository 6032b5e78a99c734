"""Reinforcement-learning environments on the engine (docs/rl.md). With Gymnasium installed, Env is
a gymnasium.Env, VecEnv a gymnasium.vector.VectorEnv (next-step autoreset, or same-step) and their
spaces gymnasium.spaces.Box; without it, the same API by duck typing (Box, and _Seeded for what
Gymnasium's base classes give: spec, render_mode, unwrapped, np_random seeded by reset).

VecEnv's observations, rewards and flags are read-only NumPy views of the engine's own buffers: no
copy is made, and each step overwrites them (copy what you keep, e.g. into a rollout buffer). Env
returns its observation as a new array, as Gymnasium's wrappers expect of a single environment. An
episode is the scenario's run (its whole duration), so it ends by `terminated`: the observation
carries the time left until the bill closes, and the run's end is part of the problem, not a
cut-off; `truncated` is always False."""
import numpy as np

from . import _evtwin
from .runs import _texts, load

try:
    import gymnasium
except ImportError:
    gymnasium = None


class Box:
    """A box of float32 values (gymnasium.spaces.Box's fields, seed() and sample()), for when
    Gymnasium is not installed."""

    def __init__(self, low, high, shape):
        self.shape = tuple(shape)
        self.dtype = np.dtype(np.float32)
        self.low = np.broadcast_to(np.asarray(low, np.float32), self.shape).copy()
        self.high = np.broadcast_to(np.asarray(high, np.float32), self.shape).copy()
        self._rng = np.random.default_rng()

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)

    def sample(self):
        """Uniform where both bounds are finite; as gymnasium's Box where one is not: normal where
        neither is, an exponential step from the one bound there is otherwise."""
        low_finite, high_finite = np.isfinite(self.low), np.isfinite(self.high)
        bounded = low_finite & high_finite
        x = self._rng.normal(size=self.shape)
        x[bounded] = self._rng.uniform(self.low[bounded], self.high[bounded])
        only_low, only_high = low_finite & ~high_finite, high_finite & ~low_finite
        x[only_low] = self.low[only_low] + self._rng.exponential(size=int(only_low.sum()))
        x[only_high] = self.high[only_high] - self._rng.exponential(size=int(only_high.sum()))
        return x.astype(np.float32)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def __contains__(self, x):
        return self.contains(x)

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, float32)"


def _box(low, high, shape):
    if gymnasium is None:
        return Box(low, high, shape)
    return gymnasium.spaces.Box(
        np.broadcast_to(np.asarray(low, np.float32), shape), np.broadcast_to(np.asarray(high, np.float32), shape),
        dtype=np.float32)


def _spaces(action_low, observation_size, rows=None):
    lead = () if rows is None else (rows,)
    low = np.asarray(action_low, np.float32)
    return (_box(-np.inf, np.inf, lead + (observation_size,)),
            _box(np.broadcast_to(low, lead + low.shape), 1.0, lead + low.shape))


class _Seeded:
    """What gymnasium.Env and gymnasium.vector.VectorEnv give their subclasses, for when Gymnasium is
    not installed: spec, render_mode, unwrapped, and np_random, seeded by reset(seed=...)."""

    spec = None
    render_mode = None
    _np_random = None

    @property
    def unwrapped(self):
        return self

    @property
    def np_random(self):
        if self._np_random is None:
            self._np_random = np.random.default_rng()
        return self._np_random

    @np_random.setter
    def np_random(self, value):
        self._np_random = value

    def reset(self, *, seed=None, options=None):
        if seed is not None:
            self._np_random = np.random.default_rng(seed)


def _no_rendering(render_mode):
    # A TypeError, as for an argument the constructor does not take: Stable-Baselines3's
    # make_vec_env asks for "rgb_array" first and, on a TypeError, makes the environment without it.
    if render_mode is not None:
        raise TypeError(f"render_mode {render_mode!r}: evtwin's environments render nothing (render_mode None)")
    return render_mode


_ENV_BASE = _Seeded if gymnasium is None else gymnasium.Env
_VECTOR_ENV_BASE = _Seeded if gymnasium is None else gymnasium.vector.VectorEnv
_NEXT_STEP = "NextStep" if gymnasium is None else gymnasium.vector.AutoresetMode.NEXT_STEP
_SAME_STEP = "SameStep" if gymnasium is None else gymnasium.vector.AutoresetMode.SAME_STEP


def _autoreset(mode):
    """Gymnasium's AutoresetMode (or its value) as the engine names it; NEXT_STEP by default."""
    value = getattr(mode, "value", mode)
    if value in (None, "NextStep"):
        return _NEXT_STEP, "next_step"
    if value == "SameStep":
        return _SAME_STEP, "same_step"
    raise ValueError(f"autoreset_mode {mode!r}: expected NextStep or SameStep")


class VecEnv(_VECTOR_ENV_BASE):
    """`num_envs` episodes of `scenario` stepped together in C++ (the GIL released). Environment i's
    k-th episode runs the scenario's seed `seed + i + k * num_envs`. Environment options are the
    rl{} block's keys (docs/rl.md, "Options"): VecEnv("quickstart.lua", 16, reward="peak").
    `autoreset_mode`: Gymnasium's NEXT_STEP (default) or SAME_STEP, where an episode that ends is
    reset in the same step: its row is the next episode's first observation, and info["final_obs"]
    (with the mask info["_final_obs"]) holds the last one, as Gymnasium's SyncVectorEnv gives it."""

    metadata = {"autoreset_mode": _NEXT_STEP, "render_modes": []}

    def __init__(self, scenario, num_envs=16, seed=None, params=None, data_dir=None, render_mode=None,
                 autoreset_mode=None, **env_options):
        self.render_mode = _no_rendering(render_mode)
        mode, engine_mode = _autoreset(autoreset_mode)
        self.metadata = dict(VecEnv.metadata, autoreset_mode=mode)
        self._same_step = engine_mode == "same_step"
        self.scenario = load(scenario, params=params, data_dir=data_dir)
        self._vec = _evtwin.VecEnv(self.scenario, num_envs, _texts(env_options), engine_mode)
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
        super().reset(seed=seed)
        if seed is not None:
            self._seed = seed
        self._vec.reset(self._seed)
        self._seed += self.num_envs
        return self._obs, self._info

    def step(self, actions):
        """`actions`: num_envs x action size (converted to float32 when needed). NEXT_STEP: a row
        whose episode ended at the last step is reset instead (its action ignored, reward 0;
        info["reset"]). SAME_STEP: a row whose episode ends now is reset now (info["final_obs"])."""
        self._vec.step(actions)
        info = self._info
        if self._same_step and self._terminated.any():
            info = dict(info, **self._final_observations())
        return self._obs, self._rewards, self._terminated, self._truncated, info

    def _final_observations(self):
        # An episode's last observation is all zeros (docs/rl.md, "VecEnv"): the run has ended.
        final = np.full(self.num_envs, None, dtype=object)
        for i in np.flatnonzero(self._terminated):
            final[i] = np.zeros(self.single_observation_space.shape, np.float32)
        ended = self._terminated.copy()
        return {"final_obs": final, "_final_obs": ended, "final_info": {}, "_final_info": ended}

    def observation(self, index):
        """What a strategy would see now in environment `index` (evtwin.Observation)."""
        return self._vec.observation(index)

    def close(self):
        pass

    def __repr__(self):
        return f"<evtwin.VecEnv {self.num_envs} x {self.scenario.name}>"


class Env(_ENV_BASE):
    """One episode at a time of `scenario` (gymnasium.Env's API); options as VecEnv's."""

    metadata = {"render_modes": []}

    def __init__(self, scenario, seed=None, params=None, data_dir=None, render_mode=None, **env_options):
        self.render_mode = _no_rendering(render_mode)
        self.scenario = load(scenario, params=params, data_dir=data_dir)
        self._env = _evtwin.Env(self.scenario, _texts(env_options))
        self.observation_space, self.action_space = _spaces(self._env.action_low, self._env.observation_size)
        self._seed = self.scenario.seed if seed is None else seed
        self._obs = self._env.obs

    def reset(self, seed=None, options=None):
        """Starts an episode on the run of `seed`; without one, the seed after the last episode's."""
        super().reset(seed=seed)
        if seed is not None:
            self._seed = seed
        self._env.reset(self._seed)
        self._seed += 1
        return self._obs.copy(), self._env.info

    def step(self, action):
        reward, done = self._env.step(action)
        return self._obs.copy(), reward, done, False, self._env.info

    def observation(self):
        """What a strategy would see now (evtwin.Observation)."""
        return self._env.observation()

    def close(self):
        pass

    def __repr__(self):
        return f"<evtwin.Env {self.scenario.name}>"
