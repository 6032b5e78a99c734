#!/usr/bin/env bash
# The two V2G cases of issue 20 (scenarios/v2g_ev2gym.lua, EV2Gym's V2GProfitMax; scenarios/
# v2g_kepco_peak.lua, peak shaving on KEPCO's tariff) under EV2Gym's heuristics (uncontrolled =
# charge as fast as possible, round_robin, alap = charge as late as possible), edf, mpc, the MILP
# oracle (offline_optimal), v2g_profit_max, and PPO when a model is given, on held-out seeds:
# profit, EV2Gym's user satisfaction, energy discharged and the modelled battery wear. Each case's
# table is printed (evtwin compare) and kept as text and as CSV (one row per run) in OUT_DIR.
# Re-run it after a strategy changes: every number comes from the runs, nothing is cached.
# Usage: bench/v2g_cases.sh [--model [CASE=]PPO.pt]... [--seeds 101,102,...] [--build DIR] [--out DIR]
#        [--cases v2g_ev2gym,v2g_kepco_peak]
# --model CASE=FILE gives one case its policy (a policy fits the site it was trained on); --model FILE
# gives every case the same one.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
out=""
declare -A models=()  # case -> policy file
default_model=""
seeds=101,102,103,104,105
cases=v2g_ev2gym,v2g_kepco_peak
while [ $# -gt 0 ]; do
    case $1 in
    --model)
        if [[ $2 == *=* ]]; then models[${2%%=*}]=${2#*=}; else default_model=$2; fi
        shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    *) echo "usage: $0 [--model [CASE=]PPO.pt]... [--seeds S1,S2,...] [--build DIR] [--out DIR] [--cases A,B]" >&2; exit 2 ;;
    esac
done
out=${out:-$(mktemp -d)}
mkdir -p "$out"
baselines=uncontrolled,round_robin,alap,edf,mpc,offline_optimal,v2g_profit_max
kpis=cpo_profit,user_satisfaction,ev_v2g_throughput,ev_degradation_calendar,ev_degradation_cycling,energy_cost,demand_charge,peak_import,limit_violations

for scenario in ${cases//,/ }; do
    db=$out/$scenario.db
    rm -f "$db" "$db-wal" "$db-shm"
    model=${models[$scenario]:-$default_model}
    strategies=$baselines
    model_opts=()
    if [ -n "$model" ]; then
        strategies=$strategies,ppo
        model_opts=(--opt "ppo.model=$model")
    fi
    echo "== $scenario, seeds $seeds"
    "$build/bin/evtwin" compare "scenarios/$scenario.lua" --strategies "$strategies" --seed-list "$seeds" \
        --kpis "$kpis" --sort cpo_profit:desc ${model_opts[@]+"${model_opts[@]}"} --db "$db" --quiet |
        tee "$out/$scenario.txt"
    # One row per run, the KPIs as columns (sqlite3's CSV output).
    columns=""
    for k in ${kpis//,/ }; do
        columns="$columns, MAX(CASE WHEN k.name = '$k' THEN k.value END) AS $k"
    done
    sqlite3 -header -csv "$db" \
        "SELECT r.strategy_name AS strategy, r.seed$columns FROM runs r JOIN kpis k USING (run_id)
         GROUP BY r.run_id ORDER BY r.strategy_name, r.seed" >"$out/$scenario.csv"
done
echo "tables, CSV and databases in $out"
