/* Bills and credit notes for the spreadsheet export, read in keyset pages:
 * WHERE id > last ORDER BY id LIMIT SHOP_BILL_EXPORT_PAGE, so an export of
 * any size holds one page at a time and never skips or repeats a row while
 * bills are being added.
 *
 * Every function reads the same filter (shop_bill_export_filter_t): NULL /
 * 0 members match everything.  Rows live in db->pool: the caller points
 * db->pool at a scratch pool it clears after each page.  Each page is one
 * statement: the lines of the page's bills are aggregated in it (never one
 * query per bill). */
#ifndef SHOP_DATA_BILL_EXPORT_REPO_H
#define SHOP_DATA_BILL_EXPORT_REPO_H

#include "data/db.h"

#define SHOP_BILL_EXPORT_PAGE 1000

typedef struct shop_bill_export_filter {
    apr_int64_t from, until;     /* created_at in [from, until): unix seconds, both always set */
    const char *status;          /* exact state name, NULL = any */
    apr_int64_t shop_id;         /* 0 = any */
    const char *currency;        /* ISO code, NULL = any */
} shop_bill_export_filter_t;

/* Columns of a bills page, in order. */
enum {
    SHOP_BX_ID, SHOP_BX_TRANSID, SHOP_BX_GATEWAY_REF, SHOP_BX_INVOICE_NUMBER, SHOP_BX_TITLE,
    SHOP_BX_WORKTYPE, SHOP_BX_STATUS, SHOP_BX_CREATED, SHOP_BX_MODIFIED, SHOP_BX_UNTAXED,
    SHOP_BX_TAXES, SHOP_BX_TAXED, SHOP_BX_CODES, SHOP_BX_LABELS, SHOP_BX_FIRSTNAME, SHOP_BX_LASTNAME,
    SHOP_BX_ADDRESS, SHOP_BX_CITY, SHOP_BX_ZIP, SHOP_BX_COUNTRY, SHOP_BX_EMAIL, SHOP_BX_USERID,
    SHOP_BX_USERNAME, SHOP_BX_INSTITUTION, SHOP_BX_DEPARTMENT, SHOP_BX_CURRENCY, SHOP_BX_PAYMODE,
    SHOP_BX_PAID, SHOP_BX_TO_PAY, SHOP_BX_INVOICED, SHOP_BX_SHOP
};

/* Columns of a credit notes page, in order. */
enum {
    SHOP_CX_ID, SHOP_CX_NUMBER, SHOP_CX_ISSUED, SHOP_CX_INVOICE_NUMBER, SHOP_CX_TRANSID,
    SHOP_CX_UNTAXED, SHOP_CX_TAXES, SHOP_CX_TAXED, SHOP_CX_CURRENCY, SHOP_CX_REASON
};

/* How many bills match (*n).  0 or a MySQL errno. */
int shop_bill_export_count(shop_db_t *db, const shop_bill_export_filter_t *f, apr_int64_t *n);

/* The next page of matching bills with id > after, by id (SHOP_BX_*
 * columns; codes and labels of the lines by line_no, NULL without lines;
 * the customer's Moodle account columns NULL without one).  An empty page
 * ends the export.  0 or a MySQL errno. */
int shop_bill_export_page(shop_db_t *db, const shop_bill_export_filter_t *f, apr_int64_t after,
                          shop_rows_t **rows);

/* The next page of credit notes with id > after of the matching bills, by
 * id (SHOP_CX_* columns).  0 or a MySQL errno. */
int shop_bill_export_credit_page(shop_db_t *db, const shop_bill_export_filter_t *f, apr_int64_t after,
                                 shop_rows_t **rows);

#endif
