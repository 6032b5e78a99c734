#!/usr/bin/env bash
# The optimisation strategies against the baselines and the offline optimum: evtwin compare of
# uncontrolled, edf, day_ahead, mpc, offline_optimal, v2g_profit_max and guarded (mpc inside, edf as
# its baseline) on quickstart (its own seed), day_ahead_40ev and v2g_profit_max (seeds 1-3). Costs
# and gaps repeat exactly; decision times are wall clock: run it on a quiet machine.
# Usage: bench/milp_report.sh [BUILD_DIR] [OUT_DIR]   (about 15 min on one core)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
strategies=uncontrolled,edf,day_ahead,mpc,offline_optimal,v2g_profit_max,guarded
kpis=energy_cost,demand_charge,export_revenue,cpo_profit,energy_served,energy_served_feasible,peak_import,limit_violations,decision_time_mean,decision_time_max
compare() {  # scenario seeds...
    local scenario=$1
    shift
    echo "== $scenario"
    "$build/bin/evtwin" compare "scenarios/$scenario.lua" --strategies "$strategies" "$@" --kpis "$kpis" \
        --opt guarded.inner=mpc --opt guarded.baseline=edf --db "$out/$scenario.db" | tee "$out/$scenario.txt"
}
compare quickstart --seed-list 42
compare day_ahead_40ev --seeds 3
compare v2g_profit_max --seeds 3
echo "databases and tables in $out"
