/* Legal documents of a bill: the gapless invoice number, credit notes, and
 * the stored PDF of each issued document.
 *
 * Numbering (in the caller's transaction, the one that makes the bill paid or
 * cancels it): the series is the shop's (shop.invoice_series_id /
 * credit_series_id) or the first enabled series of that kind; the counter row
 * (series, year — 0 for a series without yearly reset) is created when
 * missing, then locked with SELECT ... FOR UPDATE, formatted with the
 * series' format (core/numbering.h), incremented, and the {shop}invoice row
 * written.  A rolled-back transaction gives its number back; no number is
 * ever used twice (UNIQUE (series_id, number)).
 *
 * PDF (after commit): the document is rendered from the database
 * (services/document.h, services/pdf_invoice.h), written once under
 * ShopDataDir/invoices/<year>/<number>.pdf (a new file, never overwritten),
 * and its path and SHA-256 recorded with a conditional UPDATE (pdf_path IS
 * NULL): an issued document is made once and always served as stored. */
#ifndef SHOP_SERVICES_INVOICING_H
#define SHOP_SERVICES_INVOICING_H

#include "data/db.h"
#include "services/env.h"

typedef struct shop_issued {
    apr_int64_t invoice_id;
    const char *number;
} shop_issued_t;

/* The invoice of bill_id (locked by the caller), unless it has one already
 * (then *out is that one).  Sets bill.invoice_series_id, invoice_number,
 * invoiced_at.  A bill with nothing to pay (to_pay_minor = 0) gets no number:
 * out->invoice_id = 0.  0, or a MySQL errno. */
int shop_invoice_issue(shop_db_t *db, apr_int64_t bill_id, apr_int64_t userid, apr_int64_t now,
                       shop_issued_t *out);

/* A credit note cancelling the whole invoice of bill_id, with `reason`;
 * out->invoice_id = 0 when the bill has no invoice or it is already
 * credited in full.  0, or a MySQL errno. */
int shop_invoice_credit(shop_db_t *db, apr_int64_t bill_id, apr_int64_t userid, const char *reason,
                        apr_int64_t now, shop_issued_t *out);

/* The documents issued for bill_id, oldest first: rows (id, kind, number,
 * issued_at, taxed_minor, credits_invoice_id or NULL). */
int shop_invoice_list(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows);

/* Make and store the PDF of issued document invoice_id if it has none yet.
 * 0, or an error (APR or MySQL), logged as a trace line of the bill. */
int shop_invoice_store_pdf(shop_db_t *db, const shop_env_t *env, apr_int64_t invoice_id);

/* The stored PDF of invoice_id, read back and checked against its SHA-256:
 * 0 with *pdf and *len; APR_ENOENT when not made yet; APR_EGENERAL when the file
 * does not match its hash (tampered: never served). */
int shop_invoice_read_pdf(shop_db_t *db, const shop_env_t *env, apr_int64_t invoice_id,
                          const char **pdf, apr_size_t *len);

/* Store the PDFs still missing (a crash between commit and storing): cron.
 * *made counts them. */
int shop_invoice_store_missing(shop_db_t *db, const shop_env_t *env, int *made);

#endif
