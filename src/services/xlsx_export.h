/* The bills export (local_shop §4.9) as an XLSX workbook, for the back
 * office (GET /admin/bills/export) and `shopctl export bills`.
 *
 * Sheet "Bills": one row per bill, by id, with local_shop's columns (id,
 * transactionid, onlinetransactionid, idnumber = the legal invoice number,
 * title, worktype, status, emissiondate, lastactiondate, untaxedamount,
 * taxes, amount, items, itemnames, firstname, lastname, address, city, zip,
 * country, email, hasaccount (hidden), username, institution, department)
 * then currency, paymode, paid, topay, invoicedate, shop.  Sheet "Credit
 * notes": the credit notes of those bills.  Header rows bold and frozen,
 * autofilter on, column widths set.
 *
 * Amounts: the database holds int64 minor units; a cell is a number, so it
 * is minor / 10^exponent computed once, at the end, in double precision
 * (Excel stores every number as an IEEE double: exact to the cent up to
 * 2^53 minor units), shown with a number format of the currency's decimals.
 * Dates are date cells in the local time of the process.
 *
 * Memory: libxlsxwriter's constant_memory mode streams each row to a
 * temporary file under `tmpdir`; bills are read 1,000 at a time by keyset
 * (data/bill_export_repo.h) into a scratch pool cleared per page: peak
 * memory does not grow with the number of bills.  Thread-safe (no shared
 * state); any phase. */
#ifndef SHOP_SERVICES_XLSX_EXPORT_H
#define SHOP_SERVICES_XLSX_EXPORT_H

#include <apr_pools.h>
#include "data/db.h"

/* What to export; zero / NULL members match everything. */
typedef struct shop_xlsx_filter {
    int year;                  /* of created_at, local time */
    int month;                 /* 1..12, only with a year */
    const char *status;        /* a bill state name (upper case) */
    apr_int64_t shop_id;
    const char *currency;      /* ISO 4217 code (upper case) */
} shop_xlsx_filter_t;

/* A value refused by shop_xlsx_filter_parse. */
typedef struct shop_xlsx_bad {
    const char *field;         /* "year" | "month" | "status" | "shop" | "currency" */
    const char *key;           /* string of templates/lang (export.json) saying what is wrong */
    const char *text;          /* the same in English (shopctl) */
} shop_xlsx_bad_t;

/* Read the filter from text (command options, query parameters): NULL or
 * "" means not given.  Returns NULL when every value is good (the filter is
 * filled, strings pool-allocated), else the first bad value.  Whether the
 * shop exists is for shop_xlsx_shop_name(). */
const shop_xlsx_bad_t *shop_xlsx_filter_parse(apr_pool_t *pool, shop_xlsx_filter_t *f, const char *year,
                                              const char *month, const char *status, const char *shop,
                                              const char *currency);

/* The refusal of a shop id that names no shop. */
extern const shop_xlsx_bad_t shop_xlsx_bad_unknown_shop;

/* The name of shop `id` (*name in db->pool), or *name NULL when there is no
 * such shop.  0 or a MySQL errno. */
int shop_xlsx_shop_name(shop_db_t *db, apr_int64_t id, const char **name);

typedef struct shop_xlsx_counts {
    apr_int64_t bills;
    apr_int64_t credit_notes;
} shop_xlsx_counts_t;

/* More bills (or credit notes) match than SHOP_MAX_EXPORT_ROWS (core/limits.h). */
#define SHOP_XLSX_TOO_MANY    (-3)
/* libxlsxwriter failed (disk full, temporary directory not writable...). */
#define SHOP_XLSX_WRITE_ERROR (-4)

/* Write the workbook of the bills matching `f` to `path` (created or
 * truncated; libxlsxwriter's temporary files go to `tmpdir`).  Returns 0
 * with *counts, SHOP_XLSX_TOO_MANY, SHOP_XLSX_WRITE_ERROR or a MySQL errno;
 * on failure *why (pool-allocated, English) says what and `path` is
 * removed: no half-written file is left behind. */
int shop_xlsx_export_bills(shop_db_t *db, const shop_xlsx_filter_t *f, const char *path, const char *tmpdir,
                           shop_xlsx_counts_t *counts, const char **why);

#endif
