#!/bin/bash
# Bill PDF benchmark (target: at least 100 invoices/s), against the stack's httpd with wrk, as sam.sales
# (staff): GET /shop/bill/TRANSID.pdf of an unpaid 8-line bill (the order sheet: read from the database and
# drawn on every request), GET of an issued invoice (its stored file read back and checked against its
# SHA-256), and a static file of the same size as the order sheet (the reference), all in the same run; then
# bench/pdf_render.c, the drawing alone without database nor HTTP, on 1 and 2 threads. The bench's bills are
# deleted at the end, whatever happens. Appends a section to bench/RESULTS.md.
#   bench/pdf.sh     SHOP_RUN_DIR (stack, default .run), BENCH_DURATION (10s), BENCH_PDF_CONNECTIONS (8),
#                    BENCH_THREADS (2), BENCH_RESULTS (file)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
DUR=${BENCH_DURATION:-10s}
CONN=${BENCH_PDF_CONNECTIONS:-8}
THREADS=${BENCH_THREADS:-2}
RESULTS=${BENCH_RESULTS:-$REPO/bench/RESULTS.md}
TAG=pdfbench            # transid prefix of the bench's bills
SERIES=9901             # a disabled numbering series of the bench's own: no real series moves

conf/stack.sh start > /dev/null
# a running httpd keeps the module it loaded: measure the one just built
conf/stack.sh restart httpd > /dev/null
eval "$(conf/stack.sh env)"
SHOPCTL=$SHOP_BUILD/shopctl
sql() { mariadb --socket="$SHOP_DB_SOCKET" -u"$SHOP_DB_USER" -p"$SHOP_DB_PASS" "$SHOP_DB_NAME" -N -B -e "$1"; }
purge() {
    local f
    for f in $(sql "SELECT pdf_path FROM shop_invoice WHERE series_id = $SERIES AND pdf_path IS NOT NULL"); do
        rm -f "$SHOP_DATA_DIR/$f"
    done
    sql "DELETE FROM shop_invoice WHERE series_id = $SERIES; DELETE FROM shop_bill WHERE transid LIKE '$TAG%';
         DELETE FROM shop_trace WHERE transid LIKE '$TAG%'; DELETE FROM shop_customer WHERE email = '$TAG@example.org';
         DELETE FROM shop_invoice_series WHERE id = $SERIES"
}
WORK=$(mktemp -d)
trap 'purge || true; rm -rf "$WORK" "$SHOP_DOCROOT/same_size_as_pdf.bin"' EXIT
purge

