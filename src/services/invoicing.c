/* Invoice and credit-note numbers: see invoicing.h.  (The PDFs are made by
 * invoice_pdf.c.)
 *
 * Gapless: the counter row of (series, year) is locked FOR UPDATE, read,
 * formatted and incremented in the transaction that makes the bill paid (or
 * cancels it), together with the document row.  Whatever ends that
 * transaction early — a refusal, a deadlock, a killed connection, kill -9 of
 * httpd — rolls the counter back with it: a number exists only if its
 * document does.  Two payers queue on the counter row; the lock is taken
 * after the bill's and the stock's, so it is held only for the end of the
 * transaction.
 *
 * The year: the server's local calendar year at `now` (apr_time_exp_lt):
 * the shop's machine is set to the seller's time zone (Europe/Paris for a
 * French seller), and an invoice paid on 31 December at 23:30 local time
 * belongs to that year's series, which UTC would get wrong.
 *
 * Amounts: a document's total is what the buyer pays (bill.to_pay_minor,
 * shipping included); its taxes are the sum of the line taxes (shipping and
 * discount lines included), its untaxed amount the difference.  Credit
 * notes carry the same amounts negated. */
#include "services/invoicing.h"
#include "core/numbering.h"
#include "data/trace_repo.h"

#include <apr_strings.h>
#include <apr_time.h>

#define I64(v) shop_db_i64(db->pool, (v))

static const shop_sql_t Q_BILL = {
    "inv.bill",
    "SELECT b.transid, b.shop_id, b.currency, b.to_pay_minor, COALESCE(s.invoice_series_id, 0),"
    " COALESCE(s.credit_series_id, 0), COALESCE((SELECT SUM(l.tax_minor) FROM {shop}bill_line l"
    " WHERE l.bill_id = b.id), 0)"
    " FROM {shop}bill b JOIN {shop}shop s ON s.id = b.shop_id WHERE b.id = %s"
};
static const shop_sql_t Q_INVOICE_OF = {
    "inv.invoice_of",
    "SELECT id, number, series_id, currency, untaxed_minor, taxes_minor, taxed_minor"
    " FROM {shop}invoice WHERE one_invoice_per_bill = %s"
};
/* The shop's own series when it has one of the right kind, else the first
 * enabled one of that kind.  Read LOCK IN SHARE MODE: the back office
 * (web/admin_series.c) locks series rows to change them, so a number is
 * never made from a format being changed, nor a format changed while its
 * first number is being issued. */
static const shop_sql_t Q_SERIES = {
    "inv.series",
    "SELECT id, format, yearly_reset FROM {shop}invoice_series WHERE kind = %s AND (id = %s OR enabled = 1)"
    " ORDER BY id = %s DESC, id LIMIT 1 LOCK IN SHARE MODE"
};
static const shop_sql_t Q_COUNTER_LOCK = {
    "inv.counter_lock",
    "SELECT next_value FROM {shop}invoice_counter WHERE series_id = %s AND year = %s FOR UPDATE"
};
static const shop_sql_t Q_COUNTER_NEW = {
    "inv.counter_new",
    "INSERT IGNORE INTO {shop}invoice_counter (series_id, year, next_value) VALUES (%s, %s, 1)"
};
static const shop_sql_t Q_COUNTER_NEXT = {
    "inv.counter_next",
    "UPDATE {shop}invoice_counter SET next_value = next_value + 1 WHERE series_id = %s AND year = %s"
};
static const shop_sql_t Q_DOC_ADD = {
    "inv.doc_add",
    "INSERT INTO {shop}invoice (series_id, number, year, kind, bill_id, credits_invoice_id, currency,"
    " untaxed_minor, taxes_minor, taxed_minor, reason, issued_at, issued_by)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
};
static const shop_sql_t Q_BILL_NUMBER = {
    "inv.bill_number",
    "UPDATE {shop}bill SET invoice_series_id = %s, invoice_number = %s, invoiced_at = %s"
    " WHERE id = %s AND invoice_number IS NULL"
};
static const shop_sql_t Q_CREDITED = {
    "inv.credited",
    "SELECT COALESCE(SUM(untaxed_minor), 0), COALESCE(SUM(taxes_minor), 0), COALESCE(SUM(taxed_minor), 0)"
    " FROM {shop}invoice WHERE credits_invoice_id = %s"
};

