/* The PDF a bill's reader gets (the bill page's download, shopctl bill
 * pdf): an issued document exactly as stored, never drawn again; before the
 * invoice, the order sheet or pro-forma drawn now from the database. */
#ifndef SHOP_SERVICES_BILL_PDF_H
#define SHOP_SERVICES_BILL_PDF_H

#include "data/db.h"
#include "services/env.h"

typedef enum {
    SHOP_BILL_PDF_OK = 0,
    SHOP_BILL_PDF_NOT_FOUND,   /* no such bill, or no such document of it */
    SHOP_BILL_PDF_ALTERED,     /* the stored file is missing or does not match its SHA-256: never served */
    SHOP_BILL_PDF_UNAVAILABLE, /* the database failed */
    SHOP_BILL_PDF_FAILED       /* it could not be drawn or stored (fonts, disk, too many lines) */
} shop_bill_pdf_status_t;

typedef struct shop_bill_pdf {
    const char *pdf;           /* in the pool given */
    apr_size_t len;
    const char *filename;      /* [A-Za-z0-9._-] only: "invoice-F2026-000001.pdf", "order-B-20260115-12.pdf" */
    const char *number;        /* the document's number */
    int stored;                /* an issued document, served as stored */
} shop_bill_pdf_t;

/* The current PDF of bill_id: its invoice, as stored (made and stored first
 * when a crash after issuing left it without its file), else the order
 * sheet / pro-forma drawn now.  *error (may be NULL) says what went wrong,
 * in English, for the log; an altered file is also recorded in the bill's
 * trace. */
shop_bill_pdf_status_t shop_bill_pdf_current(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool,
                                             apr_int64_t bill_id, shop_bill_pdf_t *out, const char **error);

/* Issued document invoice_id (invoice or credit note) of bill_id, as
 * stored; NOT_FOUND when it is not one of that bill's.  As above. */
shop_bill_pdf_status_t shop_bill_pdf_issued(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool,
                                            apr_int64_t bill_id, apr_int64_t invoice_id, shop_bill_pdf_t *out,
                                            const char **error);

#endif
