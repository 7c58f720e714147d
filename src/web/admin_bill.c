/* GET /admin/bills/{id}: one bill for staff -- header, lines with totals
 * and per-rate taxes, payments, audit trail, the transitions staff may ask
 * for in this state (core/bill_state.h), a raw change for site admins, an
 * offline payment form, production feedback and its retry, documents,
 * staff notes -- and the POST actions of those forms.
 *
 * Every action answers 303 back to the page with ?done=WHAT when it worked;
 * a refusal renders the page again with the message (and the field errors
 * of the form that was sent) at the status that says why: 400 bad input,
 * 403 raw change by someone who is not a site admin (the route already
 * demands it), 404 no bill, 409 not allowed in the bill's current state.
 * Nothing is written by a refused action. */
#include "web/admin_bills.h"
#include "web/admin_form.h"
#include "web/render.h"
#include "web/services_env.h"
#include "web/log.h"

#include "http_log.h"
#include "http_protocol.h"
#include <apr_lib.h>
#include <apr_strings.h>
#include <json.h>

#include "core/bill_recalc.h"
#include "core/bill_state.h"
#include "core/html.h"
#include "core/money.h"
#include "core/paymode.h"
#include "data/bill_admin_repo.h"
#include "services/bill_workflow.h"
#include "services/payment_apply.h"

#define REASON_MAX      2000
#define NOTE_MAX        4000
#define REFERENCE_MAX   128
#define MAX_BUTTONS     SHOP_BS_COUNT

/* A refused action: shown on the page. */
typedef struct problem {
    int status;
    const char *message;       /* translated */
    const char *form;          /* "transition", "raw", "payment", "note", "produce" */
    shop_form_t *f;            /* values and field errors of that form, or NULL */
} problem_t;

static json_object *str_or_null(const char *s)
{
    return s && *s ? json_object_new_string(s) : NULL;
}

static void add(json_object *o, const char *key, json_object *v)
{
    if (v) json_object_object_add(o, key, v);
}

/* Staff-visible HTML written by the shop's actions: sanitized before the
 * template prints it raw. */
static json_object *safe_html(shop_req_t *req, const char *html)
{
    const char *clean = NULL, *err = NULL;
    if (!html || !*html || shop_html_sanitize(req->r->pool, html, strlen(html), &clean, &err) != APR_SUCCESS)
        return NULL;
    return *clean ? json_object_new_string(clean) : NULL;
}

/* {public, private, salesadmin} of a production_feedback column. */
static json_object *feedback(shop_req_t *req, const char *text)
{
    if (!text || !*text) return NULL;
    json_object *doc = json_tokener_parse(text), *out = NULL;
    if (!doc) return NULL;
    static const char *const parts[] = { "public", "private", "salesadmin" };
    for (int i = 0; i < 3; i++) {
        json_object *v;
        if (!json_object_object_get_ex(doc, parts[i], &v) || !json_object_is_type(v, json_type_string)) continue;
        json_object *html = safe_html(req, json_object_get_string(v));
        if (!html) continue;
        if (!out) out = json_object_new_object();
        json_object_object_add(out, parts[i], html);
    }
    json_object_put(doc);
    return out;
}

static json_object *identity(shop_req_t *req, const char *text)
{
    static const char *const keys[] = { "organisation", "department", "firstname", "lastname", "address", "zip",
                                        "city", "country", "email", "phone", "vat_number" };
    json_object *doc = text ? json_tokener_parse(text) : NULL, *a = NULL;
    if (!doc) return NULL;
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_object *v;
        if (!json_object_object_get_ex(doc, keys[i], &v) || !json_object_is_type(v, json_type_string)
            || !*json_object_get_string(v))
            continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "label", json_object_new_string(
            shop_req_text(req, apr_pstrcat(req->r->pool, "customer_field_", keys[i], NULL))));
        json_object_object_add(o, "value", json_object_new_string(json_object_get_string(v)));
        if (!a) a = json_object_new_array();
        json_object_array_add(a, o);
    }
    json_object_put(doc);
    return a;
}

