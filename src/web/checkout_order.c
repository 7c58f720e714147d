/* Step "order" (local_shop §3.7, placement §4.3): the order as it will be
 * billed (lines, discounts, shipping, per-rate taxes, total to pay), the
 * terms to accept, the payment mode, and placement.
 * GET/POST /checkout/order, POST /api/v1/checkout/order; plus the routes of
 * the checkout itself (GET /checkout, GET /api/v1/checkout). */
#include "web/checkout.h"
#include "web/order_build.h"
#include "web/pages.h"
#include "web/quote.h"
#include "web/render.h"
#include "web/router.h"
#include "web/services_env.h"
#include "web/cart.h"
#include "web/bill_access.h"
#include "web/settings.h"

#include "httpd.h"
#include "http_log.h"
#include "http_protocol.h"
#include <apr_strings.h>
#include <strings.h>

#include "core/crypto.h"
#include "core/money.h"
#include "core/paymode.h"
#include "data/bill_repo.h"
#include "services/bill_workflow.h"
#include "services/mailer.h"
#include "web/log.h"

#define DEFAULT_HOLD_SECONDS (24 * 3600)

typedef struct order_ctx {
    shop_storefront_t *sf;
    shop_quote_t *quote;
    json_object *state;
    shop_paymode_rules_t rules;
    const char *terms;              /* HTML shown and accepted, "" when none */
    const char *terms_hash;         /* hex SHA-256 of terms, NULL when none */
    apr_int64_t hold_seconds;
    int test_mode;
    int produce_now;                /* staff: produce before payment (PREPROD) */
    const char *status;             /* the bill's state once placed */
} order_ctx_t;

/* Why an order cannot be placed: HTTP status, API code, message, fields. */
typedef struct refusal {
    int status;
    const char *code, *message_key;
    json_object *fields;
} refusal_t;

static int gateway_configured(const char *name, void *baton)
{
    const shop_srv_conf_t *conf = baton;
    for (int i = 0; conf->gateways && i < conf->gateways->nelts; i++)
        if (!strcmp(APR_ARRAY_IDX(conf->gateways, i, shop_gateway_conf_t).name, name)) return 1;
    return 0;
}

/* The shop's terms followed by each product's, under the product's name. */
static const char *terms_of(shop_req_t *req, const order_ctx_t *c)
{
    const char *all = c->sf->terms && *c->sf->terms ? c->sf->terms : "";
    for (int i = 0; i < c->quote->nlines; i++) {
        const shop_product_t *p = c->quote->lines[i].product;
        if (c->quote->lines[i].status != SHOP_CART_OK || !p->terms || !*p->terms) continue;
        all = apr_pstrcat(req->r->pool, all, "<h3>", ap_escape_html(req->r->pool, p->name), "</h3>", p->terms, NULL);
    }
    return all;
}

/* Load what the step needs; 0 after an answer was sent. */
static int order_open(shop_req_t *req, order_ctx_t *c)
{
    memset(c, 0, sizeof(*c));
    if (!(c->sf = shop_storefront_open(req))) return 0;
    if (!shop_checkout_enter(req, c->sf, SHOP_STEP_ORDER)) return 0;
    if (shop_quote_cart(req, c->sf, &c->quote) != 0 || shop_settings_ready(req) != 0) {
        shop_render_unavailable(req);
        return 0;
    }
    apr_int64_t test = shop_setting_int(req, "test", 0), override = shop_setting_int(req, "testoverride", 0);
    apr_int64_t anonymous_offline = shop_setting_int(req, "anonymousofflinepayments", 0);
    c->hold_seconds = shop_setting_int(req, "stockholdseconds", DEFAULT_HOLD_SECONDS);
    if (c->hold_seconds < 60) c->hold_seconds = 60;
    c->state = shop_checkout_state(req, c->sf, 1);
    shop_identity_t *who = shop_req_identity(req);
    c->test_mode = test != 0;
    c->rules = (shop_paymode_rules_t){
        .enabled_json = c->sf->paymodes, .default_mode = c->sf->default_paymode,
        .logged_in = who->userid > 0, .site_admin = who->role == SHOP_ROLE_ADMIN,
        .offline_anonymous = anonymous_offline != 0,
        .test_mode = test != 0, .test_override = override != 0,
        .gateway_configured = gateway_configured, .baton = req->conf
    };
    c->terms = terms_of(req, c);
    c->terms_hash = *c->terms ? shop_sha256_hex(req->r->pool, c->terms, strlen(c->terms)) : NULL;
    return 1;
}

