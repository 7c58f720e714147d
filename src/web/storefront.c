/* The storefront: catalogue page (tabs or stacked), product page, and the
 * catalogue JSON API.  Prices are those the current shopper would pay for
 * one unit; descriptions were sanitized when the model was built. */
#include "web/pages.h"
#include "web/render.h"
#include "web/storefront.h"

#include "http_protocol.h"
#include <apr_strings.h>

#include "core/money.h"
#include "data/customer_repo.h"

shop_viewer_t shop_storefront_viewer(shop_req_t *req)
{
    shop_identity_t *id = shop_req_identity(req);
    if (id->role >= SHOP_ROLE_STAFF) return SHOP_VIEWER_STAFF;
    if (id->userid <= 0) return SHOP_VIEWER_ANONYMOUS;
    shop_db_t *db = shop_req_db(req);
    int is_customer = 0;
    if (db) shop_customer_exists_for_user(db, id->userid, &is_customer);
    return is_customer ? SHOP_VIEWER_CUSTOMER : SHOP_VIEWER_USER;
}

shop_storefront_t *shop_storefront_open(shop_req_t *req)
{
    shop_storefront_t *sf = NULL;
    const char *given = shop_req_param(req, "shop");
    apr_int64_t id = given ? apr_atoi64(given) : shop_conf_default_shop(req->dconf);
    if (shop_storefront_cache_get(req->rt->storefronts, req, id, &sf) != 0) {
        shop_render_unavailable(req);
        return NULL;
    }
    if (!sf) shop_render_error(req, HTTP_NOT_FOUND, "shop_not_found", "error_shop_not_found", NULL);
    return sf;
}

/* Why a visible product cannot be bought now, as a string key; NULL when it can. */
static const char *unavailable_reason(const shop_product_t *p)
{
    if (p->tax_unusable) return "product_unavailable";
    if (strcmp(p->kind, "set") != 0 && p->ntiers == 0) return "product_no_price";
    if (p->stock >= 0 && p->stock - p->reserved <= 0) return "product_sold_out";
    if (strcmp(p->status, SHOP_STATUS_AVAILABLE) && strcmp(p->status, SHOP_STATUS_PROVIDING))
        return "product_not_on_sale";
    return NULL;
}

/* Untaxed and taxed unit prices for quantity q; -1 when there is no price. */
static void unit_prices(const shop_product_t *p, const shop_currency_t *cur, apr_int64_t q,
                        apr_int64_t *untaxed, apr_int64_t *taxed)
{
    *untaxed = *taxed = -1;
    shop_formula_error_t err;
    if (p->tax_unusable || shop_tiers_unit_price(p->tiers, p->ntiers, q, untaxed) != APR_SUCCESS) return;
    if (!p->tax) *taxed = *untaxed;
    else if (shop_tax_unit_taxed(p->tax, *untaxed, cur, taxed, &err) != APR_SUCCESS) *untaxed = *taxed = -1;
}

const char *shop_storefront_path(shop_req_t *req, const shop_storefront_t *sf, const char *path)
{
    if (sf->shop_id == shop_conf_default_shop(req->dconf)) return path;
    return apr_psprintf(req->r->pool, "%s%cshop=%" APR_INT64_T_FMT, path, strchr(path, '?') ? '&' : '?', sf->shop_id);
}

