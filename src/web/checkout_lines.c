/* Cart lines for the checkout steps (checkout_lines.h). */
#include "web/checkout_lines.h"
#include "web/checkout.h"
#include "web/pages.h"

#include <apr_strings.h>

#include "core/cart.h"

const apr_array_header_t *shop_checkout_lines(shop_req_t *req, const shop_storefront_t *sf)
{
    apr_pool_t *pool = req->r->pool;
    const char *key = apr_psprintf(pool, "shop_checkout_lines:%" APR_INT64_T_FMT, sf->shop_id);
    void *cached = NULL;
    apr_pool_userdata_get(&cached, key, pool);
    if (cached) return cached;

    apr_array_header_t *lines = apr_array_make(pool, 4, sizeof(shop_checkout_line_t));
    json_object *cart = shop_cart_items(req, sf);
    if (cart) {
        shop_viewer_t viewer = shop_storefront_viewer(req);
        json_object_object_foreach(cart, code, qty) {
            apr_int64_t q = json_object_get_int64(qty);
            const shop_product_t *p = shop_catalog_product(sf->catalog, code);
            if (!p || shop_cart_check(sf->catalog, p, q, viewer, shop_passcode_unlocked(req, code), 0) != SHOP_CART_OK)
                continue;
            shop_checkout_line_t *l = apr_array_push(lines);
            l->code = p->code;
            l->product = p;
            l->quantity = q;
        }
    }
    apr_pool_userdata_set(lines, key, NULL, pool);
    return lines;
}

const shop_checkout_line_t *shop_checkout_line(shop_req_t *req, const shop_storefront_t *sf, const char *code)
{
    const apr_array_header_t *lines = shop_checkout_lines(req, sf);
    for (int i = 0; code && i < lines->nelts; i++) {
        const shop_checkout_line_t *l = &APR_ARRAY_IDX(lines, i, shop_checkout_line_t);
        if (strcmp(l->code, code) == 0) return l;
    }
    return NULL;
}
