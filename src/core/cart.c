/* Cart rules: see cart.h. */
#include "core/cart.h"

#include <string.h>

shop_cart_status_t shop_cart_check(const shop_catalog_t *cat, const shop_product_t *p, apr_int64_t quantity,
                                   shop_viewer_t viewer, int unlocked, int nlines)
{
    if (!p || !shop_catalog_visible(p, viewer) || !shop_catalog_in_shown_category(cat, p, viewer))
        return SHOP_CART_UNKNOWN;
    const shop_product_t *box = shop_catalog_container(cat, p);
    /* a set is a display group, a bundle's elements come with the bundle */
    if (strcmp(p->kind, "set") == 0 || (box && strcmp(box->kind, "bundle") == 0) || p->ntiers == 0 || p->tax_unusable)
        return SHOP_CART_NOT_FOR_SALE;
    if (p->has_passcode && !unlocked) return SHOP_CART_LOCKED;
    if (quantity < 1 || quantity > SHOP_MAX_QUANTITY) return SHOP_CART_BAD_QUANTITY;
    if (p->max_quantity > 0 && quantity > p->max_quantity) return SHOP_CART_OVER_MAXIMUM;
    if (p->stock >= 0) {
        apr_int64_t left = p->stock - p->reserved;
        if (left <= 0) return SHOP_CART_SOLD_OUT;
        if (quantity > left) return SHOP_CART_NOT_ENOUGH;
    }
    if (nlines >= SHOP_MAX_CART_LINES) return SHOP_CART_FULL;
    return SHOP_CART_OK;
}

const char *shop_cart_status_key(shop_cart_status_t st)
{
    switch (st) {
    case SHOP_CART_OK: return "";
    case SHOP_CART_UNKNOWN: return "cart_error_unknown";
    case SHOP_CART_NOT_FOR_SALE: return "cart_error_not_for_sale";
    case SHOP_CART_LOCKED: return "cart_error_locked";
    case SHOP_CART_BAD_QUANTITY: return "cart_error_quantity";
    case SHOP_CART_OVER_MAXIMUM: return "cart_error_maximum";
    case SHOP_CART_SOLD_OUT: return "cart_error_sold_out";
    case SHOP_CART_NOT_ENOUGH: return "cart_error_not_enough";
    case SHOP_CART_FULL: return "cart_error_full";
    }
    return "cart_error_unknown";
}

const char *shop_cart_status_code(shop_cart_status_t st)
{
    static const char prefix[] = "cart_error_";
    const char *key = shop_cart_status_key(st);
    return strncmp(key, prefix, sizeof(prefix) - 1) == 0 ? key + sizeof(prefix) - 1 : key;
}

int shop_cart_status_http(shop_cart_status_t st)
{
    switch (st) {
    case SHOP_CART_OK: return 200;
    case SHOP_CART_UNKNOWN: return 404;
    case SHOP_CART_LOCKED: return 403;
    case SHOP_CART_BAD_QUANTITY: return 400;
    default: return 409;
    }
}
