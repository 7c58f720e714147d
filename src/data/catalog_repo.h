/* Reading a shop and its catalogue into the storefront model (core/catalog.h),
 * with a slave catalogue's overrides applied, and the catalogue version that
 * tells caches when to read again. */
#ifndef SHOP_DATA_CATALOG_REPO_H
#define SHOP_DATA_CATALOG_REPO_H

#include "data/db.h"
#include "data/cache.h"
#include "core/catalog.h"

typedef struct shop_storefront {
    apr_pool_t *pool;          /* owns everything below */
    apr_int64_t shop_id;
    const char *name, *description, *currency, *terms;
    int tabbed;                /* categories as tabs (1) or stacked headings (0) */
    shop_catalog_t *catalog;
} shop_storefront_t;

/* Load shop `shop_id` (enabled) and its catalogue into a new model allocated
 * in `pool` (the caller owns the pool, e.g. a cache entry's).  *out is NULL
 * (and 0 returned) when the shop does not exist or is disabled.  Queries run
 * in db->pool; only the model lands in `pool`. */
int shop_storefront_load(shop_db_t *db, apr_int64_t shop_id, apr_pool_t *pool, shop_storefront_t **out);

/* Version of a catalogue: memcached first (key "catver:<id>"), then the
 * database, whose value is put back in memcached.  *version -1 when the
 * catalogue does not exist. */
int shop_catalog_version(shop_db_t *db, shop_cache_t *cache, apr_int64_t catalogue_id, apr_int64_t *version);

/* Mark a catalogue changed: bump its version and its slaves' (in the
 * caller's transaction); then, after commit, shop_catalog_publish_versions()
 * writes the new versions to memcached so every child of every node reads
 * the catalogue again on its next request.  Readers only `add` a version they
 * read from the database, so they never overwrite a newer one. */
int shop_catalog_bump(shop_db_t *db, apr_int64_t catalogue_id);
void shop_catalog_publish_versions(shop_db_t *db, shop_cache_t *cache, apr_int64_t catalogue_id);

#endif
