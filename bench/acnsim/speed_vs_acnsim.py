#!/usr/bin/python3
"""evtwin's speed against ACN-Sim's on ACN-Sim's own month, in one run: the ratio of docs/benchmarks.md.

Each round runs ACN-Sim once (edf at 50 kW, as run_acnsim.py runs it: the CPU time of `sim.run()`) and
then `evtwin run scenarios/caltech_acn.lua --strategy edf -D cap_kw=50 --db FILE --quiet` RUNS times,
each to a fresh results file, timing each whole process (start to exit, wall). Prints every round and
the medians: evtwin's time, ACN-Sim's, how many times as fast evtwin is, and what 1,000 times would
take.

Usage (from the repository root, EVTWIN_DATA pointing at the reference data):
  /usr/bin/python3 bench/acnsim/speed_vs_acnsim.py ACNPORTAL_SRC [--evtwin build/bin/evtwin]
      [--rounds 3] [--runs 40]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_acnsim import run_case  # noqa: E402

EVENTS = "sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz"


def evtwin_runs(evtwin, runs, folder):
    command = [evtwin, "run", "scenarios/caltech_acn.lua", "--strategy", "edf", "-D", "cap_kw=50", "--quiet",
               "--db"]
    seconds = []
    for i in range(runs):
        db = os.path.join(folder, f"run{i}.db")
        began = time.perf_counter()
        subprocess.run(command + [db], check=True, stdout=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - began)
        os.remove(db)
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("acnportal_src", help="root of an acnportal source checkout")
    parser.add_argument("--evtwin", default="build/bin/evtwin", help="the evtwin binary (default build/bin/evtwin)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of ACN-Sim then evtwin (default 3)")
    parser.add_argument("--runs", type=int, default=40, help="evtwin runs a round (default 40)")
    a = parser.parse_args()
    data = os.environ.get("EVTWIN_DATA")
    if not data:
        sys.exit("error: set EVTWIN_DATA to the reference data folder (../shared/data)")
    events = os.path.join(data, EVENTS)

    print(f"{'round':>5}{'ACN-Sim s':>11}{'evtwin ms (median)':>20}{'fastest':>9}{'times':>7}{'load':>6}")
    acnsim_s, evtwin_s = [], []
    with tempfile.TemporaryDirectory() as folder:
        for k in range(1, a.rounds + 1):
            acn = run_case((a.acnportal_src, events, "edf", 50.0, None))["cpu_s"]
            ours = evtwin_runs(a.evtwin, a.runs, folder)
            median = statistics.median(ours)
            acnsim_s.append(acn)
            evtwin_s.extend(ours)
            print(f"{k:>5}{acn:>11.2f}{1000 * median:>20.2f}{1000 * min(ours):>9.2f}{acn / median:>7.0f}"
                  f"{os.getloadavg()[0]:>6.2f}")
    acn = statistics.median(acnsim_s)
    ours = statistics.median(evtwin_s)
    print(f"\nmedians: ACN-Sim {acn:.2f} s, evtwin {1000 * ours:.2f} ms: {acn / ours:.0f} times as fast; "
          f"1,000 times would take {acn:.2f} ms")


if __name__ == "__main__":
    main()
