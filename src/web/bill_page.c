/* A bill for its readers (web/bill_access.h: staff, its owner, the session
 * that placed it, a signed link; anyone else the 404 of an unknown id):
 *   GET /bill/TRANSID            the page: status, lines, taxes, totals,
 *                                documents, public production feedback;
 *   GET /bill/TRANSID.pdf        its current PDF: the invoice exactly as
 *                                stored once issued, else the order sheet
 *                                (pro-forma for a WORKING bill) drawn now;
 *   GET /bill/TRANSID/documents/ID.pdf   one of its issued documents
 *                                (invoice, credit notes), as stored.
 * A stored PDF that no longer matches its SHA-256, or is missing, is never
 * sent: 500 with a message, and an error line.  PDFs go out with
 * Cache-Control: private, no-store and a file name of [A-Za-z0-9._-]. */
#include "web/pages.h"
#include "web/render.h"
#include "web/router.h"
#include "web/bill_access.h"
#include "web/services_env.h"
#include "web/log.h"

#include "httpd.h"
#include "http_protocol.h"
#include <apr_strings.h>
#include <string.h>

#include "core/html.h"
#include "core/money.h"
#include "services/bill_pdf.h"
#include "services/document.h"
#include "services/invoicing.h"

static const shop_param_t p_bill[] = {
    { "sig", SHOP_P_TOKEN, 128 }, { NULL }
};

/* "?sig=..." to keep a link reader's access on the page's own links. */
static const char *sig_query(shop_req_t *req, shop_bill_access_t how)
{
    const char *sig = shop_req_param(req, "sig");
    return how == SHOP_BILL_BY_LINK && sig ? apr_pstrcat(req->r->pool, "?sig=", sig, NULL) : "";
}

static int send_pdf(shop_req_t *req, const shop_bill_pdf_t *pdf)
{
    request_rec *r = req->r;
    apr_table_setn(r->headers_out, "Cache-Control", "private, no-store");
    apr_table_setn(r->headers_out, "Content-Disposition",
                   apr_psprintf(r->pool, "inline; filename=\"%s\"", pdf->filename));
    return shop_send_body(req, HTTP_OK, "application/pdf", pdf->pdf, pdf->len);
}

/* The PDF, or why not: the reason goes to the log, the reader gets a
 * message (the same 404 as a bill they may not read when there is none). */
static int answer(shop_req_t *req, const shop_bill_t *b, shop_bill_pdf_status_t st, const shop_bill_pdf_t *pdf,
                  const char *why)
{
    switch (st) {
    case SHOP_BILL_PDF_OK:
        return send_pdf(req, pdf);
    case SHOP_BILL_PDF_NOT_FOUND:
        return shop_render_not_found(req);
    case SHOP_BILL_PDF_UNAVAILABLE:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2201) "bill %s: PDF not served: %s", b->transid,
                      why ? why : "the database failed");
        return shop_render_unavailable(req);
    case SHOP_BILL_PDF_ALTERED:
    case SHOP_BILL_PDF_FAILED:
        break;
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2202) "bill %s: PDF not served: %s", b->transid,
                  why ? why : "unknown error");
    return shop_render_error(req, HTTP_INTERNAL_SERVER_ERROR, "document_unavailable",
                             st == SHOP_BILL_PDF_ALTERED ? "billpage_error_integrity" : "billpage_error_render", NULL);
}

static int bill_pdf(shop_req_t *req, const char *transid)
{
    shop_bill_t *b = shop_bill_open_readable(req, transid, NULL);
    if (!b) return OK;
    shop_bill_pdf_t pdf;
    const char *why = NULL;
    shop_bill_pdf_status_t st = shop_bill_pdf_current(shop_req_db(req), shop_req_env(req), req->r->pool, b->id,
                                                      &pdf, &why);
    return answer(req, b, st, &pdf, why);
}

