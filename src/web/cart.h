/* The cart page, shared by the cart handlers (cart.c) and the offer-code
 * forms (cart_discount.c). */
#ifndef SHOP_WEB_CART_H
#define SHOP_WEB_CART_H

#include "web/request.h"
#include "web/storefront.h"

/* "/cart", with ?shop=ID when not the default shop. */
const char *shop_cart_path(shop_req_t *req, const shop_storefront_t *sf);

/* Render the cart page with `status`: `error` (a message key, or NULL) above
 * the cart; `code_error` (a message key, or NULL) next to the offer-code
 * field, which is refilled with `code_value`. */
int shop_cart_page_render(shop_req_t *req, const shop_storefront_t *sf, int status, const char *error,
                          const char *code_error, const char *code_value);

/* The cart as the API answers it (CONTRACT §4 GET /api/v1/cart). */
int shop_cart_api_answer(shop_req_t *req, const shop_storefront_t *sf, int status);

/* Empty the shop's cart; its checkout state (answers, offer codes, the
 * placed bill) goes with it. */
void shop_cart_empty(shop_req_t *req, const shop_storefront_t *sf);

#endif
