/* Reads of Moodle's own tables that decide who the shopper is.  Nothing here
 * writes to Moodle (enrolments and accounts belong to the actions layer). */
#ifndef SHOP_DATA_MOODLE_REPO_H
#define SHOP_DATA_MOODLE_REPO_H

#include "data/db.h"

/* The mdl_config values identity depends on. */
typedef struct shop_moodle_cfg {
    char session_cookie[64];   /* the `sessioncookie` suffix, usually empty */
    int64_t session_timeout;   /* seconds, `sessiontimeout` (default 28800) */
    int64_t site_guest;        /* `siteguest` user id (default 1) */
    char site_admins[512];     /* `siteadmins`, comma separated ids */
    char lang[32];             /* site language `lang` */
} shop_moodle_cfg_t;

typedef struct shop_moodle_user {
    int64_t id;
    const char *username, *firstname, *lastname, *email, *lang, *auth;
    int is_sales;              /* holds the sales role at system context */
} shop_moodle_user_t;

int shop_moodle_cfg_load(shop_db_t *db, shop_moodle_cfg_t *cfg);

/* The active user of Moodle session `sid`, judged as Moodle judges it: row
 * present, state 0, a real user (not 0, not the guest), timemodified within
 * the session timeout, user not deleted, not suspended, confirmed, auth not
 * nologin.  Returns 0 with *user NULL when there is none. */
int shop_moodle_session_user(shop_db_t *db, const shop_moodle_cfg_t *cfg, const char *sid,
                             const char *sales_role, int64_t now, shop_moodle_user_t **user);

/* An active user by id (same account checks, no session). */
int shop_moodle_user_get(shop_db_t *db, int64_t userid, const char *sales_role,
                         shop_moodle_user_t **user);

/* The Moodle account that owns `email` (not deleted, not the guest; a
 * suspended account still counts: the address is taken).  id 0 when none.
 * Strings live in db->pool. */
typedef struct shop_moodle_account {
    int64_t id;
    const char *firstname, *lastname;
    int suspended;
} shop_moodle_account_t;

int shop_moodle_account_by_email(shop_db_t *db, const shop_moodle_cfg_t *cfg, const char *email,
                                 shop_moodle_account_t *out);

/* Is `userid` listed in `siteadmins`? */
int shop_moodle_is_site_admin(const shop_moodle_cfg_t *cfg, int64_t userid);

#endif