json_object *shop_storefront_product_json(shop_req_t *req, const shop_storefront_t *sf,
                                          const shop_product_t *p, shop_viewer_t viewer, int depth)
{
    apr_pool_t *pool = req->r->pool;
    const char *lang = shop_req_lang(req);
    const shop_currency_t *cur = shop_currency_get(sf->currency);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "code", json_object_new_string(p->code));
    json_object_object_add(o, "name", json_object_new_string(p->name));
    json_object_object_add(o, "short_description", shop_json_string_or_null(p->short_description));
    json_object_object_add(o, "description", shop_json_string_or_null(p->description));
    json_object_object_add(o, "kind", json_object_new_string(p->kind));
    json_object_object_add(o, apr_pstrcat(pool, "is_", p->kind, NULL), json_object_new_boolean(1));
    json_object_object_add(o, "status", json_object_new_string(p->status));
    json_object_object_add(o, "seat_mode", json_object_new_string(p->seat_mode));
    json_object_object_add(o, "max_quantity", json_object_new_int(p->max_quantity));
    json_object_object_add(o, "has_passcode", json_object_new_boolean(p->has_passcode));
    json_object_object_add(o, "locked", json_object_new_boolean(p->has_passcode && !shop_passcode_unlocked(req, p->code)));
    json_object_object_add(o, "requires_shipping", json_object_new_boolean(p->requires_shipping));
    json_object_object_add(o, "currency", json_object_new_string(sf->currency));
    json_object_object_add(o, "shop_id", json_object_new_int64(sf->shop_id));
    json_object_object_add(o, "url", json_object_new_string(
        apr_pstrcat(pool, req->conf->public_path, "/product/", p->code, NULL)));

    /* files uploaded in the back office, served by /media/products/ID/KIND */
    const char *media = apr_psprintf(pool, "%s/media/products/%" APR_INT64_T_FMT "/", req->conf->public_path, p->id);
    const char *thumb = p->thumb_ref ? "thumb" : p->image_ref ? "image" : NULL;
    if (thumb) json_object_object_add(o, "thumb_url", json_object_new_string(apr_pstrcat(pool, media, thumb, NULL)));
    if (p->image_ref) json_object_object_add(o, "image_url", json_object_new_string(apr_pstrcat(pool, media, "image", NULL)));
    if (p->leaflet_ref) json_object_object_add(o, "leaflet_url", json_object_new_string(apr_pstrcat(pool, media, "leaflet", NULL)));

    apr_int64_t untaxed, taxed;
    unit_prices(p, cur, 1, &untaxed, &taxed);
    if (untaxed >= 0) {
        json_object_object_add(o, "price_minor", json_object_new_int64(untaxed));
        json_object_object_add(o, "price_taxed_minor", json_object_new_int64(taxed));
        json_object_object_add(o, "price_text", json_object_new_string(shop_money_pformat(pool, untaxed, cur, lang)));
        json_object_object_add(o, "price_taxed_text", json_object_new_string(shop_money_pformat(pool, taxed, cur, lang)));
    }
    json_object *tiers = json_object_new_array();
    for (int i = 0; i < p->ntiers && untaxed >= 0; i++) {
        apr_int64_t from = 0, to = 0, tier_taxed = -1, tier_untaxed = -1;
        shop_tiers_range(p->tiers, p->ntiers, i, &from, &to);
        unit_prices(p, cur, from > 0 ? from : 1, &tier_untaxed, &tier_taxed);
        json_object *t = json_object_new_object();
        json_object_object_add(t, "up_to", p->tiers[i].up_to ? json_object_new_int64(p->tiers[i].up_to) : NULL);
        json_object_object_add(t, "price_minor", json_object_new_int64(p->tiers[i].price_minor));
        json_object_object_add(t, "price_taxed_minor", json_object_new_int64(tier_taxed));
        json_object_object_add(t, "from", json_object_new_int64(from));
        json_object_object_add(t, "to", to ? json_object_new_int64(to) : NULL);
        json_object_object_add(t, "price_taxed_text", json_object_new_string(shop_money_pformat(pool, tier_taxed, cur, lang)));
        json_object_array_add(tiers, t);
    }
    json_object_object_add(o, "tiers", tiers);
    json_object_object_add(o, "has_tiers", json_object_new_boolean(p->ntiers > 1));
    if (p->tax) {
        json_object_object_add(o, "tax_title", json_object_new_string(p->tax->title ? p->tax->title : ""));
    }
    const char *reason = unavailable_reason(p);
    json_object_object_add(o, "available", json_object_new_boolean(reason == NULL));
    if (reason) {
        json_object_object_add(o, "unavailable_reason", json_object_new_string(reason));
        json_object_object_add(o, "unavailable_text", json_object_new_string(
            shop_i18n_get(req->rt->i18n, lang, reason)));
    }
    json_object *elements = json_object_new_array();
    for (int i = 0; depth == 0 && i < p->elements->nelts; i++) {
        const shop_product_t *el = APR_ARRAY_IDX(p->elements, i, const shop_product_t *);
        if (shop_catalog_visible(el, viewer))
            json_object_array_add(elements, shop_storefront_product_json(req, sf, el, viewer, depth + 1));
    }
    json_object_object_add(o, "elements", elements);
    return o;
}
