/* The PDF a bill's reader gets (the bill page's download, shopctl bill
 * pdf): an issued document exactly as stored, never drawn again; before the
 * invoice, the order sheet or pro-forma drawn now from the database. */
#ifndef SHOP_SERVICES_BILL_PDF_H
#define SHOP_SERVICES_BILL_PDF_H

#include "data/db.h"
#include "services/env.h"

typedef struct shop_bill_pdf {
    const char *pdf;           /* in the pool given */
    apr_size_t len;
    const char *filename;      /* [A-Za-z0-9._-] only: "invoice-F2026-000001.pdf", "order-B-20260115-12.pdf" */
    const char *number;        /* the document's number */
    int stored;                /* an issued document, served as stored */
} shop_bill_pdf_t;

/* The current PDF of bill_id: its invoice, as stored (made and stored first
 * when a crash after issuing left it without its file), else the order
 * sheet / pro-forma drawn now.  0; APR_ENOENT for no such bill;
 * APR_EGENERAL when the stored file is missing or does not match its
 * SHA-256 (recorded in the bill's trace: never served); APR_EINVAL for a
 * bill that cannot be drawn (too many lines); another APR error or a MySQL
 * errno.  *error (may be NULL) says what, in English, for the log. */
int shop_bill_pdf_current(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool, apr_int64_t bill_id,
                          shop_bill_pdf_t *out, const char **error);

/* Issued document invoice_id (invoice or credit note) of bill_id, as
 * stored; APR_ENOENT when it is not one of that bill's.  As above. */
int shop_bill_pdf_issued(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool, apr_int64_t bill_id,
                         apr_int64_t invoice_id, shop_bill_pdf_t *out, const char **error);

/* The bill's issued documents, oldest first: rows of (id, kind, number,
 * issued_at, taxed_minor, currency). */
int shop_bill_pdf_list(shop_db_t *db, apr_int64_t bill_id, shop_rows_t **rows);

#endif