static const shop_sql_t Q_LIST = {
    "inv.list",
    "SELECT id, kind, number, issued_at, taxed_minor, credits_invoice_id FROM {shop}invoice WHERE bill_id = %s"
    " ORDER BY id"
};

typedef struct bill_facts {
    const char *transid, *currency;
    apr_int64_t to_pay, invoice_series, credit_series, taxes;
} bill_facts_t;

typedef struct doc {
    const char *kind;                   /* "invoice" | "credit_note" */
    apr_int64_t preferred_series;       /* the shop's, 0 = none */
    apr_int64_t bill_id, credits;       /* credits: the invoice corrected, 0 for an invoice */
    const char *currency, *reason;
    apr_int64_t untaxed, taxes, taxed;
    apr_int64_t userid, now;
} doc_t;

static int bill_facts(shop_db_t *db, apr_int64_t bill_id, bill_facts_t *f, int *found)
{
    shop_rows_t *rows;
    const char *args[] = { I64(bill_id) };
    int rv = shop_db_select(db, &Q_BILL, 1, args, &rows);
    *found = rv == 0 && rows->nrows == 1;
    if (!*found) return rv;
    f->transid = shop_rows_str(rows, 0, 0);
    f->currency = shop_rows_str(rows, 0, 2);
    f->to_pay = shop_rows_i64(rows, 0, 3, 0);
    f->invoice_series = shop_rows_i64(rows, 0, 4, 0);
    f->credit_series = shop_rows_i64(rows, 0, 5, 0);
    f->taxes = shop_rows_i64(rows, 0, 6, 0);
    return 0;
}

static int invoice_of(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows)
{
    const char *args[] = { I64(bill_id) };
    return shop_db_select(db, &Q_INVOICE_OF, 1, args, rows);
}

/* The counter year: the local calendar year (see the top of the file). */
static int local_year(apr_int64_t now)
{
    apr_time_exp_t tm;
    if (apr_time_exp_lt(&tm, apr_time_from_sec(now)) != APR_SUCCESS) return 0;
    return tm.tm_year + 1900;
}

/* Take the next number of the series (counter row locked until the end of
 * the caller's transaction) and write the document.  -1 for a setup problem
 * (no series, a format that cannot make this number), traced. */
static int issue(shop_db_t *db, const doc_t *d, const char *transid, shop_issued_t *out)
{
    shop_rows_t *rows;
    const char *pref = I64(d->preferred_series);
    const char *sargs[] = { d->kind, pref, pref };
    int rv = shop_db_select(db, &Q_SERIES, 3, sargs, &rows);
    if (rv != 0) return rv;
    if (rows->nrows == 0) {
        shop_tracef(db, transid, "error", "invoicing", "no enabled %s series: nothing issued", d->kind);
        return -1;
    }
    apr_int64_t series = shop_rows_i64(rows, 0, 0, 0);
    const char *format = shop_rows_str(rows, 0, 1);
    int year = local_year(d->now);
    int counter_year = shop_rows_i64(rows, 0, 2, 1) ? year : 0;

    const char *cargs[] = { I64(series), I64(counter_year) };
    if ((rv = shop_db_select(db, &Q_COUNTER_LOCK, 2, cargs, &rows)) != 0) return rv;
    if (rows->nrows == 0) {
        /* the year's first number: the row is created once; IGNORE lets a
         * concurrent creator win and this one lock its row */
        if ((rv = shop_db_exec(db, &Q_COUNTER_NEW, 2, cargs, NULL)) != 0) return rv;
        if ((rv = shop_db_select(db, &Q_COUNTER_LOCK, 2, cargs, &rows)) != 0) return rv;
        if (rows->nrows == 0) return -1;
    }
    apr_int64_t value = shop_rows_i64(rows, 0, 0, 0);
    const char *number = shop_numbering_format(db->pool, format, year, value);
    if (!number) {
        shop_tracef(db, transid, "error", "invoicing", "series %" APR_INT64_T_FMT " cannot number %" APR_INT64_T_FMT
                    " with format %s: nothing issued", series, value, format);
        return -1;
    }
    if ((rv = shop_db_exec(db, &Q_COUNTER_NEXT, 2, cargs, NULL)) != 0) return rv;

    const char *dargs[] = {
        I64(series), number, I64(counter_year), d->kind, I64(d->bill_id), d->credits ? I64(d->credits) : NULL,
        d->currency, I64(d->untaxed), I64(d->taxes), I64(d->taxed), d->reason, I64(d->now),
        d->userid > 0 ? I64(d->userid) : NULL
    };
    if ((rv = shop_db_exec(db, &Q_DOC_ADD, 13, dargs, NULL)) != 0) return rv;
    if ((rv = shop_db_last_id(db, &out->invoice_id)) != 0) return rv;
    out->number = number;
    if (!d->credits) {
        const char *bargs[] = { I64(series), number, I64(d->now), I64(d->bill_id) };
        if ((rv = shop_db_exec(db, &Q_BILL_NUMBER, 4, bargs, NULL)) != 0) return rv;
    }
    return shop_tracef(db, transid, "notice", "invoicing", "%s %s issued: %" APR_INT64_T_FMT " %s",
                       d->credits ? "credit note" : "invoice", number, d->taxed, d->currency);
}