static json_object *header(shop_req_t *req, const shop_bill_admin_t *b)
{
    apr_pool_t *p = req->r->pool;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(b->id));
    json_object_object_add(o, "order_number", json_object_new_string(shop_order_number(p, b->id, b->created_at)));
    json_object_object_add(o, "transid", json_object_new_string(b->transid));
    json_object_object_add(o, "status", json_object_new_string(b->status));
    json_object_object_add(o, "status_label", json_object_new_string(shop_abill_state_label(req, b->status)));
    json_object_object_add(o, "shop", json_object_new_string(b->shop_name ? b->shop_name : ""));
    json_object_object_add(o, "shop_id", json_object_new_int64(b->shop_id));
    json_object_object_add(o, "currency", json_object_new_string(b->currency));
    add(o, "title", str_or_null(b->title));
    add(o, "version", json_object_new_int(b->version));
    if (b->customer_id) {
        json_object_object_add(o, "customer_id", json_object_new_int64(b->customer_id));
        add(o, "customer", str_or_null(shop_abill_person(p, b->customer_firstname, b->customer_lastname,
                                                         b->customer_id)));
        add(o, "customer_email", str_or_null(b->customer_email));
        add(o, "customer_organisation", str_or_null(b->customer_organisation));
        if (b->customer_userid) json_object_object_add(o, "customer_userid", json_object_new_int64(b->customer_userid));
    }
    json_object *who = identity(req, b->invoicing_identity);
    if (who) {
        json_object_object_add(o, "identity", who);
        json_object_object_add(o, "has_identity", json_object_new_boolean(1));
    }
    if (b->paymode) {
        json_object_object_add(o, "paymode", json_object_new_string(b->paymode));
        json_object_object_add(o, "paymode_label", json_object_new_string(
            shop_req_text(req, apr_pstrcat(p, "paymode_", b->paymode, NULL))));
    }
    add(o, "gateway_ref", str_or_null(b->gateway_ref));
    add(o, "invoice_number", str_or_null(b->invoice_number));
    add(o, "engagement_number", str_or_null(b->engagement_number));
    add(o, "partner_tag", str_or_null(b->partner_tag));
    struct { const char *key; apr_int64_t t; int with_time; } dates[] = {
        { "created", b->created_at, 1 }, { "placed", b->placed_at, 1 }, { "paid_at", b->paid_at, 1 },
        { "invoiced", b->invoiced_at, 1 }, { "sale", b->sale_at, 0 }, { "due", b->due_at, 0 },
        { "expected", b->expected_payment_at, 0 }, { "modified", b->modified_at, 1 },
    };
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
        add(o, dates[i].key, shop_json_string_or_null(dates[i].with_time ? shop_abill_datetime(req, dates[i].t)
                                                                        : shop_abill_day(req, dates[i].t)));
    if (b->assigned_userid)
        add(o, "assigned", str_or_null(shop_abill_person(p, b->assigned_firstname, b->assigned_lastname,
                                                         b->assigned_userid)));
    if (b->test) json_object_object_add(o, "test", json_object_new_boolean(1));
    if (!strcmp(b->status, "WORKING")) json_object_object_add(o, "editable", json_object_new_boolean(1));
    return o;
}

static const char *rate_text(apr_pool_t *p, const char *stored)
{
    shop_dec_t d;
    if (!stored || shop_dec_parse(stored, &d) != APR_SUCCESS) return stored;
    return apr_pstrcat(p, shop_dec_pstr(p, d), " %", NULL);
}

/* The lines, and the totals block with the per-rate taxes (sums of the
 * stored line amounts: nothing is recomputed here). */
