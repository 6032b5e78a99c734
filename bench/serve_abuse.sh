#!/usr/bin/env bash
# `evtwin serve` under the abuse its security section guards against (docs/serve.md), in live mode
# with charge-point passwords, over loopback (every client address is in 127.0.0.0/8):
#   1. /v1/health latency from 127.0.0.1 (new connection each), quiet;
#   2. the same while one client (127.0.0.2) holds HOLD idle connections, above its cap, and whether
#      a charge point still connects;
#   3. one client guessing a charge point's password GUESSES times: the answers' statuses, how many
#      were hashed (401) and how fast they came, then the right password at once;
#   4. /v1/health latency while eight clients (127.0.0.3-10) guess other ids' passwords.
# Needs Debian's python3 (standard library only). Every loop is bounded in count and time.
# Usage: bench/serve_abuse.sh [BUILD_DIR] [HOLD] [GUESSES]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
hold=${2:-600}
guesses=${3:-100}
dir=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
ulimit -n 4096

cat > "$dir/site.lua" <<LUA
scenario { name = "abuse", start = "2024-07-01T08:00", duration = days(1), control_period = seconds(60) }
grid { import_kw = 200 }
for i = 1, 10 do charger { name = string.format("CP%02d", i), max_kw = 11 } end
tariff { file = "$PWD/scenarios/tariffs/norway_household_flat_illustrative.json" }
live { stay = hours(4), energy_kwh = 30 }
LUA
for i in $(seq -w 1 10); do
  printf 'correct-horse-battery-%s\n' "$i" | "$build/bin/evtwin" serve add-charge-point \
    --passwords "$dir/cp.passwords" --id "CP$i" > /dev/null
done

"$build/bin/evtwin" serve --listen 127.0.0.1:0 --db "$dir/site.db" --scenario "$dir/site.lua" \
  --strategy edf --clock fast:10 --passwords "$dir/cp.passwords" --access-log "$dir/access.log" \
  > "$dir/serve.out" 2>&1 &
server=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "serve_abuse: the server did not start" >&2; cat "$dir/serve.out" >&2; exit 1; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"

/usr/bin/python3 - "$port" "$hold" "$guesses" "$dir/access.log" <<'PY'
import base64, json, os, socket, statistics, sys, threading, time

port, hold, guesses, log = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def connect(source="127.0.0.1"):
    s = socket.socket()
    s.settimeout(30)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s

def status_of(s, request):
    s.sendall(request.encode())
    data = b""
    while b"\r\n" not in data:
        part = s.recv(4096)
        if not part:
            return 0  # closed without an answer
        data += part
    return int(data.split(b" ", 2)[1])

def health(source="127.0.0.1"):
    started = time.perf_counter()
    try:
        with connect(source) as s:
            code = status_of(s, "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    except OSError:
        code = 0
    return code, (time.perf_counter() - started) * 1000

def latencies(n=200):
    runs = [health() for _ in range(n)]
    ms = sorted(t for _, t in runs)
    ok = sum(1 for c, _ in runs if c == 200)
    return f"{ok}/{n} answered 200, median {statistics.median(ms):.2f} ms, p99 {ms[int(0.99 * (n - 1))]:.2f} ms"

def upgrade(cp, password, source="127.0.0.1"):
    auth = base64.b64encode(f"{cp}:{password}".encode()).decode()
    try:
        with connect(source) as s:
            return status_of(s, f"GET /ocpp/{cp} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                f"Sec-WebSocket-Protocol: ocpp1.6\r\nAuthorization: Basic {auth}\r\n\r\n")
    except OSError:
        return 0

def log_events():
    counts = {}
    with open(log) as f:
        for line in f:
            e = json.loads(line)
            if "event" in e:
                key = f'{e["event"]}: {e["reason"]}'.split(" (")[0].split(": ")[:2]
                key = ": ".join(key)
                counts[key] = counts.get(key, 0) + 1
    return counts

print("1. /v1/health, quiet:", latencies())

held = []
for _ in range(hold):
    try:
        held.append(connect("127.0.0.2"))
    except OSError:
        break
time.sleep(0.5)
print(f"2. {len(held)} idle connections held from 127.0.0.2; /v1/health:", latencies())
print("   a charge point with its password connects:", upgrade("CP01", "correct-horse-battery-01"))
for s in held:
    s.close()

statuses = {}
started = time.perf_counter()
for i in range(guesses):
    code = upgrade("CP02", f"wrong-password-guess-{i:04d}", "127.0.0.3")
    statuses[code] = statuses.get(code, 0) + 1
elapsed = time.perf_counter() - started
print(f"3. {guesses} wrong passwords for CP02 in {elapsed:.2f} s: statuses {dict(sorted(statuses.items()))}"
      f" ({statuses.get(401, 0)} hashed and refused)")
print("   then the right one at once:", upgrade("CP02", "correct-horse-battery-02", "127.0.0.3"))

stop = time.monotonic() + 10
answers = {}
answers_lock = threading.Lock()
def guess(source, cp):
    i = 0
    while time.monotonic() < stop and i < 2000:
        code = upgrade(cp, f"wrong-password-{i:05d}", source)
        with answers_lock:
            answers[code] = answers.get(code, 0) + 1
        i += 1
guessers = [threading.Thread(target=guess, args=(f"127.0.0.{3 + k}", f"CP{3 + k:02d}")) for k in range(8)]
for t in guessers:
    t.start()
print("4. /v1/health while eight clients guess:", latencies(100))
for t in guessers:
    t.join()
print(f"   the eight made {sum(answers.values())} attempts (at most 2,000 each, within 10 s): statuses {dict(sorted(answers.items()))}")
print("log lines of refusals and closes:")
for key, n in sorted(log_events().items()):
    print(f"   {n:5d}  {key}")
PY
echo "server: $(grep -E 'VmHWM|VmRSS' /proc/$server/status | tr -s ' ' | tr '\n' ' ')"
