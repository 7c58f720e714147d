/* Reading a shop and its catalogue into the storefront model (core/catalog.h),
 * with a slave catalogue's overrides applied, and the catalogue version that
 * tells caches when to read again. */
#ifndef SHOP_DATA_CATALOG_REPO_H
#define SHOP_DATA_CATALOG_REPO_H

#include "data/db.h"
#include "data/cache.h"
#include "core/catalog.h"
#include "data/discount_repo.h"
#include "core/shipping.h"

typedef struct shop_storefront {
    apr_pool_t *pool;          /* owns everything below */
    apr_int64_t shop_id;
    const char *name, *description, *currency, *terms;
    int tabbed;                /* categories as tabs (1) or stacked headings (0) */
    /* checkout settings of the shop */
    const char *paymodes;      /* JSON {"gateway": true|false}, or NULL */
    const char *default_paymode;
    int customer_org_required, enduser_org_required, enduser_phone_required;
    const char *countries;     /* the catalogue's comma list of ISO codes offered, "" = all */
    shop_catalog_t *catalog;
    /* Shipping zones in the order they are tried (sortorder, code), compiled:
     * the catalogue's own, or its master's when a slave has none.  Zones in
     * another currency than the shop's, and zones or rules whose
     * applicability or formula does not compile (written by another tool:
     * the back office refuses them), are left out and counted. */
    const shop_ship_zone_t *zones;
    int nzones;
    int zones_skipped;
    /* the shop's discount rules, read with the catalogue: a rule edit shows
     * when the catalogue version moves (as for products); a code's use limit
     * is enforced at placement (shop_discount_code_count_use) */
    shop_discount_set_t discounts;
    void *cache_entry;         /* owned by web/storefront_cache.c, NULL outside a cache */
} shop_storefront_t;

/* Load shop `shop_id` (enabled) and its catalogue into a new model allocated
 * in `pool` (the caller owns the pool, e.g. a cache entry's).  *out is NULL
 * (and 0 returned) when the shop does not exist or is disabled.  Queries run
 * in db->pool; only the model lands in `pool`. */
int shop_storefront_load(shop_db_t *db, apr_int64_t shop_id, apr_pool_t *pool, shop_storefront_t **out);

/* The stored hash of a product's purchase passcode (NULL when it has none),
 * looked up in the catalogue that owns the product (a slave's master). */
int shop_catalog_passcode_hash(shop_db_t *db, apr_int64_t product_id, const char **hash);

/* Version of a catalogue: memcached first (key "catver:<id>"), then the
 * database, whose value is put back in memcached.  *version -1 when the
 * catalogue does not exist. */
int shop_catalog_version(shop_db_t *db, shop_cache_t *cache, apr_int64_t catalogue_id, apr_int64_t *version);

/* The memcached half alone: APR_SUCCESS with *version, or APR_NOTFOUND (a
 * miss, or memcached unavailable) — then ask shop_catalog_version().  Lets a
 * request that finds the version in memcached never borrow a database
 * connection (mod_dbd pings the server on every borrow). */
apr_status_t shop_catalog_version_cached(shop_cache_t *cache, apr_pool_t *pool, apr_int64_t catalogue_id,
                                         apr_int64_t *version);

/* Mark a catalogue changed: bump its version and its slaves' (in the
 * caller's transaction); then, after commit, shop_catalog_publish_versions()
 * writes the new versions to memcached so every child of every node reads
 * the catalogue again on its next request.  Readers only `add` a version they
 * read from the database, so they never overwrite a newer one. */
int shop_catalog_bump(shop_db_t *db, apr_int64_t catalogue_id);
void shop_catalog_publish_versions(shop_db_t *db, shop_cache_t *cache, apr_int64_t catalogue_id);

#endif
