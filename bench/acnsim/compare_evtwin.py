#!/usr/bin/python3
"""evtwin against ACN-Sim on the Caltech March 2019 month: the fidelity table of docs/engine.md.

Runs `evtwin run scenarios/caltech_acn.lua --strategy <algorithm> -D cap_kw=<cap>` for every case of a
results file written by run_acnsim.py (--json) and prints, as a Markdown table, ACN-Sim's and evtwin's
% of the requested energy delivered, peak (kW) and energy cost (USD), and their differences.

Usage (from the repository root, EVTWIN_DATA pointing at the reference data):
  /usr/bin/python3 bench/acnsim/compare_evtwin.py ACNSIM.json [--evtwin build/bin/evtwin]
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile


def evtwin_case(evtwin, scenario, algorithm, cap, db):
    if os.path.exists(db):
        os.remove(db)
    subprocess.run([evtwin, "run", scenario, "--strategy", algorithm, "-D", f"cap_kw={cap:g}", "--db", db],
                   check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    run = con.execute("SELECT max(run_id) FROM runs").fetchone()[0]
    kpi = dict(con.execute("SELECT name, value FROM kpis WHERE run_id = ?", (run,)).fetchall())
    con.close()
    return {
        "pct_delivered": 100.0 * kpi["energy_delivered"] / kpi["energy_requested"],
        "peak_kw": kpi["peak_import"],
        "energy_cost": kpi["energy_cost"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("acnsim_json", help="results of run_acnsim.py --json")
    parser.add_argument("--evtwin", default="build/bin/evtwin", help="the evtwin binary (default build/bin/evtwin)")
    parser.add_argument("--scenario", default="scenarios/caltech_acn.lua")
    a = parser.parse_args()
    with open(a.acnsim_json) as f:
        acn = json.load(f)["results"]
    if not os.environ.get("EVTWIN_DATA"):
        sys.exit("error: set EVTWIN_DATA to the reference data folder (../shared/data)")
    print("| algorithm | cap kW | % delivered ACN-Sim | evtwin | diff (points) | peak kW ACN-Sim | evtwin | diff | "
          "energy cost $ ACN-Sim | evtwin | diff |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    worst = {"points": 0.0, "kw": 0.0, "cost": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        for r in acn:
            e = evtwin_case(a.evtwin, a.scenario, r["algorithm"], r["cap_kw"], os.path.join(tmp, "run.db"))
            dp = e["pct_delivered"] - r["pct_delivered"]
            dk = e["peak_kw"] - r["peak_kw"]
            dc = 100.0 * (e["energy_cost"] / r["energy_cost"] - 1.0)
            worst = {"points": max(worst["points"], abs(dp)), "kw": max(worst["kw"], abs(dk)),
                     "cost": max(worst["cost"], abs(dc))}
            print(f"| {r['algorithm']} | {r['cap_kw']:g} | {r['pct_delivered']:.4f} | {e['pct_delivered']:.4f} | "
                  f"{dp:+.5f} | {r['peak_kw']:.3f} | {e['peak_kw']:.3f} | {dk:+.4f} | {r['energy_cost']:.2f} | "
                  f"{e['energy_cost']:.2f} | {dc:+.4f} % |")
    print(f"\nlargest differences: {worst['points']:.5f} points, {worst['kw']:.4f} kW, {worst['cost']:.4f} % "
          f"(tolerances 0.1 points, 0.5 kW, 0.5 %)")


if __name__ == "__main__":
    main()
