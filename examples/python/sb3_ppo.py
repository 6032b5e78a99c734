"""Stable-Baselines3's PPO on evtwin's Gymnasium environment: the environment checked by Gymnasium's
and Stable-Baselines3's env checkers, trained through SB3's make_vec_env (which makes each
environment with gymnasium.make("evtwin/Site-v0", ...)), then one evaluation episode.

    PYTHONPATH=build/python:DIR /usr/bin/python3 examples/python/sb3_ppo.py scenarios/quickstart.lua \
        --steps 20000

DIR holds Gymnasium and Stable-Baselines3 (neither is a Debian package; docs/python.md says which
versions were tried and how). Without them this script says so and exits with 2: it is not part of
the test suite. Stable-Baselines3 trains on its own vectorised environments, not on a
gymnasium.vector.VectorEnv, so evtwin.VecEnv (gymnasium.make_vec) is not used here.
"""
import argparse
import sys

try:
    import gymnasium
    from gymnasium.utils.env_checker import check_env
    from stable_baselines3 import PPO
    from stable_baselines3.common.env_checker import check_env as sb3_check_env
    from stable_baselines3.common.env_util import make_vec_env
except ImportError as missing:
    print(f"sb3_ppo.py needs Gymnasium and Stable-Baselines3, which are not installed: {missing}", file=sys.stderr)
    sys.exit(2)

import evtwin  # noqa: F401  (registers evtwin/Site-v0)


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

    envs = make_vec_env("evtwin/Site-v0", n_envs=args.envs, seed=args.seed, env_kwargs={"scenario": args.scenario})
    model = PPO("MlpPolicy", envs, n_steps=512, batch_size=256, seed=args.seed, verbose=0)
    model.learn(total_timesteps=args.steps)

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
