/* Building the order lines and snapshots (order_build.h). */
#include "web/order_build.h"

#include <apr_strings.h>

#include "core/decimal.h"
#include "core/seats.h"

static json_object *parsed_or_null(const char *text)
{
    json_object *o = text && *text ? json_tokener_parse(text) : NULL;
    return o;
}

static const char *json_text(apr_pool_t *pool, json_object *o)
{
    const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    s = apr_pstrdup(pool, s);
    json_object_put(o);
    return s;
}

static json_object *tax_json(apr_pool_t *pool, const shop_tax_t *t)
{
    if (!t) return NULL;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(t->id));
    json_object_object_add(o, "title", json_object_new_string(t->title ? t->title : ""));
    json_object_object_add(o, "rate", json_object_new_string(shop_dec_pstr(pool, t->rate)));
    json_object_object_add(o, "formula", t->formula_src ? json_object_new_string(t->formula_src) : NULL);
    return o;
}

/* What the product was when it was bought: production and documents read
 * this, never the live catalogue. */
static const char *snapshot(apr_pool_t *pool, const shop_storefront_t *sf, const shop_product_t *p,
                            const shop_pricing_out_line_t *priced)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "product_id", json_object_new_int64(p->id));
    json_object_object_add(o, "code", json_object_new_string(p->code));
    json_object_object_add(o, "name", json_object_new_string(p->name ? p->name : ""));
    json_object_object_add(o, "kind", json_object_new_string(p->kind ? p->kind : "product"));
    json_object_object_add(o, "seat_mode", json_object_new_string(p->seat_mode ? p->seat_mode : "none"));
    json_object_object_add(o, "catalogue_id", json_object_new_int64(sf->catalog->id));
    json_object_object_add(o, "catalogue_version", json_object_new_int64(sf->catalog->version));
    json_object_object_add(o, "currency", json_object_new_string(sf->currency));
    json_object_object_add(o, "unit_minor", json_object_new_int64(priced->unit_minor));
    json_object *tiers = json_object_new_array();
    for (int i = 0; i < p->ntiers; i++) {
        json_object *t = json_object_new_object();
        json_object_object_add(t, "up_to", p->tiers[i].up_to == SHOP_TIER_UNLIMITED ? NULL
                                           : json_object_new_int64(p->tiers[i].up_to));
        json_object_object_add(t, "price_minor", json_object_new_int64(p->tiers[i].price_minor));
        json_object_array_add(tiers, t);
    }
    json_object_object_add(o, "tiers", tiers);
    json_object_object_add(o, "tax", tax_json(pool, p->tax));
    json_object_object_add(o, "action", p->action ? json_object_new_string(p->action) : NULL);
    json_object_object_add(o, "action_params", parsed_or_null(p->action_params));
    json_object_object_add(o, "required_data", parsed_or_null(p->required_data));
    json_object_object_add(o, "requires_shipping", json_object_new_boolean(p->requires_shipping));
    json_object_object_add(o, "renewable", json_object_new_boolean(p->renewable));
    json_object *elements = json_object_new_array();
    for (int i = 0; p->elements && i < p->elements->nelts; i++)
        json_object_array_add(elements, json_object_new_string(APR_ARRAY_IDX(p->elements, i, const shop_product_t *)->code));
    json_object_object_add(o, "elements", elements);
    return json_text(pool, o);
}

static json_object *state_get(json_object *state, const char *key)
{
    json_object *v = NULL;
    return state && json_object_object_get_ex(state, key, &v) ? v : NULL;
}

/* The buyer's required data for a product: [ {field: value} per unit ]. */
static const char *required_data(apr_pool_t *pool, json_object *state, const char *code)
{
    json_object *all = state_get(state, "requirements"), *mine;
    if (!all || !json_object_object_get_ex(all, code, &mine)) return NULL;
    json_object *copy = NULL;
    json_object_deep_copy(mine, &copy, NULL);
    return json_text(pool, copy);
}

/* Seat assignments of a product: {role: [{email, firstname, lastname, userid}]}. */
static const char *seats(apr_pool_t *pool, json_object *state, const char *code)
{
    json_object *all = state_get(state, "assignments"), *mine, *people = state_get(state, "participants");
    if (!all || !json_object_object_get_ex(all, code, &mine) || !json_object_is_type(mine, json_type_object))
        return NULL;
    json_object *out = json_object_new_object();
    json_object_object_foreach(mine, role, emails) {
        json_object *list = json_object_new_array();
        for (size_t i = 0; json_object_is_type(emails, json_type_array) && i < json_object_array_length(emails); i++) {
            int j = shop_participants_find(people, json_object_get_string(json_object_array_get_idx(emails, i)));
            if (j < 0) continue;
            json_object *copy = NULL;
            json_object_deep_copy(json_object_array_get_idx(people, (size_t)j), &copy, NULL);
            json_object_array_add(list, copy);
        }
        json_object_object_add(out, role, list);
    }
    return json_text(pool, out);
}

static const char *rate_text(apr_pool_t *pool, const shop_tax_t *t)
{
    return t ? shop_dec_pstr(pool, t->rate) : "0";
}

