/* Bill reads (bill_repo.h). */
#include "data/bill_repo.h"

static const shop_sql_t Q_BILL = {
    "bill.by_transid",
    "SELECT id, shop_id, COALESCE(customer_id, 0), COALESCE(userid, 0), transid, status, currency, paymode,"
    " lang, title, invoice_number, invoicing_identity, untaxed_minor, taxes_minor, taxed_minor,"
    " discount_minor, shipping_minor, to_pay_minor, paid_minor, COALESCE(placed_at, 0), created_at"
    " FROM {shop}bill WHERE transid = %s"
};
static const shop_sql_t Q_LINES = {
    "bill.lines",
    "SELECT id, line_no, type, code, label, quantity, unit_minor, untaxed_minor, tax_rate, tax_minor,"
    " total_minor, COALESCE(tax_id, 0) FROM {shop}bill_line WHERE bill_id = %s ORDER BY line_no"
};

int shop_bill_head_by_transid(shop_db_t *db, const char *transid, shop_bill_t **out)
{
    *out = NULL;
    shop_rows_t *rows;
    const char *args[] = { transid };
    int rv = shop_db_select(db, &Q_BILL, 1, args, &rows);
    if (rv != 0 || rows->nrows == 0) return rv;
    shop_bill_t *b = apr_pcalloc(db->pool, sizeof(*b));
    int c = 0;
    b->id = shop_rows_i64(rows, 0, c++, 0);
    b->shop_id = shop_rows_i64(rows, 0, c++, 0);
    b->customer_id = shop_rows_i64(rows, 0, c++, 0);
    b->userid = shop_rows_i64(rows, 0, c++, 0);
    b->transid = shop_rows_str(rows, 0, c++);
    b->status = shop_rows_str(rows, 0, c++);
    b->currency = shop_rows_str(rows, 0, c++);
    b->paymode = shop_rows_str(rows, 0, c++);
    b->lang = shop_rows_str(rows, 0, c++);
    b->title = shop_rows_str(rows, 0, c++);
    b->invoice_number = shop_rows_str(rows, 0, c++);
    b->invoicing_identity = shop_rows_str(rows, 0, c++);
    b->untaxed_minor = shop_rows_i64(rows, 0, c++, 0);
    b->taxes_minor = shop_rows_i64(rows, 0, c++, 0);
    b->taxed_minor = shop_rows_i64(rows, 0, c++, 0);
    b->discount_minor = shop_rows_i64(rows, 0, c++, 0);
    b->shipping_minor = shop_rows_i64(rows, 0, c++, 0);
    b->to_pay_minor = shop_rows_i64(rows, 0, c++, 0);
    b->paid_minor = shop_rows_i64(rows, 0, c++, 0);
    b->placed_at = shop_rows_i64(rows, 0, c++, 0);
    b->created_at = shop_rows_i64(rows, 0, c++, 0);
    *out = b;
    return 0;
}

int shop_bill_by_transid(shop_db_t *db, const char *transid, shop_bill_t **out)
{
    int rv = shop_bill_head_by_transid(db, transid, out);
    if (rv != 0 || !*out) return rv;
    const char *largs[] = { shop_db_i64(db->pool, (*out)->id) };
    if ((rv = shop_db_select(db, &Q_LINES, 1, largs, &(*out)->lines)) != 0) *out = NULL;
    return rv;
}