static void refuse(refusal_t *why, int status, const char *code, const char *message_key,
                   const char *field, const char *field_key)
{
    why->status = status;
    why->code = code;
    why->message_key = message_key;
    if (field) {
        if (!why->fields) why->fields = json_object_new_object();
        json_object_object_add(why->fields, field, json_object_new_string(field_key));
    }
}

/* Is the priced cart placeable as it is? */
static int cart_placeable(shop_req_t *req, const order_ctx_t *c, refusal_t *why)
{
    const shop_quote_t *q = c->quote;
    for (int i = 0; i < q->nlines; i++)
        if (q->lines[i].status != SHOP_CART_OK) {
            refuse(why, HTTP_CONFLICT, "cart_problem", "order_error_cart_problem",
                   apr_pstrcat(req->r->pool, "lines.", q->lines[i].code, NULL),
                   shop_cart_status_key(q->lines[i].status));
            return 0;
        }
    if (q->npriced == 0) {
        refuse(why, HTTP_CONFLICT, "cart_empty", "checkout_error_cart_empty", NULL, NULL);
        return 0;
    }
    if (q->shipping_needed && !q->deliverable) {
        refuse(why, HTTP_CONFLICT, "not_deliverable", "order_error_not_deliverable", NULL, NULL);
        return 0;
    }
    return 1;
}

static void place_refusal(shop_req_t *req, const shop_place_result_t *res, refusal_t *why)
{
    switch (res->status) {
    case SHOP_PLACE_PRICES_CHANGED:
        refuse(why, HTTP_CONFLICT, "prices_changed", "order_error_prices_changed", NULL, NULL);
        break;
    case SHOP_PLACE_ALREADY_PAID:
        refuse(why, HTTP_CONFLICT, "already_paid", "order_error_already_paid", NULL, NULL);
        break;
    case SHOP_PLACE_SOLD_OUT:
        refuse(why, HTTP_CONFLICT, "sold_out", "order_error_sold_out", apr_pstrcat(req->r->pool, "lines.", res->code, NULL),
               "cart_error_sold_out");
        break;
    default:
        refuse(why, HTTP_CONFLICT, "code_exhausted", "order_error_code_exhausted", "offer_code", "order_error_code_exhausted");
        break;
    }
}

typedef struct placing {
    const shop_order_t *order;
    shop_place_result_t *res;
    const shop_env_t *env;
    int mails;                      /* mails queued with the order */
} placing_t;

/* A refusal (sold out, paid, ...) rolls back everything placement wrote.
 * The sales staff's notice is queued with the order: both or neither. */
static int place_in_transaction(shop_db_t *db, void *baton)
{
    placing_t *p = baton;
    int rv = shop_order_place(db, p->order, p->res);
    if (rv != 0) return rv;
    if (p->res->status != SHOP_PLACE_OK) return SHOP_DB_ROLLBACK;
    return shop_mail_order_received(db, p->env, p->res->bill_id, p->order->now, &p->mails);
}

/* After the answer: send this bill's queued mails; what fails waits for cron.
 * The buyer does not wait for the SMTP relay. */
typedef struct bill_mails {
    apr_int64_t bill_id;
    const char *transid;
} bill_mails_t;

static void send_mails_now(shop_req_t *req, void *baton)
{
    const bill_mails_t *m = baton;
    shop_db_t *db = shop_req_db(req);
    shop_mail_stats_t st;
    if (!db || shop_mail_deliver_due(db, shop_req_env(req), req->now, m->bill_id, 10, &st) != 0)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, req->r, SHOPLOGNO(2400) "order %s: mails not sent (database "
                      "error), they wait in the outbox for shopctl cron", m->transid);
    else if (st.failed || st.gave_up)
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(2401) "order %s: %d mail(s) not sent now "
                      "(see mail_outbox.last_error), retried by shopctl cron", m->transid, st.failed + st.gave_up);
}

