"""evtwin.VecEnv of 16 stepped with random actions through Gymnasium's interfaces
(gymnasium.make_vec("evtwin/Site-v0", vectorization_mode="vector_entry_point"): the class then is a
gymnasium.vector.VectorEnv) against the duck-typed class of a process without Gymnasium,
alternately, `--rounds` times each; env-steps/s and their ratio (issue 71's target: at least 90 %).

    taskset -c 0 env PYTHONPATH=build/python /usr/bin/python3 bench/gymnasium_env_bench.py \
        --gymnasium DIR [--scenario scenarios/quickstart.lua] [--rounds 5] [--seconds 3]

DIR holds Gymnasium (not a Debian package); each measurement runs in a process of its own, since
evtwin picks its base classes when it is imported.
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys

MEASURE = """
import sys, time
import numpy as np
import evtwin
scenario, seconds, gym = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1"
if gym:
    import gymnasium
    vec = gymnasium.make_vec("evtwin/Site-v0", num_envs=16, vectorization_mode="vector_entry_point", scenario=scenario)
    assert isinstance(vec, gymnasium.vector.VectorEnv)
else:
    vec = evtwin.VecEnv(scenario, 16)
    assert "gymnasium" not in sys.modules
vec.reset(seed=1)
rng = np.random.default_rng(1)
shape = vec.action_space.shape
steps, start = 0, time.perf_counter()
while time.perf_counter() - start < seconds:
    for _ in range(1000):
        vec.step(rng.random(shape, dtype=np.float32))
    steps += 1000
print(steps * 16 / (time.perf_counter() - start))
"""


def rate(scenario, seconds, gymnasium_dir):
    path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if gymnasium_dir:
        path.append(gymnasium_dir)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    out = subprocess.run([sys.executable, "-c", MEASURE, scenario, str(seconds), "1" if gymnasium_dir else "0"],
                         capture_output=True, text=True, check=True, env=env)
    return float(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gymnasium", required=True, help="a folder that holds the gymnasium package")
    parser.add_argument("--scenario", default=str(pathlib.Path(__file__).resolve().parents[1] / "scenarios" / "quickstart.lua"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    duck, gym = [], []
    for r in range(args.rounds):
        duck.append(rate(args.scenario, args.seconds, None))
        gym.append(rate(args.scenario, args.seconds, args.gymnasium))
        print(f"round {r + 1}: duck-typed {duck[-1] / 1e3:.1f} k env-steps/s, through Gymnasium {gym[-1] / 1e3:.1f} k")
    d, g = statistics.median(duck), statistics.median(gym)
    print(f"medians: duck-typed {d / 1e3:.1f} k, through Gymnasium {g / 1e3:.1f} k env-steps/s: {100 * g / d:.1f} %")


if __name__ == "__main__":
    main()
