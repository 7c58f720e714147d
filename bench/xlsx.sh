#!/bin/bash
# XLSX export benchmark: 100,000 bills (one line each) inserted into the stack's database, then
# `shopctl export bills` of exactly those bills under /usr/bin/time -v, against the same command exporting
# no bill (a year without bills): the difference of peak RSS is what the bills cost in memory (target: under
# 64 MB, libxlsxwriter constant-memory mode and keyset pages). Also the time, rows/s, the file size and the
# back-office download of the same workbook. The bench's bills are deleted at the end, whatever happens.
# Appends a section to bench/RESULTS.md.
#   bench/xlsx.sh      SHOP_RUN_DIR (stack, default .run), BENCH_XLSX_BILLS (100000), BENCH_RESULTS (file)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
N=${BENCH_XLSX_BILLS:-100000}
RESULTS=${BENCH_RESULTS:-$REPO/bench/RESULTS.md}
YEAR=2031          # the bench's bills are all in this year, which no other bill uses
EMPTY_YEAR=1990    # the baseline: the same export with no bill
TAG=xlsxbench      # transid prefix of the bench's bills

conf/stack.sh start > /dev/null
# a running httpd keeps the module it loaded: measure the one just built
conf/stack.sh restart httpd > /dev/null
eval "$(conf/stack.sh env)"
SHOPCTL=$SHOP_BUILD/shopctl
sql() { mariadb --socket="$SHOP_DB_SOCKET" -u"$SHOP_DB_USER" -p"$SHOP_DB_PASS" "$SHOP_DB_NAME" -N -B -e "$1"; }
purge() {
    sql "DELETE FROM shop_bill WHERE transid LIKE '$TAG%'; DELETE FROM shop_customer WHERE email = '$TAG@example.org'"
}
WORK=$(mktemp -d)
trap 'purge || true; rm -rf "$WORK"' EXIT
purge                # what an interrupted run may have left

[ "$(sql "SELECT COUNT(*) FROM shop_bill WHERE created_at >= UNIX_TIMESTAMP('$YEAR-01-01') AND created_at < UNIX_TIMESTAMP('$((YEAR + 1))-01-01')")" = 0 ] \
    || { echo "xlsx bench: bills of $YEAR exist already, not ours: stopping" >&2; exit 1; }

# 100,000 bills spread over the year, with a customer and one line each: INSERT ... SELECT from MariaDB's
# sequence engine, a few seconds
t0=$(date +%s%N)
sql "INSERT INTO shop_customer (firstname, lastname, email, address, zip, city, country)
     VALUES ('Bench', 'Export', '$TAG@example.org', '1 rue du Banc', '75001', 'Paris', 'FR');
     SET @c = LAST_INSERT_ID();
     INSERT INTO shop_bill (transid, shop_id, customer_id, title, status, currency, untaxed_minor, taxes_minor,
                            taxed_minor, to_pay_minor, paid_minor, paymode, gateway_ref, created_at, modified_at)
     SELECT CONCAT('$TAG', LPAD(seq, 12, '0')), (SELECT MIN(id) FROM shop_shop), @c, 'Boutique de formation',
            ELT(1 + seq % 4, 'PLACED', 'SOLDOUT', 'COMPLETE', 'CANCELLED'), 'EUR', 10000 + seq, 2000, 12000 + seq,
            12000 + seq, IF(seq % 4 IN (1, 2), 12000 + seq, 0), 'transfer', CONCAT('REF', seq),
            UNIX_TIMESTAMP('$YEAR-01-01') + seq * 300, UNIX_TIMESTAMP('$YEAR-01-01') + seq * 300 + 60
     FROM seq_1_to_$N;
     INSERT INTO shop_bill_line (bill_id, currency, line_no, type, code, label, quantity, unit_minor, untaxed_minor,
                                 tax_rate, tax_minor, total_minor)
     SELECT id, 'EUR', 1, 'PRODUCT', 'EXCEL101', 'Excel : les fondamentaux (en ligne)', 1, untaxed_minor,
            untaxed_minor, 20, 2000, untaxed_minor + 2000
     FROM shop_bill WHERE transid LIKE '$TAG%';"
insert_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

# run NAME ARGS...: shopctl export bills ARGS under /usr/bin/time -v; sets rss_NAME (kB) and secs_NAME
run() {
    local name=$1 out
    shift
    out=$(/usr/bin/time -v "$SHOPCTL" export bills "$@" 2>&1)
    printf '%s\n' "$out" | sed "s/^/  [xlsx $name] /" | grep -E 'exported|Maximum resident|Elapsed' || true
    printf -v "rss_$name" '%s' "$(printf '%s\n' "$out" | sed -n 's/.*Maximum resident set size (kbytes): //p')"
    printf -v "secs_$name" '%s' "$(printf '%s\n' "$out" | sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p')"
}
run base --year "$EMPTY_YEAR" -o "$WORK/empty.xlsx"
run full --year "$YEAR" -o "$WORK/bills.xlsx"
# the sheet really holds the header and every bill
rows=$(unzip -p "$WORK/bills.xlsx" xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l)
size=$(stat -c %s "$WORK/bills.xlsx")

# the same workbook from the back office, as sam.sales (a staff member of the demo)
jar=$WORK/cookies
curl -s -o /dev/null -c "$jar" "$("$SHOPCTL" ticket 7)"
web=$(curl -s -b "$jar" -o "$WORK/web.xlsx" -w '%{http_code} %{time_total} %{size_download}' \
      "$SHOP_URL/admin/bills/export?year=$YEAR")

summary=$(/usr/bin/python3 - "$N" "$rss_base" "$rss_full" "$secs_full" "$rows" "$size" "$insert_ms" "$web" <<'PY'
import sys
n, base, full, secs, rows, size, insert_ms = sys.argv[1:8]
code, web_secs, web_size = sys.argv[8].split()
def seconds(t):
    parts = [float(p) for p in t.split(":")]
    return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
s = seconds(secs)
growth = (int(full) - int(base)) / 1024
print("| bills exported | rows in sheet | file | time | rows/s | peak RSS, 0 bills | peak RSS, %s bills | growth | target |" % n)
print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
print("| %s | %d | %.1f MB | %.2f s | %.0f | %.1f MB | %.1f MB | **%.1f MB** | < 64 MB: %s |" % (
    n, int(rows) - 1, int(size) / 1e6, s, int(n) / s if s else 0, int(base) / 1024, int(full) / 1024, growth,
    "met" if growth < 64 else "MISSED"))
print()
print("Back-office download of the same workbook (GET /admin/bills/export?year=…): HTTP %s, %.2f s, %.1f MB."
      % (code, float(web_secs), int(web_size) / 1e6))
print("Inserting the bills and their lines (INSERT … SELECT from seq_1_to_%s): %.1f s." % (n, int(insert_ms) / 1000))
PY
)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
{
    echo
    echo "## $(date '+%Y-%m-%d %H:%M %Z') — XLSX export of bills — commit $commit"
    echo
    echo "Machine: $(nproc) cores, $cpu, $(uname -sr). build $(basename "$SHOP_BUILD")."
    echo "\`shopctl export bills --year $YEAR\` (constant-memory mode, pages of 1,000 bills) under \`/usr/bin/time -v\`;"
    echo "growth = its peak RSS minus that of \`shopctl export bills --year $EMPTY_YEAR\` (no bill)."
    echo
    echo "$summary"
} >> "$RESULTS"
echo
echo "$summary"
echo "xlsx bench: appended to ${RESULTS#"$REPO"/}"
