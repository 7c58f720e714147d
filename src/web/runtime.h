/* State built once per server record at start (templates, strings, shared
 * counters) and per child (memcached client, caches of Moodle settings and of
 * the schema check).  Read-only on the request path except the per-child
 * caches, which sit behind `lock`. */
#ifndef SHOP_WEB_RUNTIME_H
#define SHOP_WEB_RUNTIME_H

#include "httpd.h"
#include <apr_thread_mutex.h>

#include "core/mustache.h"
#include "core/i18n.h"
#include "data/cache.h"
#include "data/moodle_repo.h"
#include "web/metrics.h"
#include "web/storefront_cache.h"

/* How long a child trusts its copy of Moodle's settings, and how often it
 * looks again at a schema that was behind. */
#define SHOP_MOODLE_CFG_TTL   apr_time_from_sec(30)
#define SHOP_SCHEMA_RECHECK   apr_time_from_sec(2)
/* How long a child trusts its copy of the shop settings (web/settings.h). */
#define SHOP_SETTINGS_TTL     apr_time_from_sec(2)

typedef struct shop_runtime {
    shop_tpl_set_t *templates;
    shop_i18n_t *i18n;
    shop_metrics_t *metrics;
    apr_hash_t *assets;        /* name -> shop_asset_t (web/assets.h) */
    const char *version;

    /* per child, set in child_init */
    shop_cache_t *cache;
    shop_storefront_cache_t *storefronts;
    apr_thread_mutex_t *lock;
    shop_moodle_cfg_t moodle_cfg;
    apr_time_t moodle_cfg_loaded;
    int schema_version;
    apr_time_t schema_checked;
    apr_pool_t *settings_pool; /* owns `settings`; replaced whole on each reload */
    apr_hash_t *settings;      /* name -> value of {shop}setting, NULL until read */
    apr_time_t settings_loaded;
} shop_runtime_t;

#endif
