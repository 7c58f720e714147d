/* Start-up: finish and check the configuration, compile templates, load
 * strings, make the shared counters (post_config); build the per-child
 * memcached client and locks (child_init).  See startup.h. */
#include "web/startup.h"
#include "web/assets.h"
#include "web/config.h"
#include "web/log.h"
#include "web/module.h"
#include "web/runtime.h"

#include "http_log.h"
#include "ap_mpm.h"
#include <apr_strings.h>

#define SHOP_VERSION "0.1.0"

void shop_request_init_dbd(void);      /* request.c */
int shop_request_have_dbd(void);

static int configured(const shop_srv_conf_t *c)
{
    return c->public_url || c->secret || c->template_dir || c->memcache->nelts;
}

static int fail(server_rec *s, const char *what)
{
    ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, SHOPLOGNO(0001) "mod_shop cannot start: %s", what);
    return HTTP_INTERNAL_SERVER_ERROR;   /* any value but OK stops httpd */
}

int shop_startup(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *main_server)
{
    shop_request_init_dbd();
    shop_metrics_t *metrics = NULL;

    for (server_rec *s = main_server; s; s = s->next) {
        shop_srv_conf_t *conf = ap_get_module_config(s->module_config, &shop_module);
        if (!configured(conf)) continue;
        const char *err = shop_config_finish(pconf, s, conf);
        if (err) return fail(s, err);
        if (!shop_request_have_dbd())
            return fail(s, "mod_dbd is not loaded (LoadModule dbd_module before shop_module)");

        shop_runtime_t *rt = apr_pcalloc(pconf, sizeof(*rt));
        rt->version = SHOP_VERSION;
        if (!metrics && shop_metrics_create(pconf, &metrics) != APR_SUCCESS)
            return fail(s, "cannot create the shared memory of the counters");
        rt->metrics = metrics;

        const char *error = NULL;
        rt->templates = shop_tpl_set_create(pconf);
        if (shop_tpl_set_load_dir(rt->templates, conf->template_dir, &error) != APR_SUCCESS)
            return fail(s, apr_psprintf(ptemp, "template error in %s: %s", conf->template_dir, error));
        if (!shop_tpl_set_has(rt->templates, "layout") || !shop_tpl_set_has(rt->templates, "error"))
            return fail(s, apr_psprintf(ptemp, "%s %s lacks layout.mustache or error.mustache",
                                        SHOP_DIR_TEMPLATE_DIR, conf->template_dir));
        const char *langdir = apr_pstrcat(ptemp, conf->template_dir, "/lang", NULL);
        if (shop_i18n_load(pconf, langdir, &rt->i18n, &error) != APR_SUCCESS)
            return fail(s, apr_psprintf(ptemp, "strings in %s: %s", langdir, error));
        const char *assetdir = apr_pstrcat(ptemp, conf->template_dir, "/assets", NULL);
        if (shop_assets_load(pconf, assetdir, &rt->assets, &error) != APR_SUCCESS)
            return fail(s, error);
        conf->rt = rt;
    }
    return OK;
}

void shop_startup_child(apr_pool_t *pchild, server_rec *main_server)
{
    int threads = 1;
    ap_mpm_query(AP_MPMQ_MAX_THREADS, &threads);
    if (threads < 1) threads = 1;
    for (server_rec *s = main_server; s; s = s->next) {
        shop_srv_conf_t *conf = ap_get_module_config(s->module_config, &shop_module);
        shop_runtime_t *rt = conf->rt;
        if (!rt || rt->lock) continue;     /* not ours, or shared with a server done already */
        apr_thread_mutex_create(&rt->lock, APR_THREAD_MUTEX_DEFAULT, pchild);
        shop_storefront_cache_create(pchild, &rt->storefronts);
        int n = conf->memcache->nelts;
        shop_cache_server_t *servers = apr_pcalloc(pchild, sizeof(*servers) * n);
        for (int i = 0; i < n; i++) {
            const shop_memcache_server_t *ms = &APR_ARRAY_IDX(conf->memcache, i, shop_memcache_server_t);
            servers[i].host = ms->host;
            servers[i].port = ms->port;
        }
        apr_status_t rv = shop_cache_create(pchild, servers, n, threads, conf->table_prefix, &rt->cache);
        if (rv != APR_SUCCESS)
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s, SHOPLOGNO(0002)
                         "memcached client not created: sessions will be read from the database");
    }
}
