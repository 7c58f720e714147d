#!/bin/bash
# Unit layer: build every tests/unit/test_*.c into BUILD/tests/ and run them (cmocka).
#   tests/run-unit.sh [BUILD]        BUILD = build (default) or build-san (ASan/UBSan build)
# Prints one line per binary, then `UNIT n passed, m failed` (n, m count test cases). Exit 1 on any failure.
# Each binary's full output is kept in tests/artifacts/unit/<name>.log.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
BUILD=${1:-build}
BUILD=${BUILD%/}
ART=$REPO/tests/artifacts/unit
TIMEOUT=${UNIT_TIMEOUT:-300}
mkdir -p "$ART"

san=
case $(basename "$BUILD") in *-san) san=1 ;; esac

shopt -s nullglob
srcs=(tests/unit/test_*.c)
shopt -u nullglob
bins=()
for s in "${srcs[@]}"; do bins+=("$BUILD/tests/$(basename "${s%.c}")"); done

passed=0 failed=0
unbuilt=()
if [ ${#bins[@]} -gt 0 ]; then
    if ! make -k -f Makefile.apxs ${san:+SAN=1} "${bins[@]}" > "$ART/build.log" 2>&1; then
        grep -E 'error|Error [0-9]' "$ART/build.log" | head -30
        echo "unit: build failed (full log: tests/artifacts/unit/build.log)"
    fi
    # a binary make could not bring up to date counts as one failure; the others still run
    for b in "${bins[@]}"; do
        if ! make -q -f Makefile.apxs ${san:+SAN=1} "$b" > /dev/null 2>&1; then unbuilt+=("$b"); fi
    done
else
    echo "unit: no tests/unit/test_*.c yet"
fi

for b in "${bins[@]}"; do
    name=$(basename "$b")
    if [[ " ${unbuilt[*]} " == *" $b "* ]]; then
        printf '  %-32s NOT BUILT (see tests/artifacts/unit/build.log)\n' "$name"
        failed=$((failed + 1)); continue
    fi
    log=$ART/$name.log
    # cmocka: per-test lines on stdout (counted), assertion details and the summary on stderr
    timeout -k 10 "$TIMEOUT" "$b" > "$log.out" 2> "$log.err"
    rc=$?
    { cat "$log.out"; echo "---- stderr"; cat "$log.err"; } > "$log"; rm -f "$log.out" "$log.err"
    out=$(sed -n '1,/^---- stderr$/p' "$log")
    ok=$(grep -c '^\[       OK \] ' <<< "$out")
    bad=$(grep -cE '^\[  (FAILED  |ERROR   )\] ' <<< "$out")
    # a crash, abort, sanitizer report or timeout that cmocka did not count is one more failure
    extra=0
    if [ "$bad" -eq 0 ] && { [ $rc -ne 0 ] || grep -qE '^==[0-9]+==ERROR: |runtime error: ' "$log"; }; then extra=1; fi
    passed=$((passed + ok)); failed=$((failed + bad + extra))
    if [ $((bad + extra)) -eq 0 ]; then
        printf '  %-32s %3d passed\n' "$name" "$ok"
    else
        why=
        if [ $rc -eq 124 ]; then why=" (timeout after ${TIMEOUT}s)"
        elif [ $rc -gt 128 ]; then why=" (killed by signal $((rc - 128)))"
        elif [ $extra -eq 1 ]; then why=" (exit $rc)"; fi
        printf '  %-32s %3d passed, %d FAILED%s\n' "$name" "$ok" "$((bad + extra))" "$why"
        grep -E '^\[  (FAILED  |ERROR   )\]|^\[   LINE   \]|^==[0-9]+==ERROR|runtime error:|^SUMMARY:' "$log" | grep -v 'test(s)' | head -20 | sed 's/^/      /'
        echo "      full output: tests/artifacts/unit/$name.log"
    fi
done

echo "UNIT $passed passed, $failed failed"
[ "$failed" -eq 0 ]
