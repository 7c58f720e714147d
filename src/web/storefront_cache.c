/* Per-child cache of storefront models: see storefront_cache.h.
 *
 * Each entry owns a pool holding one model.  A request borrows the entry
 * (reference count) for its lifetime; a newer version replaces the entry in
 * the table, and the old pool is destroyed when its last borrower is done. */
#include "web/storefront_cache.h"
#include "web/request.h"
#include <apr_atomic.h>
#include <apr_strings.h>

struct shop_storefront_cache {
    apr_thread_mutex_t *lock;
    apr_hash_t *entries;       /* shop id (int64) -> entry */
    apr_pool_t *pool;          /* pchild */
};

typedef struct entry {
    apr_pool_t *pool;
    shop_storefront_t *sf;
    apr_int64_t shop_id;
    volatile apr_uint32_t refs;    /* the table's reference + one per borrower */
} entry_t;

apr_status_t shop_storefront_cache_create(apr_pool_t *pchild, shop_storefront_cache_t **out)
{
    shop_storefront_cache_t *c = apr_pcalloc(pchild, sizeof(*c));
    c->pool = pchild;
    c->entries = apr_hash_make(pchild);
    *out = c;
    return apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

static void release(entry_t *e)
{
    if (apr_atomic_dec32(&e->refs) == 0) apr_pool_destroy(e->pool);
}

static apr_status_t release_cleanup(void *data)
{
    release(data);
    return APR_SUCCESS;
}

/* Borrow the entry for the request: a reference dropped with the request pool. */
static shop_storefront_t *borrow(entry_t *e, apr_pool_t *request_pool)
{
    apr_atomic_inc32(&e->refs);
    apr_pool_cleanup_register(request_pool, e, release_cleanup, apr_pool_cleanup_null);
    return e->sf;
}

/* The catalogue's version: memcached, else the database. */
static int current_version(shop_req_t *req, apr_int64_t catalogue_id, apr_int64_t *version)
{
    if (shop_catalog_version_cached(req->rt->cache, req->r->pool, catalogue_id, version) == APR_SUCCESS) return 0;
    shop_db_t *db = shop_req_db(req);
    return db ? shop_catalog_version(db, req->rt->cache, catalogue_id, version) : -1;
}

int shop_storefront_cache_get(shop_storefront_cache_t *c, shop_req_t *req, apr_int64_t shop_id,
                              shop_storefront_t **out)
{
    apr_pool_t *request_pool = req->r->pool;
    *out = NULL;
    apr_thread_mutex_lock(c->lock);
    entry_t *e = apr_hash_get(c->entries, &shop_id, sizeof(shop_id));
    if (e) apr_atomic_inc32(&e->refs);     /* keep it alive while we check its version */
    apr_thread_mutex_unlock(c->lock);

    if (e) {
        apr_int64_t version = -1;
        int rv = current_version(req, e->sf->catalog->id, &version);
        if (rv != 0) {
            release(e);
            return rv;
        }
        if (version == e->sf->catalog->version) {
            *out = e->sf;
            apr_pool_cleanup_register(request_pool, e, release_cleanup, apr_pool_cleanup_null);
            return 0;
        }
        release(e);
    }

    /* Build a fresh model outside the lock: other threads keep serving the old one. */
    apr_pool_t *pool;
    /* Unmanaged, with its own allocator: its life follows the references,
     * not any request's or the child's. */
    if (apr_pool_create_unmanaged_ex(&pool, NULL, NULL) != APR_SUCCESS) return -1;
    apr_pool_tag(pool, "shop_storefront");
    shop_storefront_t *sf = NULL;
    shop_db_t *db = shop_req_db(req);
    int rv = db ? shop_storefront_load(db, shop_id, pool, &sf) : -1;
    if (rv != 0 || !sf) {
        apr_pool_destroy(pool);
        return rv;
    }
    entry_t *fresh = apr_pcalloc(pool, sizeof(*fresh));
    fresh->pool = pool;
    fresh->sf = sf;
    fresh->shop_id = shop_id;
    fresh->refs = 1;           /* the table's */

    apr_thread_mutex_lock(c->lock);
    entry_t *old = apr_hash_get(c->entries, &shop_id, sizeof(shop_id));
    /* Another thread may have installed a model meanwhile; the newer version wins. */
    if (old && old->sf->catalog->version >= sf->catalog->version && old->sf->catalog->id == sf->catalog->id) {
        *out = borrow(old, request_pool);
        apr_thread_mutex_unlock(c->lock);
        release(fresh);
        return 0;
    }
    /* The table keeps the key of the first insertion: it must outlive entries. */
    const void *key = old ? (const void *)&shop_id : apr_pmemdup(c->pool, &shop_id, sizeof(shop_id));
    apr_hash_set(c->entries, key, sizeof(shop_id), fresh);
    *out = borrow(fresh, request_pool);
    apr_thread_mutex_unlock(c->lock);
    if (old) release(old);     /* the table's reference */
    return 0;
}
