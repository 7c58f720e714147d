/* Operational counters shared by all children (anonymous shared memory made
 * in post_config, inherited across fork), rendered as Prometheus text. */
#ifndef SHOP_WEB_METRICS_H
#define SHOP_WEB_METRICS_H

#include <apr_pools.h>
#include <apr_atomic.h>

typedef enum {
    SHOP_M_REQ_2XX, SHOP_M_REQ_3XX, SHOP_M_REQ_4XX, SHOP_M_REQ_5XX,
    SHOP_M_REQ_MICROS,          /* sum of handler time, microseconds */
    SHOP_M_DB_UNAVAILABLE,      /* no connection could be acquired */
    SHOP_M_DB_RECONNECTS,       /* statements re-prepared after a lost server */
    SHOP_M_DB_ERRORS,
    SHOP_M_MC_ERRORS,           /* memcached failures (reads fell back to the DB) */
    SHOP_M_SESSIONS_CREATED, SHOP_M_SESSIONS_ROTATED, SHOP_M_SESSIONS_DB_READS,
    SHOP_M_LOGINS, SHOP_M_LOGINS_REFUSED,
    SHOP_M_CSRF_REJECTED,
    SHOP_M_COUNT
} shop_metric_t;

typedef struct shop_metrics shop_metrics_t;

/* Made once per configuration generation in post_config, in pconf: counters
 * start from zero after a restart or graceful restart. */
apr_status_t shop_metrics_create(apr_pool_t *pconf, shop_metrics_t **out);
void shop_metrics_add(shop_metrics_t *m, shop_metric_t which, apr_uint64_t n);
/* Prometheus exposition text, in pool. */
const char *shop_metrics_render(const shop_metrics_t *m, apr_pool_t *pool);

#endif
