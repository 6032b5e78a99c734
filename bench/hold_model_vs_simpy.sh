#!/usr/bin/env bash
# Hold model at 1e5 pending events: evtwin's EventQueue (Google Benchmark BM_HoldModel/100000)
# against SimPy (bench/hold_model_simpy.py, both formulations) on one core, in one invocation.
# Prints both rates and the ratio to the faster SimPy formulation; exits non-zero when the C++ rate
# is below 10 M events/s or the ratio below 20. Builds nothing: pass the build directory (default
# build) in which event_queue_bench was built. Rates are per CPU second on both sides.
# Environment: PYTHON (default /usr/bin/python3, Debian's, which has python3-simpy3),
# SIMPY_SECONDS (CPU seconds per SimPy measurement, default 3), CXX_MIN_TIME (default 1).
set -euo pipefail

build_dir=${1:-build}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_bin=$build_dir/bin/event_queue_bench
python=${PYTHON:-/usr/bin/python3}
simpy_seconds=${SIMPY_SECONDS:-3}
cxx_min_time=${CXX_MIN_TIME:-1}
pending=100000
min_cxx_rate=10000000
min_ratio=20

if [[ ! -x $bench_bin ]]; then
  echo "error: $bench_bin not found; build it first: ninja -C $build_dir event_queue_bench" >&2
  exit 2
fi
if ! "$python" -c 'import simpy' 2>/dev/null; then
  echo "error: $python cannot import simpy; install python3-simpy3 or set PYTHON" >&2
  exit 2
fi

one_core=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
  one_core=(taskset -c 0)
fi

echo "C++ EventQueue hold model, $pending pending (${one_core[*]:-no taskset})..."
cxx_json=$("${one_core[@]}" "$bench_bin" --benchmark_filter="^BM_HoldModel/$pending\$" \
  --benchmark_min_time="$cxx_min_time" --benchmark_repetitions=3 --benchmark_format=json 2>/dev/null)
# Median of the three repetitions.
cxx_rate=$("$python" -c '
import json, statistics, sys
runs = [b for b in json.load(sys.stdin)["benchmarks"] if b.get("run_type", "iteration") == "iteration"]
if not runs:
    sys.exit("no BM_HoldModel runs in the benchmark output")
print(statistics.median(b["events_per_s"] for b in runs))' <<<"$cxx_json")

simpy_rate() {
  "${one_core[@]}" "$python" "$here/hold_model_simpy.py" --mode "$1" --pending "$pending" \
    --seconds "$simpy_seconds" | "$python" -c 'import json, sys; print(json.load(sys.stdin)["events_per_s"])'
}
echo "SimPy hold model, $pending processes..."
simpy_process=$(simpy_rate process)
echo "SimPy hold model, $pending bare Timeout chains..."
simpy_callback=$(simpy_rate callback)

"$python" - "$cxx_rate" "$simpy_process" "$simpy_callback" "$min_cxx_rate" "$min_ratio" <<'PY'
import sys
cxx, process, callback, min_cxx, min_ratio = map(float, sys.argv[1:])
fastest = max(process, callback)
print(f"C++ EventQueue        {cxx / 1e6:8.2f} M events/s")
print(f"SimPy (processes)     {process / 1e6:8.3f} M events/s   ratio {cxx / process:7.1f}x")
print(f"SimPy (bare timeouts) {callback / 1e6:8.3f} M events/s   ratio {cxx / callback:7.1f}x")
ok = True
if cxx < min_cxx:
    print(f"FAIL: C++ rate below {min_cxx / 1e6:g} M events/s")
    ok = False
if cxx / fastest < min_ratio:
    print(f"FAIL: ratio to the faster SimPy formulation below {min_ratio:g}x")
    ok = False
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
