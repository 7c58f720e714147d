/* mod_shop configuration: directives, per-server and per-directory records,
 * merges and validation.
 *
 * Server level: connections, secrets and paths (CONTRACT §2).  Directory level:
 * what an administrator may vary per <Location> (language, default shop,
 * cookie security).  Unset values are SHOP_UNSET / NULL and the inner record
 * wins when set.  Every value is checked when httpd reads the configuration;
 * a bad one stops httpd with a message naming the directive and the value.
 */
#ifndef SHOP_WEB_CONFIG_H
#define SHOP_WEB_CONFIG_H

#include "httpd.h"
#include "http_config.h"
#include <apr_memcache.h>

#define SHOP_UNSET (-1)

/* Directive names, once. */
#define SHOP_DIR_MOODLE_PREFIX  "ShopMoodlePrefix"
#define SHOP_DIR_TABLE_PREFIX   "ShopTablePrefix"
#define SHOP_DIR_MOODLE_URL     "ShopMoodleURL"
#define SHOP_DIR_PUBLIC_URL     "ShopPublicURL"
#define SHOP_DIR_MEMCACHE       "ShopMemcache"
#define SHOP_DIR_SECRET_FILE    "ShopSecretFile"
#define SHOP_DIR_DATA_DIR       "ShopDataDir"
#define SHOP_DIR_TEMPLATE_DIR   "ShopTemplateDir"
#define SHOP_DIR_SMTP           "ShopSMTP"
#define SHOP_DIR_MAIL_FROM      "ShopMailFrom"
#define SHOP_DIR_TEST_MODE      "ShopTestMode"
#define SHOP_DIR_SALES_ROLE     "ShopSalesRole"
#define SHOP_DIR_GATEWAY        "ShopGateway"
#define SHOP_DIR_LANGUAGE       "ShopLanguage"
#define SHOP_DIR_DEFAULT_SHOP   "ShopDefaultShop"
#define SHOP_DIR_COOKIE_SECURE  "ShopCookieSecure"

typedef struct shop_memcache_server {
    const char *host;
    apr_port_t port;
} shop_memcache_server_t;

/* One ShopGateway line: the gateway name and its key=value parameters. */
typedef struct shop_gateway_conf {
    const char *name;
    apr_table_t *params;
} shop_gateway_conf_t;

struct shop_runtime;   /* per-server state built at start (web/runtime.h) */

typedef struct shop_srv_conf {
    const char *moodle_prefix;
    const char *table_prefix;
    const char *moodle_url;
    const char *public_url;
    const char *public_path;               /* path part of public_url, no trailing '/' */
    int public_https;                      /* public_url is https */
    apr_array_header_t *memcache;          /* shop_memcache_server_t, empty = unset */
    const char *secret_file;
    const unsigned char *secret;           /* file content, read at config time (as root) */
    apr_size_t secret_len;
    const char *data_dir;
    const char *template_dir;
    const char *smtp_url;
    const char *mail_from;
    int test_mode;                         /* SHOP_UNSET, 0, 1 */
    const char *sales_role;
    apr_array_header_t *gateways;          /* shop_gateway_conf_t */
    struct shop_runtime *rt;               /* built in post_config, shared by merged records */
} shop_srv_conf_t;

typedef enum { SHOP_COOKIE_SECURE_AUTO = 0, SHOP_COOKIE_SECURE_ON, SHOP_COOKIE_SECURE_OFF } shop_cookie_secure_t;

typedef struct shop_dir_conf {
    const char *language;                  /* NULL = unset */
    int default_shop;                      /* SHOP_UNSET or an id > 0 */
    int cookie_secure;                     /* SHOP_UNSET or shop_cookie_secure_t */
} shop_dir_conf_t;

extern const command_rec shop_directives[];

void *shop_create_server_config(apr_pool_t *p, server_rec *s);
void *shop_merge_server_config(apr_pool_t *p, void *base, void *add);
void *shop_create_dir_config(apr_pool_t *p, char *dir);
void *shop_merge_dir_config(apr_pool_t *p, void *base, void *add);

/* Fill in defaults and check what needs the whole configuration (called in
 * post_config for every server).  Returns NULL or an error message. */
const char *shop_config_finish(apr_pool_t *p, server_rec *s, shop_srv_conf_t *conf);

/* Getters with defaults applied. */
const char *shop_conf_language(const shop_dir_conf_t *d);
int shop_conf_default_shop(const shop_dir_conf_t *d);
int shop_conf_cookie_secure(const shop_dir_conf_t *d, const shop_srv_conf_t *s, int request_https);

/* Is this a gateway name of CONTRACT §5? */
int shop_gateway_name_known(const char *name);

#endif
