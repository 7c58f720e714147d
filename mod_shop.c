#include "httpd.h"
#include "http_config.h"
module AP_MODULE_DECLARE_DATA shop_module;
static void register_hooks(apr_pool_t *p) { }
AP_DECLARE_MODULE(shop) = { STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, register_hooks, 0 };
