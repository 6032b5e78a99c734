#!/usr/bin/env bash
# Live mode under load: `evtwin serve --strategy STRATEGY --clock fast:SPEED` as the central system
# of a site of N 11 kW chargers (charge points CP0001.., one connector each), and N OCPP-J charge
# points on one node process (bench/live/load_fleet.mjs) that all start a transaction, then send
# MeterValues every 10 virtual seconds, then stop. Prints the fleet's figures (the MeterValues'
# latency p50/p99/max, frames lost, the connect and stop phases apart), the server's delay from
# each control period's start to the last of its profiles answered, the server's CPU time and peak
# memory over the run, and how busy the machine's cores were (steal included) while the fleet ran.
# Usage: bench/live_load.sh [BUILD_DIR] [CHARGE_POINTS] [STRATEGY] [RUN_S] [SPEED]
#   bench/live_load.sh build 1000 edf 60 60    the 1,000-charge-point target
#   bench/live_load.sh build 200 mpc 120 60    decisions of mpc reaching 200 chargers
#   VERSIONS=mix bench/live_load.sh build 1000 edf 60 60     1.6, 2.0.1 and 2.1 in turn
#   VERSIONS=2.1 BIDIRECTIONAL=1 PERIOD_S=300 bench/live_load.sh build 200 v2g_profit_max 120 60
#                                                             V2G decisions reaching 200 chargers
# PERIOD_S=N sets the site's control period (default 60 s); KEEP_DB=FILE keeps the live run's
# results database there; OPTS="--opt K=V ..." gives the strategy options. VERSIONS (1.6, 2.0.1,
# 2.1 or mix) and BIDIRECTIONAL=1 (bidirectional 2.1 stations on V2G chargers, a tariff dear for
# the run's first two hours) go to bench/live/load_fleet.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-1000}
strategy=${3:-edf}
run_s=${4:-60}
speed=${5:-60}
period_s=${PERIOD_S:-60}
export VERSIONS=${VERSIONS:-1.6} BIDIRECTIONAL=${BIDIRECTIONAL:-0}
dir=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$dir"' EXIT

v2g=false
connection_kw=7  # per charger
tariff="tariff { file = \"$PWD/scenarios/tariffs/norway_household_flat_illustrative.json\" }"
if [ "$BIDIRECTIONAL" = 1 ]; then
  # Dear for the first two hours, cheap after, as the V2X interop test's site: selling now and
  # buying back later pays, and wear costs nothing. The connection lets every vehicle draw its 11 kW,
  # so the two cheap hours before they leave buy back what the dear ones sold (at 7 kW a vehicle they
  # could not even buy its 15 kWh, and a kWh sold would be bought back as dear: a tie).
  v2g=true
  connection_kw=11
  cat > "$dir/tariff.json" <<JSON
{"format": "evtwin-tariff", "version": 1, "name": "dear now, cheap later", "currency": "EUR", "timezone": "UTC",
 "seasons": {"year": [[1, 12]]},
 "eras": [{"name": "all", "bands": {"all": {"all": [{"hours": "08-10", "band": "high"}, {"hours": "00-08", "band": "low"},
   {"hours": "10-24", "band": "low"}]}}}],
 "prices": {"all": {"high": 0.60, "low": 0.05}}}
JSON
  tariff="tariff { file = \"$dir/tariff.json\", export_factor = 1 }
economics { charging_price_per_kwh = 0, v2g_price_factor = 0, ev_degradation_per_kwh = 0 }
battery { ev_cost_per_kwh = 0 }"
fi

cat > "$dir/site.lua" <<LUA
scenario { name = "live-load", start = "2024-07-01T08:00", duration = days(2), control_period = seconds($period_s) }
grid { import_kw = $((n * connection_kw)), export_kw = $((n * connection_kw)) }
for i = 1, $n do charger { name = string.format("CP%04d", i), max_kw = 11, efficiency = 1.0, v2g = $v2g } end
$tariff
live { stay = hours(4), energy_kwh = 30 }
LUA

# Every charge point connects from this machine's address: the server's cap per address is raised
# to the fleet's size.
"$build/bin/evtwin" serve --listen 127.0.0.1:0 --db "$dir/live.db" --scenario "$dir/site.lua" \
  --strategy "$strategy" ${OPTS:-} --clock "fast:$speed" --access-log /dev/null \
  --max-connections $((n + 64)) --max-per-address $((n + 64)) > "$dir/serve.out" 2>&1 &
server=$!
for _ in $(seq 200); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/serve.out")
  [ -n "$port" ] && grep -q "central system" "$dir/serve.out" && break
  sleep 0.1
done
[ -n "$port" ] || { echo "live_load: the server did not start" >&2; cat "$dir/serve.out" >&2; exit 1; }
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
before=$(cpu)
machine_before=$(head -1 /proc/stat)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
node bench/live/load_fleet.mjs "ws://127.0.0.1:$port/ocpp" "$n" "$speed" "$run_s" 10 | tee "$dir/fleet.json"
after=$(cpu)
machine_after=$(head -1 /proc/stat)
# From each control period's start to the last of its profiles answered, as the server measured it.
python3 - "$port" "$dir/live.db.token" <<'PY'
import json, sys, urllib.request
token = open(sys.argv[2]).read().strip()
request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/v1/live", headers={"Authorization": f"Bearer {token}"})
live = json.load(urllib.request.urlopen(request))
print("server, CALL read to answer (ms):", json.dumps(live["answer_ms"]))
print("server, period start to its profiles answered (ms):", json.dumps(live["dispatch_ms"]))
PY
peak=$(grep VmHWM "/proc/$server/status" | tr -s ' ')
kill -TERM "$server"
wait "$server" || true
server=
python3 - "$before" "$after" "$ticks" "$run_s" "$peak" "$machine_before" "$machine_after" "$(nproc)" <<'PY'
import sys
before, after, ticks, run_s = (float(x) for x in sys.argv[1:5])
cpu = (after - before) / ticks
print(f"server CPU: {cpu:.1f} s over {run_s:.0f} s of load ({100 * cpu / run_s:.0f} % of one core); peak memory {sys.argv[5]}")
# The whole machine while the fleet ran (/proc/stat: user nice system idle iowait irq softirq steal):
# the fleet shares the cores with the server, and steal is time the host gave to others.
used = [int(b) - int(a) for a, b in zip(sys.argv[6].split()[1:9], sys.argv[7].split()[1:9])]
total = sum(used)
busy = total - used[3] - used[4]
print(f"machine while the fleet ran: {100 * busy / total:.0f} % of {sys.argv[8]} cores busy, "
      f"steal {100 * used[7] / total:.1f} %")
PY
[ -n "${KEEP_DB:-}" ] && cp "$dir/live.db" "$KEEP_DB"
sqlite3 "$dir/live.db" "SELECT 'run ' || run_id || ': ' || status || ', decisions ' || (SELECT count(*) FROM decision_times d WHERE d.run_id = r.run_id) || ', mean decision ' || printf('%.1f', 1000 * (SELECT avg(seconds) FROM decision_times d WHERE d.run_id = r.run_id)) || ' ms, longest ' || printf('%.0f', 1000 * (SELECT max(seconds) FROM decision_times d WHERE d.run_id = r.run_id)) || ' ms, frames ' || (SELECT count(*) FROM ocpp_frames) FROM runs r"
