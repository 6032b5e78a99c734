#!/usr/bin/env bash
# Solve and decision times of the MILP strategies, from the run's own decision-time KPIs and the
# wall clock: day_ahead on day_ahead_40ev (the first plan is the day-ahead solve: decision_time_max),
# mpc per decision on day_ahead_40ev, offline_optimal on the caltech_acn month.
# Usage: bench/milp_timing.sh [BUILD_DIR]   (wall-clock numbers: run it on a quiet machine)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
dir=$(mktemp -d)
run() {  # name scenario strategy [options...]
    local name=$1 scenario=$2 strategy=$3
    shift 3
    local start end file="$dir/${name//\//_}"
    start=$(date +%s.%N)
    "$build/bin/evtwin" run "$scenario" --strategy "$strategy" "$@" --db "$file.db" > "$file.txt" 2>&1
    end=$(date +%s.%N)
    printf '%-34s wall %7.2f s  %s\n' "$name" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
        "$(grep -E '^decision_time_(mean|max)' "$file.txt" | awk '{printf "%s %s ms  ", $1, $2}')"
}
run day_ahead/day_ahead_40ev scenarios/day_ahead_40ev.lua day_ahead
run mpc/day_ahead_40ev scenarios/day_ahead_40ev.lua mpc
run offline_optimal/day_ahead_40ev scenarios/day_ahead_40ev.lua offline_optimal
# The month as evtwin's decision periods run it (31 days, vehicle limits known), not ACN-Sim's rules.
run offline_optimal/caltech_acn scenarios/caltech_acn.lua offline_optimal -D mode=decision_period
