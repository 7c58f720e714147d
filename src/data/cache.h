/* memcached through apr_memcache: one client per httpd child (or per shopctl
 * run), shared by its threads.  An unreachable server reads as a miss; the
 * caller falls back to the database, which holds the durable copy. */
#ifndef SHOP_DATA_CACHE_H
#define SHOP_DATA_CACHE_H

#include <apr_pools.h>
#include <apr_memcache.h>

typedef struct shop_cache {
    apr_memcache_t *mc;
    const char *prefix;            /* key namespace, e.g. the table prefix */
} shop_cache_t;

typedef struct shop_cache_server {
    const char *host;
    apr_port_t port;
} shop_cache_server_t;

/* Build the client in `pool` (pchild).  `threads` is the number of threads
 * that may use it at once (connection pool size per server). */
apr_status_t shop_cache_create(apr_pool_t *pool, const shop_cache_server_t *servers, int nservers,
                               int threads, const char *prefix, shop_cache_t **out);

/* APR_NOTFOUND when absent or when no server answers. Value in pool. */
apr_status_t shop_cache_get(shop_cache_t *c, apr_pool_t *pool, const char *key,
                            const char **value, apr_size_t *len);
apr_status_t shop_cache_set(shop_cache_t *c, apr_pool_t *pool, const char *key,
                            const char *value, apr_size_t len, apr_uint32_t ttl_seconds);
/* Store only when the key is absent (APR_EEXIST otherwise): a reader filling
 * the cache never overwrites a newer value a writer has just set. */
apr_status_t shop_cache_add(shop_cache_t *c, apr_pool_t *pool, const char *key,
                            const char *value, apr_size_t len, apr_uint32_t ttl_seconds);
apr_status_t shop_cache_delete(shop_cache_t *c, apr_pool_t *pool, const char *key);
/* APR_SUCCESS when at least one server answers a version query. */
apr_status_t shop_cache_ping(shop_cache_t *c, apr_pool_t *pool);

#endif