static void send_mails(shop_req_t *req, apr_int64_t bill_id, const char *transid)
{
    bill_mails_t *m = apr_palloc(req->r->pool, sizeof(*m));
    m->bill_id = bill_id;
    m->transid = transid;
    shop_req_after_response(req, send_mails_now, m);
}

/* A code whose use limit was reached leaves the cart's codes: the next
 * quote prices without it, and the buyer confirms that price. */
static void forget_code(shop_req_t *req, order_ctx_t *c, const char *code)
{
    json_object *codes;
    if (!code || !json_object_object_get_ex(c->state, "offer_codes", &codes)
        || !json_object_is_type(codes, json_type_array))
        return;
    for (size_t i = json_object_array_length(codes); i-- > 0;)
        if (!strcasecmp(json_object_get_string(json_object_array_get_idx(codes, i)), code))
            json_object_array_del_idx(codes, i, 1);
    shop_checkout_changed(req);
}

/* Orders that wait for no payment go on at once (local_shop §4.4): a free
 * order is sold (SOLDOUT; production then completes it), a trusted one is
 * produced before payment (PREPROD, by the staff member who asked).  The
 * order is placed whatever happens here: a failure is logged and the bill
 * waits, PLACED, for staff.  Returns the bill's state now. */
static const char *go_on(shop_req_t *req, const order_ctx_t *c, const shop_place_result_t *res, const char *paymode)
{
    int free_order = !strcmp(paymode, "freeorder");
    if (!free_order && !c->produce_now) return "PLACED";
    shop_actor_t actor = shop_req_actor(req);
    if (free_order) actor = (shop_actor_t){ .source = actor.source };     /* the shop sells it, not the buyer */
    shop_tr_result_t tr = { 0 };
    int rv = shop_bill_transition(shop_req_db(req), shop_req_env(req), res->bill_id,
                                  free_order ? SHOP_BS_SOLDOUT : SHOP_BS_PREPROD, &actor,
                                  free_order ? "free order" : "trusted customer: produced before payment", 0, req->now, &tr);
    if (rv != 0 || tr.status != SHOP_TR_OK)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(2100) "order %s: the %s order stays PLACED, to be "
                      "moved on by staff (MySQL error %d, transition status %d)", res->transid,
                      free_order ? "free" : "trusted", rv, (int)tr.status);
    shop_bill_t *b = NULL;
    if (shop_bill_by_transid(shop_req_db(req), res->transid, &b) != 0 || !b) return "PLACED";
    if (strcmp(b->status, "PLACED")) {
        /* nothing left to pay: the order is done, the cart starts afresh (the
         * session keeps the right to read the bill) */
        shop_bill_remember_placed(req, res->transid);
        shop_cart_empty(req, c->sf);
    }
    return b->status;
}

/* Check and place; 1 with *res on success, 0 with *why.  `expected` is the
 * amount to pay the buyer was shown (-1 = not given): the order is always
 * priced here, but if that price is not the one shown (a code used up
 * meanwhile, a catalogue edit), the buyer confirms the new one first. */
