/* mod_shop — an online shop for Moodle training organisations, as an httpd
 * module.  This file holds the module record, the directive table and the
 * hooks; the work is done under src/ (see README, Layout). */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_request.h"
#include "ap_mpm.h"
#include <apr_strings.h>

#include "web/config.h"
#include "web/handler.h"
#include "web/startup.h"

module AP_MODULE_DECLARE_DATA shop_module;

static int shop_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    return shop_startup(pconf, ptemp, s);
}

static void shop_child_init(apr_pool_t *pchild, server_rec *s)
{
    shop_startup_child(pchild, s);
}

static void register_hooks(apr_pool_t *p)
{
    /* mod_dbd must have registered its functions first. */
    static const char *const after_dbd[] = { "mod_dbd.c", NULL };
    ap_hook_post_config(shop_post_config, after_dbd, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(shop_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(shop_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(shop) = {
    STANDARD20_MODULE_STUFF,
    shop_create_dir_config,
    shop_merge_dir_config,
    shop_create_server_config,
    shop_merge_server_config,
    shop_directives,
    register_hooks,
    AP_MODULE_FLAG_NONE
};
