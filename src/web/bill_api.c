/* The bill API (CONTRACT §4):
 *   GET  /api/v1/bills/TRANSID              the bill: owner, staff, the session that placed it,
 *                                           or a signed link (?sig=); staff also get its documents
 *                                           and the transitions they may apply
 *   POST /api/v1/bills/TRANSID/transition   {"to","reason","raw"}: staff; raw: site admins
 *   POST /api/v1/bills/TRANSID/payments     {"amount_minor","reference","date","paymode"}: staff,
 *                                           an offline payment, applied as a gateway's would be
 * A bill this request may not read is the same 404 as an unknown one. */
#include "web/bill_access.h"
#include "web/render.h"
#include "web/router.h"
#include "web/services_env.h"
#include "web/log.h"

#include "httpd.h"
#include "http_protocol.h"
#include <apr_strings.h>
#include <apr_time.h>
#include <string.h>

#include "core/bill_state.h"
#include "core/currency.h"
#include "core/money.h"
#include "core/jsonbody.h"
#include "core/paymode.h"
#include "core/validate.h"
#include "services/bill_workflow.h"
#include "services/document.h"
#include "services/invoicing.h"
#include "services/payment_apply.h"

#define REASON_MAX       1000            /* characters of a reason */
#define REFERENCE_MAX    128             /* payment_event.event_id */
#define AMOUNT_MAX       ((apr_int64_t)1000000000000000LL)   /* 10^13 major units: a typo, not a payment */
#define FIRST_YEAR       2000            /* an offline payment older than that is a typo */

/* ------------------------------------------------------------ reading */

static json_object *i64(apr_int64_t v)
{
    return json_object_new_int64(v);
}

static json_object *lines_json(const shop_bill_t *b)
{
    json_object *lines = json_object_new_array();
    for (int i = 0; i < b->lines->nrows; i++) {
        json_object *l = json_object_new_object();
        json_object_object_add(l, "line_no", i64(shop_rows_i64(b->lines, i, 1, 0)));
        json_object_object_add(l, "type", json_object_new_string(shop_rows_str(b->lines, i, 2)));
        json_object_object_add(l, "code", json_object_new_string(shop_rows_str(b->lines, i, 3)));
        json_object_object_add(l, "label", json_object_new_string(shop_rows_str(b->lines, i, 4)));
        json_object_object_add(l, "quantity", i64(shop_rows_i64(b->lines, i, 5, 0)));
        json_object_object_add(l, "unit_minor", i64(shop_rows_i64(b->lines, i, 6, 0)));
        json_object_object_add(l, "untaxed_minor", i64(shop_rows_i64(b->lines, i, 7, 0)));
        /* an exact decimal, as stored: never a float */
        json_object_object_add(l, "tax_rate", json_object_new_string(shop_rows_str(b->lines, i, 8)));
        json_object_object_add(l, "tax_minor", i64(shop_rows_i64(b->lines, i, 9, 0)));
        json_object_object_add(l, "total_minor", i64(shop_rows_i64(b->lines, i, 10, 0)));
        json_object_array_add(lines, l);
    }
    return lines;
}

/* What is still to pay (never below zero). */
static apr_int64_t due_of(const shop_bill_t *b)
{
    return b->to_pay_minor > b->paid_minor ? b->to_pay_minor - b->paid_minor : 0;
}

/* The fields every bill answer carries: the bill GET, a payment's answer. */
static json_object *summary_json(const shop_bill_t *b)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "transid", json_object_new_string(b->transid));
    json_object_object_add(o, "status", json_object_new_string(b->status));
    json_object_object_add(o, "invoice_number", shop_json_string_or_null(b->invoice_number));
    json_object_object_add(o, "paid_minor", i64(b->paid_minor));
    json_object_object_add(o, "to_pay_minor", i64(due_of(b)));
    json_object_object_add(o, "currency", json_object_new_string(b->currency));
    return o;
}

