/* What services need from their host, the module or shopctl, to make
 * documents and mails: built once per request (web/services_env.c) or per
 * command (cli), read-only for the services.  Nothing here knows httpd. */
#ifndef SHOP_SERVICES_ENV_H
#define SHOP_SERVICES_ENV_H

#include <apr_pools.h>
#include "core/mustache.h"
#include "core/i18n.h"

/* Where DejaVu lives on Debian (fonts-dejavu-core). */
#define SHOP_DEFAULT_FONT_DIR "/usr/share/fonts/truetype/dejavu"

typedef struct shop_env {
    const shop_tpl_set_t *templates;   /* every template of ShopTemplateDir (mails: mail/...) */
    const shop_i18n_t *i18n;           /* templates/lang */
    const char *data_dir;              /* ShopDataDir: stored invoices live under invoices/ */
    const char *font_dir;              /* DejaVuSans.ttf, DejaVuSans-Bold.ttf */
    const char *public_url;            /* ShopPublicURL, no trailing '/' (links in mails) */
    const char *moodle_url;            /* ShopMoodleURL, no trailing '/' */
    const char *smtp_url;              /* ShopSMTP, NULL = mails stay queued */
    const char *mail_from;             /* ShopMailFrom: "Name <addr>" or "addr" */
    const unsigned char *secret;       /* ShopSecretFile content: signed links */
    apr_size_t secret_len;
    const char *sales_role;            /* ShopSalesRole: Moodle role shortname of sales staff */
    const char *default_lang;          /* ShopLanguage, "en" when unset */
} shop_env_t;

/* Who acts on a bill: recorded in the audit trail. */
typedef struct shop_actor {
    apr_int64_t userid;                /* mdl user.id, 0 = the system (gateway, cron, buyer) */
    const char *source;                /* "web" | "api" | "gateway:NAME" | "cron" | "cli" */
    int is_staff;                      /* sales role or site admin */
    int is_admin;                      /* site admin: raw state changes */
} shop_actor_t;

#endif
