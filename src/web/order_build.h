/* From a priced cart (web/quote.h) and the checkout state (web/checkout.h)
 * to the order placement writes (services/placement.h): one PRODUCT line per
 * priced cart line with the frozen JSON snapshot of the product (prices,
 * tiers, tax, action and parameters, required-data widgets, elements), the
 * buyer's required data and seat assignments; one DISCOUNT line per rule and
 * tax rate (so per-rate taxes stay sums of lines on every document); the
 * SHIPPING line.  Everything in the request pool. */
#ifndef SHOP_WEB_ORDER_BUILD_H
#define SHOP_WEB_ORDER_BUILD_H

#include "web/quote.h"
#include "services/placement.h"

/* Lines, totals, codes and the frozen identity of `order`; the caller sets
 * the rest (customer, paymode, terms, transid, now, hold time). */
void shop_order_build(shop_req_t *req, const shop_storefront_t *sf, const shop_quote_t *q,
                      json_object *state, shop_order_t *order);

#endif
