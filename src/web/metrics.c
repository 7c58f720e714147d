/* Counters in anonymous shared memory: see metrics.h. */
#include "web/metrics.h"

#include <apr_shm.h>
#include <apr_strings.h>

struct shop_metrics {
    apr_shm_t *shm;
    volatile apr_uint64_t *slots;
};

static const struct { const char *name; const char *labels; const char *help; } described[SHOP_M_COUNT] = {
    [SHOP_M_REQ_2XX] = { "shop_requests_total", "class=\"2xx\"", "Requests answered, by status class" },
    [SHOP_M_REQ_3XX] = { "shop_requests_total", "class=\"3xx\"", NULL },
    [SHOP_M_REQ_4XX] = { "shop_requests_total", "class=\"4xx\"", NULL },
    [SHOP_M_REQ_5XX] = { "shop_requests_total", "class=\"5xx\"", NULL },
    [SHOP_M_REQ_MICROS] = { "shop_request_duration_microseconds_total", NULL, "Time spent in the shop handler" },
    [SHOP_M_DB_UNAVAILABLE] = { "shop_db_unavailable_total", NULL, "Requests that found no database connection" },
    [SHOP_M_DB_RECONNECTS] = { "shop_db_reconnects_total", NULL, "Connections whose statements were prepared again after a lost server" },
    [SHOP_M_DB_ERRORS] = { "shop_db_errors_total", NULL, "Failed database statements" },
    [SHOP_M_MC_ERRORS] = { "shop_memcache_errors_total", NULL, "memcached failures (the database answered instead)" },
    [SHOP_M_SESSIONS_CREATED] = { "shop_sessions_created_total", NULL, "Shop sessions stored for the first time" },
    [SHOP_M_SESSIONS_ROTATED] = { "shop_sessions_rotated_total", NULL, "Session ids replaced on an identity change" },
    [SHOP_M_SESSIONS_DB_READS] = { "shop_sessions_db_reads_total", NULL, "Sessions read back from the database on a cache miss" },
    [SHOP_M_LOGINS] = { "shop_logins_total", NULL, "Logins by signed ticket" },
    [SHOP_M_LOGINS_REFUSED] = { "shop_logins_refused_total", NULL, "Tickets refused (tampered, expired or used)" },
    [SHOP_M_CSRF_REJECTED] = { "shop_csrf_rejected_total", NULL, "State changes refused for a missing or wrong CSRF token" },
};

apr_status_t shop_metrics_create(apr_pool_t *pconf, shop_metrics_t **out)
{
    shop_metrics_t *m = apr_pcalloc(pconf, sizeof(*m));
    apr_status_t rv = apr_shm_create(&m->shm, sizeof(apr_uint64_t) * SHOP_M_COUNT, NULL, pconf);
    if (rv != APR_SUCCESS) return rv;
    m->slots = apr_shm_baseaddr_get(m->shm);
    for (int i = 0; i < SHOP_M_COUNT; i++) m->slots[i] = 0;
    *out = m;
    return APR_SUCCESS;
}

void shop_metrics_add(shop_metrics_t *m, shop_metric_t which, apr_uint64_t n)
{
    if (m && which < SHOP_M_COUNT) apr_atomic_add64(&m->slots[which], n);
}

const char *shop_metrics_render(const shop_metrics_t *m, apr_pool_t *pool)
{
    const char *out = "";
    for (int i = 0; i < SHOP_M_COUNT; i++) {
        if (described[i].help)
            out = apr_pstrcat(pool, out, "# HELP ", described[i].name, " ", described[i].help,
                              "\n# TYPE ", described[i].name, " counter\n", NULL);
        apr_uint64_t v = apr_atomic_read64(&m->slots[i]);
        out = apr_psprintf(pool, "%s%s%s%s%s %" APR_UINT64_T_FMT "\n", out, described[i].name,
                           described[i].labels ? "{" : "", described[i].labels ? described[i].labels : "",
                           described[i].labels ? "}" : "", v);
    }
    return out;
}
