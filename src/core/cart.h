/* Cart rules: may this quantity of this product be in a cart?  Pure: the
 * caller gives the catalogue model, the shopper's visibility class and
 * whether the product's passcode was typed in this session.  The cart itself
 * (code -> quantity) lives in the shop session (web/cart.c); stock is only
 * taken at placement, but an amount beyond what is left is refused here. */
#ifndef SHOP_CORE_CART_H
#define SHOP_CORE_CART_H

#include "core/catalog.h"
#include "core/limits.h"

typedef enum {
    SHOP_CART_OK = 0,
    SHOP_CART_UNKNOWN,          /* no such product for this shopper */
    SHOP_CART_NOT_FOR_SALE,     /* a set, an element of a bundle, no price, unusable tax */
    SHOP_CART_LOCKED,           /* passcode not typed */
    SHOP_CART_BAD_QUANTITY,     /* < 1 or > SHOP_MAX_QUANTITY */
    SHOP_CART_OVER_MAXIMUM,     /* more than the product's maximum per order */
    SHOP_CART_SOLD_OUT,         /* nothing left */
    SHOP_CART_NOT_ENOUGH,       /* less left than asked */
    SHOP_CART_FULL              /* SHOP_MAX_CART_LINES lines already */
} shop_cart_status_t;

/* Check `quantity` units of `p` (NULL = unknown code) for a cart that holds
 * `nlines` other lines.  `unlocked`: the passcode was typed. */
shop_cart_status_t shop_cart_check(const shop_catalog_t *cat, const shop_product_t *p, apr_int64_t quantity,
                                   shop_viewer_t viewer, int unlocked, int nlines);

/* The i18n message key of a status ("cart_error_…"; "" for OK). */
const char *shop_cart_status_key(shop_cart_status_t st);

/* The API error code of a status ("sold_out"…; "" for OK): the key without
 * its "cart_error_" prefix. */
const char *shop_cart_status_code(shop_cart_status_t st);

/* The HTTP status that fits a refusal: 404 unknown, 403 locked, 409 stock
 * and limits, 400 quantity. */
int shop_cart_status_http(shop_cart_status_t st);

#endif