static int lines_and_totals(shop_req_t *req, const shop_bill_admin_t *b, const shop_rows_t *rows, json_object *data,
                            int *unproduced)
{
    apr_pool_t *p = req->r->pool;
    const char *cur = b->currency;
    json_object *a = json_object_new_array();
    shop_recalc_line_t *rl = apr_pcalloc(p, sizeof(*rl) * (apr_size_t)(rows->nrows + 1));
    *unproduced = 0;
    for (int r = 0; r < rows->nrows; r++) {
        json_object *l = json_object_new_object();
        const char *type = shop_rows_str(rows, r, BA_LN_TYPE);
        shop_bill_line_type_t t = SHOP_BL_PRODUCT;
        shop_bill_line_type_parse(type, &t);
        rl[r].type = t == SHOP_BL_MANUAL ? SHOP_BL_PRODUCT : t;   /* stored amounts as they are */
        rl[r].tax_id = shop_rows_i64(rows, r, BA_LN_TAX_ID, 0);
        shop_dec_parse(shop_rows_str(rows, r, BA_LN_RATE), &rl[r].rate);
        rl[r].untaxed_minor = shop_rows_i64(rows, r, BA_LN_UNTAXED, 0);
        rl[r].tax_minor = shop_rows_i64(rows, r, BA_LN_TAX, 0);
        json_object_object_add(l, "id", json_object_new_int64(shop_rows_i64(rows, r, BA_LN_ID, 0)));
        json_object_object_add(l, "type", json_object_new_string(type));
        json_object_object_add(l, "type_label", json_object_new_string(
            shop_req_text(req, apr_pstrcat(p, "bo_line_", t == SHOP_BL_PRODUCT ? "product" : t == SHOP_BL_DISCOUNT
                                           ? "discount" : t == SHOP_BL_SHIPPING ? "shipping" : "manual", NULL))));
        if (t == SHOP_BL_MANUAL) json_object_object_add(l, "manual", json_object_new_boolean(1));
        add(l, "code", str_or_null(shop_rows_str(rows, r, BA_LN_CODE)));
        add(l, "label", str_or_null(shop_rows_str(rows, r, BA_LN_LABEL)));
        const char *desc = shop_rows_str(rows, r, BA_LN_DESCRIPTION);
        if (desc && *desc) add(l, "description", str_or_null(shop_html_to_text(p, desc, strlen(desc))));
        json_object_object_add(l, "quantity", json_object_new_int64(shop_rows_i64(rows, r, BA_LN_QUANTITY, 0)));
        json_object_object_add(l, "unit", json_object_new_string(shop_abill_money(req, shop_rows_i64(rows, r, BA_LN_UNIT, 0), cur)));
        json_object_object_add(l, "untaxed", json_object_new_string(shop_abill_money(req, rl[r].untaxed_minor, cur)));
        json_object_object_add(l, "tax", json_object_new_string(shop_abill_money(req, rl[r].tax_minor, cur)));
        json_object_object_add(l, "total", json_object_new_string(
            shop_abill_money(req, shop_rows_i64(rows, r, BA_LN_TOTAL, 0), cur)));
        json_object_object_add(l, "rate", json_object_new_string(rate_text(p, shop_rows_str(rows, r, BA_LN_RATE))));
        add(l, "tax_title", str_or_null(shop_rows_str(rows, r, BA_LN_TAX_TITLE)));
        add(l, "due", shop_json_string_or_null(shop_abill_day(req, shop_rows_i64(rows, r, BA_LN_DUE, 0))));
        if (t == SHOP_BL_PRODUCT) {
            int produced = shop_rows_i64(rows, r, BA_LN_PRODUCED, 0) != 0;
            json_object *prod = json_object_new_object();
            json_object_object_add(prod, "produced", json_object_new_boolean(produced));
            add(prod, "produced_at", shop_json_string_or_null(shop_abill_datetime(req, shop_rows_i64(rows, r, BA_LN_PRODUCED_AT, 0))));
            add(prod, "prepaid_at", shop_json_string_or_null(shop_abill_datetime(req, shop_rows_i64(rows, r, BA_LN_PREPAID_AT, 0))));
            apr_int64_t attempts = shop_rows_i64(rows, r, BA_LN_ATTEMPTS, 0);
            if (attempts) json_object_object_add(prod, "attempts", json_object_new_int64(attempts));
            add(prod, "error", str_or_null(shop_rows_str(rows, r, BA_LN_ERROR)));
            add(prod, "prepay_error", str_or_null(shop_rows_str(rows, r, BA_LN_PREPAY_ERROR)));
            add(prod, "feedback", feedback(req, shop_rows_str(rows, r, BA_LN_FEEDBACK)));
            json_object_object_add(l, "production", prod);
            if (!produced) (*unproduced)++;
            json_object_object_add(data, "has_production", json_object_new_boolean(1));
        }
        json_object_array_add(a, l);
    }
    json_object_object_add(data, "lines", a);
    if (rows->nrows) json_object_object_add(data, "has_lines", json_object_new_boolean(1));

    shop_recalc_totals_t tot;
    const shop_currency_t *c = shop_currency_get(cur);
    json_object *taxes = json_object_new_array();
    if (c && shop_bill_recalc(p, rl, rows->nrows, c, &tot) == APR_SUCCESS) {
        for (int i = 0; i < tot.ntaxes; i++) {
            if (tot.taxes[i].tax_id == 0 && shop_dec_is_zero(tot.taxes[i].rate)) continue;
            json_object *t = json_object_new_object();
            json_object_object_add(t, "rate", json_object_new_string(
                apr_pstrcat(p, shop_dec_pstr(p, tot.taxes[i].rate), " %", NULL)));
            json_object_object_add(t, "base", json_object_new_string(shop_abill_money(req, tot.taxes[i].base_minor, cur)));
            json_object_object_add(t, "amount", json_object_new_string(shop_abill_money(req, tot.taxes[i].amount_minor, cur)));
            json_object_array_add(taxes, t);
        }
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "untaxed", json_object_new_string(shop_abill_money(req, b->untaxed_minor, cur)));
    json_object_object_add(o, "taxes", json_object_new_string(shop_abill_money(req, b->taxes_minor, cur)));
    json_object_object_add(o, "taxed", json_object_new_string(shop_abill_money(req, b->taxed_minor, cur)));
    if (b->discount_minor)
        json_object_object_add(o, "discount", json_object_new_string(shop_abill_money(req, b->discount_minor, cur)));
    if (b->shipping_minor)
        json_object_object_add(o, "shipping", json_object_new_string(shop_abill_money(req, b->shipping_minor, cur)));
    json_object_object_add(o, "to_pay", json_object_new_string(shop_abill_money(req, b->to_pay_minor, cur)));
    json_object_object_add(o, "paid", json_object_new_string(shop_abill_money(req, b->paid_minor, cur)));
    json_object_object_add(o, "remaining", json_object_new_string(shop_abill_money(req, b->to_pay_minor - b->paid_minor, cur)));
    if (b->fee_minor) json_object_object_add(o, "fee", json_object_new_string(shop_abill_money(req, b->fee_minor, cur)));
    json_object_object_add(o, "per_rate", taxes);
    if (json_object_array_length(taxes)) json_object_object_add(o, "has_per_rate", json_object_new_boolean(1));
    json_object_object_add(data, "totals", o);
    return 0;
}

