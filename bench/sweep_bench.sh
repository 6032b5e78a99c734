#!/usr/bin/env bash
# Sweep timings on one machine, all in one run so that they compare like with like:
#   serial    the sweep's runs made one after another with `evtwin run` (one process each)
#   jobs 1    `evtwin sweep run --jobs 1`, and jobs 2: `--jobs 2` (target: serial / jobs 2 > 1.8)
#   merge     `evtwin sweep merge` of every run (target: < 30 s for 1,000 runs)
#   overhead  per run: plan + sweep run --jobs 1 + merge, minus the simulations' own time as the runs
#             record it (run_timing.wall_seconds), divided by the run count (target: < 20 ms); next to
#             it the same for `evtwin run` alone, which also loads the scenario and writes the results
# Usage: bench/sweep_bench.sh [BUILD_DIR] [SWEEP.lua]   (default: scenarios/sweeps/quickstart_grid.lua)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
sweep_file=${2:-scenarios/sweeps/quickstart_grid.lua}
evtwin="$PWD/$build/bin/evtwin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
calc() { awk "BEGIN { print $1 }"; }

t0=$(now); "$evtwin" sweep plan "$sweep_file" --out "$work/c1" --no-check > /dev/null; t_plan=$(elapsed "$t0" "$(now)")
"$evtwin" sweep plan "$sweep_file" --out "$work/c2" --no-check > /dev/null
runs=$(sqlite3 "$work/c1/campaign.db" "SELECT count(*) FROM runs")

# The same runs with `evtwin run`, one command line per run of the campaign's list.
sqlite3 -separator $'\t' "$work/c1/campaign.db" "SELECT idx, scenario, strategy, seed, params FROM runs ORDER BY idx" |
  python3 -c '
import json, shlex, sys
evtwin, work = sys.argv[1], sys.argv[2]
for line in sys.stdin:
    idx, scenario, strategy, seed, params = line.rstrip("\n").split("\t")
    defs = " ".join("-D " + shlex.quote(k + "=" + v) for k, v in sorted(json.loads(params).items()))
    print(f"{shlex.quote(evtwin)} run {shlex.quote(scenario)} --strategy {strategy} --seed {seed} {defs} "
          f"--db {work}/serial-{idx}.db --quiet > /dev/null")' "$evtwin" "$work" > "$work/serial.sh"
t0=$(now); bash "$work/serial.sh"; t_serial=$(elapsed "$t0" "$(now)")

t0=$(now); "$evtwin" sweep run "$work/c1" --jobs 1 --quiet > /dev/null; t_jobs1=$(elapsed "$t0" "$(now)")
t0=$(now); "$evtwin" sweep run "$work/c2" --jobs 2 --quiet > /dev/null; t_jobs2=$(elapsed "$t0" "$(now)")
t0=$(now); "$evtwin" sweep merge "$work/c1" --db "$work/all.db" > /dev/null; t_merge=$(elapsed "$t0" "$(now)")
t_sim=$(sqlite3 "$work/all.db" "SELECT sum(wall_seconds) FROM run_timing")

printf 'runs                      %d (%s, %d cores)\n' "$runs" "$sweep_file" "$(nproc)"
printf 'plan                      %.2f s\n' "$t_plan"
printf 'serial evtwin run         %.1f s\n' "$t_serial"
printf 'sweep run --jobs 1        %.1f s\n' "$t_jobs1"
printf 'sweep run --jobs 2        %.1f s   serial / jobs 2 = %.2f\n' "$t_jobs2" "$(calc "$t_serial / $t_jobs2")"
printf 'merge                     %.2f s\n' "$t_merge"
printf 'simulations (run_timing)  %.1f s\n' "$t_sim"
printf 'overhead per run          %.1f ms   (plan + jobs 1 + merge - simulations) / runs\n' \
  "$(calc "($t_plan + $t_jobs1 + $t_merge - $t_sim) * 1000 / $runs")"
printf '  evtwin run, for compare  %.1f ms   (serial - simulations) / runs: loading, KPIs, writing, process\n' \
  "$(calc "($t_serial - $t_sim) * 1000 / $runs")"