static int page_document(shop_req_t *req)
{
    const char *file = req->captures[1];
    size_t n = strlen(file);
    if (n < 5 || strcmp(file + n - 4, ".pdf") != 0) return shop_render_not_found(req);
    apr_int64_t id = shop_parse_id(apr_pstrmemdup(req->r->pool, file, n - 4));
    if (!id) return shop_render_not_found(req);
    shop_bill_t *b = shop_bill_open_readable(req, req->captures[0], NULL);
    if (!b) return OK;
    shop_bill_pdf_t pdf;
    const char *why = NULL;
    shop_bill_pdf_status_t st = shop_bill_pdf_issued(shop_req_db(req), shop_req_env(req), req->r->pool, b->id, id,
                                                     &pdf, &why);
    return answer(req, b, st, &pdf, why);
}

/* ------------------------------------------------------------- the page */

static void add_str(json_object *o, const char *name, const char *v)
{
    if (v && *v) json_object_object_add(o, name, json_object_new_string(v));
}

static const char *money(shop_req_t *req, const shop_document_t *d, apr_int64_t v)
{
    return shop_money_pformat(req->r->pool, v, d->currency, shop_req_lang(req));
}

static const char *day(shop_req_t *req, apr_int64_t t)
{
    return shop_document_date(req->r->pool, req->rt->i18n, shop_req_lang(req), t);
}

static const char *rate_text(shop_req_t *req, const char *rate)
{
    return shop_document_rate(req->r->pool, shop_req_lang(req), rate);
}

static json_object *lines_json(shop_req_t *req, const shop_document_t *d)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < d->nlines; i++) {
        const shop_doc_line_t *l = &d->lines[i];
        json_object *o = json_object_new_object();
        add_str(o, "type", l->type);
        add_str(o, "code", l->code);
        add_str(o, "label", l->label);
        json_object_object_add(o, "quantity", json_object_new_int64(l->quantity));
        add_str(o, "unit_text", money(req, d, l->unit_minor));
        add_str(o, "rate_text", l->tax_id ? rate_text(req, l->rate) : "—");
        add_str(o, "untaxed_text", money(req, d, l->untaxed_minor));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *taxes_json(shop_req_t *req, const shop_document_t *d)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < d->ntaxes; i++) {
        json_object *o = json_object_new_object();
        add_str(o, "title", d->taxes[i].title);
        add_str(o, "rate_text", d->taxes[i].tax_id ? rate_text(req, d->taxes[i].rate) : "—");
        add_str(o, "base_text", money(req, d, d->taxes[i].base_minor));
        add_str(o, "amount_text", money(req, d, d->taxes[i].amount_minor));
        json_object_array_add(a, o);
    }
    return a;
}

/* The issued documents (services/invoicing.h), in the bill's currency. */
static json_object *documents_json(shop_req_t *req, const shop_bill_t *b, const shop_document_t *d, const char *query)
{
    shop_rows_t *rows;
    json_object *a = json_object_new_array();
    if (shop_invoice_list(shop_req_db(req), b->id, &rows) != 0) return a;
    for (int i = 0; i < rows->nrows; i++) {
        json_object *o = json_object_new_object();
        const char *kind = shop_rows_str(rows, i, 1);
        add_str(o, "kind_text", shop_req_text(req, kind && !strcmp(kind, "credit_note") ? "doc_title_credit_note"
                                                                                        : "doc_title_invoice"));
        add_str(o, "number", shop_rows_str(rows, i, 2));
        add_str(o, "date", day(req, shop_rows_i64(rows, i, 3, 0)));
        add_str(o, "amount_text", money(req, d, shop_rows_i64(rows, i, 4, 0)));
        add_str(o, "url", apr_psprintf(req->r->pool, "/bill/%s/documents/%" APR_INT64_T_FMT ".pdf%s", b->transid,
                                       shop_rows_i64(rows, i, 0, 0), query));
        json_object_array_add(a, o);
    }
    return a;
}

static void buyer_json(json_object *data, const shop_document_t *d)
{
    json_object *o = json_object_new_object();
    add_str(o, "name", d->buyer.name);
    add_str(o, "department", d->buyer.department);
    if (d->buyer.organisation) add_str(o, "person", d->buyer.person);
    add_str(o, "address", d->buyer.address);
    add_str(o, "zip", d->buyer.zip);
    add_str(o, "city", d->buyer.city);
    add_str(o, "country", d->buyer.country);
    add_str(o, "vat_number", d->buyer.vat_number);
    add_str(o, "siren", d->buyer.siren);
    add_str(o, "engagement_number", d->buyer.engagement_number);
    add_str(o, "service_code", d->buyer.service_code);
    json_object_object_add(data, "buyer", o);
}

