#!/bin/bash
# Every test layer, as `make -f Makefile.apxs test` runs it (after conf/install-deps.sh):
#   build -> unit (cmocka) -> fuzz smoke (libFuzzer) -> integration (pytest) -> browser (chromium + axe)
#   tests/run-all.sh [--san]     --san: ASan/UBSan build (build-san) for unit tests and the test stack
# The test stack lives in REPO/.run/test and is stopped at the end whatever happens.
# Layer logs: tests/artifacts/<layer>.log. Last line: `N passed, M failed`; exit 1 if M > 0 or a layer
# could not run. FUZZ_SMOKE_SECONDS (default 10) sets the fuzz time per target.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

SAN=
[ "${1:-}" = --san ] && SAN=1
if [ -n "$SAN" ]; then SHOP_BUILD=build-san; else SHOP_BUILD=build; fi
export SHOP_BUILD
export SHOP_RUN_DIR=$REPO/.run/test
unset SHOP_PORT   # the demo's, if set: the test stack picks its own free port
export SHOP_TEST_RUN_DIR=$SHOP_RUN_DIR
export PYTHONDONTWRITEBYTECODE=1
ART=$REPO/tests/artifacts
mkdir -p "$ART"
T0=$(date +%s)

total_pass=0 total_fail=0 broken=()
declare -a summary=()

cleanup() { conf/stack.sh stop > /dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'echo "run-all: interrupted"; exit 130' INT TERM

# record LAYER PASSED FAILED
record() {
    total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
    summary+=("$(printf '%-12s %4d passed, %d failed' "$1" "$2" "$3")")
}
# layer_broken LAYER WHY: the layer could not run; counts as one failure
layer_broken() {
    broken+=("$1")
    total_fail=$((total_fail + 1))
    summary+=("$(printf '%-12s could not run: %s' "$1" "$2")")
}
banner() { printf '\n==== %s (%ss)\n' "$1" "$(( $(date +%s) - T0 ))"; }

# run_layer NAME TIMEOUT CMD...: runs, tees the output into tests/artifacts/NAME.log, leaves it in $LOG
run_layer() {
    local name=$1 limit=$2; shift 2
    LOG=$ART/$name.log
    timeout -k 30 "$limit" "$@" 2>&1 | tee "$LOG"
    return "${PIPESTATUS[0]}"
}
# parse PREFIX: "PREFIX n passed, m failed" from $LOG -> PASSED FAILED, or nothing
parse() { sed -n "s/^$1\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\$/\1 \2/p" "$LOG" | tail -1; }

# ---- build
banner "build ($SHOP_BUILD)"
build_ok=1
if ! run_layer build 1800 make -f Makefile.apxs; then build_ok=0; fi
if [ -n "$SAN" ] && [ $build_ok = 1 ]; then
    run_layer build-san 1800 make -f Makefile.apxs SAN=1 || build_ok=0
fi
[ $build_ok = 1 ] || layer_broken build "make failed (tests/artifacts/build*.log)"

# ---- unit
banner "unit"
run_layer unit 1800 tests/run-unit.sh "$SHOP_BUILD"; rc=$?
read -r p f <<< "$(parse 'UNIT ')"
if [ -n "${p:-}" ]; then record unit "$p" "$f"; [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || layer_broken unit "exit $rc"
else layer_broken unit "no UNIT summary (exit $rc)"; fi

# ---- fuzz smoke
banner "fuzz smoke"
run_layer fuzz 1800 tests/run-fuzz.sh "${FUZZ_SMOKE_SECONDS:-10}"; rc=$?
p= f=; read -r p f <<< "$(parse 'FUZZ ')"
if [ -n "${p:-}" ]; then record fuzz "$p" "$f"; [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || layer_broken fuzz "exit $rc"
else layer_broken fuzz "no FUZZ summary (exit $rc)"; fi

# ---- integration
banner "integration"
if [ $build_ok = 1 ]; then
    junit=$ART/integration-junit.xml
    rm -f "$junit"
    run_layer integration 3600 /usr/bin/python3 -m pytest -q tests/integration --junitxml="$junit"; rc=$?
    counts=$(/usr/bin/python3 - "$junit" <<'PY' 2>/dev/null
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
t = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skip = sum(int(s.get("skipped", 0)) for s in suites)
print(t - bad - skip, bad)
PY
)
    p= f=; read -r p f <<< "$counts"
    if [ -n "${p:-}" ] && [ "$rc" -le 1 ]; then record integration "$p" "$f"
        [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || layer_broken integration "pytest exit $rc"
    else layer_broken integration "pytest exit $rc (tests/artifacts/integration.log)"; fi
else
    layer_broken integration "no build"
fi

# ---- browser
banner "browser"
if [ $build_ok = 1 ]; then
    if [ ! -d tests/browser/node_modules/playwright-core ]; then
        layer_broken browser "tests/browser/node_modules missing (conf/install-deps.sh runs npm ci)"
    elif ! conf/stack.sh start > "$ART/browser-stack.log" 2>&1; then
        cat "$ART/browser-stack.log"
        layer_broken browser "conf/stack.sh start failed (tests/artifacts/browser-stack.log)"
    else
        (eval "$(conf/stack.sh env)" && run_layer browser 900 node tests/browser/smoke.mjs); rc=$?
        LOG=$ART/browser.log
        p= f=; read -r p f <<< "$(parse 'BROWSER ')"
        if [ -n "${p:-}" ]; then record browser "$p" "$f"; [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || layer_broken browser "exit $rc"
        else layer_broken browser "no BROWSER summary (exit $rc)"; fi
    fi
else
    layer_broken browser "no build"
fi

cleanup
banner "summary"
printf '%s\n' "${summary[@]}"
echo "elapsed $(( $(date +%s) - T0 )) s${SAN:+ (ASan/UBSan build)}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ ${#broken[@]} -eq 0 ]