static void add_discount_lines(apr_pool_t *pool, const shop_pricing_out_line_t *d, apr_array_header_t *lines)
{
    const char *code = apr_psprintf(pool, "D%" APR_INT64_T_FMT, d->discount->id);
    const char *label = d->has_ratio ? apr_psprintf(pool, "%s %s %%", d->discount->name, shop_dec_pstr(pool, d->ratio))
                                     : d->discount->name;
    json_object *data = json_object_new_object();
    json_object_object_add(data, "discount_id", json_object_new_int64(d->discount->id));
    json_object_object_add(data, "code", d->offer_code ? json_object_new_string(d->offer_code) : NULL);
    json_object_object_add(data, "ratio", d->has_ratio ? json_object_new_string(shop_dec_pstr(pool, d->ratio)) : NULL);
    json_object_object_add(data, "type", json_object_new_string(shop_discount_type_name(d->discount->type)));
    const char *data_text = json_text(pool, data);
    for (int s = 0; s < d->nshares; s++) {
        const shop_pricing_share_t *share = &d->shares[s];
        if (share->untaxed_minor == 0 && share->tax_minor == 0) continue;
        shop_order_line_t *l = apr_array_push(lines);
        memset(l, 0, sizeof(*l));
        l->type = SHOP_LINE_DISCOUNT;
        l->code = code;
        l->label = label;
        l->quantity = 1;
        l->unit_minor = l->untaxed_minor = share->untaxed_minor;
        l->tax_minor = share->tax_minor;
        l->total_minor = share->untaxed_minor + share->tax_minor;
        l->tax_id = share->tax_id;
        l->tax_rate = rate_text(pool, share->tax);
        l->discount_id = d->discount->id;
        l->discount_data = data_text;
    }
}

static const shop_pricing_out_line_t *shipping_line(const shop_pricing_result_t *res)
{
    for (int i = 0; i < res->nlines; i++)
        if (res->lines[i].type == SHOP_LINE_SHIPPING) return &res->lines[i];
    return NULL;
}

void shop_order_build(shop_req_t *req, const shop_storefront_t *sf, const shop_quote_t *q,
                      json_object *state, shop_order_t *order)
{
    apr_pool_t *pool = req->r->pool;
    const shop_pricing_result_t *res = q->pricing;
    apr_array_header_t *lines = apr_array_make(pool, q->nlines + 4, sizeof(shop_order_line_t));
    for (int i = 0; i < q->nlines; i++) {
        const shop_quote_line_t *ql = &q->lines[i];
        if (ql->status != SHOP_CART_OK || !ql->priced) continue;
        const shop_product_t *p = ql->product;
        const shop_pricing_out_line_t *o = ql->priced;
        shop_order_line_t *l = apr_array_push(lines);
        memset(l, 0, sizeof(*l));
        l->type = SHOP_LINE_PRODUCT;
        l->code = p->code;
        l->label = p->name;
        l->description = p->short_description;
        l->quantity = o->quantity;
        l->unit_minor = o->unit_minor;
        l->untaxed_minor = o->untaxed_minor;
        l->tax_minor = o->tax_minor;
        l->total_minor = o->taxed_minor;
        l->tax_id = o->tax_id;
        l->tax_rate = rate_text(pool, o->tax);
        l->product_id = p->id;
        l->hold_stock = p->stock >= 0;
        l->snapshot = snapshot(pool, sf, p, o);
        l->required_data = required_data(pool, state, p->code);
        l->seats = seats(pool, state, p->code);
    }
    apr_array_header_t *codes = apr_array_make(pool, 2, sizeof(shop_order_code_t));
    for (int i = 0; i < res->nlines; i++) {
        const shop_pricing_out_line_t *d = &res->lines[i];
        if (d->type != SHOP_LINE_DISCOUNT) continue;
        add_discount_lines(pool, d, lines);
        if (d->offer_code) {
            shop_order_code_t *c = apr_array_push(codes);
            c->discount_id = d->discount->id;
            c->code = d->offer_code;
        }
    }
    const shop_pricing_out_line_t *ship = shipping_line(res);
    if (ship) {
        shop_order_line_t *l = apr_array_push(lines);
        memset(l, 0, sizeof(*l));
        l->type = SHOP_LINE_SHIPPING;
        l->code = ship->code;
        l->label = shop_req_text(req, "order_shipping");
        l->quantity = 1;
        l->unit_minor = l->untaxed_minor = ship->untaxed_minor;
        l->tax_minor = ship->tax_minor;
        l->total_minor = ship->taxed_minor;
        l->tax_id = ship->tax_id;
        l->tax_rate = rate_text(pool, ship->tax);
    }
    order->lines = (const shop_order_line_t *)lines->elts;
    order->nlines = lines->nelts;
    order->codes = (const shop_order_code_t *)codes->elts;
    order->ncodes = codes->nelts;
    /* the bill's totals leave shipping out (its own column) */
    order->untaxed_minor = res->untaxed_minor - res->shipping_untaxed_minor;
    order->taxes_minor = res->taxes_minor - res->shipping_tax_minor;
    order->taxed_minor = res->goods_taxed_minor + res->discount_minor;
    order->discount_minor = res->discount_minor;
    order->shipping_minor = res->shipping_minor;
    order->to_pay_minor = res->to_pay_minor;
    order->shop_id = sf->shop_id;
    order->catalogue_id = sf->catalog->id;
    order->catalogue_version = sf->catalog->version;
    order->currency = sf->currency;
    order->title = sf->name;
    order->partner_key = q->partner_key;
    order->partner_tag = q->partner_tag;

    /* the identity printed on documents: the invoicing one when given */
    json_object *who = state_get(state, "invoicing");
    if (!who) who = state_get(state, "customer");
    if (who) {
        json_object *copy = NULL;
        json_object_deep_copy(who, &copy, NULL);
        order->invoicing_identity = json_text(pool, copy);
        json_object *engagement;
        if (json_object_object_get_ex(who, "engagement_number", &engagement)
            && json_object_is_type(engagement, json_type_string))
            order->engagement_number = apr_pstrdup(pool, json_object_get_string(engagement));
    }
}
