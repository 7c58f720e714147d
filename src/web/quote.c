/* The price of the cart for the current buyer (quote.h): the cart's lines
 * checked against the catalogue, the shop's discount rules (read on every
 * quote) with the session's offer codes and partner and the buyer's Moodle
 * context, shipping to the checkout's destination, all priced by the engine
 * of core/pricing.h. */
#include "web/quote.h"
#include "web/checkout.h"
#include "web/log.h"
#include "web/render.h"
#include "web/pages.h"

#include "http_log.h"
#include <apr_strings.h>
#include <string.h>

#include "core/money.h"
#include "data/buyer_repo.h"
#include "data/discount_repo.h"

/* The checkout's destination: invoicing country/zip, else the customer's. */
static void destination(json_object *state, const char **country, const char **zip)
{
    static const char *const parts[] = { "invoicing", "customer" };
    *country = *zip = NULL;
    for (int i = 0; state && i < 2; i++) {
        json_object *who, *c, *z;
        if (!json_object_object_get_ex(state, parts[i], &who) || !json_object_is_type(who, json_type_object)
            || !json_object_object_get_ex(who, "country", &c) || !json_object_is_type(c, json_type_string)
            || !*json_object_get_string(c))
            continue;
        *country = json_object_get_string(c);
        if (json_object_object_get_ex(who, "zip", &z) && json_object_is_type(z, json_type_string))
            *zip = json_object_get_string(z);
        return;
    }
}

/* The offer codes kept in the checkout state. */
static void offer_codes(apr_pool_t *pool, json_object *state, const char *const **codes, int *n)
{
    json_object *arr;
    *codes = NULL;
    *n = 0;
    if (!state || !json_object_object_get_ex(state, "offer_codes", &arr) || !json_object_is_type(arr, json_type_array))
        return;
    size_t len = json_object_array_length(arr);
    const char **list = apr_pcalloc(pool, sizeof(*list) * (len + 1));
    for (size_t i = 0; i < len; i++) {
        json_object *v = json_object_array_get_idx(arr, i);
        if (v && json_object_is_type(v, json_type_string)) list[(*n)++] = json_object_get_string(v);
    }
    *codes = list;
}

/* Does an enabled rule look at the buyer's account (institution, customer
 * since, paid orders, Moodle roles)?  Only then is it read. */
static int rules_need_buyer(const shop_discount_t *rules, int n)
{
    for (int i = 0; i < n; i++) {
        shop_discount_type_t t = rules[i].type;
        if (rules[i].enabled && (t == SHOP_DISCOUNT_USER_INSTITUTION || t == SHOP_DISCOUNT_LONG_TIME_CUSTOMER
                                 || t == SHOP_DISCOUNT_ORDER_COUNT || t == SHOP_DISCOUNT_MOODLE_ROLE))
            return 1;
    }
    return 0;
}

/* The buyer's context; -1 on a database error. */
static int buyer_context(shop_req_t *req, const shop_storefront_t *sf, shop_discount_context_t *ctx)
{
    apr_pool_t *pool = req->r->pool;
    shop_identity_t *id = shop_req_identity(req);
    json_object *partner;
    memset(ctx, 0, sizeof(*ctx));
    ctx->now = req->now;
    offer_codes(pool, shop_checkout_state(req, sf, 0), &ctx->offer_codes, &ctx->noffer_codes);
    if (json_object_object_get_ex(shop_req_session(req)->data, "partner", &partner)
        && json_object_is_type(partner, json_type_string) && *json_object_get_string(partner)) {
        ctx->partner_key = json_object_get_string(partner);
        ctx->partner_source = 'E';      /* came through a partner link */
    }
    /* an anonymous buyer, or rules that do not look at the account, cost no database round trip */
    if (id->userid <= 0 || !rules_need_buyer(sf->discounts.rules, sf->discounts.nrules)) return 0;
    shop_db_t *db = shop_req_db(req);
    shop_buyer_t b;
    if (!db) return -1;
    int rv = shop_buyer_load(db, id->userid, pool, &b);
    if (rv != 0) return rv;
    ctx->logged_in = 1;
    ctx->institution = b.institution;
    ctx->customer_since = b.customer_since;
    ctx->paid_orders = b.paid_orders;
    ctx->roles = b.roles;
    ctx->nroles = b.nroles;
    return 0;
}

