/* Per-child copy of the shop settings (settings.h). */
#include "web/settings.h"

#include <apr_strings.h>

#include "data/setting_repo.h"

int shop_settings_ready(shop_req_t *req)
{
    shop_runtime_t *rt = req->rt;
    apr_time_t now = req->r->request_time;
    apr_thread_mutex_lock(rt->lock);
    int fresh = rt->settings && now - rt->settings_loaded < SHOP_SETTINGS_TTL;
    apr_thread_mutex_unlock(rt->lock);
    if (fresh) return 0;

    shop_db_t *db = shop_req_db(req);
    shop_rows_t *rows;
    if (!db || shop_setting_all(db, &rows) != 0) return -1;
    /* built aside, then swapped in: readers copy values out under the lock */
    apr_pool_t *pool;
    if (apr_pool_create(&pool, NULL) != APR_SUCCESS) return -1;
    apr_hash_t *copy = apr_hash_make(pool);
    for (int i = 0; i < rows->nrows; i++) {
        const char *name = shop_rows_str(rows, i, 0), *value = shop_rows_str(rows, i, 1);
        if (name) apr_hash_set(copy, apr_pstrdup(pool, name), APR_HASH_KEY_STRING, apr_pstrdup(pool, value ? value : ""));
    }
    apr_thread_mutex_lock(rt->lock);
    apr_pool_t *old = rt->settings_pool;
    rt->settings_pool = pool;
    rt->settings = copy;
    rt->settings_loaded = now;
    apr_thread_mutex_unlock(rt->lock);
    if (old) apr_pool_destroy(old);
    return 0;
}

const char *shop_setting(shop_req_t *req, const char *name, const char *dflt)
{
    shop_runtime_t *rt = req->rt;
    const char *value = NULL;
    apr_thread_mutex_lock(rt->lock);
    const char *kept = rt->settings ? apr_hash_get(rt->settings, name, APR_HASH_KEY_STRING) : NULL;
    if (kept && *kept) value = apr_pstrdup(req->r->pool, kept);
    apr_thread_mutex_unlock(rt->lock);
    return value ? value : dflt;
}

apr_int64_t shop_setting_int(shop_req_t *req, const char *name, apr_int64_t dflt)
{
    const char *v = shop_setting(req, name, NULL);
    return v ? apr_atoi64(v) : dflt;
}

void shop_settings_forget(shop_req_t *req)
{
    shop_runtime_t *rt = req->rt;
    apr_thread_mutex_lock(rt->lock);
    rt->settings_loaded = 0;
    apr_thread_mutex_unlock(rt->lock);
}
