/* Per-child cache of storefront models (shop + catalogue, data/catalog_repo.h).
 *
 * Every request checks the catalogue's version (one memcached get, the
 * database on a miss), so an edit shows on the next request in every child
 * of every node; the model itself is only rebuilt when the version moved. */
#ifndef SHOP_WEB_STOREFRONT_CACHE_H
#define SHOP_WEB_STOREFRONT_CACHE_H

#include <apr_thread_mutex.h>
#include "data/catalog_repo.h"

struct shop_req;     /* web/request.h, which includes this header through runtime.h */

typedef struct shop_storefront_cache shop_storefront_cache_t;

/* Made in child_init, in pchild. */
apr_status_t shop_storefront_cache_create(apr_pool_t *pchild, shop_storefront_cache_t **out);

/* The current model of shop `shop_id`, valid until `request_pool` is
 * destroyed (read-only: it is shared with other threads).  *out NULL (and 0
 * returned) when the shop does not exist or is disabled; a database error is
 * returned as the MySQL errno (-1: no connection).  The database is only
 * borrowed when memcached does not know the version or a model is built. */
int shop_storefront_cache_get(shop_storefront_cache_t *c, struct shop_req *req, apr_int64_t shop_id,
                              shop_storefront_t **out);

/* Pages rendered for anonymous visitors, kept with the model they were made
 * from (so a new catalogue version starts empty).  A page is stored with a
 * per-model random marker where the visitor's CSRF token goes
 * (shop_storefront_page_marker); shop_storefront_page_get() returns a copy
 * in `pool` with the marker replaced by `csrf_token`, or NULL.  At most
 * SHOP_STOREFRONT_MAX_PAGES pages per model. */
#define SHOP_STOREFRONT_MAX_PAGES 128

const char *shop_storefront_page_marker(const shop_storefront_t *sf);
const char *shop_storefront_page_get(const shop_storefront_t *sf, const char *key, const char *csrf_token,
                                     apr_pool_t *pool, apr_size_t *len);
/* Replace the marker in a page rendered with it (copy in pool). */
const char *shop_storefront_page_fill(const shop_storefront_t *sf, const char *text, apr_size_t text_len,
                                      const char *csrf_token, apr_pool_t *pool, apr_size_t *len);
void shop_storefront_page_put(const shop_storefront_t *sf, const char *key, const char *page, apr_size_t len);

#endif