static json_object *bill_json(const shop_bill_t *b)
{
    json_object *o = summary_json(b), *totals = json_object_new_object();
    json_object_object_add(o, "lines", lines_json(b));
    json_object_object_add(totals, "untaxed_minor", i64(b->untaxed_minor));
    json_object_object_add(totals, "taxes_minor", i64(b->taxes_minor));
    json_object_object_add(totals, "taxed_minor", i64(b->taxed_minor));
    json_object_object_add(totals, "discount_minor", i64(b->discount_minor));
    json_object_object_add(totals, "shipping_minor", i64(b->shipping_minor));
    json_object_object_add(totals, "to_pay_minor", i64(b->to_pay_minor));
    json_object_object_add(o, "totals", totals);
    return o;
}

/* Where an issued document is served as stored (web/bill_page.c). */
static const char *document_url(shop_req_t *req, const char *transid, const char *id)
{
    return apr_pstrcat(req->r->pool, req->conf->public_path, "/bill/", transid, "/documents/", id, ".pdf", NULL);
}

static int staff_json(shop_req_t *req, const shop_bill_t *b, json_object *o)
{
    shop_rows_t *docs;
    shop_bill_status_t st;
    const shop_bill_transition_t *next[SHOP_BS_COUNT];
    json_object *arr = json_object_new_array(), *allowed = json_object_new_array();

    json_object_object_add(o, "documents", arr);
    json_object_object_add(o, "allowed_transitions", allowed);
    if (shop_invoice_list(shop_req_db(req), b->id, &docs) != 0) return -1;
    for (int i = 0; i < docs->nrows; i++) {
        json_object *d = json_object_new_object();
        const char *kind = shop_rows_str(docs, i, 1);
        json_object_object_add(d, "kind", json_object_new_string(kind));
        json_object_object_add(d, "number", json_object_new_string(shop_rows_str(docs, i, 2)));
        json_object_object_add(d, "url", json_object_new_string(document_url(req, b->transid, shop_rows_str(docs, i, 0))));
        json_object_array_add(arr, d);
    }
    if (shop_bill_status_parse(b->status, &st) == 0) {
        int n = shop_bill_transitions_from(st, SHOP_BT_STAFF, next, SHOP_BS_COUNT);
        for (int i = 0; i < n; i++)
            json_object_array_add(allowed, json_object_new_string(shop_bill_status_name(next[i]->to)));
    }
    return 0;
}

static int api_bill_get(shop_req_t *req)
{
    shop_bill_access_t how;
    shop_bill_t *b = shop_bill_open_readable(req, req->captures[0], &how);
    if (!b) return OK;
    json_object *o = bill_json(b);
    if (how == SHOP_BILL_BY_STAFF && staff_json(req, b, o) != 0) {
        json_object_put(o);
        return shop_render_unavailable(req);
    }
    return shop_render_json(req, HTTP_OK, o);
}

/* ------------------------------------------------------------ errors */

/* An error whose message was already made (placeholders filled). */
static int error_text(shop_req_t *req, int status, const char *code, const char *message, json_object *fields)
{
    json_object *err = json_object_new_object(), *body = json_object_new_object();
    json_object_object_add(err, "code", json_object_new_string(code));
    json_object_object_add(err, "message", json_object_new_string(message));
    if (fields) json_object_object_add(err, "fields", fields);
    json_object_object_add(body, "error", err);
    return shop_render_json(req, status, body);
}

static void field(json_object **fields, const char *name, const char *key)
{
    if (!*fields) *fields = json_object_new_object();
    if (!json_object_object_get_ex(*fields, name, NULL))
        json_object_object_add(*fields, name, json_object_new_string(key));
}

static int invalid(shop_req_t *req, json_object *fields)
{
    return shop_render_error(req, HTTP_BAD_REQUEST, "invalid_request", "bills_api_error_invalid", fields);
}

/* Fields other than `known` are refused: a misspelt "raw" must not pass
 * silently as a normal transition. */
static void unknown_fields(json_object *body, const char *const *known, json_object **fields)
{
    json_object_object_foreach(body, key, val) {
        int ok = 0;
        (void)val;
        for (int i = 0; known[i] && !ok; i++) ok = !strcmp(key, known[i]);
        if (!ok) field(fields, key, "bills_api_error_unknown_field");
    }
}

static apr_int64_t bill_id_of(shop_req_t *req, int *failed)
{
    apr_int64_t id = 0;
    *failed = shop_bill_id_by_transid(shop_req_db(req), req->captures[0], &id) != 0;
    return id;
}

