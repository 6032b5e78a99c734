#!/usr/bin/env bash
# Wall time and peak memory of a one-year run of a 200-charger site with EDF (bench/scenarios/
# year_200_chargers.lua), as measured by /usr/bin/time -v. Usage: bench/year_run.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
db=$(mktemp -d)/year.db
/usr/bin/time -v "$build/bin/evtwin" run bench/scenarios/year_200_chargers.lua --strategy edf --db "$db" 2> "$db.time" | tail -n 40
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$db.time"
ls -l "$db" | awk '{print "database bytes: " $5}'
