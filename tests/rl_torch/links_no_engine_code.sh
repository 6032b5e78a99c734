#!/usr/bin/env bash
# Passes when no strategy plugin holds engine code: none of the plugins defines a function that an
# engine module's archive defines as a global symbol (such as evtwin::Simulator's or evtwin::Env's).
# Usage: links_no_engine_code.sh PLUGIN.so... -- MODULE_ARCHIVE.a...
set -euo pipefail
plugins=()
while [[ $# -gt 0 && $1 != -- ]]; do plugins+=("$1"); shift; done
shift
engine=$(mktemp)
trap 'rm -f "$engine"' EXIT
# "ADDRESS T NAME" lines of the archives' defined functions (their members' headers are skipped).
nm --defined-only -C "$@" | awk '$2 == "T"' | cut -d' ' -f3- | sort -u >"$engine"
[[ -s $engine ]] || { echo "no functions found in the engine's archives: $*"; exit 1; }
status=0
for plugin in "${plugins[@]}"; do
  found=$(nm --defined-only -C "$plugin" | awk '$2 ~ /^[tT]$/' | cut -d' ' -f3- | sed 's/ \[clone .*\]$//' |
    sort -u | comm -12 - "$engine")
  if [[ -n $found ]]; then
    echo "$plugin holds engine code, $(wc -l <<<"$found") functions of the engine's modules, e.g.:"
    head -5 <<<"$found"
    status=1
  else
    echo "$plugin: no engine code"
  fi
done
exit $status