/* Shipping of the lines that need it, to the checkout's destination. */
static const shop_ship_result_t *shipping(shop_req_t *req, const shop_storefront_t *sf, shop_quote_t *q,
                                          const shop_pricing_line_t *in, int n)
{
    apr_pool_t *pool = req->r->pool;
    const char *country, *zip;
    shop_ship_line_t *lines = apr_pcalloc(pool, sizeof(*lines) * (apr_size_t)(n ? n : 1));
    int nship = 0;
    for (int i = 0; i < n; i++) {
        if (!in[i].requires_shipping) continue;
        const shop_product_t *p = shop_catalog_product(sf->catalog, in[i].code);
        shop_formula_error_t ferr;
        lines[nship].product_code = in[i].code;
        lines[nship].quantity = in[i].quantity;
        lines[nship].ht_minor = p && p->ntiers > 0 ? p->tiers[0].price_minor : 0;
        if (shop_tax_unit_taxed(in[i].tax, lines[nship].ht_minor, q->currency, &lines[nship].ttc_minor, &ferr)
            != APR_SUCCESS)
            lines[nship].ttc_minor = lines[nship].ht_minor;
        nship++;
    }
    q->shipping_needed = nship > 0;
    q->deliverable = 1;
    destination(shop_checkout_state(req, sf, 0), &country, &zip);
    q->shipping_known = country != NULL;
    if (!q->shipping_needed || !q->shipping_known) return NULL;
    if (sf->zones_skipped > 0)
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, req->r, SHOPLOGNO(0915) "shop %" APR_INT64_T_FMT
                      ": %d shipping zone(s) or rule(s) of the catalogue left out (applicability or formula refused"
                      " by core/shipping.h, or another currency)", sf->shop_id, sf->zones_skipped);
    shop_ship_result_t *res = apr_pcalloc(pool, sizeof(*res));
    shop_formula_error_t err;
    memset(&err, 0, sizeof(err));
    if (shop_ship_compute(sf->zones, sf->nzones, lines, nship, country, zip, q->currency, res, &err) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, req->r, SHOPLOGNO(0913) "shop %" APR_INT64_T_FMT
                      ": shipping to %s not computed (%s): the order cannot be placed", sf->shop_id, country,
                      err.msg ? err.msg : "bad input");
        q->deliverable = 0;
        return NULL;
    }
    q->deliverable = res->deliverable;
    return res->deliverable ? res : NULL;
}

