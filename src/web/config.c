/* Directives, merges and validation: see config.h. */
#include "web/config.h"
#include "web/module.h"
#include "data/filestore.h"

#include "http_log.h"
#include <apr_strings.h>
#include <apr_file_io.h>
#include <apr_uri.h>
#include <apr_lib.h>

#include "core/paymode.h"

int shop_gateway_name_known(const char *name)
{
    return shop_paymode_kind(name) >= 0;
}

void *shop_create_server_config(apr_pool_t *p, server_rec *s)
{
    shop_srv_conf_t *conf = apr_pcalloc(p, sizeof(*conf));
    conf->test_mode = SHOP_UNSET;
    conf->memcache = apr_array_make(p, 2, sizeof(shop_memcache_server_t));
    conf->gateways = apr_array_make(p, 2, sizeof(shop_gateway_conf_t));
    return conf;
}

#define PICK(field) (add->field ? add->field : base->field)

void *shop_merge_server_config(apr_pool_t *p, void *basev, void *addv)
{
    shop_srv_conf_t *base = basev, *add = addv;
    shop_srv_conf_t *conf = apr_pcalloc(p, sizeof(*conf));
    conf->moodle_prefix = PICK(moodle_prefix);
    conf->table_prefix = PICK(table_prefix);
    conf->moodle_url = PICK(moodle_url);
    conf->public_url = PICK(public_url);
    conf->public_path = PICK(public_path);
    conf->public_https = add->public_url ? add->public_https : base->public_https;
    conf->memcache = add->memcache->nelts ? add->memcache : base->memcache;
    conf->secret_file = PICK(secret_file);
    conf->secret = add->secret ? add->secret : base->secret;
    conf->secret_len = add->secret ? add->secret_len : base->secret_len;
    conf->data_dir = PICK(data_dir);
    conf->template_dir = PICK(template_dir);
    conf->smtp_url = PICK(smtp_url);
    conf->mail_from = PICK(mail_from);
    conf->test_mode = add->test_mode != SHOP_UNSET ? add->test_mode : base->test_mode;
    conf->sales_role = PICK(sales_role);
    conf->gateways = add->gateways->nelts ? add->gateways : base->gateways;
    return conf;
}

void *shop_create_dir_config(apr_pool_t *p, char *dir)
{
    shop_dir_conf_t *conf = apr_pcalloc(p, sizeof(*conf));
    conf->default_shop = SHOP_UNSET;
    conf->cookie_secure = SHOP_UNSET;
    return conf;
}

void *shop_merge_dir_config(apr_pool_t *p, void *basev, void *addv)
{
    shop_dir_conf_t *base = basev, *add = addv;
    shop_dir_conf_t *conf = apr_pcalloc(p, sizeof(*conf));
    conf->language = PICK(language);
    conf->default_shop = add->default_shop != SHOP_UNSET ? add->default_shop : base->default_shop;
    conf->cookie_secure = add->cookie_secure != SHOP_UNSET ? add->cookie_secure : base->cookie_secure;
    return conf;
}

const char *shop_conf_language(const shop_dir_conf_t *d)
{
    return d && d->language ? d->language : "en";
}

int shop_conf_default_shop(const shop_dir_conf_t *d)
{
    return d && d->default_shop != SHOP_UNSET ? d->default_shop : 1;
}

int shop_conf_cookie_secure(const shop_dir_conf_t *d, const shop_srv_conf_t *s, int request_https)
{
    int mode = d && d->cookie_secure != SHOP_UNSET ? d->cookie_secure : SHOP_COOKIE_SECURE_AUTO;
    if (mode == SHOP_COOKIE_SECURE_ON) return 1;
    if (mode == SHOP_COOKIE_SECURE_OFF) return 0;
    return request_https || s->public_https;
}

/* ---- directive handlers ------------------------------------------------- */

static shop_srv_conf_t *srv(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &shop_module);
}

static const char *bad(cmd_parms *cmd, const char *value, const char *why)
{
    return apr_psprintf(cmd->pool, "%s: invalid value '%s': %s", cmd->cmd->name, value, why);
}

