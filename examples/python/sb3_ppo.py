"""Stable-Baselines3's PPO on evtwin's Gymnasium environments: the environment checked by
Gymnasium's and Stable-Baselines3's env checkers, PPO trained on gymnasium.make_vec("evtwin/Site-v0")
(the engine's own vectorised environment, stepped in C++), then one evaluation episode.

    PYTHONPATH=build/python:DIR /usr/bin/python3 examples/python/sb3_ppo.py scenarios/quickstart.lua \
        --steps 20000

DIR holds Gymnasium and Stable-Baselines3 (neither is a Debian package; docs/python.md says which
versions were tried and how). Without them this script says so and exits with 2: it is not part of
the test suite. Stable-Baselines3 trains on its own vectorised-environment interface, not on a
gymnasium.vector.VectorEnv: Sb3VecEnv below puts the one in front of the other.
"""
import argparse
import sys

import numpy as np

try:
    import gymnasium
    from gymnasium.utils.env_checker import check_env
    from stable_baselines3 import PPO
    from stable_baselines3.common.env_checker import check_env as sb3_check_env
    from stable_baselines3.common.vec_env import VecEnv
except ImportError as missing:
    print(f"sb3_ppo.py needs Gymnasium and Stable-Baselines3, which are not installed: {missing}", file=sys.stderr)
    sys.exit(2)

import evtwin  # noqa: F401  (registers evtwin/Site-v0)


class Sb3VecEnv(VecEnv):
    """Stable-Baselines3's VecEnv over a gymnasium.vector.VectorEnv that resets in the same step
    (AutoresetMode.SAME_STEP, as SB3's own vectorised environments do), its final observations in
    info["final_obs"]."""

    def __init__(self, vector_env):
        mode = vector_env.metadata.get("autoreset_mode")
        if getattr(mode, "value", mode) != "SameStep":
            raise ValueError(f"Sb3VecEnv needs a same-step autoreset, not {mode!r}")
        self.vector_env = vector_env
        self._actions = None
        super().__init__(vector_env.num_envs, vector_env.single_observation_space, vector_env.single_action_space)

    def reset(self):
        obs, _ = self.vector_env.reset(seed=self._seeds[0])
        self._reset_seeds()
        return np.array(obs)

    def step_async(self, actions):
        self._actions = np.asarray(actions, np.float32)

    def step_wait(self):
        obs, rewards, terminated, truncated, info = self.vector_env.step(self._actions)
        dones = terminated | truncated
        infos = [{} for _ in range(self.num_envs)]
        for i in np.flatnonzero(dones):
            infos[i]["terminal_observation"] = info["final_obs"][i]
            infos[i]["TimeLimit.truncated"] = bool(truncated[i] and not terminated[i])
        # The vector environment's arrays are views that its next step overwrites.
        return np.array(obs), np.array(rewards, np.float32), np.array(dones), infos

    def close(self):
        self.vector_env.close()

    def get_attr(self, attr_name, indices=None):
        return [getattr(self.vector_env, attr_name, None) for _ in self._get_indices(indices)]

    def set_attr(self, attr_name, value, indices=None):
        setattr(self.vector_env, attr_name, value)

    def env_method(self, method_name, *method_args, indices=None, **method_kwargs):
        raise NotImplementedError("the environments of a vector environment are not reachable one by one")

    def env_is_wrapped(self, wrapper_class, indices=None):
        return [False for _ in self._get_indices(indices)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("--steps", type=int, default=20_000, help="environment steps of training")
    parser.add_argument("--envs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    check_env(gymnasium.make("evtwin/Site-v0", scenario=args.scenario).unwrapped, skip_render_check=True)
    sb3_check_env(evtwin.Env(args.scenario), warn=False)
    print("Gymnasium's and Stable-Baselines3's env checkers: passed")

    vector_env = gymnasium.make_vec("evtwin/Site-v0", num_envs=args.envs, vectorization_mode="vector_entry_point",
                                    scenario=args.scenario, autoreset_mode=gymnasium.vector.AutoresetMode.SAME_STEP)
    envs = Sb3VecEnv(vector_env)
    envs.seed(args.seed)
    model = PPO("MlpPolicy", envs, n_steps=512, batch_size=256, seed=args.seed, verbose=0)
    model.learn(total_timesteps=args.steps)
    print(f"PPO trained {args.steps} steps on {vector_env!r} (gymnasium.make_vec)")

    env = gymnasium.make("evtwin/Site-v0", scenario=args.scenario)
    obs, _ = env.reset(seed=10_000 + args.seed)
    total, done = 0.0, False
    while not done:
        action, _ = model.predict(obs, deterministic=True)
        obs, reward, terminated, truncated, _ = env.step(action)
        total += float(reward)
        done = terminated or truncated
    print(f"PPO after {args.steps} steps: evaluation episode's reward {total:.2f}")


if __name__ == "__main__":
    main()