int shop_quote_cart(shop_req_t *req, const shop_storefront_t *sf, shop_quote_t **out)
{
    apr_pool_t *pool = req->r->pool;
    shop_quote_t *q = apr_pcalloc(pool, sizeof(*q));
    q->currency = shop_currency_get(sf->currency);
    q->deliverable = 1;
    json_object *cart = shop_cart_items(req, sf);
    int n = cart ? json_object_object_length(cart) : 0;
    q->lines = apr_pcalloc(pool, sizeof(*q->lines) * (apr_size_t)(n ? n : 1));
    shop_pricing_line_t *in = apr_pcalloc(pool, sizeof(*in) * (apr_size_t)(n ? n : 1));
    int *line_of = apr_pcalloc(pool, sizeof(*line_of) * (apr_size_t)(n ? n : 1));  /* priced -> quote line */
    shop_viewer_t viewer = n ? shop_storefront_viewer(req) : SHOP_VIEWER_ANONYMOUS;
    if (cart) {
        json_object_object_foreach(cart, code, qty_obj) {
            shop_quote_line_t *l = &q->lines[q->nlines++];
            const shop_product_t *p = shop_catalog_product(sf->catalog, code);
            l->code = p ? p->code : apr_pstrdup(pool, code);
            l->quantity = json_object_get_int64(qty_obj);
            l->product = p;
            l->status = shop_cart_check(sf->catalog, p, l->quantity, viewer, p && shop_passcode_unlocked(req, code), 0);
            if (l->status != SHOP_CART_OK) continue;
            shop_pricing_line_t *pl = &in[q->npriced];
            pl->code = p->code;
            pl->quantity = l->quantity;
            pl->tiers = p->tiers;
            pl->ntiers = p->ntiers;
            pl->tax = p->tax;
            pl->kind = strcmp(p->kind, "bundle") == 0 ? SHOP_PRICING_BUNDLE : SHOP_PRICING_PRODUCT;
            pl->requires_shipping = p->requires_shipping;
            line_of[q->npriced++] = q->nlines - 1;
        }
    }

    shop_pricing_input_t input = { .currency = q->currency, .lines = in, .nlines = q->npriced };
    shop_discount_context_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    if (q->npriced > 0) {
        /* discounts and the buyer only matter when something is priced */
        const shop_discount_set_t set = sf->discounts;     /* read with the catalogue */
        for (int i = 0; i < set.nskipped; i++)
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, req->r, SHOPLOGNO(0911) "shop %" APR_INT64_T_FMT
                          ": discount rule %" APR_INT64_T_FMT " skipped: %s", sf->shop_id, set.skipped[i].id,
                          set.skipped[i].why);
        q->rules = set.rules;
        q->nrules = set.nrules;
        int rv = buyer_context(req, sf, &ctx);
        if (rv != 0) return rv;
        input.discounts = set.rules;
        input.ndiscounts = set.nrules;
        input.ctx = &ctx;
        input.shipping = shipping(req, sf, q, in, q->npriced);
    }
    shop_pricing_error_t err;
    memset(&err, 0, sizeof(err));
    if (shop_pricing_compute(pool, &input, &q->pricing, &err) != APR_SUCCESS) {
        /* a catalogue the engine refuses (a hostile tax formula): nothing is priced */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, req->r, SHOPLOGNO(0914) "shop %" APR_INT64_T_FMT
                      ": the cart cannot be priced (%s, input %d)", sf->shop_id, err.key ? err.key : "?", err.index);
        for (int i = 0; i < q->npriced; i++) q->lines[line_of[i]].status = SHOP_CART_NOT_FOR_SALE;
        q->npriced = 0;
        shop_pricing_input_t none = { .currency = q->currency };
        if (shop_pricing_compute(pool, &none, &q->pricing, &err) != APR_SUCCESS) return -1;
    }
    for (int i = 0; i < q->npriced && i < q->pricing->nlines; i++) q->lines[line_of[i]].priced = &q->pricing->lines[i];
    if (q->pricing->partner_key) {
        q->partner_key = q->pricing->partner_key;
        q->partner_tag = q->pricing->partner_tag;
    } else {
        q->partner_key = ctx.partner_key;
    }
    *out = q;
    return 0;
}

static json_object *money(apr_pool_t *pool, apr_int64_t v, const shop_currency_t *cur, const char *lang)
{
    return json_object_new_string(shop_money_pformat(pool, v, cur, lang));
}

