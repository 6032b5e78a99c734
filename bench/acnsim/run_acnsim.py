#!/usr/bin/python3
"""ACN-Sim on its own Caltech month: the reference numbers for evtwin's decision-period mode.

Runs acnportal's simulator (from a source checkout given on the command line, never installed or
copied here) on the March 2019 Caltech sessions as acnportal's serialised EventQueue has them
(../shared/data/sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz: 5-minute periods,
208 V, ideal 6.6 kW batteries holding exactly the energy delivered in the real session), on
acnportal's three-phase Caltech network (`caltech_acn(basic_evse=True, transformer_cap=cap)`: every
EVSE continuous 0..32 A) and bills it on SCE TOU-EV-4 (acnportal's own copy of the tariff). For each
algorithm and transformer cap it prints % of the requested energy delivered
(`proportion_of_energy_delivered`), energy delivered, peak (the largest aggregate power of a period,
kW), energy cost (`energy_cost`) and demand charge (`demand_charge`).

Algorithms, as acnportal names them:
  uncontrolled  UncontrolledCharging (every EV at its EVSE's max pilot; ignores the network)
  fcfs          SortedSchedulingAlgo(first_come_first_served)
  edf           SortedSchedulingAlgo(earliest_deadline_first)
  llf           SortedSchedulingAlgo(least_laxity_first)
  round_robin   RoundRobin(first_come_first_served)  (0.1 A increments)

Usage:
  /usr/bin/python3 bench/acnsim/run_acnsim.py ACNPORTAL_SRC EVENTS_FILE [--caps 10,50,150]
      [--algorithms fcfs,edf,...] [--jobs N] [--json OUT.json]

ACNPORTAL_SRC is the root of an acnportal checkout (the directory holding the `acnportal` package),
for example `git --git-dir=<mirror> archive HEAD | tar -x -C /tmp/acnportal`. It runs with Debian's
python3-numpy, python3-pandas and python3-pytz. Two things acnportal wants and this run does not use
are stood in for: scikit-learn (imported by its stochastic event generator only) and an installed
`acnportal` distribution (its serialiser asks pkg_resources for its own version; the version comes
from the checkout's setup.py).
"""
import argparse
import gzip
import json
import multiprocessing
import os
import re
import sys
import time
import types
import warnings
from datetime import datetime

ALGORITHMS = ["uncontrolled", "fcfs", "edf", "llf", "round_robin"]


def prepare_acnportal(src):
    """Puts the checkout on sys.path and stands in for what acnportal imports but this run never uses."""
    src = os.path.abspath(src)
    if not os.path.isdir(os.path.join(src, "acnportal")):
        sys.exit(f"error: {src} holds no acnportal package (expected {src}/acnportal/)")
    sys.path.insert(0, src)
    try:
        import sklearn.mixture  # noqa: F401
    except ImportError:
        sklearn = types.ModuleType("sklearn")
        mixture = types.ModuleType("sklearn.mixture")
        mixture.GaussianMixture = None  # only acnsim.events.stochastic_events uses it
        sklearn.mixture = mixture
        sys.modules["sklearn"] = sklearn
        sys.modules["sklearn.mixture"] = mixture
    import pkg_resources

    version = "unknown"
    setup = os.path.join(src, "setup.py")
    if os.path.exists(setup):
        with open(setup) as f:
            m = re.search(r'version\s*=\s*"([^"]+)"', f.read())
            if m:
                version = m.group(1)
    original = pkg_resources.require

    def require(*requirements):
        if requirements == ("acnportal",):
            try:
                return original("acnportal")
            except pkg_resources.DistributionNotFound:
                return [types.SimpleNamespace(version=version)]
        return original(*requirements)

    pkg_resources.require = require
    return version


