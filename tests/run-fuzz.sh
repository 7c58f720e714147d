#!/bin/bash
# Fuzz layer: build every tests/fuzz/fuzz_*.c into build-fuzz/ (clang libFuzzer + ASan/UBSan) and run each
# for SECONDS. One target = one test: a crash, leak, timeout or OOM fails it.
#   tests/run-fuzz.sh [SECONDS]      (default 10)
# Seeds: tests/fuzz/corpus/<name without fuzz_>/ (read only: never written). New inputs go to build-fuzz/corpus/<name>/,
# which persists between runs. Dictionary: tests/fuzz/<name>.dict when present.
# A crashing input is saved as tests/artifacts/fuzz/<name>-crash-<sha1> (copy it into the seed corpus
# as a regression input once fixed). Logs: tests/artifacts/fuzz/<name>.log. Last line: `FUZZ n passed, m failed`.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
SECS=${1:-10}
ART=$REPO/tests/artifacts/fuzz
mkdir -p "$ART"

shopt -s nullglob
srcs=(tests/fuzz/fuzz_*.c)
shopt -u nullglob
bins=()
for s in "${srcs[@]}"; do bins+=("build-fuzz/$(basename "${s%.c}")"); done

passed=0 failed=0
if [ ${#bins[@]} -eq 0 ]; then
    echo "fuzz: no tests/fuzz/fuzz_*.c yet"
    echo "FUZZ 0 passed, 0 failed"
    exit 0
fi

if ! make -k -j"$(nproc)" -f Makefile.apxs "${bins[@]}" > "$ART/build.log" 2>&1; then
    grep -E 'error|Error [0-9]' "$ART/build.log" | head -30
    echo "fuzz: build failed (full log: tests/artifacts/fuzz/build.log)"
fi

for b in "${bins[@]}"; do
    name=$(basename "$b")
    if ! make -q -f Makefile.apxs "$b" > /dev/null 2>&1; then
        printf '  %-28s NOT BUILT (see tests/artifacts/fuzz/build.log)\n' "$name"
        failed=$((failed + 1)); continue
    fi
    work=build-fuzz/corpus/$name
    mkdir -p "$work"
    dirs=("$work")
    seeds=tests/fuzz/corpus/${name#fuzz_}     # corpora are named after the parser, without fuzz_
    [ -d "$seeds" ] && dirs+=("$seeds")
    opts=(-max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
          -artifact_prefix="$ART/$name-")
    [ -f "tests/fuzz/$name.dict" ] && opts+=(-dict="tests/fuzz/$name.dict")
    log=$ART/$name.log
    # libFuzzer stops by itself after max_total_time; the outer timeout only catches a hang in start-up
    timeout -k 10 $((SECS + 120)) "$b" "${opts[@]}" "${dirs[@]}" > "$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1))
        printf '  %-28s ok (%s runs in %ss, corpus %s)\n' "$name" "${runs:-?}" "$SECS" "$(find "$work" -type f | wc -l)"
    else
        failed=$((failed + 1))
        printf '  %-28s FAILED (exit %d)\n' "$name" "$rc"
        grep -E '^==[0-9]+==ERROR|runtime error:|^SUMMARY:|Test unit written to|ERROR: libFuzzer' "$log" | head -10 | sed 's/^/      /'
        echo "      full output: tests/artifacts/fuzz/$name.log"
    fi
done

echo "FUZZ $passed passed, $failed failed"
[ "$failed" -eq 0 ]