static json_object *quote_lines(shop_req_t *req, const shop_storefront_t *sf, const shop_quote_t *q)
{
    apr_pool_t *pool = req->r->pool;
    const char *lang = shop_req_lang(req);
    json_object *lines = json_object_new_array();
    for (int i = 0; i < q->nlines; i++) {
        const shop_quote_line_t *ql = &q->lines[i];
        json_object *l = json_object_new_object();
        json_object_object_add(l, "code", json_object_new_string(ql->code));
        json_object_object_add(l, "name", json_object_new_string(ql->product ? ql->product->name : ql->code));
        json_object_object_add(l, "quantity", json_object_new_int64(ql->quantity));
        json_object_array_add(lines, l);
        const shop_pricing_out_line_t *o = ql->priced;
        if (ql->status != SHOP_CART_OK || !o) {
            shop_cart_status_t st = ql->status != SHOP_CART_OK ? ql->status : SHOP_CART_NOT_FOR_SALE;
            json_object_object_add(l, "problem", json_object_new_string(shop_req_text(req, shop_cart_status_key(st))));
            continue;
        }
        int max = ql->product->max_quantity ? ql->product->max_quantity : SHOP_MAX_QUANTITY;
        apr_int64_t unit_taxed = 0;
        shop_formula_error_t ferr;
        if (shop_tax_unit_taxed(o->tax, o->unit_minor, q->currency, &unit_taxed, &ferr) != APR_SUCCESS)
            unit_taxed = o->unit_minor;
        json_object_object_add(l, "max_quantity", json_object_new_int(max));
        json_object_object_add(l, "unit_minor", json_object_new_int64(o->unit_minor));
        json_object_object_add(l, "unit_taxed_minor", json_object_new_int64(unit_taxed));
        json_object_object_add(l, "total_minor", json_object_new_int64(o->untaxed_minor));
        json_object_object_add(l, "total_taxed_minor", json_object_new_int64(o->taxed_minor));
        json_object_object_add(l, "unit_taxed_text", money(pool, unit_taxed, q->currency, lang));
        json_object_object_add(l, "total_taxed_text", money(pool, o->taxed_minor, q->currency, lang));
    }
    (void)sf;
    return lines;
}

/* DISCOUNT lines: label, the code that triggered it, the ratio, the taxed
 * amount (<= 0). */
static json_object *discount_lines(shop_req_t *req, const shop_quote_t *q)
{
    apr_pool_t *pool = req->r->pool;
    const char *lang = shop_req_lang(req);
    json_object *list = json_object_new_array();
    for (int i = 0; i < q->pricing->nlines; i++) {
        const shop_pricing_out_line_t *o = &q->pricing->lines[i];
        if (o->type != SHOP_LINE_DISCOUNT || !o->discount) continue;
        json_object *d = json_object_new_object();
        json_object_object_add(d, "id", json_object_new_int64(o->discount->id));
        json_object_object_add(d, "label", json_object_new_string(o->discount->name));
        json_object_object_add(d, "code", shop_json_string_or_null(o->offer_code));
        json_object_object_add(d, "ratio", o->has_ratio ? json_object_new_string(shop_dec_pstr(pool, o->ratio)) : NULL);
        json_object_object_add(d, "amount_minor", json_object_new_int64(o->taxed_minor));
        json_object_object_add(d, "untaxed_minor", json_object_new_int64(o->untaxed_minor));
        json_object_object_add(d, "amount_text", money(pool, o->taxed_minor, q->currency, lang));
        json_object_array_add(list, d);
    }
    return list;
}