/* ------------------------------------------------------------ transitions */

/* from -> to as applied; status: the bill's state now, after the work that
 * follows (production may have moved a SOLDOUT bill on to COMPLETE). */
static json_object *transition_json(shop_req_t *req, const shop_tr_result_t *res)
{
    json_object *o = json_object_new_object();
    shop_bill_t *b = NULL;
    const char *to = shop_bill_status_name(res->to);
    if (shop_bill_head_by_transid(shop_req_db(req), req->captures[0], &b) != 0) b = NULL;
    json_object_object_add(o, "transid", json_object_new_string(req->captures[0]));
    json_object_object_add(o, "from", json_object_new_string(shop_bill_status_name(res->from)));
    json_object_object_add(o, "to", json_object_new_string(to));
    json_object_object_add(o, "status", json_object_new_string(b ? b->status : to));
    json_object_object_add(o, "changed", json_object_new_boolean(res->status == SHOP_TR_OK));
    json_object_object_add(o, "invoice_number", shop_json_string_or_null(res->invoice_number));
    json_object_object_add(o, "credit_note_number", shop_json_string_or_null(res->credit_note_number));
    return o;
}

static int api_bill_transition(shop_req_t *req)
{
    static const char *const known[] = { "to", "reason", "raw", NULL };
    json_object *fields = NULL;
    const char *to_name = NULL, *reason = NULL;
    shop_bill_status_t to = SHOP_BS_WORKING;
    int raw = 0, failed;
    apr_status_t st;

    unknown_fields(req->json, known, &fields);
    st = shop_json_get_string(req->r->pool, req->json, "to", 16, &to_name);
    if (st != APR_SUCCESS) field(&fields, "to", st == APR_NOTFOUND ? "bills_api_error_required" : "bills_api_error_state");
    else if (shop_bill_status_parse(to_name, &to) != 0) field(&fields, "to", "bills_api_error_state");
    st = shop_json_get_bool(req->json, "raw", &raw);
    if (st != APR_SUCCESS && st != APR_NOTFOUND) field(&fields, "raw", "bills_api_error_boolean");
    st = shop_json_get_string(req->r->pool, req->json, "reason", REASON_MAX * 4, &reason);
    if (st == APR_NOTFOUND) reason = NULL;
    else if (st != APR_SUCCESS) field(&fields, "reason", st == APR_ENOSPC ? "bills_api_error_reason_long" : "bills_api_error_reason");
    else {
        const char *why = shop_validate_text(reason, REASON_MAX, 1);
        if (why && !strcmp(why, "error_required")) reason = NULL;      /* blank: not given */
        else if (why) field(&fields, "reason", !strcmp(why, "error_text_too_long") ? "bills_api_error_reason_long"
                                                                                  : "bills_api_error_reason");
    }
    if (fields) return invalid(req, fields);
    shop_actor_t actor = shop_req_actor(req);
    if (raw && !actor.is_admin)
        return shop_render_error(req, HTTP_FORBIDDEN, "forbidden", "bills_api_error_raw_admin", NULL);
    if (shop_bill_reason_required(to, raw) && !reason) {
        field(&fields, "reason", "bills_api_error_reason_required");
        return invalid(req, fields);
    }
    apr_int64_t bill_id = bill_id_of(req, &failed);
    if (failed) return shop_render_unavailable(req);
    if (!bill_id) return shop_render_not_found(req);

    shop_tr_result_t res;
    int rv = shop_bill_transition(shop_req_db(req), shop_req_env(req), bill_id, to, &actor, reason,
                                  raw ? SHOP_TR_RAW : 0, req->now, &res);
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2000) "bill %s: transition to %s failed "
                      "(MySQL error %d): nothing changed", req->captures[0], to_name, rv);
        return shop_render_unavailable(req);
    }
    switch (res.status) {
    case SHOP_TR_OK:
    case SHOP_TR_NOOP:
        return shop_render_json(req, HTTP_OK, transition_json(req, &res));
    case SHOP_TR_NOT_FOUND:
        return shop_render_not_found(req);
    case SHOP_TR_FORBIDDEN:
        return shop_render_error(req, HTTP_FORBIDDEN, "forbidden", "bills_api_error_raw_admin", NULL);
    case SHOP_TR_INCOMPLETE:
        return shop_render_error(req, HTTP_CONFLICT, "bill_incomplete", !strcmp(res.missing, "customer")
                                 ? "bills_api_error_needs_customer" : "bills_api_error_needs_lines", NULL);
    default: {
        apr_pool_t *p = req->r->pool;
        const char *msg = shop_req_text(req, "bills_api_error_illegal");
        msg = shop_document_fill(p, msg, "from", shop_bill_status_name(res.from));
        msg = shop_document_fill(p, msg, "to", shop_bill_status_name(res.to));
        return error_text(req, HTTP_CONFLICT, "illegal_transition", msg, NULL);
    }
    }
}