static int bill_page(shop_req_t *req, const char *transid)
{
    shop_bill_access_t how;
    shop_bill_t *b = shop_bill_open_readable(req, transid, &how);
    if (!b) return OK;
    shop_document_t *d;
    int rv = shop_document_load_bill(shop_req_db(req), shop_req_env(req), req->r->pool, b->id, &d);
    if (rv != 0 || !d) return shop_render_unavailable(req);

    const char *query = sig_query(req, how);
    json_object *data = json_object_new_object();
    add_str(data, "title", shop_req_text(req, shop_document_title_key(d->kind)));
    add_str(data, "number", d->number);
    add_str(data, "order_number", d->order_number);
    add_str(data, "transid", d->transid);
    add_str(data, "status", d->status);
    char *status_key = apr_pstrcat(req->r->pool, "bill_status_", d->status, NULL);
    ap_str_tolower(status_key);
    add_str(data, "status_text", shop_req_text(req, status_key));
    const char *notice = shop_document_notice_key(d->kind);
    if (notice) add_str(data, "notice", shop_req_text(req, notice));
    add_str(data, "date", day(req, d->issued_at));
    if (d->due_at) add_str(data, "due_date", day(req, d->due_at));
    buyer_json(data, d);
    json_object_object_add(data, "lines", lines_json(req, d));
    json_object_object_add(data, "taxes", taxes_json(req, d));
    add_str(data, "untaxed_text", money(req, d, d->untaxed_minor));
    add_str(data, "taxes_text", money(req, d, d->taxes_minor));
    add_str(data, "taxed_text", money(req, d, d->taxed_minor));
    add_str(data, "paid_text", money(req, d, d->paid_minor));
    add_str(data, "remaining_text", money(req, d, d->remaining_minor));
    add_str(data, "pdf_url", apr_psprintf(req->r->pool, "/bill/%s.pdf%s", d->transid, query));
    json_object *docs = documents_json(req, b, d, query);
    json_object_object_add(data, "has_documents", json_object_new_boolean(json_object_array_length(docs) > 0));
    json_object_object_add(data, "documents", docs);
    const char *clean = NULL, *err = NULL;
    if (d->feedback_public
        && shop_html_sanitize(req->r->pool, d->feedback_public, strlen(d->feedback_public), &clean, &err) == APR_SUCCESS)
        add_str(data, "feedback_html", clean);
    if (how == SHOP_BILL_BY_STAFF) add_str(data, "admin_url", apr_psprintf(req->r->pool, "/admin/bills/%" APR_INT64_T_FMT, d->bill_id));
    apr_table_setn(req->r->headers_out, "Cache-Control", "private, no-store");
    return shop_render_page(req, HTTP_OK, "front/bill", data);
}

static int page_bill(shop_req_t *req)
{
    const char *t = req->captures[0];
    size_t n = strlen(t);
    if (n > 4 && !strcmp(t + n - 4, ".pdf")) return bill_pdf(req, apr_pstrmemdup(req->r->pool, t, n - 4));
    return bill_page(req, t);
}

/* /order/TRANSID: where a buyer lands once nothing is left to pay (CONTRACT
 * §3: the status after payment): the bill page, without the PDF variant. */
static int page_order(shop_req_t *req)
{
    return bill_page(req, req->captures[0]);
}

const shop_route_t shop_bill_page_routes[] = {
    /* /bill/TRANSID and /bill/TRANSID.pdf: one segment, told apart by the handler */
    { "GET", "/bill/{transid}", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_bill, page_bill, 0 },
    { "GET", "/bill/{transid}/documents/{file}", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_bill,
      page_document, 0 },
    { "GET", "/order/{transid}", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_bill, page_order, 0 },
    { NULL }
};