static json_object *totals(shop_req_t *req, const shop_quote_t *q)
{
    apr_pool_t *pool = req->r->pool;
    const char *lang = shop_req_lang(req);
    const shop_pricing_result_t *res = q->pricing;
    json_object *tax_lines = json_object_new_array();
    for (int i = 0; i < res->ntaxlines; i++) {
        const shop_pricing_taxline_t *t = &res->taxlines[i];
        if (!t->tax) continue;          /* the untaxed group is not a tax */
        json_object *o = json_object_new_object();
        json_object_object_add(o, "tax", json_object_new_string(t->tax->title ? t->tax->title : ""));
        json_object_object_add(o, "rate", json_object_new_string(shop_dec_pstr(pool, t->rate)));
        json_object_object_add(o, "base_minor", json_object_new_int64(t->base_minor));
        json_object_object_add(o, "amount_minor", json_object_new_int64(t->amount_minor));
        json_object_object_add(o, "amount_text", money(pool, t->amount_minor, q->currency, lang));
        json_object_array_add(tax_lines, o);
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "untaxed_minor", json_object_new_int64(res->untaxed_minor));
    json_object_object_add(o, "taxes_minor", json_object_new_int64(res->taxes_minor));
    json_object_object_add(o, "taxed_minor", json_object_new_int64(res->taxed_minor));
    json_object_object_add(o, "goods_taxed_minor", json_object_new_int64(res->goods_taxed_minor));
    json_object_object_add(o, "discount_minor", json_object_new_int64(res->discount_minor));
    json_object_object_add(o, "shipping_minor", json_object_new_int64(res->shipping_minor));
    json_object_object_add(o, "to_pay_minor", json_object_new_int64(res->to_pay_minor));
    json_object_object_add(o, "taxes", tax_lines);
    json_object_object_add(o, "untaxed_text", money(pool, res->untaxed_minor, q->currency, lang));
    json_object_object_add(o, "taxed_text", money(pool, res->taxed_minor, q->currency, lang));
    json_object_object_add(o, "goods_taxed_text", money(pool, res->goods_taxed_minor, q->currency, lang));
    json_object_object_add(o, "discount_text", money(pool, res->discount_minor, q->currency, lang));
    json_object_object_add(o, "shipping_text", money(pool, res->shipping_minor, q->currency, lang));
    json_object_object_add(o, "to_pay_text", money(pool, res->to_pay_minor, q->currency, lang));
    json_object_object_add(o, "has_discount", json_object_new_boolean(res->discount_minor != 0));
    return o;
}

/* Shipping as known: needed, known (a destination), deliverable, its zone
 * and amount when there is a SHIPPING line. */
static json_object *shipping_json(shop_req_t *req, const shop_quote_t *q)
{
    json_object *o = json_object_new_object();
    const shop_pricing_out_line_t *line = NULL;
    for (int i = 0; i < q->pricing->nlines; i++)
        if (q->pricing->lines[i].type == SHOP_LINE_SHIPPING) line = &q->pricing->lines[i];
    json_object_object_add(o, "needed", json_object_new_boolean(q->shipping_needed));
    json_object_object_add(o, "known", json_object_new_boolean(q->shipping_known));
    json_object_object_add(o, "deliverable", json_object_new_boolean(q->deliverable));
    json_object_object_add(o, "priced", json_object_new_boolean(line != NULL));
    json_object_object_add(o, "unknown", json_object_new_boolean(q->shipping_needed && !q->shipping_known));
    json_object_object_add(o, "undeliverable", json_object_new_boolean(!q->deliverable));
    if (line) {
        json_object_object_add(o, "amount_minor", json_object_new_int64(line->taxed_minor));
        json_object_object_add(o, "amount_text", money(req->r->pool, line->taxed_minor, q->currency, shop_req_lang(req)));
    }
    return o;
}

json_object *shop_quote_json(shop_req_t *req, const shop_storefront_t *sf, const shop_quote_t *q)
{
    json_object *view = json_object_new_object();
    json_object *lines = quote_lines(req, sf, q);
    json_object *codes = json_object_new_array();
    const char *const *entered;
    int nentered;
    offer_codes(req->r->pool, shop_checkout_state(req, sf, 0), &entered, &nentered);
    for (int i = 0; i < nentered; i++) json_object_array_add(codes, json_object_new_string(entered[i]));
    json_object_object_add(view, "lines", lines);
    json_object_object_add(view, "totals", totals(req, q));
    json_object_object_add(view, "currency", json_object_new_string(sf->currency));
    json_object_object_add(view, "discounts", discount_lines(req, q));
    json_object_object_add(view, "shipping", shipping_json(req, q));
    json_object_object_add(view, "offer_codes", codes);
    json_object_object_add(view, "has_offer_codes", json_object_new_boolean(nentered > 0));
    json_object_object_add(view, "empty", json_object_new_boolean(q->nlines == 0));
    return view;
}
