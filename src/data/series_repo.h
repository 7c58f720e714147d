/* Legal numbering series (`{shop}invoice_series`, counters in
 * `{shop}invoice_counter`) for the back office, and the series each shop
 * issues from (`{shop}shop.invoice_series_id / credit_series_id`).  Rows are
 * read into db->pool.
 *
 * Locking (the rules of web/admin_series.c hold against concurrent payers and
 * editors): shop_series_lock_all() takes every series row FOR UPDATE; the
 * issuing transaction of services/invoicing.c reads its series LOCK IN SHARE
 * MODE, so a series is never changed while one of its numbers is being
 * issued, and a number is never issued from a format being changed.
 * shop_series_check_for_shop() reads the series LOCK IN SHARE MODE too: a
 * shop is never pointed at a series whose kind is being changed. */
#ifndef SHOP_DATA_SERIES_REPO_H
#define SHOP_DATA_SERIES_REPO_H

#include "data/db.h"

#define SHOP_SERIES_CODE_MAX    16     /* invoice_series.code */
#define SHOP_SERIES_SELLER_MAX  255    /* invoice_series.seller, characters */

/* Columns of shop_series_list / shop_series_get rows:
 *   ISSUED  documents (invoices, credit notes) numbered from the series;
 *   USED    other traces of numbering: bills carrying one of its numbers,
 *           counter rows already past 1 (ISSUED + USED > 0: frozen);
 *   NEXT    the counter value the next document of `year` takes (the row
 *           of `year`, or of year 0 without yearly reset; 1 when none);
 *   SHOPS   shops issuing from it (their invoice or credit note series). */
enum { SHOP_SERIES_C_ID, SHOP_SERIES_C_CODE, SHOP_SERIES_C_KIND, SHOP_SERIES_C_SELLER,
       SHOP_SERIES_C_FORMAT, SHOP_SERIES_C_YEARLY, SHOP_SERIES_C_ENABLED, SHOP_SERIES_C_ISSUED,
       SHOP_SERIES_C_USED, SHOP_SERIES_C_NEXT, SHOP_SERIES_C_SHOPS };

/* The editable columns, as text; yearly_reset and enabled "0" or "1". */
typedef struct shop_series_fields {
    const char *code, *kind, *seller, *format, *yearly_reset, *enabled;
} shop_series_fields_t;

/* Every series, invoices first, then by code. */
int shop_series_list(shop_db_t *db, int year, shop_rows_t **rows);

/* One series (same columns); nrows 0 when absent. */
int shop_series_get(shop_db_t *db, apr_int64_t id, int year, shop_rows_t **rows);

/* Lock every series row for the rest of the transaction; then *invoices and
 * *credit_notes are the enabled series of each kind. */
int shop_series_lock_all(shop_db_t *db, apr_int64_t *invoices, apr_int64_t *credit_notes);

/* Enabled series of each kind, as the open transaction sees them. */
int shop_series_enabled_counts(shop_db_t *db, apr_int64_t *invoices, apr_int64_t *credit_notes);

/* *taken 1 when another series (id != except) has this code (compared as
 * the unique key does: case-insensitively). */
int shop_series_code_taken(shop_db_t *db, const char *code, apr_int64_t except, int *taken);

/* Insert (*id gets the new id; a duplicate code fails with
 * SHOP_DB_ER_DUP_ENTRY) or update every editable column. */
int shop_series_insert(shop_db_t *db, const shop_series_fields_t *f, apr_int64_t now, apr_int64_t *id);
int shop_series_update(shop_db_t *db, apr_int64_t id, const shop_series_fields_t *f);

/* id, name, "invoice" | "credit_note" of the shops issuing from series id,
 * by shop id. */
int shop_series_shops(shop_db_t *db, apr_int64_t id, shop_rows_t **rows);

/* id, code, kind, format, enabled, seller of every series, by kind, then id (the
 * order invoicing picks the first enabled one in). */
int shop_series_options(shop_db_t *db, shop_rows_t **rows);

/* The series of shop shop_id (0 = none chosen: the first enabled one). */
int shop_series_of_shop(shop_db_t *db, apr_int64_t shop_id, apr_int64_t *invoice, apr_int64_t *credit);

/* Read series id LOCK IN SHARE MODE: *kind_ok 1 when it exists with this
 * kind, *enabled its flag (0 when absent). */
int shop_series_check_for_shop(shop_db_t *db, apr_int64_t id, const char *kind, int *kind_ok, int *enabled);

/* Point shop shop_id at these series (0 = none: the first enabled one). */
int shop_series_set_for_shop(shop_db_t *db, apr_int64_t shop_id, apr_int64_t invoice, apr_int64_t credit);

#endif