def load_events(path):
    from acnportal.acnsim.events import EventQueue

    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        doc = json.load(f)
    # acnportal's to_json() output saved with json.dump: a JSON string holding the JSON document.
    text = doc if isinstance(doc, str) else json.dumps(doc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # version notes of the serialiser
        return EventQueue.from_json(text)


def make_algorithm(name):
    from acnportal import algorithms as algs

    if name == "uncontrolled":
        return algs.UncontrolledCharging()
    if name == "fcfs":
        return algs.SortedSchedulingAlgo(algs.first_come_first_served)
    if name == "edf":
        return algs.SortedSchedulingAlgo(algs.earliest_deadline_first)
    if name == "llf":
        return algs.SortedSchedulingAlgo(algs.least_laxity_first)
    if name == "round_robin":
        return algs.RoundRobin(algs.first_come_first_served)
    raise ValueError(f"unknown algorithm {name}")


def run_case(args):
    src, events_path, algorithm, cap, series_dir = args
    prepare_acnportal(src)
    import numpy as np
    import pytz
    from acnportal import acnsim
    from acnportal.signals.tariffs import TimeOfUseTariff

    tz = pytz.timezone("America/Los_Angeles")
    start = tz.localize(datetime(2019, 3, 1))
    period = 5
    network = acnsim.sites.caltech_acn(basic_evse=True, voltage=208, transformer_cap=cap)
    events = load_events(events_path)
    tariff = TimeOfUseTariff("sce_tou_ev_4_march_2019")
    sim = acnsim.Simulator(network, make_algorithm(algorithm), events, start, period=period,
                           signals={"tariff": tariff}, verbose=False)
    began = time.process_time()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sim.run()
    seconds = time.process_time() - began
    infeasible = sum(1 for w in caught if "Invalid schedule" in str(w.message))
    power = acnsim.aggregate_power(sim)
    if series_dir:
        write_series(sim, power, os.path.join(series_dir, f"{algorithm}_{cap:g}"))
    return {
        "algorithm": algorithm,
        "cap_kw": cap,
        "sessions": len(sim.ev_history),
        "requested_kwh": acnsim.total_energy_requested(sim),
        "delivered_kwh": acnsim.total_energy_delivered(sim),
        "pct_delivered": 100.0 * acnsim.proportion_of_energy_delivered(sim),
        "peak_kw": float(np.max(power)) if len(power) else 0.0,
        "energy_cost": float(acnsim.energy_cost(sim)),
        "demand_charge": float(acnsim.demand_charge(sim)),
        "periods": int(sim.iteration),
        "infeasible_schedules": infeasible,
        "cpu_s": seconds,
    }


def write_series(sim, power, stem):
    """The aggregate power of every period and each session's energy, to compare run against run."""
    os.makedirs(os.path.dirname(stem) or ".", exist_ok=True)
    with open(stem + "_power.csv", "w") as f:
        f.write("period,kw\n")
        for i, kw in enumerate(power):
            f.write(f"{i},{kw:.9f}\n")
    with open(stem + "_sessions.csv", "w") as f:
        f.write("station,arrival,departure,requested_kwh,delivered_kwh\n")
        for ev in sim.ev_history.values():
            f.write(f"{ev.station_id},{ev.arrival},{ev.departure},{ev.requested_energy:.9f},"
                    f"{ev.energy_delivered:.9f}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("acnportal_src", help="root of an acnportal source checkout")
    parser.add_argument("events", help="acnportal's serialised EventQueue (.json or .json.gz)")
    parser.add_argument("--caps", default="10,50,150", help="transformer caps, kW (default 10,50,150)")
    parser.add_argument("--algorithms", default=",".join(ALGORITHMS),
                        help="comma-separated, of: " + ", ".join(ALGORITHMS))
    parser.add_argument("--jobs", type=int, default=1, help="cases run in parallel (default 1)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--series", help="also write each case's power per period and energy per session "
                        "to DIR/<algorithm>_<cap>_{power,sessions}.csv")
    a = parser.parse_args()

    version = prepare_acnportal(a.acnportal_src)
    algorithms = [x for x in a.algorithms.split(",") if x]
    for x in algorithms:
        if x not in ALGORITHMS:
            sys.exit(f"error: unknown algorithm {x}; known: {', '.join(ALGORITHMS)}")
    caps = [float(x) for x in a.caps.split(",") if x]
    cases = [(a.acnportal_src, a.events, alg, cap, a.series) for alg in algorithms for cap in caps]
    if a.jobs > 1:
        with multiprocessing.Pool(a.jobs) as pool:
            results = pool.map(run_case, cases, chunksize=1)
    else:
        results = [run_case(c) for c in cases]

    print(f"ACN-Sim (acnportal {version}), Caltech ACN March 2019, basic EVSEs, 5-min periods, "
          f"{results[0]['sessions'] if results else 0} sessions, "
          f"{results[0]['requested_kwh'] if results else 0:.3f} kWh requested")
    print(f"{'algorithm':<13}{'cap kW':>7}{'% delivered':>13}{'delivered kWh':>15}{'peak kW':>10}"
          f"{'energy $':>11}{'demand $':>11}{'CPU s':>8}")
    for r in results:
        print(f"{r['algorithm']:<13}{r['cap_kw']:>7g}{r['pct_delivered']:>13.4f}{r['delivered_kwh']:>15.3f}"
              f"{r['peak_kw']:>10.3f}{r['energy_cost']:>11.4f}{r['demand_charge']:>11.2f}{r['cpu_s']:>8.1f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"acnportal": version, "events": os.path.basename(a.events), "results": results}, f,
                      indent=1)


if __name__ == "__main__":
    main()