static const char *set_prefix(cmd_parms *cmd, void *dummy, const char *arg)
{
    if (strlen(arg) > 16) return bad(cmd, arg, "at most 16 characters");
    for (const char *c = arg; *c; c++)
        if (!(apr_islower(*c) || apr_isdigit(*c) || *c == '_'))
            return bad(cmd, arg, "use lowercase letters, digits and '_' only");
    shop_srv_conf_t *conf = srv(cmd);
    if (strcmp(cmd->cmd->name, SHOP_DIR_MOODLE_PREFIX) == 0) conf->moodle_prefix = arg;
    else conf->table_prefix = arg;
    return NULL;
}

/* An absolute http(s) URL without query or fragment; stored without a trailing '/'. */
static const char *check_url(cmd_parms *cmd, const char *arg, apr_uri_t *uri)
{
    if (apr_uri_parse(cmd->pool, arg, uri) != APR_SUCCESS || !uri->scheme || !uri->hostname)
        return bad(cmd, arg, "expected an absolute URL such as https://lms.example.org/shop");
    if (strcasecmp(uri->scheme, "http") && strcasecmp(uri->scheme, "https"))
        return bad(cmd, arg, "the scheme must be http or https");
    if (uri->query || uri->fragment)
        return bad(cmd, arg, "no query string or fragment allowed");
    for (const char *c = arg; *c; c++)
        if (apr_iscntrl(*c) || *c == ' ' || *c == '"' || *c == '<' || *c == '>')
            return bad(cmd, arg, "contains a character not allowed in a URL");
    return NULL;
}

static const char *strip_slash(apr_pool_t *p, const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '/') n--;
    return apr_pstrndup(p, s, n);
}

static const char *set_url(cmd_parms *cmd, void *dummy, const char *arg)
{
    apr_uri_t uri;
    const char *err = check_url(cmd, arg, &uri);
    if (err) return err;
    shop_srv_conf_t *conf = srv(cmd);
    if (strcmp(cmd->cmd->name, SHOP_DIR_MOODLE_URL) == 0) {
        conf->moodle_url = strip_slash(cmd->pool, arg);
    } else {
        conf->public_url = strip_slash(cmd->pool, arg);
        conf->public_path = strip_slash(cmd->pool, uri.path ? uri.path : "");
        conf->public_https = strcasecmp(uri.scheme, "https") == 0;
    }
    return NULL;
}

static const char *add_memcache(cmd_parms *cmd, void *dummy, const char *arg)
{
    const char *colon = strrchr(arg, ':');
    const char *host = colon ? apr_pstrndup(cmd->pool, arg, colon - arg) : arg;
    apr_int64_t port = 11211;
    if (colon) {
        char *end;
        port = apr_strtoi64(colon + 1, &end, 10);
        if (!colon[1] || *end || port < 1 || port > 65535) return bad(cmd, arg, "expected host:port");
    }
    if (!*host || strpbrk(host, " /[]")) return bad(cmd, arg, "expected host:port");
    shop_memcache_server_t *ms = apr_array_push(srv(cmd)->memcache);
    ms->host = host;
    ms->port = (apr_port_t)port;
    return NULL;
}

static const char *set_secret_file(cmd_parms *cmd, void *dummy, const char *arg)
{
    /* read now, as root: the children may not be allowed to */
    const char *path = ap_server_root_relative(cmd->pool, arg), *why = NULL;
    shop_srv_conf_t *conf = srv(cmd);
    if (!path || shop_secret_read(cmd->pool, path, &conf->secret, &conf->secret_len, &why) != APR_SUCCESS)
        return bad(cmd, arg, why ? why : "not a usable path");
    conf->secret_file = path;
    return NULL;
}

static const char *set_dir(cmd_parms *cmd, void *dummy, const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);
    apr_finfo_t fi;
    if (!path || apr_stat(&fi, path, APR_FINFO_TYPE, cmd->pool) != APR_SUCCESS || fi.filetype != APR_DIR)
        return bad(cmd, arg, "not an existing directory");
    shop_srv_conf_t *conf = srv(cmd);
    if (strcmp(cmd->cmd->name, SHOP_DIR_DATA_DIR) == 0) conf->data_dir = path;
    else conf->template_dir = path;
    return NULL;
}