# two bills of 8 lines (two rates, a long label), the second one invoiced
now=$(date +%s)
sql "INSERT INTO shop_invoice_series (id, code, kind, format, yearly_reset, enabled)
       VALUES ($SERIES, 'PDFBENCH', 'invoice', 'PB{YYYY}-{NNNNNN}', 1, 0);
     INSERT INTO shop_customer (firstname, lastname, email, organisation, address, zip, city, country)
       VALUES ('Bench', 'Facture', '$TAG@example.org', 'Bench Formation SARL', '1 rue du Banc', '75001', 'Paris', 'FR');
     SET @c = LAST_INSERT_ID();
     INSERT INTO shop_bill (transid, shop_id, customer_id, status, currency, lang, untaxed_minor, taxes_minor,
                            taxed_minor, to_pay_minor, paid_minor, paymode, invoicing_identity, created_at, modified_at)
     VALUES ('${TAG}000000000001', 1, @c, 'PLACED', 'EUR', 'fr', 0, 0, 0, 0, 0, 'transfer',
             '{\"organisation\":\"Bench Formation SARL\",\"firstname\":\"Bench\",\"lastname\":\"Facture\",\"address\":\"1 rue du Banc\",\"zip\":\"75001\",\"city\":\"Paris\",\"country\":\"FR\",\"buyer_type\":\"business\",\"siren\":\"732829320\"}',
             $now, $now),
            ('${TAG}000000000002', 1, @c, 'SOLDOUT', 'EUR', 'fr', 0, 0, 0, 0, 0, 'transfer', NULL, $now, $now);
     INSERT INTO shop_bill_line (bill_id, currency, line_no, type, code, label, quantity, unit_minor, untaxed_minor,
                                 tax_id, tax_rate, tax_minor, total_minor)
     SELECT b.id, 'EUR', s.seq, 'PRODUCT', CONCAT('CODE-', s.seq),
            CONCAT('Formation n° ', s.seq, ' : Excel, gestion de projet et sécurité au travail — accès 12 mois'),
            s.seq, 4990, 4990 * s.seq, IF(s.seq % 2, 1, 2), IF(s.seq % 2, 20, 0), IF(s.seq % 2, 998 * s.seq, 0),
            4990 * s.seq + IF(s.seq % 2, 998 * s.seq, 0)
     FROM shop_bill b JOIN seq_1_to_8 s WHERE b.transid LIKE '$TAG%';
     UPDATE shop_bill b SET untaxed_minor = (SELECT SUM(untaxed_minor) FROM shop_bill_line WHERE bill_id = b.id),
            taxes_minor = (SELECT SUM(tax_minor) FROM shop_bill_line WHERE bill_id = b.id),
            taxed_minor = (SELECT SUM(total_minor) FROM shop_bill_line WHERE bill_id = b.id),
            to_pay_minor = (SELECT SUM(total_minor) FROM shop_bill_line WHERE bill_id = b.id)
      WHERE b.transid LIKE '$TAG%';
     UPDATE shop_bill SET paid_minor = to_pay_minor, paid_at = $now, sale_at = $now WHERE transid = '${TAG}000000000002';
     INSERT INTO shop_invoice (series_id, number, year, kind, bill_id, currency, untaxed_minor, taxes_minor, taxed_minor,
                               issued_at)
     SELECT $SERIES, 'PB-BENCH-000001', 0, 'invoice', id, 'EUR', untaxed_minor, taxes_minor, taxed_minor, $now
       FROM shop_bill WHERE transid = '${TAG}000000000002';
     UPDATE shop_bill SET invoice_series_id = $SERIES, invoice_number = 'PB-BENCH-000001', invoiced_at = $now
      WHERE transid = '${TAG}000000000002';"
SHEET=$SHOP_URL/bill/${TAG}000000000001.pdf
INVOICE=$SHOP_URL/bill/${TAG}000000000002.pdf

# as sam.sales, a staff member of the demo; the first reading of the invoice stores its PDF
jar=$WORK/cookies
curl -s -o /dev/null -c "$jar" "$("$SHOPCTL" ticket 7)"
cookie=$(awk '$6 == "ShopSession" { print $6 "=" $7 }' "$jar")
sheet_code=$(curl -s -b "$jar" -o "$WORK/sheet.pdf" -w '%{http_code}' "$SHEET")
invoice_code=$(curl -s -b "$jar" -o "$WORK/invoice.pdf" -w '%{http_code}' "$INVOICE")
[ "$sheet_code" = 200 ] && [ "$invoice_code" = 200 ] \
    || { echo "pdf bench: the PDFs answer $sheet_code and $invoice_code, not 200" >&2; exit 1; }
sheet_size=$(stat -c %s "$WORK/sheet.pdf")
invoice_size=$(stat -c %s "$WORK/invoice.pdf")
pages=$(pdfinfo "$WORK/sheet.pdf" | sed -n 's/^Pages: *//p')
head -c "$sheet_size" /dev/urandom > "$SHOP_DOCROOT/same_size_as_pdf.bin"

