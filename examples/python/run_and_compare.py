"""Run a scenario under several strategies and seeds, tabulate their KPIs with pandas, and plot one
week of site power under two of them with matplotlib.

    PYTHONPATH=build/python python3 examples/python/run_and_compare.py scenarios/quickstart.lua \
        --strategies uncontrolled,edf,llf --seeds 3 --plot quickstart.png
"""
import argparse

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt
import pandas as pd

import evtwin

KPIS = ["energy_cost", "demand_charge", "peak_import", "energy_served", "limit_violations"]


def plot_site_power(runs, path):
    """Grid import of each run over time, with PV and the ESS of the first."""
    fig, ax = plt.subplots(figsize=(11, 4))
    for r in runs:
        site = r.site_series
        hours = (site["t_ms"] - site["t_ms"].iloc[0]) / 3.6e6
        ax.step(hours, site["grid_kw"], where="post", label=f"grid import, {r.strategy}")
    first = runs[0].site_series
    hours = (first["t_ms"] - first["t_ms"].iloc[0]) / 3.6e6
    ax.step(hours, first["pv_kw"], where="post", label="PV", alpha=0.6)
    ax.set_xlabel("hours since the start")
    ax.set_ylabel("kW")
    ax.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--strategies", default="uncontrolled,edf,llf")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 1..N")
    parser.add_argument("--db", default=None, help="keep every run in this results database")
    parser.add_argument("--plot", default="site_power.png")
    args = parser.parse_args()

    strategies = args.strategies.split(",")
    table = evtwin.compare(args.scenario, strategies, seeds=args.seeds, db=args.db)
    mean = table.groupby("strategy", sort=False)[KPIS].mean()
    with pd.option_context("display.float_format", "{:,.1f}".format, "display.width", 120):
        print(f"mean over seeds 1..{args.seeds}:")
        print(mean)

    results = table.attrs["results"]
    first_seed = table[table["seed"] == 1]
    runs = [results.run(run_id) for run_id in first_seed["run_id"][:2]]
    plot_site_power(runs, args.plot)
    print(f"plot: {args.plot}")


if __name__ == "__main__":
    main()
