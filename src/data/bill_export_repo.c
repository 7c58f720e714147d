/* Keyset pages of bills and credit notes for the export: see bill_export_repo.h. */
#include "data/bill_export_repo.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define PAGE STR(SHOP_BILL_EXPORT_PAGE)

/* The filter on bill alias `b`; placeholders: from, until, status twice,
 * shop twice, currency twice (filter_args). */
#define FILTER(b) \
    " " b ".created_at >= %s AND " b ".created_at < %s" \
    " AND (%s IS NULL OR " b ".status = %s) AND (%s IS NULL OR " b ".shop_id = %s)" \
    " AND (%s IS NULL OR " b ".currency = %s)"
#define FILTER_ARGS 8

static const shop_sql_t Q_COUNT = {
    "billexport.count", "SELECT COUNT(*) FROM {shop}bill b WHERE" FILTER("b")
};

/* The page's ids first, then its lines grouped per bill in the same
 * statement: one round trip per thousand bills. */
static const shop_sql_t Q_PAGE = {
    "billexport.page",
    "WITH page AS (SELECT b.id FROM {shop}bill b WHERE b.id > %s AND" FILTER("b")
    "   ORDER BY b.id LIMIT " PAGE "),"
    " items AS (SELECT l.bill_id,"
    "   GROUP_CONCAT(l.code ORDER BY l.line_no SEPARATOR ',') AS codes,"
    "   GROUP_CONCAT(l.label ORDER BY l.line_no SEPARATOR ', ') AS labels"
    "   FROM page p JOIN {shop}bill_line l ON l.bill_id = p.id GROUP BY l.bill_id)"
    " SELECT b.id, b.transid, b.gateway_ref, b.invoice_number, b.title, b.worktype, b.status,"
    " b.created_at, b.modified_at, b.untaxed_minor, b.taxes_minor, b.taxed_minor, i.codes, i.labels,"
    " c.firstname, c.lastname, c.address, c.city, c.zip, c.country, c.email, c.userid,"
    " u.username, u.institution, u.department,"
    " b.currency, b.paymode, b.paid_minor, b.to_pay_minor, b.invoiced_at, s.name"
    " FROM page p JOIN {shop}bill b ON b.id = p.id"
    " JOIN {shop}shop s ON s.id = b.shop_id"
    " LEFT JOIN {shop}customer c ON c.id = b.customer_id"
    " LEFT JOIN {mdl}user u ON u.id = c.userid"
    " LEFT JOIN items i ON i.bill_id = b.id"
    " ORDER BY b.id"
};

static const shop_sql_t Q_CREDITS = {
    "billexport.credits",
    "SELECT n.id, n.number, n.issued_at, inv.number, b.transid, n.untaxed_minor, n.taxes_minor,"
    " n.taxed_minor, n.currency, n.reason"
    " FROM {shop}invoice n JOIN {shop}bill b ON b.id = n.bill_id"
    " LEFT JOIN {shop}invoice inv ON inv.id = n.credits_invoice_id"
    " WHERE n.kind = 'credit_note' AND n.id > %s AND" FILTER("b")
    " ORDER BY n.id LIMIT " PAGE
};

static void filter_args(shop_db_t *db, const shop_bill_export_filter_t *f, const char **args)
{
    const char *shop = f->shop_id > 0 ? shop_db_i64(db->pool, f->shop_id) : NULL;
    args[0] = shop_db_i64(db->pool, f->from);
    args[1] = shop_db_i64(db->pool, f->until);
    args[2] = args[3] = f->status;
    args[4] = args[5] = shop;
    args[6] = args[7] = f->currency;
}

int shop_bill_export_count(shop_db_t *db, const shop_bill_export_filter_t *f, apr_int64_t *n)
{
    const char *args[FILTER_ARGS];
    filter_args(db, f, args);
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_COUNT, FILTER_ARGS, args, &rows);
    if (rv == 0) *n = shop_rows_i64(rows, 0, 0, 0);
    return rv;
}

static int page(shop_db_t *db, const shop_sql_t *q, const shop_bill_export_filter_t *f, apr_int64_t after,
                shop_rows_t **rows)
{
    const char *args[1 + FILTER_ARGS];
    args[0] = shop_db_i64(db->pool, after);
    filter_args(db, f, args + 1);
    return shop_db_select(db, q, 1 + FILTER_ARGS, args, rows);
}

int shop_bill_export_page(shop_db_t *db, const shop_bill_export_filter_t *f, apr_int64_t after,
                          shop_rows_t **rows)
{
    return page(db, &Q_PAGE, f, after, rows);
}

int shop_bill_export_credit_page(shop_db_t *db, const shop_bill_export_filter_t *f, apr_int64_t after,
                                 shop_rows_t **rows)
{
    return page(db, &Q_CREDITS, f, after, rows);
}
