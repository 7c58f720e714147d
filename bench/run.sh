#!/bin/bash
# Benchmarks against the demo stack (.run/, started if needed): a static file of the same size as the front
# page (the reference), /shop/health and /shop/ (front page), with wrk on loopback. Appends a dated section
# with ratios to the static file, p50/p99 latency and CPU per request to bench/RESULTS.md.
#   bench/run.sh            BENCH_DURATION (10s), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_RESULTS (file)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
DUR=${BENCH_DURATION:-10s}
CONN=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
RESULTS=${BENCH_RESULTS:-$REPO/bench/RESULTS.md}

conf/stack.sh start
# a running httpd keeps the module it loaded: measure the one just built
conf/stack.sh restart httpd
eval "$(conf/stack.sh env)"

# The reference: a static file exactly as large as the front page body.
front_code=$(curl -s -o /tmp/bench-front.$$ -w '%{http_code}' --max-time 10 "$SHOP_URL/")
front_size=$(stat -c %s /tmp/bench-front.$$)
rm -f /tmp/bench-front.$$
[ "$front_code" = 200 ] || echo "bench: WARNING: $SHOP_URL/ answers $front_code, not 200: its figures are not a catalogue page" >&2
[ "$front_size" -gt 0 ] || front_size=1
/usr/bin/python3 -c 'import sys; n=int(sys.argv[1]); sys.stdout.write(("x"*79+"\n")*(n//80) + "x"*(n%80))' "$front_size" \
    > "$SHOP_DOCROOT/same_size_as_front.html"
STATIC_URL=$SHOP_STATIC_URL/same_size_as_front.html

CLK_TCK=$(getconf CLK_TCK)
# cpu_ticks PID...: utime+stime of these processes and of their children still alive
httpd_pids() {
    local parent
    parent=$(tr -dc 0-9 < "$SHOP_HTTPD_PID_FILE")
    echo "$parent" $(ps -o pid= --ppid "$parent")
}
backend_pids() {
    local f
    for f in "$SHOP_RUN_DIR/run/mariadb.pid" "$SHOP_RUN_DIR/run/memcached.pid"; do
        [ -s "$f" ] && tr -dc 0-9 < "$f" && echo
    done
}
cpu_ticks() {
    local t=0 p
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] || continue
        # fields after the ")" of the command name: utime is the 12th, stime the 13th
        set -- $(sed 's/^.*) //' "/proc/$p/stat")
        t=$((t + ${12} + ${13}))
    done
    echo "$t"
}