int shop_invoice_issue(shop_db_t *db, apr_int64_t bill_id, apr_int64_t userid, apr_int64_t now,
                       shop_issued_t *out)
{
    shop_rows_t *rows;
    bill_facts_t f;
    int found, rv;

    out->invoice_id = 0;
    out->number = NULL;
    if ((rv = bill_facts(db, bill_id, &f, &found)) != 0 || !found) return rv != 0 ? rv : -1;
    if ((rv = invoice_of(db, bill_id, &rows)) != 0) return rv;
    if (rows->nrows > 0) {
        out->invoice_id = shop_rows_i64(rows, 0, 0, 0);
        out->number = shop_rows_str(rows, 0, 1);
        return 0;
    }
    if (f.to_pay <= 0) return 0;   /* nothing to pay: no invoice, no number used */
    doc_t d = {
        .kind = "invoice", .preferred_series = f.invoice_series, .bill_id = bill_id, .currency = f.currency,
        .untaxed = f.to_pay - f.taxes, .taxes = f.taxes, .taxed = f.to_pay, .userid = userid, .now = now
    };
    return issue(db, &d, f.transid, out);
}

int shop_invoice_credit(shop_db_t *db, apr_int64_t bill_id, apr_int64_t userid, const char *reason,
                        apr_int64_t now, shop_issued_t *out)
{
    shop_rows_t *inv, *cr;
    bill_facts_t f;
    int found, rv;

    out->invoice_id = 0;
    out->number = NULL;
    if ((rv = bill_facts(db, bill_id, &f, &found)) != 0 || !found) return rv != 0 ? rv : -1;
    if ((rv = invoice_of(db, bill_id, &inv)) != 0 || inv->nrows == 0) return rv;
    apr_int64_t invoice_id = shop_rows_i64(inv, 0, 0, 0);
    const char *args[] = { I64(invoice_id) };
    if ((rv = shop_db_select(db, &Q_CREDITED, 1, args, &cr)) != 0) return rv;
    /* what is left to credit (credit notes are negative) */
    apr_int64_t untaxed = shop_rows_i64(inv, 0, 4, 0) + shop_rows_i64(cr, 0, 0, 0);
    apr_int64_t taxes = shop_rows_i64(inv, 0, 5, 0) + shop_rows_i64(cr, 0, 1, 0);
    apr_int64_t taxed = shop_rows_i64(inv, 0, 6, 0) + shop_rows_i64(cr, 0, 2, 0);
    if (taxed <= 0) return 0;
    doc_t d = {
        .kind = "credit_note", .preferred_series = f.credit_series, .bill_id = bill_id, .credits = invoice_id,
        .currency = shop_rows_str(inv, 0, 3), .reason = reason && *reason ? reason : NULL,
        .untaxed = -untaxed, .taxes = -taxes, .taxed = -taxed, .userid = userid, .now = now
    };
    return issue(db, &d, f.transid, out);
}

int shop_invoice_list(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows)
{
    const char *args[] = { I64(bill_id) };
    return shop_db_select(db, &Q_LIST, 1, args, rows);
}
