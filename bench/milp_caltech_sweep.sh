#!/usr/bin/env bash
# The transformer-capacity sweep of ACN-Sim's experiment (acnportal-experiments, notebook 2.1) on
# evtwin's caltech_acn month: % of the requested energy delivered by offline_optimal and mpc (both
# with objective=energy_first, as adacharge's offline optimum and MPC; mpc with replan=deviation),
# edf and llf, at every capacity from 10 to 140 kW in steps of 5, as the Markdown table of
# docs/milp.md (with adacharge's and ACN-Sim's figures at 10 kW, from that notebook's saved
# outputs, beside them). Each case is kept in OUT_DIR as it ends, and a case already there is not
# run again: a sweep that was stopped goes on where it was.
# STRATEGIES="edf llf" runs only those (the table shows every case that is kept).
# Usage: EVTWIN_DATA=../shared/data bench/milp_caltech_sweep.sh [BUILD_DIR] [OUT_DIR] [CAPS...]
#   (OUT_DIR: $TMPDIR/evtwin-milp-caltech-sweep by default; a month of offline_optimal takes one to
#   two minutes of CPU, one of mpc, planning again on deviation as `evtwin serve` runs it, up to three)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=${2:-${TMPDIR:-/tmp}/evtwin-milp-caltech-sweep}
shift $(($# > 2 ? 2 : $#))
caps=("$@")
[ ${#caps[@]} -gt 0 ] || mapfile -t caps < <(seq 10 5 140)
mkdir -p "$out"
strategies=(offline_optimal mpc edf llf)
read -r -a runs <<< "${STRATEGIES:-${strategies[*]}}"
options() {
    case $1 in
        offline_optimal) echo "--opt objective=energy_first" ;;
        mpc) echo "--opt objective=energy_first --opt replan=deviation" ;;
    esac
}
# % delivered of a finished case, or nothing.
share() { if [ -s "$out/$1-$2.pct" ]; then cat "$out/$1-$2.pct"; fi; }
for cap in "${caps[@]}"; do
    for strategy in "${runs[@]}"; do
        [ -n "$(share "$strategy" "$cap")" ] && continue
        db="$out/$strategy-$cap.db"
        rm -f "$db"
        # shellcheck disable=SC2046
        "$build/bin/evtwin" run scenarios/caltech_acn.lua --strategy "$strategy" -D "cap_kw=$cap" \
            $(options "$strategy") --db "$db" --quiet
        python3 - "$db" > "$out/$strategy-$cap.pct" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
run = con.execute("SELECT max(run_id) FROM runs").fetchone()[0]
k = dict(con.execute("SELECT name, value FROM kpis WHERE run_id = ?", (run,)).fetchall())
print(f"{100.0 * k['energy_delivered'] / k['energy_requested']:.2f}")
PY
        rm -f "$db"
    done
done
echo "| cap kW | offline_optimal | mpc | edf | llf | offline ≥ every other |"
echo "|---:|---:|---:|---:|---:|:---:|"
for cap in "${caps[@]}"; do
    row="| $cap"
    best=$(share offline_optimal "$cap")
    verdict=yes
    [ -n "$best" ] || verdict=–
    for strategy in "${strategies[@]}"; do
        value=$(share "$strategy" "$cap")
        row="$row | ${value:-–}"
        if [ -n "$value" ] && [ -n "$best" ] && awk -v a="$value" -v b="$best" 'BEGIN { exit !(a > b + 0.005) }'; then
            verdict=no
        fi
    done
    echo "$row | $verdict |"
done
echo
echo "adacharge (ACN-Sim, notebook 2.1) at 10 kW: offline optimum 52.09, MPC 51.40 (of the capped requests, -D force_feasible=true), EDF 36.94, LLF 36.82."
