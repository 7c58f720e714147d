/* Moodle identity reads: see moodle_repo.h. */
#include "data/moodle_repo.h"

#include <apr_strings.h>
#include <string.h>

static const shop_sql_t Q_CONFIG = {
    "moodle.config",
    "SELECT name, value FROM {mdl}config"
    " WHERE name IN ('sessioncookie', 'sessiontimeout', 'siteguest', 'siteadmins', 'lang')"
};

/* The user columns every identity query returns, then the sales-role flag. */
#define USER_COLUMNS \
    "u.id, u.username, u.firstname, u.lastname, u.email, u.lang, u.auth," \
    " EXISTS (SELECT 1 FROM {mdl}role_assignments ra JOIN {mdl}role r ON r.id = ra.roleid" \
    "          WHERE ra.userid = u.id AND ra.contextid = 1 AND r.shortname = %s) AS is_sales"
#define USER_ACTIVE " u.deleted = 0 AND u.suspended = 0 AND u.confirmed = 1 AND u.auth <> 'nologin'"

static const shop_sql_t Q_SESSION_USER = {
    "moodle.session_user",
    "SELECT " USER_COLUMNS
    " FROM {mdl}sessions s JOIN {mdl}user u ON u.id = s.userid"
    " WHERE s.sid = %s AND s.state = 0 AND s.userid > 0 AND s.userid <> %s"
    "   AND s.timemodified >= %s AND" USER_ACTIVE
};

static const shop_sql_t Q_USER = {
    "moodle.user",
    "SELECT " USER_COLUMNS " FROM {mdl}user u WHERE u.id = %s AND" USER_ACTIVE
};

/* Moodle compares emails case-insensitively (the column's collation). */
static const shop_sql_t Q_ACCOUNT_BY_EMAIL = {
    "moodle.account_by_email",
    "SELECT id, firstname, lastname, suspended FROM {mdl}user"
    " WHERE email = %s AND deleted = 0 AND id <> %s ORDER BY id LIMIT 1"
};

static void copy_value(char *dst, size_t cap, const char *src)
{
    apr_cpystrn(dst, src ? src : "", cap);
}

int shop_moodle_cfg_load(shop_db_t *db, shop_moodle_cfg_t *cfg)
{
    shop_rows_t *rows;
    int rv = shop_db_select(db, &Q_CONFIG, 0, NULL, &rows);
    if (rv != 0) return rv;
    memset(cfg, 0, sizeof(*cfg));
    cfg->session_timeout = 28800;
    cfg->site_guest = 1;
    copy_value(cfg->lang, sizeof(cfg->lang), "en");
    for (int i = 0; i < rows->nrows; i++) {
        const char *name = shop_rows_str(rows, i, 0), *value = shop_rows_str(rows, i, 1);
        if (!strcmp(name, "sessioncookie")) copy_value(cfg->session_cookie, sizeof(cfg->session_cookie), value);
        else if (!strcmp(name, "sessiontimeout")) cfg->session_timeout = shop_rows_i64(rows, i, 1, 28800);
        else if (!strcmp(name, "siteguest")) cfg->site_guest = shop_rows_i64(rows, i, 1, 1);
        else if (!strcmp(name, "siteadmins")) copy_value(cfg->site_admins, sizeof(cfg->site_admins), value);
        else if (!strcmp(name, "lang") && value && *value) copy_value(cfg->lang, sizeof(cfg->lang), value);
    }
    return 0;
}

static shop_moodle_user_t *user_from_row(apr_pool_t *pool, const shop_rows_t *rows)
{
    if (rows->nrows < 1) return NULL;
    shop_moodle_user_t *u = apr_pcalloc(pool, sizeof(*u));
    u->id = shop_rows_i64(rows, 0, 0, 0);
    u->username = shop_rows_str(rows, 0, 1);
    u->firstname = shop_rows_str(rows, 0, 2);
    u->lastname = shop_rows_str(rows, 0, 3);
    u->email = shop_rows_str(rows, 0, 4);
    u->lang = shop_rows_str(rows, 0, 5);
    u->auth = shop_rows_str(rows, 0, 6);
    u->is_sales = shop_rows_i64(rows, 0, 7, 0) != 0;
    return u;
}

int shop_moodle_session_user(shop_db_t *db, const shop_moodle_cfg_t *cfg, const char *sid,
                             const char *sales_role, int64_t now, shop_moodle_user_t **user)
{
    *user = NULL;
    shop_rows_t *rows;
    const char *args[] = {
        sales_role, sid, shop_db_i64(db->pool, cfg->site_guest),
        shop_db_i64(db->pool, now - cfg->session_timeout),
    };
    int rv = shop_db_select(db, &Q_SESSION_USER, 4, args, &rows);
    if (rv != 0) return rv;
    *user = user_from_row(db->pool, rows);
    return 0;
}

int shop_moodle_user_get(shop_db_t *db, int64_t userid, const char *sales_role,
                         shop_moodle_user_t **user)
{
    *user = NULL;
    shop_rows_t *rows;
    const char *args[] = { sales_role, shop_db_i64(db->pool, userid) };
    int rv = shop_db_select(db, &Q_USER, 2, args, &rows);
    if (rv != 0) return rv;
    *user = user_from_row(db->pool, rows);
    return 0;
}

int shop_moodle_is_site_admin(const shop_moodle_cfg_t *cfg, int64_t userid)
{
    const char *p = cfg->site_admins;
    while (*p) {
        char *end;
        apr_int64_t id = apr_strtoi64(p, &end, 10);
        if (end != p && id == userid && userid > 0) return 1;
        p = end;
        while (*p && (*p == ',' || *p == ' ')) p++;
        if (*p && !(*p >= '0' && *p <= '9')) p++;   /* skip junk rather than loop */
    }
    return 0;
}

int shop_moodle_account_by_email(shop_db_t *db, const shop_moodle_cfg_t *cfg, const char *email,
                                 shop_moodle_account_t *out)
{
    memset(out, 0, sizeof(*out));
    shop_rows_t *rows;
    const char *args[] = { email, shop_db_i64(db->pool, cfg->site_guest) };
    int rv = shop_db_select(db, &Q_ACCOUNT_BY_EMAIL, 2, args, &rows);
    if (rv != 0 || rows->nrows == 0) return rv;
    out->id = shop_rows_i64(rows, 0, 0, 0);
    out->firstname = shop_rows_str(rows, 0, 1);
    out->lastname = shop_rows_str(rows, 0, 2);
    out->suspended = shop_rows_i64(rows, 0, 3, 0) != 0;
    return 0;
}
