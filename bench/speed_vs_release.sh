#!/usr/bin/env bash
# Whole-process time of evtwin's speed cases against a previous release's build, in one run: each
# case runs with the previous build's evtwin and this one's alternately, REPEATS times each, and the
# medians of wall time and CPU time (user + system) are printed with their ratio. Both programs run
# the same scenario files (this checkout's) and write a fresh results database each time.
#
# Usage: bench/speed_vs_release.sh PREVIOUS_BUILD [BUILD] [REPEATS]
#   PREVIOUS_BUILD  a build directory of the previous release, e.g. made with
#                   git worktree add /tmp/prev <rev> && /tmp/prev/scripts/build /tmp/prev/build \
#                     -DEVTWIN_BUILD_TESTS=OFF -DEVTWIN_BUILD_BENCH=OFF -DEVTWIN_WITH_PYTHON=OFF
#   BUILD           this checkout's build directory (default build)
#   REPEATS         runs per program and case (default 3)
# CASES selects cases by name (default: caltech year scale1 scale2 scale4 scale8).
#   caltech   scenarios/caltech_acn.lua, edf, cap 50 kW: ACN-Sim's March 2019 Caltech month, in
#             ACN-compatible mode (the scenario's default)
#   year      bench/scenarios/year_200_chargers.lua, edf, one year
#   scaleK    the same site K times as large (200 K chargers), 60 days, edf
#   yearK     the site K times as large for a year (year8: 1,600 chargers, over a minute a run;
#             only when named)
set -euo pipefail
cd "$(dirname "$0")/.."
previous=${1:?usage: bench/speed_vs_release.sh PREVIOUS_BUILD [BUILD] [REPEATS]}
build=${2:-build}
repeats=${3:-3}
cases=${CASES:-caltech year scale1 scale2 scale4 scale8}
export EVTWIN_DATA=${EVTWIN_DATA:-$(cd .. && pwd)/shared/data}
for dir in "$previous" "$build"; do
  [ -x "$dir/bin/evtwin" ] || { echo "no $dir/bin/evtwin: build it first" >&2; exit 2; }
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

arguments() {
  case $1 in
    caltech) echo "scenarios/caltech_acn.lua --strategy edf -D cap_kw=50" ;;
    year) echo "bench/scenarios/year_200_chargers.lua --strategy edf" ;;
    scale*) echo "bench/scenarios/year_200_chargers.lua --strategy edf -D days=60 -D scale=${1#scale}" ;;
    year*) echo "bench/scenarios/year_200_chargers.lua --strategy edf -D scale=${1#year}" ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
}

# Prints "wall cpu" in seconds for one run (wall to the microsecond: the Caltech month takes a tenth
# of a second; CPU time as /usr/bin/time reports it, to 10 ms).
time_run() {
  local binary=$1; shift
  rm -f "$scratch"/run.db*
  local start=$EPOCHREALTIME
  /usr/bin/time -f "%U %S" -o "$scratch/time" "$binary" run "$@" --db "$scratch/run.db" >/dev/null
  local end=$EPOCHREALTIME
  awk -v start="$start" -v end="$end" '{printf "%.4f %.3f\n", end - start, $1 + $2}' "$scratch/time"
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %12s %12s %12s %12s %10s %10s\n' case "prev wall s" "now wall s" "prev cpu s" "now cpu s" "wall x" "cpu x"
for name in $cases; do
  read -r -a args <<<"$(arguments "$name")"
  : >"$scratch/prev"
  : >"$scratch/now"
  for _ in $(seq "$repeats"); do
    time_run "$previous/bin/evtwin" "${args[@]}" >>"$scratch/prev"
    time_run "$build/bin/evtwin" "${args[@]}" >>"$scratch/now"
  done
  pw=$(cut -d' ' -f1 "$scratch/prev" | median)
  nw=$(cut -d' ' -f1 "$scratch/now" | median)
  pc=$(cut -d' ' -f2 "$scratch/prev" | median)
  nc=$(cut -d' ' -f2 "$scratch/now" | median)
  awk -v n="$name" -v pw="$pw" -v nw="$nw" -v pc="$pc" -v nc="$nc" \
    'BEGIN {printf "%-8s %12.3f %12.3f %12.3f %12.3f %10.2f %10.2f\n", n, pw, nw, pc, nc, pw / nw, pc / nc}'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
