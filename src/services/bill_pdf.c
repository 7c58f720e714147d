/* The PDF of a bill for its readers: see bill_pdf.h. */
#include "services/bill_pdf.h"
#include "services/document.h"
#include "services/invoicing.h"
#include "services/pdf_invoice.h"

#include <apr_lib.h>
#include <apr_strings.h>

static const shop_sql_t Q_OF_BILL = {
    "bill_pdf.of_bill",
    "SELECT id, kind, number FROM {shop}invoice WHERE id = %s AND bill_id = %s"
};
static const shop_sql_t Q_BILL_INVOICE = {
    "bill_pdf.bill_invoice",
    "SELECT id, kind, number FROM {shop}invoice WHERE bill_id = %s AND kind = 'invoice'"
};
static const char *safe_name(apr_pool_t *p, const char *prefix, const char *number)
{
    char *n = apr_pstrcat(p, prefix, "-", number ? number : "document", ".pdf", NULL);
    for (char *c = n; *c; c++)
        if (!apr_isalnum(*c) && *c != '-' && *c != '_' && *c != '.') *c = '_';
    return n;
}

/* MySQL error numbers (server 1000-4999, client 2000-2999) apart from the
 * APR and system ones. */
static shop_bill_pdf_status_t status_of(int rv)
{
    if (rv == 0) return SHOP_BILL_PDF_OK;
    if (rv >= 1000 && rv < 5000) return SHOP_BILL_PDF_UNAVAILABLE;
    return SHOP_BILL_PDF_FAILED;
}

/* The stored document of row 0 of `rows` (id, kind, number). */
static shop_bill_pdf_status_t stored(shop_db_t *db, const shop_env_t *env, const shop_rows_t *rows,
                                     shop_bill_pdf_t *out, const char **error)
{
    apr_int64_t id = shop_rows_i64(rows, 0, 0, 0);
    const char *kind = shop_rows_str(rows, 0, 1);
    out->number = shop_rows_str(rows, 0, 2);
    out->filename = safe_name(db->pool, kind && !strcmp(kind, "credit_note") ? "credit-note" : "invoice",
                              out->number);
    out->stored = 1;
    int rv = shop_invoice_read_pdf(db, env, id, &out->pdf, &out->len);
    if (rv == APR_ENOENT) {
        /* issued, but its file was never made (crash between commit and storing): make it now */
        rv = shop_invoice_store_pdf(db, env, id);
        if (rv == 0) rv = shop_invoice_read_pdf(db, env, id, &out->pdf, &out->len);
        if (rv == APR_ENOENT) rv = APR_EGENERAL;
    }
    if (rv == APR_EGENERAL) {
        *error = apr_psprintf(db->pool, "the stored PDF of %s is missing or altered (see the bill's trace)", out->number);
        return SHOP_BILL_PDF_ALTERED;
    }
    if (rv != 0) *error = apr_psprintf(db->pool, "the PDF of %s could not be read or made (%d)", out->number, rv);
    return status_of(rv);
}

shop_bill_pdf_status_t shop_bill_pdf_current(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool,
                                             apr_int64_t bill_id, shop_bill_pdf_t *out, const char **error)
{
    const char *dummy;
    if (!error) error = &dummy;
    *error = NULL;
    memset(out, 0, sizeof(*out));
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(pool, bill_id) };
    int rv = shop_db_select(db, &Q_BILL_INVOICE, 1, args, &rows);
    if (rv != 0) {
        *error = "the database failed";
        return SHOP_BILL_PDF_UNAVAILABLE;
    }
    if (rows->nrows) return stored(db, env, rows, out, error);

    shop_document_t *doc;
    if ((rv = shop_document_load_order(db, env, pool, bill_id, &doc)) != 0) {
        *error = rv == APR_EINVAL ? "the bill has too many lines or an unknown currency" : "the database failed";
        return status_of(rv);
    }
    if (!doc) return SHOP_BILL_PDF_NOT_FOUND;
    out->number = doc->number;
    out->filename = safe_name(pool, doc->kind == SHOP_DOC_PROFORMA ? "proforma" : "order", doc->number);
    shop_document_load_logo(env, pool, doc);
    return shop_pdf_invoice_render(pool, env, doc, 0, &out->pdf, &out->len, error) == APR_SUCCESS
           ? SHOP_BILL_PDF_OK : SHOP_BILL_PDF_FAILED;
}

shop_bill_pdf_status_t shop_bill_pdf_issued(shop_db_t *db, const shop_env_t *env, apr_pool_t *pool,
                                            apr_int64_t bill_id, apr_int64_t invoice_id, shop_bill_pdf_t *out,
                                            const char **error)
{
    const char *dummy;
    if (!error) error = &dummy;
    *error = NULL;
    memset(out, 0, sizeof(*out));
    shop_rows_t *rows;
    const char *args[] = { shop_db_i64(pool, invoice_id), shop_db_i64(pool, bill_id) };
    if (shop_db_select(db, &Q_OF_BILL, 2, args, &rows) != 0) {
        *error = "the database failed";
        return SHOP_BILL_PDF_UNAVAILABLE;
    }
    if (!rows->nrows) return SHOP_BILL_PDF_NOT_FOUND;
    return stored(db, env, rows, out, error);
}