/* ------------------------------------------------------------ payments */

/* YYYY-MM-DD, a real day, from FIRST_YEAR to today (server's local date). */
static const char *check_date(const char *s, apr_int64_t now)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, m, d;
    apr_time_exp_t today;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return "bills_api_error_date";
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return "bills_api_error_date";
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < FIRST_YEAR || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
        return "bills_api_error_date";
    apr_time_exp_lt(&today, apr_time_from_sec(now));
    if (y * 10000 + m * 100 + d > (today.tm_year + 1900) * 10000 + (today.tm_mon + 1) * 100 + today.tm_mday)
        return "bills_api_error_date_future";
    return NULL;
}

static const char *check_reference(const char *s)
{
    apr_size_t n = strlen(s);
    if (n == 0 || n > REFERENCE_MAX) return "bills_api_error_reference";
    for (apr_size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) return "bills_api_error_reference";
    /* a reference is compared as typed: edge blanks would make two of one payment */
    if (s[0] == ' ' || s[n - 1] == ' ') return "bills_api_error_reference";
    return NULL;
}

typedef struct payment_in {
    apr_int64_t amount;
    const char *reference, *date, *paymode;
} payment_in_t;

static json_object *payment_fields(shop_req_t *req, payment_in_t *in)
{
    static const char *const known[] = { "amount_minor", "reference", "date", "paymode", NULL };
    json_object *fields = NULL;
    apr_pool_t *p = req->r->pool;
    const char *why;
    apr_status_t st;

    unknown_fields(req->json, known, &fields);
    st = shop_json_get_int64_range(req->json, "amount_minor", 1, AMOUNT_MAX, &in->amount);
    if (st != APR_SUCCESS) field(&fields, "amount_minor", st == APR_NOTFOUND ? "bills_api_error_required" : "bills_api_error_amount");
    st = shop_json_get_string(p, req->json, "reference", REFERENCE_MAX * 4, &in->reference);
    if (st != APR_SUCCESS) field(&fields, "reference", st == APR_NOTFOUND ? "bills_api_error_required" : "bills_api_error_reference");
    else if ((why = check_reference(in->reference))) field(&fields, "reference", why);
    st = shop_json_get_string(p, req->json, "date", 16, &in->date);
    if (st != APR_SUCCESS) field(&fields, "date", st == APR_NOTFOUND ? "bills_api_error_required" : "bills_api_error_date");
    else if ((why = check_date(in->date, req->now))) field(&fields, "date", why);
    st = shop_json_get_string(p, req->json, "paymode", 16, &in->paymode);
    if (st != APR_SUCCESS) field(&fields, "paymode", st == APR_NOTFOUND ? "bills_api_error_required" : "bills_api_error_paymode");
    else if (shop_paymode_kind(in->paymode) != SHOP_PAYMODE_OFFLINE) field(&fields, "paymode", "bills_api_error_paymode");
    return fields;
}

static int payment_answer(shop_req_t *req, const shop_pay_result_t *res, int duplicate)
{
    shop_bill_t *b;
    if (shop_bill_head_by_transid(shop_req_db(req), req->captures[0], &b) != 0 || !b) return shop_render_unavailable(req);
    json_object *o = summary_json(b);
    json_object_object_add(o, "duplicate", json_object_new_boolean(duplicate));
    json_object_object_add(o, "payment_id", i64(res->event_id));
    return shop_render_json(req, duplicate ? HTTP_OK : HTTP_CREATED, o);
}

