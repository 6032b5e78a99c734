#!/usr/bin/env bash
# Peak memory and wall time of `evtwin ocpp import` on large logs, against a previous release's
# build in the same run. The logs are made from ../shared/data/ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv
# (17,670 frames of two charge points over 14 days):
#   sites60   the whole log for 60 copies of its charge points (1.06 M frames, 136 MB; most of them
#             Heartbeats)
#   meter400  its MeterValues, StartTransaction and StopTransaction calls with their answers, for 400
#             copies of its charge points (187 k frames, 57 MB; five sampled values a MeterValues)
# Each is imported with the schema check into a fresh database, REPEATS times per build; printed:
# the median wall time and the largest resident set (/usr/bin/time's %M).
#
# Usage: bench/ocpp_import_memory.sh PREVIOUS_BUILD [BUILD] [REPEATS]   (as bench/speed_vs_release.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
previous=${1:?usage: bench/ocpp_import_memory.sh PREVIOUS_BUILD [BUILD] [REPEATS]}
build=${2:-build}
repeats=${3:-3}
export EVTWIN_DATA=${EVTWIN_DATA:-$(cd .. && pwd)/shared/data}
for dir in "$previous" "$build"; do
  [ -x "$dir/bin/evtwin" ] || { echo "no $dir/bin/evtwin: build it first" >&2; exit 2; }
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

/usr/bin/python3 - "$EVTWIN_DATA/ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv" "$scratch" <<'EOF'
import csv, json, sys
source, out = sys.argv[1], sys.argv[2]
with open(source, newline="") as f:
    header, *rows = list(csv.reader(f))
calls = set()
meter = []
for row in rows:
    frame = json.loads(row[3])
    if frame[0] == 2 and frame[2] in ("MeterValues", "StartTransaction", "StopTransaction"):
        calls.add((row[1], frame[1]))
    if (row[1], frame[1]) in calls:
        meter.append(row)
for name, chosen, copies in (("sites60", rows, 60), ("meter400", meter, 400)):
    with open(f"{out}/{name}.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for ts, cs, action, msg in chosen:
            for k in range(copies):
                w.writerow([ts, f"{cs}-{k:03d}", action, msg])
EOF

printf '%-10s %-10s %10s %12s\n' log build "wall s" "peak MiB"
for log in sites60 meter400; do
  for dir in "$previous" "$build"; do
    walls=() peak=0
    for _ in $(seq "$repeats"); do
      rm -f "$scratch/import.db"
      /usr/bin/time -f '%e %M' -o "$scratch/time" "$dir/bin/evtwin" ocpp import "$scratch/$log.csv" \
        --db "$scratch/import.db" >/dev/null
      read -r wall kib <"$scratch/time"
      walls+=("$wall")
      [ "$kib" -gt "$peak" ] && peak=$kib
    done
    median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((repeats + 1) / 2))p")
    label=$([ "$dir" = "$previous" ] && echo previous || echo this)
    printf '%-10s %-10s %10s %12d\n' "$log" "$label" "$median" $((peak / 1024))
  done
done
