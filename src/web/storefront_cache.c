/* Per-child cache of storefront models: see storefront_cache.h.
 *
 * Each entry owns a pool holding one model.  A request borrows the entry
 * (reference count) for its lifetime; a newer version replaces the entry in
 * the table, and the old pool is destroyed when its last borrower is done. */
#include "web/storefront_cache.h"
#include "web/request.h"
#include <apr_atomic.h>
#include <apr_strings.h>

#include "core/crypto.h"

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
    apr_thread_mutex_t *pages_lock;    /* guards pages, and allocation from pool after the build */
    apr_hash_t *pages;             /* key -> page_t */
    const char *marker;            /* stands for the CSRF token in stored pages */
} entry_t;

typedef struct page {
    const char *text;
    apr_size_t len;
} page_t;

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
    fresh->pages = apr_hash_make(pool);
    /* random, so no catalogue text can contain it */
    fresh->marker = apr_pstrcat(pool, "csrf", shop_random_id(pool, 16), NULL);
    if (apr_thread_mutex_create(&fresh->pages_lock, APR_THREAD_MUTEX_DEFAULT, pool) != APR_SUCCESS) {
        apr_pool_destroy(pool);
        return -1;
    }
    sf->cache_entry = fresh;

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

const char *shop_storefront_page_marker(const shop_storefront_t *sf)
{
    const entry_t *e = sf->cache_entry;
    return e ? e->marker : NULL;
}

const char *shop_storefront_page_fill(const shop_storefront_t *sf, const char *text, apr_size_t text_len,
                                      const char *csrf_token, apr_pool_t *pool, apr_size_t *len)
{
    const entry_t *e = sf->cache_entry;
    size_t mlen = strlen(e->marker), tlen = strlen(csrf_token), n = 0;
    for (const char *hit = text; (hit = strstr(hit, e->marker)); hit += mlen) n++;
    char *out = apr_palloc(pool, text_len + n * (tlen > mlen ? tlen - mlen : 0) + 1), *o = out;
    const char *from = text;
    for (const char *hit; (hit = strstr(from, e->marker)); from = hit + mlen) {
        memcpy(o, from, hit - from);
        o += hit - from;
        memcpy(o, csrf_token, tlen);
        o += tlen;
    }
    size_t rest = text_len - (from - text);
    memcpy(o, from, rest);
    o += rest;
    *o = '\0';
    *len = o - out;
    return out;
}

const char *shop_storefront_page_get(const shop_storefront_t *sf, const char *key, const char *csrf_token,
                                     apr_pool_t *pool, apr_size_t *len)
{
    entry_t *e = sf->cache_entry;
    if (!e) return NULL;
    apr_thread_mutex_lock(e->pages_lock);
    const page_t *pg = apr_hash_get(e->pages, key, APR_HASH_KEY_STRING);
    apr_thread_mutex_unlock(e->pages_lock);
    /* pages are never removed before the entry dies, so pg stays valid */
    return pg ? shop_storefront_page_fill(sf, pg->text, pg->len, csrf_token, pool, len) : NULL;
}

void shop_storefront_page_put(const shop_storefront_t *sf, const char *key, const char *page, apr_size_t len)
{
    entry_t *e = sf->cache_entry;
    if (!e) return;
    apr_thread_mutex_lock(e->pages_lock);
    if (!apr_hash_get(e->pages, key, APR_HASH_KEY_STRING) && apr_hash_count(e->pages) < SHOP_STOREFRONT_MAX_PAGES) {
        page_t *pg = apr_palloc(e->pool, sizeof(*pg));
        pg->text = apr_pstrmemdup(e->pool, page, len);
        pg->len = len;
        apr_hash_set(e->pages, apr_pstrdup(e->pool, key), APR_HASH_KEY_STRING, pg);
    }
    apr_thread_mutex_unlock(e->pages_lock);
}