static int place(shop_req_t *req, order_ctx_t *c, const char *paymode, int accepted, apr_int64_t expected,
                 shop_place_result_t *res, refusal_t *why)
{
    memset(why, 0, sizeof(*why));
    if (c->produce_now && shop_req_identity(req)->role < SHOP_ROLE_STAFF) {
        refuse(why, HTTP_FORBIDDEN, "forbidden", "order_error_produce_now_staff", "produce_now",
               "order_error_produce_now_staff");
        return 0;
    }
    if (!cart_placeable(req, c, why)) return 0;
    if (expected >= 0 && expected != c->quote->pricing->to_pay_minor) {
        refuse(why, HTTP_CONFLICT, "prices_changed", "order_error_prices_changed", NULL, NULL);
        return 0;
    }
    if (c->terms_hash && !accepted)
        refuse(why, HTTP_BAD_REQUEST, "invalid_order", "error_400_message", "accept_terms", "order_error_terms");
    if (c->quote->pricing->to_pay_minor == 0) paymode = "freeorder";
    else if (!paymode || !*paymode)
        refuse(why, HTTP_BAD_REQUEST, "invalid_order", "error_400_message", "paymode", "order_error_paymode_missing");
    else if (!shop_paymode_allowed(&c->rules, paymode))
        refuse(why, HTTP_BAD_REQUEST, "invalid_order", "error_400_message", "paymode", "order_error_paymode");
    if (why->status) return 0;

    json_object *cid;
    shop_identity_t *who = shop_req_identity(req);
    shop_order_t order = { 0 };
    shop_order_build(req, c->sf, c->quote, c->state, &order);
    order.customer_id = json_object_object_get_ex(c->state, "customer_id", &cid) ? json_object_get_int64(cid) : 0;
    order.userid = who->userid;
    json_object *t;
    /* a copy: the state entry is replaced once the order is placed */
    order.transid = json_object_object_get_ex(c->state, "transid", &t)
                    ? apr_pstrdup(req->r->pool, json_object_get_string(t)) : NULL;
    order.lang = shop_req_lang(req);
    order.paymode = paymode;
    order.terms_hash = c->terms_hash;
    order.terms_ip = req->r->useragent_ip;
    order.test = c->test_mode;
    order.now = req->now;
    order.hold_seconds = c->hold_seconds;
    order.source = req->is_api ? "api" : "web";

    placing_t placing = { &order, res, shop_req_env(req), 0 };
    int rv = shop_db_transaction(shop_req_db(req), place_in_transaction, &placing);
    if (rv != 0 && rv != SHOP_DB_ROLLBACK) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, SHOPLOGNO(1001) "order placement failed (MySQL error %d): "
                      "nothing was placed", rv);
        refuse(why, HTTP_SERVICE_UNAVAILABLE, "unavailable", "error_503_message", NULL, NULL);
        return 0;
    }
    if (res->status != SHOP_PLACE_OK) {
        if (res->status == SHOP_PLACE_CODE_EXHAUSTED) forget_code(req, c, res->code);
        if (res->status == SHOP_PLACE_ALREADY_PAID) {
            /* paid meanwhile (staff recorded the payment): that order is done, a new cart starts */
            shop_bill_remember_placed(req, res->transid);
            shop_cart_empty(req, c->sf);
        }
        place_refusal(req, res, why);
        return 0;
    }
    /* a refresh with the same payment mode leaves the session as it was: no write */
    json_object *was;
    if (!res->refreshed || !json_object_object_get_ex(c->state, "paymode", &was)
        || strcmp(json_object_get_string(was), paymode)) {
        json_object_object_add(c->state, "transid", json_object_new_string(res->transid));
        json_object_object_add(c->state, "paymode", json_object_new_string(paymode));
        shop_checkout_changed(req);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(1002) "order %s %s: bill %" APR_INT64_T_FMT ", %" APR_INT64_T_FMT
                  " %s to pay by %s", res->transid, res->refreshed ? "refreshed" : "placed", res->bill_id,
                  order.to_pay_minor, order.currency, paymode);
    if (placing.mails) send_mails(req, res->bill_id, res->transid);
    c->status = go_on(req, c, res, paymode);
    return 1;
}

static json_object *paymodes_json(shop_req_t *req, const order_ctx_t *c, const char *chosen)
{
    const char *list[SHOP_PAYMODE_MAX];
    int n = shop_paymode_offered(&c->rules, list);
    json_object *arr = json_object_new_array();
    for (int i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(list[i]));
        json_object_object_add(o, "label", json_object_new_string(
            shop_req_text(req, apr_pstrcat(req->r->pool, "paymode_", list[i], NULL))));
        int checked = chosen ? !strcmp(chosen, list[i]) : i == 0;
        json_object_object_add(o, "checked", json_object_new_boolean(checked));
        json_object_array_add(arr, o);
    }
    return arr;
}

