/* Reading a bill and its lines (the payment page, the API).  Bills are
 * written by services/placement.c (and, later, the bill state machine). */
#ifndef SHOP_DATA_BILL_REPO_H
#define SHOP_DATA_BILL_REPO_H

#include "data/db.h"

typedef struct shop_bill {
    apr_int64_t id, shop_id, customer_id, userid;
    const char *transid, *status, *currency, *paymode, *lang, *title;
    const char *invoice_number, *invoicing_identity;
    apr_int64_t untaxed_minor, taxes_minor, taxed_minor, discount_minor, shipping_minor;
    apr_int64_t to_pay_minor, paid_minor;
    apr_int64_t placed_at, created_at;
    shop_rows_t *lines;     /* id, line_no, type, code, label, quantity, unit_minor, untaxed_minor,
                               tax_rate, tax_minor, total_minor, tax_id (in line_no order) */
} shop_bill_t;

/* The bill with transid `transid` and its lines, or *out NULL.  Strings in
 * db->pool. */
int shop_bill_by_transid(shop_db_t *db, const char *transid, shop_bill_t **out);

/* The same bill without its lines (lines NULL): for answers that need only
 * its state and amounts. */
int shop_bill_head_by_transid(shop_db_t *db, const char *transid, shop_bill_t **out);

#endif
