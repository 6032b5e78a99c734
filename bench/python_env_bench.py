"""evtwin from Python against C++, in one run on one core (issue 16's targets):
  1. VecEnv of 16 stepped from Python with random actions, env-steps/s, next to the C++ VecEnv on the
     same scenario file (env_bench's BM_VecEnvScenario), alternately, `--rounds` times each; the
     default site is quickstart.lua, `--scenario` takes another (bench/scenarios/env_bench_20.lua:
     env_bench's own 20-charger site, one day an episode);
  2. a run of quickstart.lua (`--run-scenario`) under the Python EDF strategy
     (examples/python/edf_strategy.py) against the C++ edf plugin, alternately, wall time of
     evtwin.run() each.

    taskset -c 0 env PYTHONPATH=build/python python3 bench/python_env_bench.py --build build
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np

import evtwin

SOURCE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SOURCE / "examples" / "python"))
from edf_strategy import EarliestDeadlineFirst  # noqa: E402


def python_vec_env_rate(scenario, envs, seconds):
    vec = evtwin.VecEnv(scenario, envs)
    vec.reset(seed=1)
    rng = np.random.default_rng(1)
    shape = vec.action_space.shape
    steps, start = 0, time.perf_counter()
    while True:
        for _ in range(1000):
            vec.step(rng.random(shape, dtype=np.float32))
        steps += 1000
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return steps * envs / elapsed


def cpp_vec_env_rate(build, scenario):
    out = subprocess.run([str(pathlib.Path(build) / "bin" / "env_bench"), "--benchmark_filter=BM_VecEnvScenario/16",
                          "--benchmark_format=json"], capture_output=True, text=True, check=True,
                         env={**os.environ, "EVTWIN_BENCH_SCENARIO": str(scenario)})
    return json.loads(out.stdout)["benchmarks"][0]["env_steps_per_s"]


def run_time(scenario, strategy, seed):
    start = time.perf_counter()
    r = evtwin.run(scenario, strategy=strategy, seed=seed)
    return time.perf_counter() - start, r.kpis["energy_cost"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--scenario", default=str(SOURCE / "scenarios" / "quickstart.lua"),
                        help="the VecEnv's site (default quickstart.lua: 20 chargers, PV, ESS, a week an episode)")
    parser.add_argument("--run-scenario", default=str(SOURCE / "scenarios" / "quickstart.lua"),
                        help="the scenario run under EDF")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="per Python VecEnv measurement")
    args = parser.parse_args()
    scenario = evtwin.load(args.scenario)

    py, cpp = [], []
    for k in range(args.rounds):
        cpp.append(cpp_vec_env_rate(args.build, args.scenario))
        py.append(python_vec_env_rate(scenario, 16, args.seconds))
        print(f"round {k + 1}: C++ VecEnv {cpp[-1] / 1e3:7.1f} k env-steps/s, Python VecEnv {py[-1] / 1e3:7.1f} k "
              f"({100 * py[-1] / cpp[-1]:.0f} %)", flush=True)
    print(f"VecEnv of 16, median: C++ {statistics.median(cpp) / 1e3:.1f} k/s, Python {statistics.median(py) / 1e3:.1f} k/s "
          f"= {100 * statistics.median(py) / statistics.median(cpp):.0f} % of C++")

    scenario = evtwin.load(args.run_scenario)
    times = {"python": [], "plugin": []}
    for k in range(2 * args.rounds + 1):
        seed = 1 + k % 3
        for name, strategy in (("python", EarliestDeadlineFirst()), ("plugin", "edf")):
            seconds, cost = run_time(scenario, strategy, seed)
            times[name].append(seconds)
    p, c = statistics.median(times["python"]), statistics.median(times["plugin"])
    print(f"run of {scenario.name} under EDF, median of {len(times['python'])}: Python strategy {p:.3f} s, "
          f"C++ plugin {c:.3f} s = {p / c:.2f} x")


if __name__ == "__main__":
    main()
