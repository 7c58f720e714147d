/* Shared pieces of the storefront pages and the catalogue API. */
#ifndef SHOP_WEB_STOREFRONT_H
#define SHOP_WEB_STOREFRONT_H

#include "web/request.h"
#include "web/storefront_cache.h"

/* Visibility class of the current shopper (one customer lookup for a
 * logged-in user). */
shop_viewer_t shop_storefront_viewer(shop_req_t *req);

/* The storefront of ?shop=ID or ShopDefaultShop, or NULL after an error
 * answer was sent (unknown shop 404, database 503): the handler returns OK. */
shop_storefront_t *shop_storefront_open(shop_req_t *req);

/* A path below the shop for this storefront: `path` as is for the default
 * shop, else with shop=ID added to its query. */
const char *shop_storefront_path(shop_req_t *req, const shop_storefront_t *sf, const char *path);

/* A product for templates and the API: prices for one unit (untaxed, taxed,
 * formatted), tiers, availability and its reason, elements of a set or
 * bundle (depth 0 only). */
json_object *shop_storefront_product_json(shop_req_t *req, const shop_storefront_t *sf,
                                          const shop_product_t *p, shop_viewer_t viewer, int depth);

#endif