static json_object *identity_copy(json_object *state, const char *key)
{
    json_object *v, *copy = NULL;
    if (!json_object_object_get_ex(state, key, &v)) return NULL;
    json_object_deep_copy(v, &copy, NULL);
    return copy;
}

static int order_page(shop_req_t *req, order_ctx_t *c, int status, const char *paymode, const refusal_t *why)
{
    json_object *data = shop_quote_json(req, c->sf, c->quote);
    json_object_object_add(data, "customer", identity_copy(c->state, "customer"));
    json_object_object_add(data, "invoicing", identity_copy(c->state, "invoicing"));
    json_object_object_add(data, "terms", *c->terms ? json_object_new_string(c->terms) : NULL);
    int free_order = c->quote->pricing->to_pay_minor == 0;
    json_object_object_add(data, "free_order", json_object_new_boolean(free_order));
    json_object_object_add(data, "can_produce_now",
                           json_object_new_boolean(!free_order && shop_req_identity(req)->role >= SHOP_ROLE_STAFF));
    json_object_object_add(data, "produce_now", json_object_new_boolean(c->produce_now));
    json_object_object_add(data, "expected_to_pay", json_object_new_int64(c->quote->pricing->to_pay_minor));
    json_object *t;
    if (!paymode && json_object_object_get_ex(c->state, "paymode", &t)) paymode = json_object_get_string(t);
    if (!free_order) {
        json_object *modes = paymodes_json(req, c, paymode);
        json_object_object_add(data, "no_paymode", json_object_new_boolean(json_object_array_length(modes) == 0));
        json_object_object_add(data, "paymodes", modes);
    }
    json_object_object_add(data, "placed_before", json_object_new_boolean(json_object_object_get_ex(c->state, "transid", NULL)));
    if (why && why->status) {
        json_object_object_add(data, "error", json_object_new_string(shop_req_text(req, why->message_key)));
        json_object *errors = json_object_new_object();
        if (why->fields) {
            json_object_object_foreach(why->fields, field, key)
                json_object_object_add(errors, field, json_object_new_string(shop_req_text(req, json_object_get_string(key))));
        }
        json_object_object_add(data, "errors", errors);
    }
    json_object_object_add(data, "next_label", json_object_new_string(shop_req_text(req, "order_place")));
    return shop_checkout_render(req, c->sf, SHOP_STEP_ORDER, status, "front/checkout_order", data);
}

int shop_page_checkout_order(shop_req_t *req)
{
    order_ctx_t c;
    return order_open(req, &c) ? order_page(req, &c, HTTP_OK, NULL, NULL) : OK;
}

/* Where the buyer goes next: the payment page, or the order's status once
 * nothing is left to pay (free and trusted orders, produced at once). */
static const char *next_path(shop_req_t *req, const order_ctx_t *c, const char *transid)
{
    return apr_pstrcat(req->r->pool, strcmp(c->status, "PLACED") ? "/order/" : "/pay/", transid, NULL);
}

int shop_page_checkout_order_post(shop_req_t *req)
{
    order_ctx_t c;
    if (!order_open(req, &c)) return OK;
    const char *nav = shop_req_param(req, "nav");
    if (nav && !strcmp(nav, "back")) return shop_checkout_back(req, c.sf, SHOP_STEP_ORDER);
    const char *paymode = shop_req_param(req, "paymode"), *accept = shop_req_param(req, "accept_terms");
    const char *expected = shop_req_param(req, "expected_to_pay"), *now = shop_req_param(req, "produce_now");
    c.produce_now = now && !strcmp(now, "1");
    shop_place_result_t res;
    refusal_t why;
    if (!place(req, &c, paymode, accept && !strcmp(accept, "1"), expected ? apr_atoi64(expected) : -1, &res, &why)) {
        if (why.status == HTTP_SERVICE_UNAVAILABLE) return shop_render_unavailable(req);
        /* a new price or stock is shown as it is now */
        if (why.status == HTTP_CONFLICT && shop_quote_cart(req, c.sf, &c.quote) != 0) return shop_render_unavailable(req);
        return order_page(req, &c, why.status, paymode, &why);
    }
    return shop_redirect_local(req, next_path(req, &c, res.transid));
}