static json_object *payments(shop_req_t *req, const shop_rows_t *rows)
{
    apr_pool_t *p = req->r->pool;
    json_object *a = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) {
        json_object *o = json_object_new_object();
        const char *gw = shop_rows_str(rows, r, BA_P_GATEWAY);
        add(o, "received", shop_json_string_or_null(shop_abill_datetime(req, shop_rows_i64(rows, r, BA_P_RECEIVED, 0))));
        add(o, "gateway", str_or_null(gw));
        add(o, "gateway_label", str_or_null(shop_req_text(req, apr_pstrcat(p, "paymode_", gw ? gw : "", NULL))));
        add(o, "reference", str_or_null(shop_rows_str(rows, r, BA_P_EVENT)));
        add(o, "gateway_ref", str_or_null(shop_rows_str(rows, r, BA_P_REF)));
        json_object_object_add(o, "amount", json_object_new_string(shop_abill_money(
            req, shop_rows_i64(rows, r, BA_P_AMOUNT, 0), shop_rows_str(rows, r, BA_P_CURRENCY))));
        add(o, "outcome", str_or_null(shop_rows_str(rows, r, BA_P_OUTCOME)));
        add(o, "result", str_or_null(shop_rows_str(rows, r, BA_P_RESULT)));
        add(o, "detail", str_or_null(shop_rows_str(rows, r, BA_P_DETAIL)));
        add(o, "paid_on", str_or_null(shop_rows_str(rows, r, BA_P_PAID_ON)));
        add(o, "by", str_or_null(shop_abill_person(p, shop_rows_str(rows, r, BA_P_FIRSTNAME),
                                                   shop_rows_str(rows, r, BA_P_LASTNAME),
                                                   shop_rows_i64(rows, r, BA_P_USERID, 0))));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *audit(shop_req_t *req, const shop_rows_t *rows)
{
    apr_pool_t *p = req->r->pool;
    json_object *a = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) {
        json_object *o = json_object_new_object();
        const char *from = shop_rows_str(rows, r, BA_G_FROM), *to = shop_rows_str(rows, r, BA_G_TO);
        add(o, "when", shop_json_string_or_null(shop_abill_datetime(req, shop_rows_i64(rows, r, BA_G_CREATED, 0))));
        const char *who = shop_abill_person(p, shop_rows_str(rows, r, BA_G_FIRSTNAME), shop_rows_str(rows, r, BA_G_LASTNAME),
                                            shop_rows_i64(rows, r, BA_G_USERID, 0));
        json_object_object_add(o, "who", json_object_new_string(who ? who : shop_req_text(req, "bo_system")));
        if (from) {
            json_object_object_add(o, "from", json_object_new_string(from));
            json_object_object_add(o, "from_label", json_object_new_string(shop_abill_state_label(req, from)));
        }
        json_object_object_add(o, "to", json_object_new_string(to ? to : ""));
        json_object_object_add(o, "to_label", json_object_new_string(shop_abill_state_label(req, to)));
        add(o, "source", str_or_null(shop_rows_str(rows, r, BA_G_SOURCE)));
        add(o, "reason", str_or_null(shop_rows_str(rows, r, BA_G_REASON)));
        if (shop_rows_i64(rows, r, BA_G_RAW, 0)) json_object_object_add(o, "raw", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *documents(shop_req_t *req, const shop_bill_admin_t *b, const shop_rows_t *rows)
{
    apr_pool_t *p = req->r->pool;
    json_object *a = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) {
        json_object *o = json_object_new_object();
        const char *kind = shop_rows_str(rows, r, BA_D_KIND);
        json_object_object_add(o, "kind_label", json_object_new_string(
            shop_req_text(req, kind && !strcmp(kind, "credit_note") ? "bo_doc_credit_note" : "bo_doc_invoice")));
        add(o, "number", str_or_null(shop_rows_str(rows, r, BA_D_NUMBER)));
        add(o, "issued", shop_json_string_or_null(shop_abill_datetime(req, shop_rows_i64(rows, r, BA_D_ISSUED, 0))));
        json_object_object_add(o, "amount", json_object_new_string(shop_abill_money(
            req, shop_rows_i64(rows, r, BA_D_TAXED, 0), shop_rows_str(rows, r, BA_D_CURRENCY))));
        add(o, "reason", str_or_null(shop_rows_str(rows, r, BA_D_REASON)));
        add(o, "credits", str_or_null(shop_rows_str(rows, r, BA_D_CREDITS)));
        if (shop_rows_i64(rows, r, BA_D_STORED, 0)) json_object_object_add(o, "stored", json_object_new_boolean(1));
        json_object_object_add(o, "url", json_object_new_string(apr_psprintf(p, "%s/bill/%s/documents/%s.pdf",
            req->conf->public_path, b->transid, shop_rows_str(rows, r, BA_D_ID))));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *notes(shop_req_t *req, const shop_rows_t *rows)
{
    apr_pool_t *p = req->r->pool;
    json_object *a = json_object_new_array();
    for (int r = 0; r < rows->nrows; r++) {
        json_object *o = json_object_new_object();
        add(o, "when", shop_json_string_or_null(shop_abill_datetime(req, shop_rows_i64(rows, r, BA_N_CREATED, 0))));
        const char *who = shop_abill_person(p, shop_rows_str(rows, r, BA_N_FIRSTNAME), shop_rows_str(rows, r, BA_N_LASTNAME),
                                            shop_rows_i64(rows, r, BA_N_USERID, 0));
        json_object_object_add(o, "who", json_object_new_string(who ? who : shop_req_text(req, "bo_system")));
        json_object_object_add(o, "note", json_object_new_string(shop_rows_str(rows, r, BA_N_NOTE)));
        json_object_array_add(a, o);
    }
    return a;
}

/* The buttons of this state: staff transitions (core table). */
static json_object *buttons(shop_req_t *req, const shop_bill_admin_t *b)
{
    shop_bill_status_t from;
    json_object *a = json_object_new_array();
    if (shop_bill_status_parse(b->status, &from) != 0) return a;
    const shop_bill_transition_t *t[MAX_BUTTONS];
    int n = shop_bill_transitions_from(from, SHOP_BT_STAFF, t, MAX_BUTTONS);
    for (int i = 0; i < n; i++) {
        const char *to = shop_bill_status_name(t[i]->to);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "to", json_object_new_string(to));
        json_object_object_add(o, "to_label", json_object_new_string(shop_abill_state_label(req, to)));
        if (shop_bill_reason_required(t[i]->to, 0)) json_object_object_add(o, "reason_required", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *states(shop_req_t *req, const char *except)
{
    json_object *a = json_object_new_array();
    for (int s = 0; s < SHOP_BS_COUNT; s++) {
        const char *name = shop_bill_status_name((shop_bill_status_t)s);
        if (!strcmp(name, except)) continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_string(name));
        json_object_object_add(o, "label", json_object_new_string(shop_abill_state_label(req, name)));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *offline_modes(shop_req_t *req, const char *current)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < SHOP_PAYMODE_MAX; i++) {
        const char *m = shop_paymode_names[i];
        if (shop_paymode_kind(m) != SHOP_PAYMODE_OFFLINE) continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "value", json_object_new_string(m));
        json_object_object_add(o, "label", json_object_new_string(
            shop_req_text(req, apr_pstrcat(req->r->pool, "paymode_", m, NULL))));
        if (current && !strcmp(current, m)) json_object_object_add(o, "selected", json_object_new_boolean(1));
        json_object_array_add(a, o);
    }
    return a;
}

static const char *const done_keys[] = { "transition", "raw", "payment", "produce", "note", "created", "saved", NULL };

static int render(shop_req_t *req, apr_int64_t id, const problem_t *pb)
{
    shop_db_t *db = shop_req_db(req);
    if (!db) return shop_render_unavailable(req);
    apr_pool_t *p = req->r->pool;
    shop_bill_admin_t b;
    int found = 0, unproduced = 0;
    shop_rows_t *lines, *pays, *log, *docs, *nts;
    if (shop_bill_admin_get(db, id, &b, &found) != 0) return shop_render_unavailable(req);
    if (!found) return shop_render_not_found(req);
    if (shop_bill_admin_lines(db, id, &lines) != 0 || shop_bill_admin_payments(db, id, &pays) != 0
        || shop_bill_admin_log(db, id, &log) != 0 || shop_bill_admin_documents(db, id, &docs) != 0
        || shop_bill_admin_notes(db, id, &nts) != 0)
        return shop_render_unavailable(req);

    json_object *data = json_object_new_object();
    json_object_object_add(data, "bill", header(req, &b));
    lines_and_totals(req, &b, lines, data, &unproduced);
    json_object_object_add(data, "payments", payments(req, pays));
    if (pays->nrows) json_object_object_add(data, "has_payments", json_object_new_boolean(1));
    json_object_object_add(data, "audit", audit(req, log));
    json_object_object_add(data, "documents", documents(req, &b, docs));
    json_object_object_add(data, "notes", notes(req, nts));
    json_object_object_add(data, "transitions", buttons(req, &b));
    json_object_object_add(data, "document_url", json_object_new_string(
        apr_psprintf(p, "%s/bill/%s.pdf", req->conf->public_path, b.transid)));
    if (shop_req_identity(req)->role == SHOP_ROLE_ADMIN) {
        json_object_object_add(data, "is_admin", json_object_new_boolean(1));
        json_object_object_add(data, "raw_states", states(req, b.status));
    }
    shop_bill_status_t st = SHOP_BS_WORKING;
    shop_bill_status_parse(b.status, &st);
    /* money may still come in for a bill that is neither a draft nor closed */
    if (b.to_pay_minor > b.paid_minor && st != SHOP_BS_WORKING && st != SHOP_BS_CANCELLED && !shop_bill_status_is_paid(st)) {
        json_object *pf = json_object_new_object();
        json_object_object_add(pf, "remaining", json_object_new_string(
            shop_abill_money_plain(p, b.to_pay_minor - b.paid_minor, b.currency)));
        json_object_object_add(pf, "today", json_object_new_string(shop_abill_day(req, req->now)));
        json_object_object_add(pf, "modes", offline_modes(req, pb && pb->f && !strcmp(pb->form, "payment")
                                                                 ? shop_req_param(req, "paymode") : b.paymode));
        json_object_object_add(data, "payment_form", pf);
    }
    if (unproduced && (st == SHOP_BS_SOLDOUT || st == SHOP_BS_PREPROD || st == SHOP_BS_PARTIAL))
        json_object_object_add(data, "can_produce", json_object_new_boolean(1));
    add(data, "production_feedback", feedback(req, b.production_feedback));

    const char *done = shop_req_param(req, "done");
    for (int i = 0; done && done_keys[i]; i++)
        if (!strcmp(done, done_keys[i]))
            json_object_object_add(data, "done", json_object_new_string(
                shop_req_text(req, apr_pstrcat(p, "bo_done_", done, NULL))));
    const char *produced = shop_req_param(req, "produced"), *failed = shop_req_param(req, "failed");
    if (done && !strcmp(done, "produce") && produced && failed) {
        json_object_object_add(data, "produce_report", json_object_new_string(apr_psprintf(
            p, "%s %s, %s %s", shop_req_text(req, "bo_produce_produced"), produced,
            shop_req_text(req, "bo_produce_failed"), failed)));
    }
    if (pb) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "message", json_object_new_string(pb->message));
        json_object_object_add(data, "problem", o);
        if (pb->f) json_object_object_add(data, apr_pstrcat(p, pb->form, "_form_state", NULL), shop_form_json(pb->f));
    }
    return shop_render_page(req, pb ? pb->status : HTTP_OK, "admin/bill", data);
}

int shop_abill_load(shop_req_t *req, shop_bill_admin_t *b, int *sent)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_db_t *db = shop_req_db(req);
    int found = 0;
    *sent = 1;
    if (!id) return shop_render_not_found(req);
    if (!db) return shop_render_unavailable(req);
    if (shop_bill_admin_get(db, id, b, &found) != 0) return shop_render_unavailable(req);
    if (!found) return shop_render_not_found(req);
    *sent = 0;
    return OK;
}

int shop_page_admin_bill(shop_req_t *req)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    if (!id) return shop_render_not_found(req);
    return render(req, id, NULL);
}

