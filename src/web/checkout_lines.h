/* The cart lines the checkout steps "requirements" and "participants" work
 * on: those the buyer may still buy now (the cart's own checks: visibility,
 * passcode, quantity, stock), in cart order.  A line the cart page shows as
 * refused asks for nothing, like local_shop, where it could not be ordered. */
#ifndef SHOP_WEB_CHECKOUT_LINES_H
#define SHOP_WEB_CHECKOUT_LINES_H

#include "web/request.h"
#include "web/storefront.h"

typedef struct shop_checkout_line {
    const char *code;                  /* the catalogue's spelling */
    const shop_product_t *product;
    apr_int64_t quantity;
} shop_checkout_line_t;

/* shop_checkout_line_t of this shop's cart, computed once per request (the
 * checkout handlers never change the cart) and kept in the request pool;
 * empty when there is no cart. */
const apr_array_header_t *shop_checkout_lines(shop_req_t *req, const shop_storefront_t *sf);

/* The line of `code` (the catalogue's spelling, compared exactly), or NULL. */
const shop_checkout_line_t *shop_checkout_line(shop_req_t *req, const shop_storefront_t *sf, const char *code);

#endif
