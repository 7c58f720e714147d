/* apr_memcache wrapper: see cache.h. */
#include "data/cache.h"

#include <apr_strings.h>

/* Keys: memcached allows 250 bytes without spaces or control characters; our
 * keys are built from hex ids and fixed words, so only the length can fail. */
#define KEY_MAX 250
#define SERVER_TTL_USEC (60 * APR_USEC_PER_SEC)

apr_status_t shop_cache_create(apr_pool_t *pool, const shop_cache_server_t *servers, int nservers,
                               int threads, const char *prefix, shop_cache_t **out)
{
    shop_cache_t *c = apr_pcalloc(pool, sizeof(*c));
    c->prefix = prefix ? prefix : "";
    apr_status_t rv = apr_memcache_create(pool, (apr_uint16_t)nservers, 0, &c->mc);
    if (rv != APR_SUCCESS) return rv;
    if (threads < 1) threads = 1;
    for (int i = 0; i < nservers; i++) {
        apr_memcache_server_t *ms;
        rv = apr_memcache_server_create(pool, servers[i].host, servers[i].port, 0, 1, threads,
                                        SERVER_TTL_USEC, &ms);
        if (rv == APR_SUCCESS) rv = apr_memcache_add_server(c->mc, ms);
        if (rv != APR_SUCCESS) return rv;
    }
    *out = c;
    return APR_SUCCESS;
}

static const char *full_key(shop_cache_t *c, apr_pool_t *pool, const char *key)
{
    const char *k = apr_pstrcat(pool, c->prefix, key, NULL);
    return strlen(k) <= KEY_MAX ? k : NULL;
}

apr_status_t shop_cache_get(shop_cache_t *c, apr_pool_t *pool, const char *key,
                            const char **value, apr_size_t *len)
{
    const char *k = full_key(c, pool, key);
    if (!c || !k) return APR_NOTFOUND;
    char *v = NULL;
    apr_size_t n = 0;
    apr_uint16_t flags = 0;
    apr_status_t rv = apr_memcache_getp(c->mc, pool, k, &v, &n, &flags);
    if (rv != APR_SUCCESS) return rv;
    *value = v;
    if (len) *len = n;
    return APR_SUCCESS;
}

apr_status_t shop_cache_set(shop_cache_t *c, apr_pool_t *pool, const char *key,
                            const char *value, apr_size_t len, apr_uint32_t ttl_seconds)
{
    const char *k = full_key(c, pool, key);
    if (!c || !k) return APR_EINVAL;
    /* apr_memcache_set takes a non-const buffer it does not modify. */
    return apr_memcache_set(c->mc, k, (char *)value, len, ttl_seconds, 0);
}

apr_status_t shop_cache_add(shop_cache_t *c, apr_pool_t *pool, const char *key,
                            const char *value, apr_size_t len, apr_uint32_t ttl_seconds)
{
    const char *k = full_key(c, pool, key);
    if (!c || !k) return APR_EINVAL;
    return apr_memcache_add(c->mc, k, (char *)value, len, ttl_seconds, 0);
}

apr_status_t shop_cache_delete(shop_cache_t *c, apr_pool_t *pool, const char *key)
{
    const char *k = full_key(c, pool, key);
    if (!c || !k) return APR_EINVAL;
    return apr_memcache_delete(c->mc, k, 0);
}

apr_status_t shop_cache_ping(shop_cache_t *c, apr_pool_t *pool)
{
    if (!c) return APR_ENOTIMPL;
    for (int i = 0; i < c->mc->ntotal; i++) {
        char *version = NULL;
        if (apr_memcache_version(c->mc->live_servers[i], pool, &version) == APR_SUCCESS) return APR_SUCCESS;
    }
    return APR_EGENERAL;
}