static int refuse(shop_req_t *req, apr_int64_t id, int status, const char *key, const char *detail, const char *form,
                  shop_form_t *f)
{
    const char *msg = shop_req_text(req, key);
    if (detail) msg = apr_pstrcat(req->r->pool, msg, " ", detail, NULL);
    problem_t pb = { status, msg, form, f };
    return render(req, id, &pb);
}

int shop_abill_refused(shop_req_t *req, apr_int64_t id, int status, const char *key)
{
    return refuse(req, id, status, key, NULL, "produce", NULL);
}

static int back(shop_req_t *req, apr_int64_t id, const char *done)
{
    return shop_redirect_local(req, apr_psprintf(req->r->pool, "/admin/bills/%" APR_INT64_T_FMT "?done=%s", id, done));
}

/* ------------------------------------------------------- transitions */

static int transition(shop_req_t *req, int raw)
{
    apr_int64_t id = shop_req_capture_id(req, 0);
    shop_db_t *db = shop_req_db(req);
    if (!id) return shop_render_not_found(req);
    if (!db) return shop_render_unavailable(req);
    const char *form = raw ? "raw" : "transition";
    shop_form_t *f = shop_form_create(req);
    const char *to_name = shop_form_text(f, "to", 1, 16, 0);
    const char *reason = shop_form_text(f, "reason", 0, REASON_MAX, 1);
    shop_bill_status_t to;
    if (!to_name || shop_bill_status_parse(to_name, &to) != 0) {
        shop_form_error(f, "to", "bo_error_state", NULL);
        return refuse(req, id, HTTP_BAD_REQUEST, "admin_form_has_errors", NULL, form, f);
    }
    if (!reason) return refuse(req, id, HTTP_BAD_REQUEST, "admin_form_has_errors", NULL, form, f);
    if (!*reason && shop_bill_reason_required(to, raw)) {
        shop_form_error(f, "reason", "bo_error_reason_required", NULL);
        return refuse(req, id, HTTP_BAD_REQUEST, "bo_error_reason_required", NULL, form, f);
    }
    shop_actor_t actor = shop_req_actor(req);
    shop_tr_result_t res;
    memset(&res, 0, sizeof(res));
    int rv = shop_bill_transition(db, shop_req_env(req), id, to, &actor, *reason ? reason : NULL,
                                  raw ? SHOP_TR_RAW : 0, req->now, &res);
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2501) "bill %" APR_INT64_T_FMT
                      ": transition to %s failed (MySQL error %d)", id, to_name, rv);
        return shop_render_unavailable(req);
    }
    switch (res.status) {
    case SHOP_TR_OK:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(2502) "bill %" APR_INT64_T_FMT " %s -> %s%s by user %"
                      APR_INT64_T_FMT, id, shop_bill_status_name(res.from), to_name, raw ? " (raw)" : "", actor.userid);
        return back(req, id, form);
    case SHOP_TR_NOOP:
        return refuse(req, id, HTTP_CONFLICT, "bo_error_noop", NULL, form, f);
    case SHOP_TR_NOT_FOUND:
        return shop_render_not_found(req);
    case SHOP_TR_FORBIDDEN:
        return refuse(req, id, HTTP_FORBIDDEN, "bo_error_raw_forbidden", NULL, form, f);
    case SHOP_TR_INCOMPLETE:
        return refuse(req, id, HTTP_CONFLICT, !strcmp(res.missing, "customer") ? "bo_error_needs_customer"
                                                                              : "bo_error_needs_lines", NULL, form, f);
    case SHOP_TR_ILLEGAL:
    default:
        return refuse(req, id, HTTP_CONFLICT, "bo_error_illegal", apr_psprintf(req->r->pool, "(%s → %s)",
                      shop_bill_status_name(res.from), to_name), form, f);
    }
}