declare -a rows=()
# run NAME URL [T C SCRIPT -- SCRIPT ARGS]: warm up 2 s, then measure DUR with CPU accounting
run() {
    local name=$1 url=$2 t=${3:-$THREADS} c=${4:-$CONN} script=${5:-bench/report.lua} hp bp h0 b0 h1 b1 out line
    shift $(( $# < 5 ? $# : 5 ))
    timeout 60 wrk -t"$t" -c"$c" -d2s --timeout 5s -s "$script" "$url" "$@" > /dev/null 2>&1 || true
    hp=$(httpd_pids); bp=$(backend_pids)
    h0=$(cpu_ticks $hp); b0=$(cpu_ticks $bp)
    out=$(timeout 300 wrk -t"$t" -c"$c" -d"$DUR" --timeout 5s --latency -s "$script" "$url" "$@")
    h1=$(cpu_ticks $(httpd_pids)); b1=$(cpu_ticks $bp)
    printf '%s\n' "$out" | sed "s/^/  [$name] /" | grep -v ' BENCH '
    line=$(printf '%s\n' "$out" | grep '^BENCH ')
    rows+=("$name $line httpd_ticks=$((h1 - h0)) backend_ticks=$((b1 - b0))")
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
run static "$STATIC_URL"
run health "$SHOP_URL/health"
run front  "$SHOP_URL/"
run product "$SHOP_URL/product/PM200-SESSION"
run api    "$SHOP_URL/api/v1/catalog"

# Checkout: 16 buyers (bench/buyers.py: 16 sessions, each with one EXCEL101 in the cart and the customer
# step done) on 16 connections from 2 wrk threads, against the static file at the same concurrency.
# The cart update changes the quantity of a second line on every request (a session write each time);
# then each buyer places its cart again and again: every request is a full placement transaction on its
# unpaid bill (catalogue version check, bill lock, lines rewritten, audit row), with 2 lines and shipping.
export BENCH_BUYERS=$(mktemp) BENCH_THREADS_N=$THREADS
trap 'rm -f "$BENCH_BUYERS"' EXIT
SHOP_PATH=/${SHOP_URL#*://*/}
/usr/bin/python3 bench/buyers.py "$SHOP_URL" 16 > "$BENCH_BUYERS"
run static16 "$STATIC_URL" "$THREADS" 16
run cart_put "$SHOP_URL/" "$THREADS" 16 bench/checkout.lua PUT "$SHOP_PATH/api/v1/cart/items/TSHIRT-LOGO" \
    '{"quantity":1}' '{"quantity":2}'
run place "$SHOP_URL/" "$THREADS" 16 bench/checkout.lua POST "$SHOP_PATH/api/v1/checkout/order" \
    '{"paymode":"transfer","accept_terms":true}'

table=$(/usr/bin/python3 - "$CLK_TCK" "$front_size" "$front_code" "${rows[@]}" <<'PY'
import sys
tck = int(sys.argv[1]); size = sys.argv[2]; front_code = sys.argv[3]
rows = []
for r in sys.argv[4:]:
    name, _, rest = r.partition(" BENCH ")
    kv = dict(x.split("=") for x in rest.split())
    rows.append((name, kv))
refs = {"": float(rows[0][1]["rps"]) or 1.0}
for name, kv in rows:
    if name == "static16":
        refs["16"] = float(kv["rps"]) or 1.0
print("| URL | req/s | vs static | p50 ms | p99 ms | httpd CPU µs/req | DB+memcached CPU µs/req | non-2xx | errors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
label = {"static": "static file, %s bytes" % size, "health": "/shop/health",
         "front": "/shop/ (catalogue page, %s bytes, HTTP %s)" % (size, front_code),
         "product": "/shop/product/PM200-SESSION (product page)", "api": "/shop/api/v1/catalog (JSON)",
         "static16": "static file, 16 connections (reference of the two rows below)",
         "cart_put": "PUT /shop/api/v1/cart/items/TSHIRT-LOGO (cart update, quantity 1 and 2 in turn, 16 buyers)",
         "place": "POST /shop/api/v1/checkout/order (placement, 16 buyers)"}
for name, kv in rows:
    n = int(kv["requests"]) or 1
    rps = float(kv["rps"])
    ref = refs["16"] if name in ("static16", "cart_put", "place") else refs[""]
    cpu = lambda k: "%.0f" % (int(kv[k]) / tck * 1e6 / n)
    print("| %s | %.0f | %.0f %% | %.2f | %.2f | %s | %s | %s | %s |" % (
        label[name], rps, 100 * rps / ref, int(kv["p50_us"]) / 1000, int(kv["p99_us"]) / 1000,
        cpu("httpd_ticks"), cpu("backend_ticks"), kv["non2xx"], kv["errors"]))
PY
)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
dirty=$(git diff --quiet HEAD -- src mod_shop.c templates 2>/dev/null || echo ' (uncommitted changes)')
{
    echo
    echo "## $(date '+%Y-%m-%d %H:%M %Z') — commit $commit$dirty"
    echo
    echo "Machine: $(nproc) cores, $cpu, $(uname -sr), load before run $load."
    echo "wrk -t$THREADS -c$CONN -d$DUR --latency; build $(basename "$SHOP_BUILD")."
    echo
    echo "$table"
} >> "$RESULTS"
echo
echo "$table"
echo "bench: appended to ${RESULTS#"$REPO"/}"
# the XLSX export of 100,000 bills (bench/xlsx.sh): memory growth, time, rows/s
BENCH_RESULTS=$RESULTS bench/xlsx.sh
# bill PDFs (bench/pdf.sh): order sheets drawn and stored invoices served per second, target 100/s
BENCH_RESULTS=$RESULTS bench/pdf.sh