static const char *set_smtp(cmd_parms *cmd, void *dummy, const char *arg)
{
    apr_uri_t uri;
    if (apr_uri_parse(cmd->pool, arg, &uri) != APR_SUCCESS || !uri.scheme || !uri.hostname
        || (strcasecmp(uri.scheme, "smtp") && strcasecmp(uri.scheme, "smtps")))
        return bad(cmd, arg, "expected smtp://host[:port] or smtps://host[:port]");
    srv(cmd)->smtp_url = arg;
    return NULL;
}

static const char *set_mail_from(cmd_parms *cmd, void *dummy, const char *arg)
{
    const char *at = strchr(arg, '@');
    if (!at || strpbrk(arg, "\r\n"))
        return bad(cmd, arg, "expected an address such as \"Shop <shop@example.org>\"");
    srv(cmd)->mail_from = arg;
    return NULL;
}

static const char *set_test_mode(cmd_parms *cmd, void *dummy, int on)
{
    srv(cmd)->test_mode = on;
    return NULL;
}

static const char *set_sales_role(cmd_parms *cmd, void *dummy, const char *arg)
{
    if (!*arg || strlen(arg) > 100) return bad(cmd, arg, "a Moodle role shortname is 1 to 100 characters");
    for (const char *c = arg; *c; c++)
        if (!(apr_isalnum(*c) || *c == '_' || *c == '-'))
            return bad(cmd, arg, "a role shortname has letters, digits, '_' and '-' only");
    srv(cmd)->sales_role = arg;
    return NULL;
}

static const char *add_gateway(cmd_parms *cmd, void *dummy, int argc, char *const argv[])
{
    if (argc < 1) return apr_psprintf(cmd->pool, "%s: a gateway name is required", cmd->cmd->name);
    if (!shop_gateway_name_known(argv[0]))
        return bad(cmd, argv[0], "unknown gateway (check, transfer, funder, mandate, freeorder, test, "
                   "paypal, stripe, systempay, mercanet, sherlocks, ogone)");
    shop_srv_conf_t *conf = srv(cmd);
    for (int i = 0; i < conf->gateways->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(conf->gateways, i, shop_gateway_conf_t).name, argv[0]) == 0)
            return bad(cmd, argv[0], "this gateway is configured twice");
    shop_gateway_conf_t *gw = apr_array_push(conf->gateways);
    gw->name = argv[0];
    gw->params = apr_table_make(cmd->pool, argc);
    for (int i = 1; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq == argv[i]) return bad(cmd, argv[i], "expected name=value");
        apr_table_set(gw->params, apr_pstrndup(cmd->pool, argv[i], eq - argv[i]), eq + 1);
    }
    const char *endpoint = apr_table_get(gw->params, "endpoint");
    apr_uri_t uri;
    if (endpoint && check_url(cmd, endpoint, &uri)) return check_url(cmd, endpoint, &uri);
    return NULL;
}

static const char *set_language(cmd_parms *cmd, void *dirconf, const char *arg)
{
    size_t n = strlen(arg);
    int ok = n >= 2 && n <= 10;
    for (size_t i = 0; ok && i < n; i++)
        ok = apr_islower(arg[i]) || (i >= 2 && arg[i] == '_');
    if (!ok) return bad(cmd, arg, "expected a language code such as en or fr");
    ((shop_dir_conf_t *)dirconf)->language = arg;
    return NULL;
}

static const char *set_default_shop(cmd_parms *cmd, void *dirconf, const char *arg)
{
    char *end;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);
    if (*end || v < 1 || v > 1000000000) return bad(cmd, arg, "expected a shop id (a positive integer)");
    ((shop_dir_conf_t *)dirconf)->default_shop = (int)v;
    return NULL;
}

static const char *set_cookie_secure(cmd_parms *cmd, void *dirconf, const char *arg)
{
    shop_dir_conf_t *d = dirconf;
    if (!strcasecmp(arg, "auto")) d->cookie_secure = SHOP_COOKIE_SECURE_AUTO;
    else if (!strcasecmp(arg, "on")) d->cookie_secure = SHOP_COOKIE_SECURE_ON;
    else if (!strcasecmp(arg, "off")) d->cookie_secure = SHOP_COOKIE_SECURE_OFF;
    else return bad(cmd, arg, "expected Auto, On or Off");
    return NULL;
}

