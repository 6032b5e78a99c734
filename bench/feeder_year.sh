#!/usr/bin/env bash
# Wall time and peak memory of a year of ten charging sites (400 chargers) on the IEEE 34-node feeder
# under edf (bench/scenarios/ieee34_sites.lua; issue 70's target: under 60 s on 2 cores), the feeder solved
# as the sites' powers change, as measured by /usr/bin/time -v; then the feeder's KPIs.
# Usage: bench/feeder_year.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
db=$(mktemp -d)/feeder_year.db
/usr/bin/time -v "$build/bin/evtwin" run bench/scenarios/ieee34_sites.lua --strategy edf -D days=365 --db "$db" \
  2> "$db.time" | grep -E "^done|^(sessions|feeder_|grid_import|peak_import|energy_served) "
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$db.time"
ls -l "$db" | awk '{print "database bytes: " $5}'
