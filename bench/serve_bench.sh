#!/usr/bin/env bash
# Latency and throughput of `evtwin serve` on the reference planning case (docs/examples/
# plan_40ev.json) over loopback, and the server's idle memory. One server, then:
#   1 client x N requests with mpc, with mpc over 48 h in steps of 15 minutes then an hour and two
#   batteries, with edf (the baseline's own strategy: one run), and with edf
#   against fcfs (two runs): median latency; and
#   50 concurrent clients x M requests with edf (no error, throughput). They all come from one
#   address, so the server's cap per address (32 by default) is raised for them.
# Usage: bench/serve_bench.sh [BUILD_DIR] [N] [M]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-20}
m=${3:-4}
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT

"$build/bin/evtwin" serve --listen 127.0.0.1:0 --max-per-address 64 --db "$dir/plans.db" --access-log "$dir/access.log" > "$dir/serve.out" &
server=$!
for _ in $(seq 100); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "serve_bench: the server did not start" >&2; exit 1; }
token=$(cat "$dir/plans.db.token")
sleep 0.5
echo "server idle: $(grep VmRSS /proc/$server/status | tr -s ' ')"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"

python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
r = json.load(open("docs/examples/plan_40ev.json"))
for name in ("mpc", "edf"):
    r["strategy"] = name
    json.dump(r, open(f"{d}/{name}.json", "w"))
r["baseline"] = "fcfs"
json.dump(r, open(f"{d}/edf_fcfs.json", "w"))
# 48 hours: 15-minute steps for 6 h, then hourly; two batteries of different ratings.
r48 = json.load(open("docs/examples/plan_40ev.json"))
del r48["horizon_h"], r48["step_min"]
r48["steps"] = [{"minutes": 15, "count": 24}, {"minutes": 60, "count": 42}]
r48["site"]["ess"] = [{"name": "container", "capacity_kwh": 100, "max_charge_kw": 50, "max_discharge_kw": 50, "soc": 0.5},
                      {"name": "wall", "capacity_kwh": 13.5, "max_charge_kw": 5, "max_discharge_kw": 5, "soc": 0.5}]
json.dump(r48, open(f"{d}/mpc_48h_steps.json", "w"))
PY
"$build/bin/serve_load" "$port" "$token" "$dir/mpc.json" 1 1 > /dev/null  # warm-up: plugins loaded
echo "== mpc, 1 client x $n =="
"$build/bin/serve_load" "$port" "$token" "$dir/mpc.json" 1 "$n"
echo "== mpc, 48 h in 15-minute then hourly steps, two batteries, 1 client x $n =="
"$build/bin/serve_load" "$port" "$token" "$dir/mpc_48h_steps.json" 1 "$n"
echo "== edf, 1 client x $n =="
"$build/bin/serve_load" "$port" "$token" "$dir/edf.json" 1 "$n"
echo "== edf against fcfs, 1 client x $n =="
"$build/bin/serve_load" "$port" "$token" "$dir/edf_fcfs.json" 1 "$n"
echo "== edf, 50 clients x $m =="
"$build/bin/serve_load" "$port" "$token" "$dir/edf.json" 50 "$m"
echo "server after: $(grep VmRSS /proc/$server/status | tr -s ' ')"