const command_rec shop_directives[] = {
    AP_INIT_TAKE1(SHOP_DIR_MOODLE_PREFIX, set_prefix, NULL, RSRC_CONF, "Moodle's table prefix (mdl_)"),
    AP_INIT_TAKE1(SHOP_DIR_TABLE_PREFIX, set_prefix, NULL, RSRC_CONF, "the shop's table prefix (shop_)"),
    AP_INIT_TAKE1(SHOP_DIR_MOODLE_URL, set_url, NULL, RSRC_CONF, "Moodle's wwwroot"),
    AP_INIT_TAKE1(SHOP_DIR_PUBLIC_URL, set_url, NULL, RSRC_CONF, "the public URL of the shop location"),
    AP_INIT_ITERATE(SHOP_DIR_MEMCACHE, add_memcache, NULL, RSRC_CONF, "memcached servers host:port ..."),
    AP_INIT_TAKE1(SHOP_DIR_SECRET_FILE, set_secret_file, NULL, RSRC_CONF, "file holding the HMAC key"),
    AP_INIT_TAKE1(SHOP_DIR_DATA_DIR, set_dir, NULL, RSRC_CONF, "directory for uploads and invoices"),
    AP_INIT_TAKE1(SHOP_DIR_TEMPLATE_DIR, set_dir, NULL, RSRC_CONF, "directory of the templates"),
    AP_INIT_TAKE1(SHOP_DIR_SMTP, set_smtp, NULL, RSRC_CONF, "SMTP relay URL"),
    AP_INIT_TAKE1(SHOP_DIR_MAIL_FROM, set_mail_from, NULL, RSRC_CONF, "sender of the shop's mails"),
    AP_INIT_FLAG(SHOP_DIR_TEST_MODE, set_test_mode, NULL, RSRC_CONF, "gateways use their sandboxes"),
    AP_INIT_TAKE1(SHOP_DIR_SALES_ROLE, set_sales_role, NULL, RSRC_CONF, "Moodle role shortname of sales staff"),
    AP_INIT_TAKE_ARGV(SHOP_DIR_GATEWAY, add_gateway, NULL, RSRC_CONF, "a payment gateway and its parameters"),
    AP_INIT_TAKE1(SHOP_DIR_LANGUAGE, set_language, NULL, RSRC_CONF | ACCESS_CONF, "default language"),
    AP_INIT_TAKE1(SHOP_DIR_DEFAULT_SHOP, set_default_shop, NULL, RSRC_CONF | ACCESS_CONF, "shop served at /"),
    AP_INIT_TAKE1(SHOP_DIR_COOKIE_SECURE, set_cookie_secure, NULL, RSRC_CONF | ACCESS_CONF,
                  "Secure flag of the session cookie: Auto, On or Off"),
    { NULL }
};

const char *shop_config_finish(apr_pool_t *p, server_rec *s, shop_srv_conf_t *conf)
{
    if (!conf->moodle_prefix) conf->moodle_prefix = "mdl_";
    if (!conf->table_prefix) conf->table_prefix = "shop_";
    if (!conf->sales_role) conf->sales_role = "sales";
    if (conf->test_mode == SHOP_UNSET) conf->test_mode = 0;
    if (!conf->mail_from) conf->mail_from = "Shop <shop@localhost>";
    if (!conf->public_url) return SHOP_DIR_PUBLIC_URL " is required";
    if (!conf->moodle_url) return SHOP_DIR_MOODLE_URL " is required";
    if (!conf->secret) return SHOP_DIR_SECRET_FILE " is required";
    if (!conf->template_dir) return SHOP_DIR_TEMPLATE_DIR " is required";
    if (!conf->data_dir) return SHOP_DIR_DATA_DIR " is required";
    if (!conf->memcache->nelts) return SHOP_DIR_MEMCACHE " is required";
    return NULL;
}