/* POST /api/v1/checkout/order {"paymode": NAME, "accept_terms": true} */
int shop_api_checkout_order(shop_req_t *req)
{
    order_ctx_t c;
    if (!order_open(req, &c)) return OK;
    json_object *v;
    const char *paymode = NULL;
    int accepted = 0;
    if (json_object_object_get_ex(req->json, "paymode", &v) && json_object_is_type(v, json_type_string))
        paymode = json_object_get_string(v);
    if (json_object_object_get_ex(req->json, "accept_terms", &v) && json_object_is_type(v, json_type_boolean))
        accepted = json_object_get_boolean(v);
    apr_int64_t expected = -1;
    if (json_object_object_get_ex(req->json, "expected_to_pay_minor", &v) && json_object_is_type(v, json_type_int))
        expected = json_object_get_int64(v);
    if (json_object_object_get_ex(req->json, "produce_now", &v)) {
        if (!json_object_is_type(v, json_type_boolean)) {
            json_object *fields = json_object_new_object();
            json_object_object_add(fields, "produce_now", json_object_new_string("order_error_produce_now_type"));
            return shop_render_error(req, HTTP_BAD_REQUEST, "invalid_order", "error_400_message", fields);
        }
        c.produce_now = json_object_get_boolean(v);
    }
    shop_place_result_t res;
    refusal_t why;
    if (!place(req, &c, paymode, accepted, expected, &res, &why))
        return shop_render_error(req, why.status, why.code, why.message_key, why.fields);
    json_object *body = json_object_new_object(), *payment = json_object_new_object();
    json_object_object_add(body, "transid", json_object_new_string(res.transid));
    json_object_object_add(body, "status", json_object_new_string(c.status));
    json_object_object_add(body, "refreshed", json_object_new_boolean(res.refreshed));
    json_object_object_add(body, "to_pay_minor", json_object_new_int64(c.quote->pricing->to_pay_minor));
    json_object_object_add(body, "currency", json_object_new_string(c.sf->currency));
    json_object_object_add(payment, "url", json_object_new_string(
        apr_pstrcat(req->r->pool, req->conf->public_path, "/pay/", res.transid, NULL)));
    json_object_object_add(body, "payment", payment);
    return shop_render_json(req, res.refreshed ? HTTP_OK : HTTP_CREATED, body);
}

static const shop_param_t p_shop[] = { { "shop", SHOP_P_ID, 10 }, { NULL } };
/* a signed link (core/bill_link.h) opens the payment page as it opens the bill */
static const shop_param_t p_pay[] = { { "sig", SHOP_P_TOKEN, 128 }, { NULL } };
static const shop_param_t p_order[] = {
    { "shop", SHOP_P_ID, 10 }, { "nav", SHOP_P_CODE, 8 }, { "paymode", SHOP_P_CODE, 16 },
    { "accept_terms", SHOP_P_INT, 1 }, { "expected_to_pay", SHOP_P_INT, 20 }, { "produce_now", SHOP_P_INT, 1 }, { NULL }
};

const shop_route_t shop_checkout_routes[] = {
    { "GET",  "/checkout", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_page_checkout, 0 },
    { "GET",  "/api/v1/checkout", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_api_checkout_get, SHOP_ROUTE_API },
    { "GET",  "/checkout/order", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_shop, shop_page_checkout_order, 0 },
    { "POST", "/checkout/order", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_FORM, 0, p_order, shop_page_checkout_order_post, 0 },
    { "POST", "/api/v1/checkout/order", SHOP_ROLE_ANONYMOUS, 1, SHOP_BODY_JSON, 1024, p_shop,
      shop_api_checkout_order, SHOP_ROUTE_API },
    { "GET",  "/pay/{transid}", SHOP_ROLE_ANONYMOUS, 0, SHOP_BODY_NONE, 0, p_pay, shop_page_pay, 0 },
    { NULL }
};