static int mismatch_answer(shop_req_t *req, const shop_bill_t *b, const char *detail, int replay)
{
    apr_pool_t *p = req->r->pool;
    json_object *fields = NULL;
    const char *msg;
    if (replay) {
        msg = shop_req_text(req, "bills_api_error_replay_refused");
        field(&fields, "reference", "bills_api_error_replay_refused");
    } else if (!strcmp(detail, "amount")) {
        const shop_currency_t *cur = shop_currency_get(b->currency);
        msg = shop_document_fill(p, shop_req_text(req, "bills_api_error_overpaid"), "due",
                                 cur ? shop_money_pformat(p, due_of(b), cur, shop_req_lang(req))
                                     : apr_psprintf(p, "%" APR_INT64_T_FMT, due_of(b)));
        field(&fields, "amount_minor", "bills_api_error_overpaid_field");
    } else if (!strcmp(detail, "currency")) {
        msg = shop_req_text(req, "bills_api_error_currency");
    } else {
        msg = shop_document_fill(p, shop_req_text(req, "bills_api_error_payment_state"), "status", b->status);
    }
    if (fields) {
        json_object *translated = json_object_new_object();
        json_object_object_foreach(fields, name, key)
            json_object_object_add(translated, name, json_object_new_string(shop_req_text(req, json_object_get_string(key))));
        json_object_put(fields);
        fields = translated;
    }
    return error_text(req, HTTP_CONFLICT, "payment_mismatch", msg, fields);
}

static int api_bill_payment(shop_req_t *req)
{
    payment_in_t in = { 0 };
    json_object *fields = payment_fields(req, &in);
    if (fields) return invalid(req, fields);

    shop_db_t *db = shop_req_db(req);
    shop_bill_t *b;
    if (!db || shop_bill_head_by_transid(db, req->captures[0], &b) != 0) return shop_render_unavailable(req);
    if (!b) return shop_render_not_found(req);

    shop_actor_t actor = shop_req_actor(req);
    shop_pay_event_t ev = {
        .gateway = in.paymode, .event_id = in.reference, .transid = b->transid, .amount_minor = in.amount,
        .currency = b->currency, .outcome = "paid", .paid_on = in.date, .remote_ip = req->r->useragent_ip
    };
    shop_pay_result_t res;
    int rv = shop_payment_apply(db, shop_req_env(req), &ev, &actor, req->now, &res);
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2001) "bill %s: payment %s not recorded "
                      "(MySQL error %d): nothing changed", b->transid, in.reference, rv);
        return shop_render_unavailable(req);
    }
    switch (res.status) {
    case SHOP_PAY_APPLIED:
        return payment_answer(req, &res, 0);
    case SHOP_PAY_DUPLICATE:
        if (res.detail && !strcmp(res.detail, "other_bill")) {
            json_object *f = NULL;
            field(&f, "reference", "bills_api_error_reference_used");
            return shop_render_error(req, HTTP_CONFLICT, "reference_used", "bills_api_error_reference_used", f);
        }
        if (res.detail && !strcmp(res.detail, "mismatch")) return mismatch_answer(req, b, "", 1);
        return payment_answer(req, &res, 1);
    case SHOP_PAY_MISMATCH:
        return mismatch_answer(req, b, res.detail ? res.detail : "state", 0);
    case SHOP_PAY_UNKNOWN_BILL:
        return shop_render_not_found(req);
    default:
        return payment_answer(req, &res, 0);
    }
}

/* ------------------------------------------------------------ routes */

static const shop_param_t p_get[] = { { "sig", SHOP_P_TOKEN, 128 }, { NULL } };

const shop_route_t shop_bill_api_routes[] = {
    { "GET",  "/api/v1/bills/{transid}", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_get, api_bill_get, SHOP_ROUTE_API },
    { "POST", "/api/v1/bills/{transid}/transition", SHOP_ROLE_STAFF, 1, SHOP_BODY_JSON, 8192, NULL,
      api_bill_transition, SHOP_ROUTE_API },
    { "POST", "/api/v1/bills/{transid}/payments", SHOP_ROLE_STAFF, 1, SHOP_BODY_JSON, 4096, NULL,
      api_bill_payment, SHOP_ROUTE_API },
    { NULL }
};
