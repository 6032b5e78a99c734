#!/bin/sh
# Runs a test that ctest starts directly (not a GoogleTest case) and applies the rule for a tool it
# needs that is missing (node, Chromium, Xvfb): the test reports one by exiting 77 after naming it,
# and a program that is not installed counts the same. Under CI (the variable CI set to a true value:
# not empty, 0, false, no or off) that fails the test; elsewhere ctest shows it skipped
# (SKIP_RETURN_CODE 77). EVTWIN_REQUIRE_TOOL in test_support.hpp is the same rule for GoogleTest.
#   tool_gate.sh PROGRAM [ARGUMENT...]
under_ci() {
  case "$(printf '%s' "${CI:-}" | tr '[:upper:]' '[:lower:]')" in
    "" | 0 | false | no | off) return 1 ;;
    *) return 0 ;;
  esac
}

missing() {
  if under_ci; then
    echo "tool_gate: a tool this test needs is missing, and under CI (CI=$CI) that fails the test" >&2
    exit 1
  fi
  echo "tool_gate: skipped, a tool this test needs is missing" >&2
  exit 77
}

if ! command -v "$1" >/dev/null 2>&1; then
  echo "tool_gate: $1 is not installed (scripts/install-deps installs it)" >&2
  missing
fi
"$@"
status=$?
[ "$status" -eq 77 ] && missing
exit "$status"
