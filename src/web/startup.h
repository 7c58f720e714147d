/* Start-up hooks' work, kept out of mod_shop.c. */
#ifndef SHOP_WEB_STARTUP_H
#define SHOP_WEB_STARTUP_H

#include "httpd.h"

/* post_config: OK, or an error status that stops httpd after logging why
 * (directive and value, or template file and line). */
int shop_startup(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *main_server);

/* child_init: per-child memcached client and locks. */
void shop_startup_child(apr_pool_t *pchild, server_rec *main_server);

#endif