int shop_page_admin_bill_transition(shop_req_t *req)
{
    return transition(req, 0);
}

int shop_page_admin_bill_raw(shop_req_t *req)
{
    return transition(req, 1);
}

/* ------------------------------------------------- offline payments */

static int reference_ok(const char *s)
{
    for (; *s; s++)
        if (*s < 0x21 || *s > 0x7e) return 0;
    return 1;
}

int shop_page_admin_bill_payment(shop_req_t *req)
{
    shop_bill_admin_t b;
    int sent, st = shop_abill_load(req, &b, &sent);
    if (sent) return st;
    shop_db_t *db = shop_req_db(req);
    apr_int64_t id = b.id;

    shop_form_t *f = shop_form_create(req);
    const shop_currency_t *cur = shop_currency_get(b.currency);
    const char *amount = shop_form_text(f, "amount", 1, SHOP_MONEY_MAX_INPUT, 0);
    const char *reference = shop_form_text(f, "reference", 1, REFERENCE_MAX, 0);
    const char *day = shop_form_text(f, "date", 1, 10, 0);
    static const char *const offline[] = { "check", "transfer", "funder", "mandate", NULL };
    const char *mode = shop_form_choice(f, "paymode", offline, NULL);
    apr_int64_t minor = 0, when = 0;
    const char *err_key = NULL;
    if (amount && cur && shop_money_parse(amount, cur, &minor, &err_key) != APR_SUCCESS)
        shop_form_error(f, "amount", err_key ? err_key : "bo_error_amount", NULL);
    else if (amount && minor <= 0)
        shop_form_error(f, "amount", "bo_error_amount_positive", NULL);
    if (reference && !reference_ok(reference)) shop_form_error(f, "reference", "bo_error_reference", NULL);
    if (day && (shop_abill_parse_day(day, &when) != 0 || when > req->now))
        shop_form_error(f, "date", "bo_error_payment_date", NULL);
    if (!mode && !shop_form_has_errors(f)) shop_form_error(f, "paymode", "error_required", NULL);
    if (shop_form_has_errors(f)) return refuse(req, id, HTTP_BAD_REQUEST, "admin_form_has_errors", NULL, "payment", f);

    shop_pay_event_t ev;
    memset(&ev, 0, sizeof(ev));
    ev.gateway = mode;
    ev.event_id = reference;
    ev.transid = b.transid;
    ev.amount_minor = minor;
    ev.currency = b.currency;
    ev.outcome = "paid";
    ev.paid_on = day;
    ev.remote_ip = req->r->useragent_ip;
    shop_actor_t actor = shop_req_actor(req);
    shop_pay_result_t res;
    memset(&res, 0, sizeof(res));
    int rv = shop_payment_apply(db, shop_req_env(req), &ev, &actor, req->now, &res);
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2503) "bill %" APR_INT64_T_FMT
                      ": recording an offline payment failed (MySQL error %d)", id, rv);
        return shop_render_unavailable(req);
    }
    switch (res.status) {
    case SHOP_PAY_APPLIED:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(2504) "bill %" APR_INT64_T_FMT ": offline payment %s"
                      " of %" APR_INT64_T_FMT " %s recorded by user %" APR_INT64_T_FMT, id, mode, minor, b.currency,
                      actor.userid);
        return back(req, id, "payment");
    case SHOP_PAY_DUPLICATE:
        shop_form_error(f, "reference", "bo_error_payment_duplicate", NULL);
        return refuse(req, id, HTTP_CONFLICT, "bo_error_payment_duplicate", NULL, "payment", f);
    case SHOP_PAY_UNKNOWN_BILL:
        return shop_render_not_found(req);
    case SHOP_PAY_MISMATCH:
    default:
        if (res.detail && !strcmp(res.detail, "amount")) shop_form_error(f, "amount", "bo_error_payment_amount", NULL);
        return refuse(req, id, HTTP_CONFLICT, res.detail && !strcmp(res.detail, "amount") ? "bo_error_payment_amount"
                      : "bo_error_payment_state", NULL, "payment", f);
    }
}

/* ------------------------------------------------------------ notes */

int shop_page_admin_bill_note(shop_req_t *req)
{
    shop_bill_admin_t b;
    int sent, st = shop_abill_load(req, &b, &sent);
    if (sent) return st;
    apr_int64_t id = b.id;
    shop_form_t *f = shop_form_create(req);
    const char *note = shop_form_text(f, "note", 1, NOTE_MAX, 1);
    if (!note) return refuse(req, id, HTTP_BAD_REQUEST, "admin_form_has_errors", NULL, "note", f);
    if (shop_bill_admin_note_add(shop_req_db(req), id, shop_req_identity(req)->userid, note, req->now) != 0)
        return shop_render_unavailable(req);
    return back(req, id, "note");
}