declare -a rows=()
# run NAME URL [wrk options]: warm up 2 s, then DUR
run() {
    local name=$1 url=$2 out line
    shift 2
    timeout 60 wrk -t"$THREADS" -c"$CONN" -d2s --timeout 5s -s bench/report.lua "$@" "$url" > /dev/null 2>&1 || true
    out=$(timeout 300 wrk -t"$THREADS" -c"$CONN" -d"$DUR" --timeout 5s --latency -s bench/report.lua "$@" "$url")
    printf '%s\n' "$out" | sed "s/^/  [pdf $name] /" | grep -v ' BENCH '
    line=$(printf '%s\n' "$out" | grep '^BENCH ')
    rows+=("$name $line")
}
load=$(cut -d' ' -f1-3 /proc/loadavg)
run static "$SHOP_STATIC_URL/same_size_as_pdf.bin"
run sheet "$SHEET" -H "Cookie: $cookie"
run invoice "$INVOICE" -H "Cookie: $cookie"

# the drawing alone (bench/pdf_render.c), with the cut fonts kept where the stack keeps them
gcc -O2 -std=gnu11 -Isrc $(apr-1-config --includes) -I/usr/include/json-c -o "$WORK/pdf_render" bench/pdf_render.c \
    "$SHOP_BUILD/libshopapp.a" "$SHOP_BUILD/libshopcore.a" -laprutil-1 -lapr-1 -ljson-c -lcrypto -lcrypt -lcurl \
    -lhpdf -lz -lm
mkdir -p "$WORK/data"
render1=$("$WORK/pdf_render" templates /usr/share/fonts/truetype/dejavu "$WORK/data" 2000 1)
render2=$("$WORK/pdf_render" templates /usr/share/fonts/truetype/dejavu "$WORK/data" 4000 2)
compact=$("$WORK/pdf_render" templates /usr/share/fonts/truetype/dejavu "$WORK/data" 2000 2 compact)
whole=$("$WORK/pdf_render" templates /usr/share/fonts/truetype/dejavu - 200 2)

table=$(/usr/bin/python3 - "$sheet_size" "$invoice_size" "$pages" "${rows[@]}" <<'PY'
import sys
sheet_size, invoice_size, pages = sys.argv[1:4]
rows = []
for r in sys.argv[4:]:
    name, _, rest = r.partition(" BENCH ")
    rows.append((name, dict(x.split("=") for x in rest.split())))
ref = float(rows[0][1]["rps"]) or 1.0
label = {"static": "static file of the order sheet's size (%s bytes): the reference" % sheet_size,
         "sheet": "GET /shop/bill/TRANSID.pdf, unpaid 8-line bill: order sheet drawn (%s bytes, %s page)" % (sheet_size, pages),
         "invoice": "GET /shop/bill/TRANSID.pdf, issued invoice: stored file, SHA-256 checked (%s bytes)" % invoice_size}
print("| URL | req/s | vs static | p50 ms | p99 ms | non-2xx | errors | target ≥ 100/s |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for name, kv in rows:
    rps = float(kv["rps"])
    target = "" if name == "static" else ("met" if rps >= 100 and kv["non2xx"] == "0" else "MISSED")
    print("| %s | %.0f | %.0f %% | %.2f | %.2f | %s | %s | %s |" % (label[name], rps, 100 * rps / ref,
          int(kv["p50_us"]) / 1000, int(kv["p99_us"]) / 1000, kv["non2xx"], kv["errors"], target))
PY
)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
{
    echo
    echo "## $(date '+%Y-%m-%d %H:%M %Z') — bill PDFs — commit $commit"
    echo
    echo "Machine: $(nproc) cores, $cpu, $(uname -sr), load before run $load."
    echo "wrk -t$THREADS -c$CONN -d$DUR --latency, as sam.sales (staff); build $(basename "$SHOP_BUILD")."
    echo
    echo "$table"
    echo
    echo "Drawing alone (bench/pdf_render.c: a French 8-line invoice, no database, no HTTP):"
    echo
    echo "- $render1"
    echo "- $render2"
    echo "- $compact — stored invoices: fonts compressed too"
    echo "- $whole — whole DejaVu faces instead of the Windows-1252 cuts (for comparison)"
} >> "$RESULTS"
echo
echo "$table"
printf '%s\n' "$render1" "$render2" "$compact" "$whole"
echo "pdf bench: appended to ${RESULTS#"$REPO"/}"
